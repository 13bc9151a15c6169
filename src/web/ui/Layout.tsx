import {
  AppShell,
  Burger,
  Group,
  NativeSelect,
  NavLink,
  Stack,
  Text,
  Title,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { languageNames, languages, isLanguage, useLanguage, useT } from '../i18n/i18n.tsx';
import { href, Link, navigate, useLocation } from '../app/router.tsx';
import { can, useSession } from '../app/session.tsx';
import { queuesFor } from '../screens/queues/queues.ts';

/** The frame of every screen: header (language, user, sign out), the queues and screens, the main region. */
export function Layout(props: { children: ReactNode }) {
  const t = useT();
  const { me, signOut } = useSession();
  const loc = useLocation();
  const [opened, { toggle, close }] = useDisclosure();
  const go = (to: string) => (e: React.MouseEvent) => {
    if (e.metaKey || e.ctrlKey) return;
    e.preventDefault();
    close();
    navigate(to);
  };
  const active = (to: string) => loc.path === to || loc.path.startsWith(`${to}/`);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a className="skip-link" href="#main">
        {t('layout.skip')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('layout.menu')}
            />
            <UnstyledButton component={Link} to="/" aria-label={t('layout.home')}>
              <Title order={1} size="h3">
                Redress
              </Title>
            </UnstyledButton>
            <Text size="sm" c="dimmed" visibleFrom="md">
              {t('layout.tagline')}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LanguagePicker />
            <Text size="sm" visibleFrom="sm" data-testid="whoami">
              {me.name} · {t(`role.${me.role}`)}
            </Text>
            <UnstyledButton onClick={signOut} className="plain" data-testid="sign-out">
              <Text size="sm" c="blue.8" td="underline">
                {t('layout.signOut')}
              </Text>
            </UnstyledButton>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('layout.navigation')}>
        <nav aria-label={t('layout.navigation')}>
          <Stack gap={2}>
            <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="xs" component="h2">
              {t('layout.queues')}
            </Text>
            {queuesFor(me).map((q) => (
              <NavLink
                key={q.id}
                href={href(`/queues/${q.id}`)}
                onClick={go(`/queues/${q.id}`)}
                label={t(`queue.${q.id}`)}
                active={active(`/queues/${q.id}`)}
                aria-current={active(`/queues/${q.id}`) ? 'page' : undefined}
              />
            ))}
            <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="md" component="h2">
              {t('layout.work')}
            </Text>
            {can.intake(me) && (
              <NavLink
                href={href('/intake')}
                onClick={go('/intake')}
                label={t('layout.intake')}
                active={active('/intake')}
                aria-current={active('/intake') ? 'page' : undefined}
              />
            )}
            <NavLink
              href={href('/about-me')}
              onClick={go('/about-me')}
              label={t('aboutMe.title')}
              active={active('/about-me')}
              aria-current={active('/about-me') ? 'page' : undefined}
            />
            {can.analyse(me) && (
              <NavLink
                href={href('/analytics')}
                onClick={go('/analytics')}
                label={t('layout.analytics')}
                active={active('/analytics')}
                aria-current={active('/analytics') ? 'page' : undefined}
              />
            )}
            {can.improve(me) && (
              <NavLink
                href={href('/improvement/capa')}
                onClick={go('/improvement/capa')}
                label={t('layout.improvement')}
                active={active('/improvement')}
                aria-current={active('/improvement') ? 'page' : undefined}
              />
            )}
            {can.importData(me) && (
              <NavLink
                href={href('/imports')}
                onClick={go('/imports')}
                label={t('layout.imports')}
                active={active('/imports')}
                aria-current={active('/imports') ? 'page' : undefined}
              />
            )}
            {can.administer(me) && (
              <NavLink
                href={href('/admin/users')}
                onClick={go('/admin/users')}
                label={t('layout.admin')}
                active={active('/admin')}
                aria-current={active('/admin') ? 'page' : undefined}
              />
            )}
          </Stack>
        </nav>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        {props.children}
      </AppShell.Main>
    </AppShell>
  );
}

function LanguagePicker() {
  const t = useT();
  const { lang, setLanguage } = useLanguage();
  return (
    <>
      <VisuallyHidden>
        <label htmlFor="language-picker">{t('layout.language')}</label>
      </VisuallyHidden>
      <NativeSelect
        id="language-picker"
        size="xs"
        value={lang}
        data-testid="language"
        onChange={(e) => isLanguage(e.currentTarget.value) && setLanguage(e.currentTarget.value)}
        data={languages.map((l) => ({ value: l, label: languageNames[l] }))}
      />
    </>
  );
}
