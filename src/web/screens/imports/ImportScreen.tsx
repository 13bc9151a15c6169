import { Alert, Center, Loader, Stack, Tabs, Title } from '@mantine/core';
import { navigate, useLocation } from '../../app/router.tsx';
import { can, useSession } from '../../app/session.tsx';
import { useFeatureMessages, useT } from '../../i18n/i18n.tsx';
import { ImportPanel } from './ImportPanel.tsx';
import { ReportsPanel } from './ReportsPanel.tsx';

/** Bulk import of complaints (IMP-5) and scheduled reports e-mailed as files (API-3), one tab each. */
export default function ImportScreen() {
  const ready = useFeatureMessages('imports');
  const t = useT();
  const { me } = useSession();
  const loc = useLocation();
  if (!ready)
    return (
      <Center h="50vh">
        <Loader />
      </Center>
    );
  if (!can.importData(me)) return <Alert color="red">{t('imports.notAllowed')}</Alert>;
  const tab = loc.search.get('tab') === 'reports' ? 'reports' : 'import';
  return (
    <Stack gap="md">
      <Title order={2}>{t('imports.title')}</Title>
      <Tabs
        value={tab}
        onChange={(v) => {
          const search = new URLSearchParams(loc.search);
          if (v === 'reports') search.set('tab', 'reports');
          else search.delete('tab');
          const q = search.toString();
          navigate(`/imports${q ? `?${q}` : ''}`, { replace: true });
        }}
        keepMounted={false}
      >
        <Tabs.List>
          <Tabs.Tab value="import" data-testid="tab-import">
            {t('imports.tab.import')}
          </Tabs.Tab>
          <Tabs.Tab value="reports" data-testid="tab-reports">
            {t('imports.tab.reports')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="import" pt="md">
          <ImportPanel />
        </Tabs.Panel>
        <Tabs.Panel value="reports" pt="md">
          <ReportsPanel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
