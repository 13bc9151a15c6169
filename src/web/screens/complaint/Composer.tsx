import { Alert, Button, Group, List, NativeSelect, Paper, Stack, Text, Textarea } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ApiError, get, post } from '../../app/api.ts';
import { useCatalogue } from '../../app/data.ts';
import { useSession } from '../../app/session.tsx';
import type { Complaint } from '../../app/types.ts';
import { intlLocales, isLanguage, languageNames, useT } from '../../i18n/i18n.tsx';
import { problemText } from '../../ui/problems.ts';
import type { FieldProps } from './ActionForm.tsx';

interface Template {
  id: string;
  key: string;
  language: string;
  name: string;
  body: string;
}

interface Draft {
  outcome?: string;
  reasons?: string;
  remedies?: Array<{ key: string; amount?: number }>;
  message?: string;
}

const placeholders = ['name', 'reference', 'receivedDate', 'outcome', 'reasons', 'remedies', 'handler'] as const;

/** The complainant's language: their preferred one when this user may see it, else the complaint's. */
export const letterLanguage = (c: Complaint) => (c.complainant?.preferredLanguage && isLanguage(c.complainant.preferredLanguage) ? c.complainant.preferredLanguage : isLanguage(c.language) ? c.language : 'en');

/**
 * The response composer (WORK-5): a template in the complainant's language, its placeholders filled from the case
 * and the draft, the parts a decision must have checked, and a preview of the letter exactly as it will be sent.
 */
export function ResponseMessageField(p: FieldProps) {
  const t = useT();
  const { me } = useSession();
  const catalogue = useCatalogue();
  const c = p.complaint;
  const [language, setLanguage] = useState(letterLanguage(c));
  const [templates, setTemplates] = useState<Template[]>([]);
  const [chosen, setChosen] = useState('');
  useEffect(() => {
    get<{ items: Template[] }>(`/api/response-templates?language=${language}`).then(
      (r) => setTemplates(r.items),
      () => setTemplates([]),
    );
  }, [language]);
  const draft = p.form as Draft;

  const fill = (body: string) => {
    const values: Record<(typeof placeholders)[number], string> = {
      name: c.complainant && !c.complainant.anonymous ? (c.complainant.name ?? '') : '',
      reference: c.reference,
      receivedDate: new Intl.DateTimeFormat(intlLocales[language], { dateStyle: 'long' }).format(new Date(c.receivedAt)),
      outcome: draft.outcome ? t(`enum.outcome.${draft.outcome}`) : '',
      reasons: draft.reasons ?? '',
      remedies: (draft.remedies ?? [])
        .filter((r) => r.key)
        .map((r) => `${catalogue?.remedies.find((x) => x.key === r.key)?.name ?? r.key}${r.amount !== undefined ? ` (${new Intl.NumberFormat(intlLocales[language]).format(r.amount)})` : ''}`)
        .join(', '),
      handler: me.name,
    };
    return body.replace(/\{(\w+)\}/g, (whole, k: string) => (k in values ? values[k as keyof typeof values] : whole));
  };

  const message = typeof p.value === 'string' ? p.value : '';
  const missing = message.match(/\{\w+\}/g) ?? [];
  return (
    <Stack gap="xs">
      <Group gap="xs" align="end">
        <NativeSelect
          label={t('composer.language')}
          value={language}
          onChange={(e) => isLanguage(e.currentTarget.value) && setLanguage(e.currentTarget.value)}
          data={Object.entries(languageNames).map(([value, label]) => ({ value, label }))}
        />
        <NativeSelect
          label={t('composer.template')}
          value={chosen}
          onChange={(e) => setChosen(e.currentTarget.value)}
          data={[{ value: '', label: templates.length ? t('form.choose') : t('composer.noTemplates') }, ...templates.map((x) => ({ value: x.id, label: x.name }))]}
          data-testid="template-picker"
        />
        <Button
          variant="light"
          disabled={!chosen}
          onClick={() => {
            const tpl = templates.find((x) => x.id === chosen);
            if (tpl) p.onChange(fill(tpl.body));
          }}
          data-testid="use-template"
        >
          {t('composer.useTemplate')}
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        {t('composer.placeholders', { list: placeholders.map((x) => `{${x}}`).join(' ') })}
      </Text>
      <Textarea
        label={p.label}
        description={t('composer.messageHint')}
        autosize
        minRows={6}
        maxRows={18}
        value={message}
        onChange={(e) => p.onChange(e.currentTarget.value)}
        error={p.error ?? (missing.length > 0 ? t('composer.unfilled', { list: missing.join(' ') }) : undefined)}
        dir="auto"
        lang={language}
        name="message"
        data-testid="composer-message"
      />
      <RequiredParts draft={draft} />
      <LetterPreview complaint={c} draft={{ ...draft, message }} />
    </Stack>
  );
}

/** The parts a decision letter must have (LIFE-6): shown as a checklist while composing. */
function RequiredParts(props: { draft: Draft }) {
  const t = useT();
  const d = props.draft;
  const remedyNeeded = d.outcome === 'upheld' || d.outcome === 'partly_upheld';
  const parts: Array<[string, boolean]> = [
    [t('composer.part.decision'), !!d.outcome],
    [t('composer.part.reasons'), !!d.reasons?.trim()],
    [remedyNeeded ? t('composer.part.remedy') : t('composer.part.remedyOptional'), !remedyNeeded || (d.remedies ?? []).some((r) => r.key)],
    [t('composer.part.options'), true],
  ];
  return (
    <Paper withBorder p="xs" data-testid="required-parts">
      <Text size="sm" fw={600}>
        {t('composer.requiredParts')}
      </Text>
      <List size="sm" spacing={2}>
        {parts.map(([label, ok]) => (
          <List.Item key={label} icon={<span aria-hidden="true">{ok ? '✓' : '✗'}</span>} c={ok ? undefined : 'red.9'}>
            {label} <span className="visually-hidden">{ok ? t('composer.present') : t('composer.missing')}</span>
          </List.Item>
        ))}
      </List>
    </Paper>
  );
}

interface Rendered {
  language: string;
  dir: 'ltr' | 'rtl';
  subject: string;
  html: string;
}

/** The decision letter as the complainant will receive it, rendered by the server's own e-mail templates. */
export function LetterPreview(props: { complaint: Complaint; draft: Draft }) {
  const t = useT();
  const [rendered, setRendered] = useState<Rendered | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const preview = async () => {
    setBusy(true);
    setError(null);
    try {
      const d = props.draft;
      setRendered(
        await post<Rendered>(`/api/complaints/${encodeURIComponent(props.complaint.reference)}/response-preview`, {
          outcome: d.outcome || undefined,
          reasons: d.reasons || undefined,
          message: d.message || undefined,
          remedies: (d.remedies ?? []).filter((r) => r.key).map((r) => ({ key: r.key, ...(r.amount !== undefined ? { amount: r.amount } : {}) })),
        }),
      );
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError({ status: 0 }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="xs">
      <Group>
        <Button variant="default" onClick={() => void preview()} loading={busy} data-testid="preview">
          {t('composer.preview')}
        </Button>
      </Group>
      {error && <Alert color="red">{problemText(t, error)}</Alert>}
      {rendered && (
        <Stack gap={4} data-testid="preview-panel" data-dir={rendered.dir} data-language={rendered.language}>
          <Text size="sm">
            {t('composer.previewAs', { language: isLanguage(rendered.language) ? languageNames[rendered.language] : rendered.language, dir: rendered.dir.toUpperCase() })}
          </Text>
          <Text size="sm" fw={600} dir={rendered.dir} lang={rendered.language}>
            {rendered.subject}
          </Text>
          {/* Sandboxed: no script, no navigation, no access to the workspace. */}
          <iframe className="preview-frame" title={t('composer.previewFrame')} sandbox="" srcDoc={rendered.html} />
        </Stack>
      )}
    </Stack>
  );
}
