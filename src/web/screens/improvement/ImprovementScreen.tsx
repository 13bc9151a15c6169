import { Button, Center, Group, Loader, Stack, Title } from '@mantine/core';
import { Link } from '../../app/router.tsx';
import { useFeatureMessages, useT } from '../../i18n/i18n.tsx';
import { CapaTab } from './CapaTab.tsx';
import { RecurringTab } from './RecurringTab.tsx';
import { RootCausesTab } from './RootCausesTab.tsx';
import { SystemicTab } from './SystemicTab.tsx';

const tabs = ['capa', 'systemic', 'recurring', 'root-causes'] as const;

/** Learning from complaints (IMP-3, IMP-4): corrective and preventive actions, systemic issues, recurring problems, root causes. */
export default function ImprovementScreen(props: { tab: string }) {
  const ready = useFeatureMessages('improvement');
  const t = useT();
  const tab = (tabs as readonly string[]).includes(props.tab) ? props.tab : 'capa';
  if (!ready)
    return (
      <Center h="50vh">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  return (
    <Stack>
      <Title order={2}>{t('improvement.title')}</Title>
      <nav aria-label={t('improvement.tabs')}>
        <Group gap="xs" wrap="wrap">
          {tabs.map((x) => (
            <Button
              key={x}
              component={Link}
              to={`/improvement/${x}`}
              variant={x === tab ? 'filled' : 'default'}
              aria-current={x === tab ? 'page' : undefined}
              data-testid={`tab-${x}`}
            >
              {t(`improvement.tab.${x}`)}
            </Button>
          ))}
        </Group>
      </nav>
      {tab === 'capa' && <CapaTab />}
      {tab === 'systemic' && <SystemicTab />}
      {tab === 'recurring' && <RecurringTab />}
      {tab === 'root-causes' && <RootCausesTab />}
    </Stack>
  );
}
