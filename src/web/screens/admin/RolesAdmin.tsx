import { Badge, Group, Table, Text } from '@mantine/core';
import { useT } from '../../i18n/i18n.tsx';
import { useAdminList } from './useAdmin.ts';

interface RoleRow {
  role: string;
  actions: string[];
  personalData: boolean;
  allTeams: boolean;
  administers: boolean;
}

/** What each role may do, derived from the state machine (roles are fixed; people get one of them). */
export function RolesAdmin() {
  const t = useT();
  const { data } = useAdminList<{ roles: RoleRow[] }>('/api/admin/roles');
  return (
    <Table data-testid="roles" fz="sm" verticalSpacing="xs">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('admin.role')}</Table.Th>
          <Table.Th>{t('admin.personalData')}</Table.Th>
          <Table.Th>{t('admin.scope')}</Table.Th>
          <Table.Th>{t('admin.actions')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {(data?.roles ?? []).map((r) => (
          <Table.Tr key={r.role}>
            <Table.Td>{t(`role.${r.role}`)}</Table.Td>
            <Table.Td>{r.personalData ? t('common.yes') : t('common.no')}</Table.Td>
            <Table.Td>{r.allTeams ? t('admin.allTeams') : t('admin.ownTeams')}</Table.Td>
            <Table.Td>
              {r.actions.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {r.administers ? t('admin.administersOnly') : t('admin.readOnly')}
                </Text>
              ) : (
                <Group gap={4}>
                  {r.actions.map((a) => (
                    <Badge key={a} variant="outline" color="blue.9" tt="none">
                      {t(`action.${a}`)}
                    </Badge>
                  ))}
                </Group>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
