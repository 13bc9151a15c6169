import {
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useSession } from '../../app/session.tsx';
import { useLanguage, useT } from '../../i18n/i18n.tsx';
import { resetRootCauses, type RootCause } from './rootCauses.ts';
import { canConfigure, ProblemAlert, useResource } from './shared.tsx';

/** The root-cause taxonomy: read by everyone here, configured by quality and administrators (never deleted once used). */
export function RootCausesTab() {
  const t = useT();
  const { lang } = useLanguage();
  const { me } = useSession();
  const edit = canConfigure(me.role);
  const list = useResource<{ items: RootCause[] }>(`/api/improvement/root-causes?lang=${lang}`);
  const [form, setForm] = useState({ key: '', parent: '', name: '' });
  const items = list.data?.items ?? [];
  const change = async (key: string, body: Record<string, unknown>) => {
    await list.run('PATCH', `/api/improvement/root-causes/${encodeURIComponent(key)}`, body);
    resetRootCauses();
  };
  const add = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await list.run('POST', '/api/improvement/root-causes', {
      key: form.key,
      name: form.name,
      ...(form.parent ? { parent: form.parent } : {}),
    });
    if (ok) {
      resetRootCauses();
      setForm({ key: '', parent: '', name: '' });
    }
  };
  return (
    <Stack>
      <Text size="sm">{t('improvement.rootCauses.intro')}</Text>
      <ProblemAlert error={list.error} />
      <Table fz="sm" data-testid="root-causes" captionSide="top">
        <Table.Caption>{t('improvement.tab.root-causes')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('improvement.field.key')}</Table.Th>
            <Table.Th>{t('improvement.field.label')}</Table.Th>
            <Table.Th>{t('improvement.field.nameEn')}</Table.Th>
            <Table.Th>{t('improvement.field.active')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((x) => (
            <Table.Tr key={x.key}>
              <Table.Td className="ltr-run" style={{ paddingInlineStart: x.parent ? 28 : undefined }}>
                {x.key}
              </Table.Td>
              <Table.Td>{x.label}</Table.Td>
              <Table.Td>
                {edit ? (
                  <TextInput
                    size="xs"
                    aria-label={t('improvement.rootCauses.nameOf', { key: x.key })}
                    defaultValue={x.name}
                    dir="ltr"
                    onBlur={(e) =>
                      e.currentTarget.value.trim() &&
                      e.currentTarget.value !== x.name &&
                      void change(x.key, { name: e.currentTarget.value.trim() })
                    }
                  />
                ) : (
                  x.name
                )}
              </Table.Td>
              <Table.Td>
                <Checkbox
                  aria-label={t('improvement.rootCauses.activeOf', { key: x.key })}
                  checked={x.active}
                  disabled={!edit || list.busy}
                  onChange={(e) => void change(x.key, { active: e.currentTarget.checked })}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {edit && (
        <Paper withBorder p="md" component="form" onSubmit={(e: FormEvent) => void add(e)}>
          <Title order={3} size="h4" mb="sm">
            {t('improvement.rootCauses.add')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label={t('improvement.field.key')}
              required
              value={form.key}
              onChange={(e) => setForm({ ...form, key: e.currentTarget.value })}
              error={list.fieldErrors.key}
              description={t('improvement.rootCauses.keyHint')}
              dir="ltr"
            />
            <NativeSelect
              label={t('improvement.field.parent')}
              value={form.parent}
              onChange={(e) => setForm({ ...form, parent: e.currentTarget.value })}
              error={list.fieldErrors.parent}
              data={[
                { value: '', label: t('improvement.none') },
                ...items.filter((x) => !x.parent).map((x) => ({ value: x.key, label: x.label })),
              ]}
            />
            <TextInput
              label={t('improvement.field.nameEn')}
              required
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
              error={list.fieldErrors.name}
              dir="ltr"
            />
          </SimpleGrid>
          <Group mt="sm">
            <Button type="submit" loading={list.busy}>
              {t('common.add')}
            </Button>
          </Group>
        </Paper>
      )}
    </Stack>
  );
}
