import { Badge, Button, Group, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { query } from '../../app/api.ts';
import { Link, navigate } from '../../app/router.tsx';
import { useSession } from '../../app/session.tsx';
import { useFormat, useLanguage, useT } from '../../i18n/i18n.tsx';
import { canEditImprovement, ProblemAlert, StatusBadge, useResource } from './shared.tsx';

interface Recurring {
  from: string;
  to: string;
  items: Array<{
    scope: { key: string; name: string };
    rootCause: { key: string; label: string };
    total: number;
    periods: number;
    series: Array<{ period: string; count: number }>;
    actions: Array<{ ref: string; title: string; status: string }>;
    covered: boolean;
  }>;
}

const isoDaysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/** Recurring problems: which (category or product) × root cause combinations keep coming back, and whether anyone acts on them. */
export function RecurringTab() {
  const t = useT();
  const f = useFormat();
  const { lang } = useLanguage();
  const { me } = useSession();
  const [q, setQ] = useState({
    from: isoDaysAgo(365),
    to: isoDaysAgo(0),
    by: 'category',
    minPeriods: '3',
    minCount: '5',
  });
  const data = useResource<Recurring>(`/api/improvement/recurring${query({ ...q, lang })}`);
  const raise = (x: Recurring['items'][number]) =>
    navigate(
      `/improvement/capa${query({ new: '1', rootCause: x.rootCause.key, [q.by]: x.scope.key, title: `${x.scope.name}: ${x.rootCause.label}` })}`,
    );
  return (
    <Stack>
      <Text size="sm">{t('improvement.recurring.intro')}</Text>
      <Group align="end" gap="sm" wrap="wrap">
        <TextInput
          type="date"
          label={t('improvement.field.from')}
          value={q.from}
          onChange={(e) => setQ({ ...q, from: e.currentTarget.value })}
        />
        <TextInput
          type="date"
          label={t('improvement.field.to')}
          value={q.to}
          onChange={(e) => setQ({ ...q, to: e.currentTarget.value })}
        />
        <NativeSelect
          label={t('improvement.recurring.by')}
          value={q.by}
          onChange={(e) => setQ({ ...q, by: e.currentTarget.value })}
          data={[
            { value: 'category', label: t('improvement.field.category') },
            { value: 'product', label: t('improvement.field.product') },
          ]}
        />
        <TextInput
          type="number"
          min={1}
          w={150}
          label={t('improvement.recurring.minPeriods')}
          value={q.minPeriods}
          onChange={(e) => setQ({ ...q, minPeriods: e.currentTarget.value })}
        />
        <TextInput
          type="number"
          min={1}
          w={150}
          label={t('improvement.recurring.minCount')}
          value={q.minCount}
          onChange={(e) => setQ({ ...q, minCount: e.currentTarget.value })}
        />
      </Group>
      <ProblemAlert error={data.error} />
      <Table fz="sm" data-testid="recurring" captionSide="top" striped>
        <Table.Caption>
          {t('improvement.recurring.caption', {
            when: `${f.date(data.data?.from ?? q.from)} – ${f.date(data.data?.to ?? q.to)}`,
          })}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>
              {q.by === 'category' ? t('improvement.field.category') : t('improvement.field.product')}
            </Table.Th>
            <Table.Th>{t('improvement.field.rootCause')}</Table.Th>
            <Table.Th>{t('improvement.recurring.total')}</Table.Th>
            <Table.Th>{t('improvement.recurring.periods')}</Table.Th>
            <Table.Th>{t('improvement.recurring.series')}</Table.Th>
            <Table.Th>{t('improvement.recurring.action')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.data?.items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={6}>{t('improvement.recurring.none')}</Table.Td>
            </Table.Tr>
          )}
          {(data.data?.items ?? []).map((x) => (
            <Table.Tr key={`${x.scope.key}|${x.rootCause.key}`} data-testid="recurring-row">
              <Table.Td>{x.scope.name}</Table.Td>
              <Table.Td>{x.rootCause.label}</Table.Td>
              <Table.Td>{x.total}</Table.Td>
              <Table.Td>{x.periods}</Table.Td>
              <Table.Td className="ltr-run">
                {x.series.map((s) => `${s.period}: ${s.count}`).join(' · ')}
              </Table.Td>
              <Table.Td>
                <Group gap={6} wrap="wrap">
                  {x.actions.map((a) => (
                    <Group key={a.ref} gap={4} wrap="nowrap">
                      <Link to={`/improvement/capa?ref=${a.ref}`}>{a.ref}</Link>
                      <StatusBadge status={a.status} />
                    </Group>
                  ))}
                  {!x.covered && (
                    <Badge color="#a51d1d" autoContrast data-testid="no-action">
                      {t('improvement.recurring.noAction')}
                    </Badge>
                  )}
                  {!x.covered && canEditImprovement(me.role) && (
                    <Button
                      size="xs"
                      variant="light"
                      onClick={() => raise(x)}
                      data-testid="raise-capa"
                      aria-label={t('improvement.recurring.raiseFor', {
                        title: `${x.scope.name} – ${x.rootCause.label}`,
                      })}
                    >
                      {t('improvement.capa.raise')}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
