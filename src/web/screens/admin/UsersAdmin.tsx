import { Alert, Button, Checkbox, Group, MultiSelect, NativeSelect, Paper, PasswordInput, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useCatalogue } from '../../app/data.ts';
import type { StaffUser } from '../../app/types.ts';
import { languageNames, languages, useT } from '../../i18n/i18n.tsx';
import { problemText } from '../../ui/problems.ts';
import { useAdminList } from './useAdmin.ts';

const roles = ['intake', 'handler', 'manager', 'quality', 'auditor', 'admin'] as const;

/** Staff users: create, change role and teams, deactivate. */
export function UsersAdmin() {
  const t = useT();
  const catalogue = useCatalogue();
  const list = useAdminList<{ items: StaffUser[] }>('/api/users');
  const [form, setForm] = useState({ email: '', name: '', role: 'handler', password: '', locale: 'en', teams: [] as string[] });
  const teamData = (catalogue?.teams ?? []).map((x) => ({ value: x.key, label: x.name }));
  const f = list.fieldErrors;

  return (
    <Stack>
      {list.error && (
        <Alert color="red" role="alert">
          {list.error.problem.errors ? t('form.fixFields') : problemText(t, list.error)}
        </Alert>
      )}
      <Table fz="sm" data-testid="users" verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('intake.name')}</Table.Th>
            <Table.Th>{t('intake.email')}</Table.Th>
            <Table.Th>{t('admin.role')}</Table.Th>
            <Table.Th>{t('admin.tab.teams')}</Table.Th>
            <Table.Th>{t('common.active')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(list.data?.items ?? []).map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td>{u.name}</Table.Td>
              <Table.Td className="ltr-run">{u.email}</Table.Td>
              <Table.Td>
                <NativeSelect
                  size="xs"
                  aria-label={t('admin.roleOf', { name: u.name })}
                  value={u.role}
                  onChange={(e) => void list.run('PATCH', `/api/admin/users/${u.id}`, { role: e.currentTarget.value })}
                  data={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))}
                />
              </Table.Td>
              <Table.Td>
                <MultiSelect size="xs" aria-label={t('admin.teamsOf', { name: u.name })} value={u.teams} data={teamData} onChange={(v) => void list.run('PATCH', `/api/admin/users/${u.id}`, { teams: v })} />
              </Table.Td>
              <Table.Td>
                <Checkbox aria-label={t('admin.activeOf', { name: u.name })} checked={u.active} onChange={(e) => void list.run('PATCH', `/api/admin/users/${u.id}`, { active: e.currentTarget.checked })} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Paper withBorder p="md" component="form" onSubmit={(e: React.FormEvent) => {
        e.preventDefault();
        void list.run('POST', '/api/users', form).then((ok) => ok && setForm({ ...form, email: '', name: '', password: '' }));
      }}>
        <Title order={3} size="h4" mb="sm">
          {t('admin.newUser')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label={t('intake.name')} required value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} error={f.name} />
          <TextInput label={t('intake.email')} required type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.currentTarget.value })} error={f.email} />
          <PasswordInput label={t('login.password')} required description={t('admin.passwordHint')} value={form.password} onChange={(e) => setForm({ ...form, password: e.currentTarget.value })} error={f.password} />
          <NativeSelect label={t('admin.role')} value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value })} data={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
          <NativeSelect label={t('layout.language')} value={form.locale} onChange={(e) => setForm({ ...form, locale: e.currentTarget.value })} data={languages.map((l) => ({ value: l, label: languageNames[l] }))} />
          <MultiSelect label={t('admin.tab.teams')} value={form.teams} data={teamData} onChange={(v) => setForm({ ...form, teams: v })} error={f.teams} />
        </SimpleGrid>
        <Group mt="sm">
          <Button type="submit" loading={list.busy}>
            {t('admin.createUser')}
          </Button>
          <Text size="xs" c="dimmed">
            {t('admin.usersHint')}
          </Text>
        </Group>
      </Paper>
    </Stack>
  );
}
