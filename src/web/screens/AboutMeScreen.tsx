import { Alert, Button, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, get, post } from '../app/api.ts';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { problemText } from '../ui/problems.ts';

interface AboutMe {
  reference: string;
  receivedAt: string;
  accountGiven: boolean;
}

/** Complaints about the signed-in staff member (OBJ-4): they give their account without seeing the file. */
export default function AboutMeScreen() {
  const t = useT();
  const f = useFormat();
  const [items, setItems] = useState<AboutMe[] | null>(null);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, ApiError>>({});
  const load = useCallback(() => get<{ items: AboutMe[] }>('/api/workspace/about-me').then((r) => setItems(r.items)), []);
  useEffect(() => void load(), [load]);

  const send = async (reference: string) => {
    try {
      await post(`/api/workspace/about-me/${reference}/account`, { body: texts[reference] ?? '' });
      setTexts((x) => ({ ...x, [reference]: '' }));
      setErrors((x) => ({ ...x, [reference]: undefined as never }));
      await load();
    } catch (e) {
      setErrors((x) => ({ ...x, [reference]: e instanceof ApiError ? e : new ApiError({ status: 0 }) }));
    }
  };

  return (
    <Stack maw={800}>
      <Title order={2}>{t('aboutMe.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('aboutMe.hint')}
      </Text>
      {items?.length === 0 && <Text>{t('aboutMe.none')}</Text>}
      {items?.map((c) => (
        <Paper key={c.reference} withBorder p="md" component="section" aria-label={c.reference}>
          <Stack gap="xs">
            <Text fw={600}>
              <span className="ltr-run">{c.reference}</span> · {f.date(c.receivedAt)}
              {c.accountGiven ? ` · ${t('aboutMe.given')}` : ''}
            </Text>
            {errors[c.reference] && <Alert color="red">{problemText(t, errors[c.reference]!)}</Alert>}
            <Textarea
              label={t('aboutMe.account')}
              autosize
              minRows={3}
              value={texts[c.reference] ?? ''}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setTexts((x) => ({ ...x, [c.reference]: v }));
              }}
              error={errors[c.reference]?.fieldErrors().body}
              dir="auto"
            />
            <Button onClick={() => void send(c.reference)} w="fit-content">
              {t('aboutMe.send')}
            </Button>
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}
