import { Alert, Button, Group, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { categoryOptions, useCatalogue, useStaff } from '../../app/data.ts';
import { useFormat, useT } from '../../i18n/i18n.tsx';
import { problemText } from '../../ui/problems.ts';
import { useAdminList } from './useAdmin.ts';

interface Competence {
  id: string;
  userId: string;
  userName: string;
  kind: string;
  category: string | null;
  categoryName: string | null;
  title: string;
  validFrom: string;
  validUntil: string | null;
}

/** Training and authorisation records (MGT-3): an authorisation for a category restricts its assignment to holders. */
export function CompetenceAdmin() {
  const t = useT();
  const f = useFormat();
  const staff = useStaff();
  const catalogue = useCatalogue();
  const list = useAdminList<{ items: Competence[] }>('/api/admin/competences');
  const [form, setForm] = useState({ userId: '', kind: 'authorisation', category: '', title: '', validUntil: '' });
  const e = list.fieldErrors;
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('admin.competenceHint')}
      </Text>
      {list.error && (
        <Alert color="red" role="alert">
          {list.error.problem.errors ? t('form.fixFields') : problemText(t, list.error)}
        </Alert>
      )}
      <Table fz="sm" data-testid="competences">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.person')}</Table.Th>
            <Table.Th>{t('admin.kind')}</Table.Th>
            <Table.Th>{t('field.category')}</Table.Th>
            <Table.Th>{t('input.title')}</Table.Th>
            <Table.Th>{t('admin.validUntil')}</Table.Th>
            <Table.Th>
              <span className="visually-hidden">{t('common.delete')}</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(list.data?.items ?? []).map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{c.userName}</Table.Td>
              <Table.Td>{t(`admin.kindValue.${c.kind}`)}</Table.Td>
              <Table.Td>{c.categoryName ?? '—'}</Table.Td>
              <Table.Td>{c.title}</Table.Td>
              <Table.Td>{c.validUntil ? f.date(c.validUntil) : '—'}</Table.Td>
              <Table.Td>
                <Button size="xs" variant="subtle" color="red.9" onClick={() => void list.run('DELETE', `/api/admin/competences/${c.id}`)} aria-label={t('admin.deleteRecord', { title: c.title })}>
                  {t('common.delete')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Paper
        withBorder
        p="md"
        component="form"
        onSubmit={(ev: React.FormEvent) => {
          ev.preventDefault();
          void list
            .run('POST', '/api/admin/competences', { userId: form.userId, kind: form.kind, category: form.category || undefined, title: form.title, validUntil: form.validUntil || undefined })
            .then((ok) => ok && setForm({ ...form, title: '', validUntil: '' }));
        }}
      >
        <Title order={3} size="h4" mb="sm">
          {t('admin.newRecord')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <NativeSelect label={t('admin.person')} required value={form.userId} onChange={(x) => setForm({ ...form, userId: x.currentTarget.value })} error={e.userId} data={[{ value: '', label: t('form.choose') }, ...staff.map((s) => ({ value: s.id, label: s.name }))]} data-testid="competence-user" />
          <NativeSelect label={t('admin.kind')} value={form.kind} onChange={(x) => setForm({ ...form, kind: x.currentTarget.value })} data={['authorisation', 'training'].map((k) => ({ value: k, label: t(`admin.kindValue.${k}`) }))} />
          <NativeSelect label={t('field.category')} value={form.category} onChange={(x) => setForm({ ...form, category: x.currentTarget.value })} error={e.category} data={[{ value: '', label: t('form.none') }, ...categoryOptions(catalogue)]} data-testid="competence-category" />
          <TextInput label={t('input.title')} required value={form.title} onChange={(x) => setForm({ ...form, title: x.currentTarget.value })} error={e.title} />
          <TextInput type="date" label={t('admin.validUntil')} value={form.validUntil} onChange={(x) => setForm({ ...form, validUntil: x.currentTarget.value })} error={e.validUntil} />
        </SimpleGrid>
        <Group mt="sm">
          <Button type="submit" loading={list.busy}>
            {t('common.add')}
          </Button>
        </Group>
      </Paper>
    </Stack>
  );
}

interface Declaration {
  id: string;
  userName: string;
  relationship: string;
  byComplaint: boolean;
  email: string | null;
  createdAt: string;
}

/** Declared relationships with complainants (OBJ-1): assignment to the declarant is blocked. */
export function DeclarationsAdmin() {
  const t = useT();
  const f = useFormat();
  const staff = useStaff();
  const list = useAdminList<{ items: Declaration[] }>('/api/workspace/declarations');
  const [form, setForm] = useState({ userId: '', reference: '', email: '', relationship: '' });
  const e = list.fieldErrors;
  return (
    <Stack>
      {list.error && (
        <Alert color="red" role="alert">
          {list.error.problem.errors ? t('form.fixFields') : problemText(t, list.error)}
        </Alert>
      )}
      <Table fz="sm" data-testid="declarations">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.person')}</Table.Th>
            <Table.Th>{t('admin.relationship')}</Table.Th>
            <Table.Th>{t('admin.who')}</Table.Th>
            <Table.Th>{t('admin.declaredOn')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(list.data?.items ?? []).map((d) => (
            <Table.Tr key={d.id}>
              <Table.Td>{d.userName}</Table.Td>
              <Table.Td>{d.relationship}</Table.Td>
              <Table.Td>{d.email ?? (d.byComplaint ? t('admin.byComplaint') : '—')}</Table.Td>
              <Table.Td>{f.date(d.createdAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Paper
        withBorder
        p="md"
        component="form"
        onSubmit={(ev: React.FormEvent) => {
          ev.preventDefault();
          void list
            .run('POST', '/api/workspace/declarations', { userId: form.userId || undefined, reference: form.reference || undefined, email: form.email || undefined, relationship: form.relationship })
            .then((ok) => ok && setForm({ userId: '', reference: '', email: '', relationship: '' }));
        }}
      >
        <Title order={3} size="h4" mb="sm">
          {t('admin.newDeclaration')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 4 }}>
          <NativeSelect label={t('admin.person')} value={form.userId} onChange={(x) => setForm({ ...form, userId: x.currentTarget.value })} data={[{ value: '', label: t('admin.myself') }, ...staff.map((s) => ({ value: s.id, label: s.name }))]} />
          <TextInput label={t('field.reference')} value={form.reference} onChange={(x) => setForm({ ...form, reference: x.currentTarget.value })} error={e.reference} dir="ltr" />
          <TextInput label={t('intake.email')} type="email" value={form.email} onChange={(x) => setForm({ ...form, email: x.currentTarget.value })} error={e.email} dir="ltr" />
          <TextInput label={t('admin.relationship')} required value={form.relationship} onChange={(x) => setForm({ ...form, relationship: x.currentTarget.value })} error={e.relationship} />
        </SimpleGrid>
        <Group mt="sm">
          <Button type="submit" loading={list.busy}>
            {t('admin.declare')}
          </Button>
        </Group>
      </Paper>
    </Stack>
  );
}
