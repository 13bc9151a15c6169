import { Alert, Button, Checkbox, Group, NativeSelect, Paper, SimpleGrid, Stack, Table, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useT } from '../../i18n/i18n.tsx';
import { problemText } from '../../ui/problems.ts';
import { useAdminList } from './useAdmin.ts';

interface FullCatalogue {
  teams: Array<{ key: string; name: string }>;
  categories: Array<{ key: string; name: string; parent: string | null; team: string | null; active: boolean }>;
  remedies: Array<{ key: string; name: string; monetary: boolean; active: boolean }>;
}

function Errors(props: { list: ReturnType<typeof useAdminList<FullCatalogue>> }) {
  const t = useT();
  const e = props.list.error;
  if (!e) return null;
  return (
    <Alert color="red" role="alert">
      {e.problem.errors ? Object.entries(e.fieldErrors()).map(([k, v]) => `${k}: ${v}`).join('; ') : problemText(t, e)}
    </Alert>
  );
}

function AddForm(props: { title: string; onSubmit: () => void; children: ReactNode; busy: boolean }) {
  const t = useT();
  return (
    <Paper withBorder p="md" component="form" onSubmit={(e: FormEvent) => (e.preventDefault(), props.onSubmit())}>
      <Title order={3} size="h4" mb="sm">
        {props.title}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 4 }}>{props.children}</SimpleGrid>
      <Group mt="sm">
        <Button type="submit" loading={props.busy}>
          {t('common.add')}
        </Button>
      </Group>
    </Paper>
  );
}

export function TeamsAdmin() {
  const t = useT();
  const list = useAdminList<FullCatalogue>('/api/admin/catalogue');
  const [form, setForm] = useState({ key: '', name: '' });
  return (
    <Stack>
      <Errors list={list} />
      <Table fz="sm" data-testid="teams">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.key')}</Table.Th>
            <Table.Th>{t('intake.name')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(list.data?.teams ?? []).map((x) => (
            <Table.Tr key={x.key}>
              <Table.Td className="ltr-run">{x.key}</Table.Td>
              <Table.Td>
                <TextInput size="xs" aria-label={t('admin.nameOf', { key: x.key })} defaultValue={x.name} onBlur={(e) => e.currentTarget.value !== x.name && void list.run('PATCH', `/api/admin/teams/${x.key}`, { name: e.currentTarget.value })} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <AddForm title={t('admin.newTeam')} busy={list.busy} onSubmit={() => void list.run('POST', '/api/admin/teams', form).then((ok) => ok && setForm({ key: '', name: '' }))}>
        <TextInput label={t('admin.key')} required value={form.key} onChange={(e) => setForm({ ...form, key: e.currentTarget.value })} error={list.fieldErrors.key} />
        <TextInput label={t('intake.name')} required value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} error={list.fieldErrors.name} />
      </AddForm>
    </Stack>
  );
}

export function CategoriesAdmin() {
  const t = useT();
  const list = useAdminList<FullCatalogue>('/api/admin/catalogue');
  const [form, setForm] = useState({ key: '', name: '', parent: '', team: '' });
  const cats = list.data?.categories ?? [];
  const teams = list.data?.teams ?? [];
  const depth = (key: string | null): number => (key ? 1 + depth(cats.find((c) => c.key === key)?.parent ?? null) : 0);
  return (
    <Stack>
      <Errors list={list} />
      <Table fz="sm" data-testid="categories" verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('intake.name')}</Table.Th>
            <Table.Th>{t('admin.key')}</Table.Th>
            <Table.Th>{t('admin.routedTo')}</Table.Th>
            <Table.Th>{t('common.active')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {cats.map((c) => (
            <Table.Tr key={c.key}>
              <Table.Td style={{ paddingInlineStart: `${depth(c.parent) * 1.25 + 0.5}rem` }}>{c.name}</Table.Td>
              <Table.Td className="ltr-run">{c.key}</Table.Td>
              <Table.Td>
                <NativeSelect
                  size="xs"
                  aria-label={t('admin.teamOf', { key: c.key })}
                  value={c.team ?? ''}
                  onChange={(e) => void list.run('PATCH', `/api/admin/categories/${c.key}`, { team: e.currentTarget.value || null })}
                  data={[{ value: '', label: t('form.none') }, ...teams.map((x) => ({ value: x.key, label: x.name }))]}
                />
              </Table.Td>
              <Table.Td>
                <Checkbox aria-label={t('admin.activeOf', { name: c.name })} checked={c.active} onChange={(e) => void list.run('PATCH', `/api/admin/categories/${c.key}`, { active: e.currentTarget.checked })} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <AddForm
        title={t('admin.newCategory')}
        busy={list.busy}
        onSubmit={() =>
          void list.run('POST', '/api/admin/categories', { key: form.key, name: form.name, parent: form.parent || undefined, team: form.team || undefined }).then((ok) => ok && setForm({ key: '', name: '', parent: form.parent, team: form.team }))
        }
      >
        <TextInput label={t('admin.key')} required value={form.key} onChange={(e) => setForm({ ...form, key: e.currentTarget.value })} error={list.fieldErrors.key} />
        <TextInput label={t('intake.name')} required value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} error={list.fieldErrors.name} />
        <NativeSelect label={t('admin.parent')} value={form.parent} onChange={(e) => setForm({ ...form, parent: e.currentTarget.value })} data={[{ value: '', label: t('form.none') }, ...cats.map((c) => ({ value: c.key, label: c.name }))]} error={list.fieldErrors.parent} />
        <NativeSelect label={t('admin.routedTo')} value={form.team} onChange={(e) => setForm({ ...form, team: e.currentTarget.value })} data={[{ value: '', label: t('form.none') }, ...teams.map((x) => ({ value: x.key, label: x.name }))]} error={list.fieldErrors.team} />
      </AddForm>
    </Stack>
  );
}

export function RemediesAdmin() {
  const t = useT();
  const list = useAdminList<FullCatalogue>('/api/admin/catalogue');
  const [form, setForm] = useState({ key: '', name: '', monetary: false });
  return (
    <Stack>
      <Errors list={list} />
      <Table fz="sm" data-testid="remedies">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('intake.name')}</Table.Th>
            <Table.Th>{t('admin.key')}</Table.Th>
            <Table.Th>{t('admin.monetary')}</Table.Th>
            <Table.Th>{t('common.active')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(list.data?.remedies ?? []).map((r) => (
            <Table.Tr key={r.key}>
              <Table.Td>{r.name}</Table.Td>
              <Table.Td className="ltr-run">{r.key}</Table.Td>
              <Table.Td>{r.monetary ? t('common.yes') : t('common.no')}</Table.Td>
              <Table.Td>
                <Checkbox aria-label={t('admin.activeOf', { name: r.name })} checked={r.active} onChange={(e) => void list.run('PATCH', `/api/admin/remedies/${r.key}`, { active: e.currentTarget.checked })} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <AddForm title={t('admin.newRemedy')} busy={list.busy} onSubmit={() => void list.run('POST', '/api/admin/remedies', form).then((ok) => ok && setForm({ key: '', name: '', monetary: false }))}>
        <TextInput label={t('admin.key')} required value={form.key} onChange={(e) => setForm({ ...form, key: e.currentTarget.value })} error={list.fieldErrors.key} />
        <TextInput label={t('intake.name')} required value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} error={list.fieldErrors.name} />
        <Checkbox mt="xl" label={t('admin.monetary')} checked={form.monetary} onChange={(e) => setForm({ ...form, monetary: e.currentTarget.checked })} />
      </AddForm>
    </Stack>
  );
}
