import { Alert, Button, Center, Group, NativeSelect, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ApiError, get, post } from '../app/api.ts';
import type { Me } from '../app/types.ts';
import { isLanguage, languageNames, languages, useLanguage, useT } from '../i18n/i18n.tsx';
import { problemText } from '../ui/problems.ts';

/** Sign in with e-mail and password (a session cookie; it expires after a period without use). */
export function LoginScreen(props: { expired: boolean; onSignedIn: (me: Me) => void }) {
  const t = useT();
  const { lang, setLanguage } = useLanguage();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await post('/api/auth/login', { email, password });
      props.onSignedIn(await get<Me>('/api/workspace/me'));
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError({ status: 0 }));
    } finally {
      setBusy(false);
    }
  };
  const fields = error?.fieldErrors() ?? {};

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w={400} maw="100%">
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack>
            <Group justify="space-between">
              <Title order={1} size="h2">
                {t('login.title')}
              </Title>
              <NativeSelect
                size="xs"
                aria-label={t('layout.language')}
                value={lang}
                onChange={(e) => isLanguage(e.currentTarget.value) && setLanguage(e.currentTarget.value)}
                data={languages.map((l) => ({ value: l, label: languageNames[l] }))}
              />
            </Group>
            {props.expired && (
              <Alert color="yellow" role="status" data-testid="session-expired">
                {t('login.expired')}
              </Alert>
            )}
            {error && !error.problem.errors && (
              <Alert color="red" role="alert" data-testid="login-error">
                {error.problem.code === 'invalid_credentials' ? t('login.invalid') : problemText(t, error)}
              </Alert>
            )}
            <TextInput
              label={t('login.email')}
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={fields.email}
              name="email"
              autoFocus
            />
            <PasswordInput
              label={t('login.password')}
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={fields.password}
              name="password"
            />
            <Button type="submit" loading={busy} data-testid="sign-in">
              {t('login.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
