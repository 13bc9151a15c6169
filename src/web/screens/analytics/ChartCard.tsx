import { Button, Center, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { lazy, Suspense, useId, useState, type ReactNode } from 'react';
import { useT } from '../../i18n/i18n.tsx';
import type { ChartOption } from './Chart.tsx';
import { fileSlug, toCsv, type Cell } from './model.ts';

const Chart = lazy(() => import('./Chart.tsx'));

export interface TableData {
  header: string[];
  /** What the table shows (formatted in the user's locale). */
  rows: ReactNode[][];
  /** The same rows as plain values, for the CSV download. */
  raw: Cell[][];
  /** Row keys (for tests and React). */
  keys: string[];
}

/** Saves text as a file (built here, from what is shown). */
export function download(name: string, text: string, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A chart with its accessible alternative: a one-sentence summary (the chart's `aria-label`), a "show as table"
 * toggle with the same numbers, and a CSV download of exactly those rows.
 */
export function ChartCard(props: {
  id: string;
  title: string;
  summary: string;
  option: ChartOption;
  table: TableData;
  height?: number;
  controls?: ReactNode;
  note?: ReactNode;
}) {
  const t = useT();
  const [asTable, setAsTable] = useState(false);
  const tableId = useId();
  const headingId = useId();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId} data-testid={`card-${props.id}`}>
      <Stack gap="sm">
        <Group justify="space-between" align="start" wrap="wrap" gap="xs">
          <Title order={3} size="h4" id={headingId}>
            {props.title}
          </Title>
          <Group gap="xs">
            {props.controls}
            <Button
              size="xs"
              variant="outline"
              aria-expanded={asTable}
              aria-controls={tableId}
              onClick={() => setAsTable((v) => !v)}
              data-testid={`table-toggle-${props.id}`}
            >
              {asTable ? t('analytics.hideTable') : t('analytics.showTable')}
            </Button>
            <Button
              size="xs"
              variant="default"
              onClick={() =>
                download(`${fileSlug(props.id)}.csv`, toCsv(props.table.header, props.table.raw))
              }
              data-testid={`csv-${props.id}`}
            >
              {t('analytics.downloadCsv')}
            </Button>
          </Group>
        </Group>
        {props.note}
        <Suspense
          fallback={
            <Center h={props.height ?? 300}>
              <Loader size="sm" aria-label={t('common.loading')} />
            </Center>
          }
        >
          <Chart
            option={props.option}
            label={props.summary}
            height={props.height}
            testId={`chart-${props.id}`}
          />
        </Suspense>
        <div id={tableId} hidden={!asTable}>
          {asTable && (
            <Table.ScrollContainer minWidth={360}>
              <Table striped withTableBorder verticalSpacing={4} data-testid={`table-${props.id}`}>
                <caption className="visually-hidden">{props.title}</caption>
                <Table.Thead>
                  <Table.Tr>
                    {props.table.header.map((h, i) => (
                      <Table.Th key={i} scope="col">
                        {h}
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {props.table.rows.map((r, i) => (
                    <Table.Tr key={props.table.keys[i] ?? i} data-key={props.table.keys[i]}>
                      {r.map((c, j) =>
                        j === 0 ? (
                          <Table.Th key={j} scope="row" fw={500}>
                            {c}
                          </Table.Th>
                        ) : (
                          <Table.Td key={j}>{c}</Table.Td>
                        ),
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {asTable && props.table.rows.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('analytics.noRows')}
            </Text>
          )}
        </div>
      </Stack>
    </Paper>
  );
}
