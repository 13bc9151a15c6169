import { Alert, Button, Checkbox, Group, NativeSelect, Paper, SimpleGrid, Stack, Table, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { languageNames, languages, useT } from '../../i18n/i18n.tsx';
import { problemText } from '../../ui/problems.ts';
import { useAdminList } from './useAdmin.ts';

interface Template {
  id: string;
  key: string;
  language: string;
  name: string;
  body: string;
  active: boolean;
}

const empty = { id: '', key: '', language: 'en', name: '', body: '', active: true };

/** Response templates per language with placeholders (WORK-5). */
export function TemplatesAdmin() {
  const t = useT();
  const list = useAdminList<{ items: Template[] }>('/api/response-templates?all=true');
  const [form, setForm] = useState<Template>(empty);
  const f = list.fieldErrors;
  const save = () =>
    void (form.id
      ? list.run('PUT', `/api/admin/response-templates/${form.id}`, { name: form.name, body: form.body, active: form.active })
      : list.run('POST', '/api/admin/response-templates', { key: form.key, language: form.language, name: form.name, body: form.body })
    ).then((ok) => ok && setForm(empty));
  return (
    <Stack>
      {list.error && (
        <Alert color="red" role="alert">
          {list.error.problem.errors ? t('form.fixFields') : problemText(t, list.error)}
        </Alert>
      )}
      <Table fz="sm" data-testid="templates">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.key')}</Table.Th>
            <Table.Th>{t('layout.language')}</Table.Th>
            <Table.Th>{t('intake.name')}</Table.Th>
            <Table.Th>{t('common.active')}</Table.Th>
            <Table.Th>
              <span className="visually-hidden">{t('common.edit')}</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(list.data?.items ?? []).map((x) => (
            <Table.Tr key={x.id}>
              <Table.Td className="ltr-run">{x.key}</Table.Td>
              <Table.Td>{languageNames[x.language as keyof typeof languageNames] ?? x.language}</Table.Td>
              <Table.Td dir="auto">{x.name}</Table.Td>
              <Table.Td>{x.active ? t('common.yes') : t('common.no')}</Table.Td>
              <Table.Td>
                <Button size="xs" variant="subtle" onClick={() => setForm(x)} aria-label={t('admin.editTemplate', { name: x.name })}>
                  {t('common.edit')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Paper withBorder p="md" component="form" onSubmit={(e: React.FormEvent) => (e.preventDefault(), save())}>
        <Title order={3} size="h4" mb="sm">
          {form.id ? t('admin.editTemplate', { name: form.name }) : t('admin.newTemplate')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label={t('admin.key')} required disabled={!!form.id} value={form.key} onChange={(e) => setForm({ ...form, key: e.currentTarget.value })} error={f.key} />
          <NativeSelect label={t('layout.language')} disabled={!!form.id} value={form.language} onChange={(e) => setForm({ ...form, language: e.currentTarget.value })} data={languages.map((l) => ({ value: l, label: languageNames[l] }))} />
          <TextInput label={t('intake.name')} required value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} error={f.name} dir="auto" />
        </SimpleGrid>
        <Textarea mt="sm" label={t('admin.templateBody')} description={t('admin.templateHint')} required autosize minRows={6} value={form.body} onChange={(e) => setForm({ ...form, body: e.currentTarget.value })} error={f.body} dir="auto" />
        {form.id && <Checkbox mt="sm" label={t('common.active')} checked={form.active} onChange={(e) => setForm({ ...form, active: e.currentTarget.checked })} />}
        <Group mt="sm">
          <Button type="submit" loading={list.busy}>
            {t('common.save')}
          </Button>
          {form.id && (
            <Button variant="default" onClick={() => setForm(empty)}>
              {t('form.cancel')}
            </Button>
          )}
        </Group>
      </Paper>
    </Stack>
  );
}
