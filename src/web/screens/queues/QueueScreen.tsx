import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { ApiError, get, query } from '../../app/api.ts';
import { useStaff } from '../../app/data.ts';
import { Link, setSearch, useLocation } from '../../app/router.tsx';
import { can, useSession } from '../../app/session.tsx';
import type { ComplaintSummary, Page } from '../../app/types.ts';
import { useFormat, useT } from '../../i18n/i18n.tsx';
import { Highlight } from '../../ui/Highlight.tsx';
import { problemText } from '../../ui/problems.ts';
import { priorityColor, StateBadge, TimeLeft } from '../../ui/badges.tsx';
import { FilterPanel } from './FilterPanel.tsx';
import { queues, type Filters } from './queues.ts';

export { defaultQueue } from './queues.ts';

const BulkPanel = lazy(() => import('./BulkPanel.tsx'));

/** One queue (or saved view): its filters, the user's own narrowing (kept in the address), search, "load more". */
export function QueueScreen(props: { view: string }) {
  const t = useT();
  const { me } = useSession();
  const loc = useLocation();
  const def = queues.find((q) => q.id === props.view && q.for(me));
  const [own, setOwn] = useState<Filters>(() => fromSearch(loc.search));
  const [draftQ, setDraftQ] = useState((own.q as string | undefined) ?? '');
  const [items, setItems] = useState<ComplaintSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [generation, setGeneration] = useState(0);

  const filters = useMemo(() => ({ ...(def?.filters(me) ?? {}), ...own }), [def, me, own]);
  const path = def?.source === 'approvals' ? '/api/workspace/approvals' : '/api/complaints';

  const load = useCallback(
    async (after: string | null) => {
      setLoading(true);
      setError(null);
      try {
        const page = await get<Page<ComplaintSummary>>(
          `${path}${query({ ...filters, limit: 25, cursor: after ?? undefined })}`,
        );
        setItems((prev) => (after ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
      } catch (e) {
        setError(e instanceof ApiError ? e : new ApiError({ status: 0 }));
      } finally {
        setLoading(false);
      }
    },
    [filters, path],
  );

  useEffect(() => {
    setSelected(new Set());
    void load(null);
  }, [load, generation]);

  const applyOwn = (next: Filters) => {
    const clean = Object.fromEntries(
      Object.entries(next).filter(
        ([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0),
      ),
    );
    setOwn(clean);
    setSearch(toSearch(clean));
  };
  const search = (e: FormEvent) => {
    e.preventDefault();
    applyOwn({ ...own, q: draftQ.trim() || undefined });
  };

  if (!def) {
    return <Alert color="red">{t('queue.unknown')}</Alert>;
  }
  const title = t(`queue.${def.id}`);
  const bulk = can.bulk(me) && def.source !== 'approvals';
  const toggle = (ref: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(ref)) n.delete(ref);
      else n.add(ref);
      return n;
    });

  return (
    <Stack gap="md">
      <Group justify="space-between" align="end">
        <Title order={2}>{title}</Title>
        <form onSubmit={search} role="search" aria-label={t('queue.searchLabel')}>
          <Group gap="xs" align="end">
            <TextInput
              label={t('queue.search')}
              placeholder={t('queue.searchPlaceholder')}
              value={draftQ}
              onChange={(e) => setDraftQ(e.currentTarget.value)}
              name="q"
              data-testid="search"
              w={320}
            />
            <Button type="submit" data-testid="search-submit">
              {t('queue.searchButton')}
            </Button>
          </Group>
        </form>
      </Group>
      <FilterPanel
        base={def.filters(me)}
        value={own}
        onChange={applyOwn}
        viewId={def.id}
        hideFilters={def.source === 'approvals'}
      />
      {def.source !== 'approvals' && (
        <Group gap="xs" justify="flex-end" role="group" aria-label={t('queue.export')}>
          <Text size="sm" c="dimmed" aria-hidden>
            {t('queue.export')}
          </Text>
          {(['csv', 'xlsx'] as const).map((format) => (
            <Button
              key={format}
              component="a"
              variant="default"
              size="xs"
              href={`/api/complaints/export${query({ ...filters, format })}`}
              download
              aria-label={t(format === 'csv' ? 'queue.exportCsv' : 'queue.exportXlsx')}
              data-testid={`export-${format}`}
            >
              {format === 'csv' ? 'CSV' : 'Excel'}
            </Button>
          ))}
        </Group>
      )}
      {error && (
        <Alert color="red" role="alert">
          {problemText(t, error)}
        </Alert>
      )}
      {bulk && selected.size > 0 && (
        <Suspense fallback={<Loader size="sm" />}>
          <BulkPanel references={[...selected]} onDone={() => setGeneration((g) => g + 1)} />
        </Suspense>
      )}
      <ResultTable items={items} showSelect={bulk} selected={selected} onToggle={toggle} caption={title} />
      <Group justify="center" aria-live="polite">
        {loading && <Loader size="sm" aria-label={t('common.loading')} />}
        {!loading && items.length === 0 && !error && <Text c="dimmed">{t('queue.empty')}</Text>}
        {!loading && cursor && (
          <Button variant="light" onClick={() => void load(cursor)} data-testid="load-more">
            {t('queue.loadMore')}
          </Button>
        )}
        {!loading && items.length > 0 && (
          <Text size="sm" c="dimmed" data-testid="count">
            {t('queue.shown', { count: items.length })}
          </Text>
        )}
      </Group>
    </Stack>
  );
}

function ResultTable(props: {
  items: ComplaintSummary[];
  showSelect: boolean;
  selected: Set<string>;
  onToggle: (ref: string) => void;
  caption: string;
}) {
  const t = useT();
  const f = useFormat();
  const staff = useStaff();
  const names = useMemo(() => new Map(staff.map((s) => [s.id, s.name])), [staff]);
  if (props.items.length === 0) return null;
  return (
    <Table.ScrollContainer minWidth={800}>
      <Table striped highlightOnHover verticalSpacing="xs" data-testid="results">
        <VisuallyHidden component="caption">{props.caption}</VisuallyHidden>
        <Table.Thead>
          <Table.Tr>
            {props.showSelect && (
              <Table.Th>
                <VisuallyHidden>{t('bulk.select')}</VisuallyHidden>
              </Table.Th>
            )}
            <Table.Th>{t('field.reference')}</Table.Th>
            <Table.Th>{t('field.summary')}</Table.Th>
            <Table.Th>{t('field.state')}</Table.Th>
            <Table.Th>{t('field.category')}</Table.Th>
            <Table.Th>{t('field.owner')}</Table.Th>
            <Table.Th>{t('field.priority')}</Table.Th>
            <Table.Th>{t('field.receivedAt')}</Table.Th>
            <Table.Th>{t('field.nextDue')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.items.map((c) => (
            <Table.Tr key={c.id} data-reference={c.reference}>
              {props.showSelect && (
                <Table.Td>
                  <Checkbox
                    aria-label={t('bulk.selectOne', { reference: c.reference })}
                    checked={props.selected.has(c.reference)}
                    onChange={() => props.onToggle(c.reference)}
                  />
                </Table.Td>
              )}
              <Table.Td style={nowrap}>
                <Link to={`/complaints/${c.reference}`} className="plain ltr-run">
                  {c.reference}
                </Link>
              </Table.Td>
              <Table.Td maw={420}>
                <Text size="sm" lang={c.language} dir="auto" lineClamp={3}>
                  {c.highlight ? <Highlight snippet={c.highlight} /> : c.summary}
                </Text>
              </Table.Td>
              <Table.Td style={nowrap}>
                <StateBadge state={c.state} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{c.category?.name ?? '—'}</Text>
              </Table.Td>
              <Table.Td style={nowrap}>
                {c.ownerId ? (
                  <Text size="sm">{names.get(c.ownerId) ?? '…'}</Text>
                ) : (
                  <Badge variant="outline" color="#495057">
                    {t('queue.unassignedShort')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                {c.priority ? (
                  <Badge color={priorityColor(c.priority)} autoContrast>
                    {t(`enum.priority.${c.priority}`)}
                  </Badge>
                ) : (
                  '—'
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{f.date(c.receivedAt)}</Text>
              </Table.Td>
              <Table.Td>
                <TimeLeft at={c.closedAt ? null : c.nextDueAt} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

const nowrap = { whiteSpace: 'nowrap' } as const;

function fromSearch(s: URLSearchParams): Filters {
  const out: Filters = {};
  for (const key of new Set(s.keys())) {
    if (key === 'lang') continue;
    const all = s.getAll(key);
    out[key] = key === 'state' ? all : all[0];
  }
  return out;
}

function toSearch(f: Filters): URLSearchParams {
  const s = new URLSearchParams();
  const lang = new URLSearchParams(location.search).get('lang');
  if (lang) s.set('lang', lang);
  for (const [k, v] of Object.entries(f)) {
    if (Array.isArray(v)) v.forEach((x) => s.append(k, x));
    else if (v !== undefined) s.set(k, v);
  }
  return s;
}
