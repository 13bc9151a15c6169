import { Alert, Badge, Button, Group, NativeSelect, Paper, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ApiError, post } from '../../app/api.ts';
import { categoryOptions, useCatalogue, useStaff } from '../../app/data.ts';
import { useT } from '../../i18n/i18n.tsx';
import { problemText } from '../../ui/problems.ts';
import i18next from 'i18next';

interface Result {
  reference: string;
  ok: boolean;
  state?: string;
  code?: string;
  title?: string;
  detail?: string;
}

/** Bulk actions (WORK-4) on the selected complaints: assign or recategorise, with a result per complaint. */
export default function BulkPanel(props: { references: string[]; onDone: () => void }) {
  const t = useT();
  const catalogue = useCatalogue();
  const staff = useStaff();
  const [mode, setMode] = useState<'assign' | 'recategorise'>('assign');
  const [ownerId, setOwnerId] = useState('');
  const [team, setTeam] = useState('');
  const [reason, setReason] = useState('');
  const [category, setCategory] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [results, setResults] = useState<Result[] | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const input =
      mode === 'assign'
        ? { ...(ownerId ? { ownerId } : {}), ...(team ? { team } : {}), ...(reason.trim() ? { reason: reason.trim() } : {}) }
        : { category: category || undefined };
    try {
      const r = await post<{ results: Result[] }>('/api/complaints/bulk', { action: mode, references: props.references, input });
      setResults(r.results);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError({ status: 0 }));
    } finally {
      setBusy(false);
    }
  };
  const errors = error?.fieldErrors() ?? {};

  return (
    <Paper withBorder p="sm" component="section" aria-label={t('bulk.title')} data-testid="bulk-panel">
      <Stack gap="xs">
        <Text fw={600}>{t('bulk.selected', { count: props.references.length })}</Text>
        {results ? (
          <>
            <Table fz="sm" data-testid="bulk-results">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('field.reference')}</Table.Th>
                  <Table.Th>{t('bulk.result')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {results.map((r) => (
                  <Table.Tr key={r.reference} data-ok={r.ok}>
                    <Table.Td className="ltr-run">{r.reference}</Table.Td>
                    <Table.Td>
                      {r.ok ? (
                        <Badge color="#237032">{t('bulk.done', { state: t(`state.${r.state ?? ''}`) })}</Badge>
                      ) : (
                        <Text size="sm" c="red.9">
                          {r.code && i18next.exists(`problem.${r.code}`) ? t(`problem.${r.code}`) : `${r.title ?? ''}: ${r.detail ?? ''}`}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Group>
              <Button onClick={props.onDone} data-testid="bulk-close">
                {t('bulk.finish')}
              </Button>
            </Group>
          </>
        ) : (
          <form onSubmit={(e) => void submit(e)}>
            <Stack gap="xs">
              <SegmentedControl
                value={mode}
                onChange={(v) => setMode(v)}
                data={[
                  { value: 'assign', label: t('bulk.assign') },
                  { value: 'recategorise', label: t('bulk.recategorise') },
                ]}
              />
              {error && (
                <Alert color="red" role="alert">
                  {error.problem.errors ? Object.values(errors).join('; ') : problemText(t, error)}
                </Alert>
              )}
              {mode === 'assign' ? (
                <Group align="end" gap="xs">
                  <NativeSelect
                    label={t('input.ownerId')}
                    value={ownerId}
                    onChange={(e) => setOwnerId(e.currentTarget.value)}
                    data={[{ value: '', label: t('form.unchanged') }, ...staff.filter((s) => s.active && ['handler', 'manager'].includes(s.role)).map((s) => ({ value: s.id, label: s.name }))]}
                    data-testid="bulk-owner"
                  />
                  <NativeSelect label={t('input.team')} value={team} onChange={(e) => setTeam(e.currentTarget.value)} data={[{ value: '', label: t('form.unchanged') }, ...(catalogue?.teams ?? []).map((x) => ({ value: x.key, label: x.name }))]} />
                  <TextInput label={t('input.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
                </Group>
              ) : (
                <NativeSelect label={t('input.category')} value={category} onChange={(e) => setCategory(e.currentTarget.value)} data={[{ value: '', label: t('form.choose') }, ...categoryOptions(catalogue)]} data-testid="bulk-category" />
              )}
              <Group>
                <Button type="submit" loading={busy} data-testid="bulk-submit">
                  {t('bulk.apply', { count: props.references.length })}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Paper>
  );
}
