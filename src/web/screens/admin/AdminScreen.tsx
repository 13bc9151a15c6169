import { Tabs, Title, Stack } from '@mantine/core';
import { navigate } from '../../app/router.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { CategoriesAdmin, RemediesAdmin, TeamsAdmin } from './CatalogueAdmin.tsx';
import { CompetenceAdmin, DeclarationsAdmin } from './CompetenceAdmin.tsx';
import { RolesAdmin } from './RolesAdmin.tsx';
import { TemplatesAdmin } from './TemplatesAdmin.tsx';
import { UsersAdmin } from './UsersAdmin.tsx';

const tabs = [
  'users',
  'teams',
  'roles',
  'categories',
  'remedies',
  'templates',
  'competence',
  'declarations',
] as const;

/** Administration (users, teams, roles, categories, remedies, templates, training and authorisations). */
export default function AdminScreen(props: { tab: string }) {
  const t = useT();
  const tab = (tabs as readonly string[]).includes(props.tab) ? props.tab : 'users';
  return (
    <Stack>
      <Title order={2}>{t('admin.title')}</Title>
      <Tabs value={tab} onChange={(v) => v && navigate(`/admin/${v}`, { replace: true })} keepMounted={false}>
        <Tabs.List>
          {tabs.map((x) => (
            <Tabs.Tab key={x} value={x}>
              {t(`admin.tab.${x}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="users" pt="md">
          <UsersAdmin />
        </Tabs.Panel>
        <Tabs.Panel value="teams" pt="md">
          <TeamsAdmin />
        </Tabs.Panel>
        <Tabs.Panel value="roles" pt="md">
          <RolesAdmin />
        </Tabs.Panel>
        <Tabs.Panel value="categories" pt="md">
          <CategoriesAdmin />
        </Tabs.Panel>
        <Tabs.Panel value="remedies" pt="md">
          <RemediesAdmin />
        </Tabs.Panel>
        <Tabs.Panel value="templates" pt="md">
          <TemplatesAdmin />
        </Tabs.Panel>
        <Tabs.Panel value="competence" pt="md">
          <CompetenceAdmin />
        </Tabs.Panel>
        <Tabs.Panel value="declarations" pt="md">
          <DeclarationsAdmin />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
