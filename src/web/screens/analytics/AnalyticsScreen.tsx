import {
  Alert,
  Button,
  Center,
  Group,
  Loader,
  NativeSelect,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import i18next from 'i18next';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ApiError } from '../../app/api.ts';
import { query } from '../../app/api.ts';
import { categoryOptions, useCatalogue } from '../../app/data.ts';
import { setSearch, useLocation } from '../../app/router.tsx';
import { can, useSession } from '../../app/session.tsx';
import {
  directionOf,
  intlLocales,
  useFeatureMessages,
  useFormat,
  useLanguage,
  useT,
  type Translate,
} from '../../i18n/i18n.tsx';
import { problemText } from '../../ui/problems.ts';
import { channels, feedbackTypes } from '../queues/queues.ts';
import { ChartCard, type TableData } from './ChartCard.tsx';
import {
  apiParams,
  backlogBands,
  bases,
  controlMetrics,
  controlPeriod,
  fromSearch,
  groupBys,
  isEmpty,
  localDate,
  periodLabel,
  periods,
  presetRange,
  rangePresets,
  toSearch,
  type ControlChart,
  type Filters,
  type KpiReport,
  type Kpis,
  type Pareto,
  type RangePreset,
} from './model.ts';
import { colours, xyChart, type Ctx } from './options.ts';
import { useReport } from './useReport.ts';

/** The dashboard (IMP-1, IMP-2): KPI tiles, trends, Paretos and a control chart, each chart with its table and CSV. */
export default function AnalyticsScreen() {
  const ready = useFeatureMessages('analytics');
  const t = useT();
  const { me } = useSession();
  if (!ready)
    return (
      <Center h="50vh">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  if (!can.analyse(me))
    return (
      <Stack>
        <Title order={2}>{t('analytics.title')}</Title>
        <Alert color="red" role="alert" data-testid="analytics-not-allowed">
          {t('analytics.notAllowed')}
        </Alert>
      </Stack>
    );
  return <Dashboard />;
}

/** Number formats of the user's language. */
function useNumbers() {
  const { lang } = useLanguage();
  return useMemo(() => {
    const locale = intlLocales[lang];
    const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    const dec = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    const money = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
    const nil = '—';
    return {
      locale,
      int: (n: number | null | undefined) => (n === null || n === undefined ? nil : int.format(n)),
      dec: (n: number | null | undefined) => (n === null || n === undefined ? nil : dec.format(n)),
      money: (n: number | null | undefined) => (n === null || n === undefined ? nil : money.format(n)),
      /** A ratio 0..1 as a percentage. */
      percent: (r: number | null | undefined) => (r === null || r === undefined ? nil : percent.format(r)),
    };
  }, [lang]);
}
type Numbers = ReturnType<typeof useNumbers>;

/** The share of deadlines met (from the counts, whatever scale `pct` uses). */
const targetRatio = (k: Kpis): number | null =>
  k.withinTarget.due > 0 ? k.withinTarget.met / k.withinTarget.due : null;

function Dashboard() {
  const t = useT();
  const { lang } = useLanguage();
  const fmt = useFormat();
  const num = useNumbers();
  const loc = useLocation();
  const today = localDate(new Date());
  const [filters, setFilters] = useState<Filters>(() => fromSearch(loc.search, today));
  const rtl = directionOf(lang) === 'rtl';
  // Back/forward, or the nav link opened again: the address is the truth (our own changes replace it silently).
  const address = loc.search.toString();
  useEffect(() => {
    setFilters(fromSearch(new URLSearchParams(address), localDate(new Date())));
  }, [address]);

  const apply = (next: Filters) => {
    setFilters(next);
    setSearch(toSearch(next, new URLSearchParams(location.search)));
  };

  const params = apiParams(filters);
  const byPeriodPath = `/api/analytics/kpis${query({ ...params, groupBy: 'period', period: filters.period })}`;
  const byGroupPath =
    filters.groupBy === 'period'
      ? null
      : `/api/analytics/kpis${query({ ...params, groupBy: filters.groupBy, period: filters.period })}`;
  const byPeriod = useReport<KpiReport>(byPeriodPath);
  const byGroup = useReport<KpiReport>(byGroupPath);
  const paretoCategories = useReport<Pareto>(
    `/api/analytics/pareto${query({ ...params, dimension: 'category' })}`,
  );
  const paretoCauses = useReport<Pareto>(
    `/api/analytics/pareto${query({ ...params, dimension: 'root_cause' })}`,
  );
  const control = useReport<ControlChart>(
    `/api/analytics/control-chart${query({ ...params, metric: filters.metric, period: controlPeriod(filters.period) })}`,
  );

  const ctx: Ctx = { rtl, number: (n) => num.dec(n), percent: (r) => num.percent(r) };
  const report = byPeriod.data;
  const exportHref = (format: 'csv' | 'xlsx') =>
    `/api/analytics/kpis${query({ ...params, groupBy: filters.groupBy, period: filters.period, format, lang })}`;

  let body: ReactNode;
  if (byPeriod.error) {
    body = (
      <Alert color="red" role="alert" data-testid="analytics-error" title={t('analytics.errorTitle')}>
        {errorText(t, byPeriod.error)}
      </Alert>
    );
  } else if (!report) {
    body = (
      <Center h="30vh">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  } else if (isEmpty(report.totals)) {
    body = (
      <Paper withBorder p="xl" data-testid="analytics-empty">
        <Stack align="center" gap="xs">
          <Title order={3} size="h4">
            {t('analytics.empty.title')}
          </Title>
          <Text c="dimmed" ta="center">
            {t('analytics.empty.hint')}
          </Text>
          {filters.range !== 'last12m' ||
          Object.values(apiParams({ ...filters, from: '', to: '' })).some(Boolean) ? (
            <Button variant="light" onClick={() => apply(fromSearch(new URLSearchParams(), today))}>
              {t('analytics.filters.reset')}
            </Button>
          ) : null}
        </Stack>
      </Paper>
    );
  } else {
    body = (
      <Stack gap="lg">
        <Tiles
          k={report.totals}
          num={num}
          basis={filters.basis}
          onBasis={(basis) => apply({ ...filters, basis })}
        />
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
          <Trends report={report} ctx={ctx} num={num} />
          <Breaches report={report} ctx={ctx} num={num} />
          <Satisfaction report={report} ctx={ctx} num={num} />
          <Backlog k={report.totals} ctx={ctx} num={num} />
        </SimpleGrid>
        {filters.groupBy !== 'period' && (
          <Breakdown loaded={byGroup} groupBy={filters.groupBy} ctx={ctx} num={num} />
        )}
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
          <ParetoCard id="pareto-category" loaded={paretoCategories} ctx={ctx} num={num} />
          <ParetoCard id="pareto-root-cause" loaded={paretoCauses} ctx={ctx} num={num} />
        </SimpleGrid>
        <ControlCard
          loaded={control}
          ctx={ctx}
          num={num}
          metric={filters.metric}
          period={controlPeriod(filters.period)}
          onMetric={(metric) => apply({ ...filters, metric })}
        />
      </Stack>
    );
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" align="end" wrap="wrap">
        <Stack gap={2}>
          <Title order={2}>{t('analytics.title')}</Title>
          <Text size="sm" c="dimmed" data-testid="analytics-range">
            {t('analytics.range', {
              when: `${fmt.date(filters.from)} – ${fmt.date(filters.to)}`,
              name: report?.timeZone ?? '—',
            })}
          </Text>
        </Stack>
        <Group gap="xs" aria-live="polite">
          {(byPeriod.loading || byGroup.loading) && report && (
            <Loader size="xs" aria-label={t('analytics.updating')} />
          )}
          <Button
            component="a"
            href={exportHref('csv')}
            download
            variant="default"
            size="xs"
            data-testid="kpis-csv"
          >
            {t('analytics.exportCsv')}
          </Button>
          <Button
            component="a"
            href={exportHref('xlsx')}
            download
            variant="default"
            size="xs"
            data-testid="kpis-xlsx"
          >
            {t('analytics.exportXlsx')}
          </Button>
        </Group>
      </Group>
      <FilterBar value={filters} onChange={apply} today={today} />
      {body}
    </Stack>
  );
}

function errorText(t: Translate, e: ApiError): string {
  if (e.status === 404) return t('analytics.unavailable');
  if (e.status === 403) return t('analytics.notAllowed');
  return problemText(t, e);
}

/* ------------------------------------------------------------------ filters */

function FilterBar(props: { value: Filters; onChange: (f: Filters) => void; today: string }) {
  const t = useT();
  const catalogue = useCatalogue();
  const f = props.value;
  const [dateError, setDateError] = useState<string | null>(null);
  const any = [{ value: '', label: t('analytics.filters.any') }];
  const set = (patch: Partial<Filters>) => props.onChange({ ...f, ...patch });
  const setDate = (which: 'from' | 'to', v: string) => {
    const next = { ...f, [which]: v };
    if (!v) return setDateError(t('analytics.filters.dateRequired'));
    if (next.from > next.to) return setDateError(t('analytics.filters.dateOrder'));
    setDateError(null);
    props.onChange({ ...next, range: 'custom' });
  };
  return (
    <Paper
      withBorder
      p="sm"
      component="form"
      aria-label={t('analytics.filters.label')}
      onSubmit={(e) => e.preventDefault()}
    >
      <SimpleGrid cols={{ base: 1, xs: 2, sm: 3, lg: 6 }} spacing="sm">
        <NativeSelect
          label={t('analytics.filters.range')}
          value={f.range}
          data-testid="filter-range"
          onChange={(e) => {
            const v = e.currentTarget.value as RangePreset | 'custom';
            if (v === 'custom') return set({ range: 'custom' });
            setDateError(null);
            set({ range: v, ...presetRange(v, props.today) });
          }}
          data={[
            ...rangePresets.map((p) => ({ value: p, label: t(`analytics.preset.${p}`) })),
            { value: 'custom', label: t('analytics.preset.custom') },
          ]}
        />
        <TextInput
          type="date"
          label={t('analytics.filters.from')}
          value={f.from}
          max={f.to}
          data-testid="filter-from"
          onChange={(e) => setDate('from', e.currentTarget.value)}
          error={dateError ?? undefined}
        />
        <TextInput
          type="date"
          label={t('analytics.filters.to')}
          value={f.to}
          min={f.from}
          data-testid="filter-to"
          onChange={(e) => setDate('to', e.currentTarget.value)}
        />
        <NativeSelect
          label={t('analytics.filters.period')}
          value={f.period}
          data-testid="filter-period"
          onChange={(e) => set({ period: e.currentTarget.value as Filters['period'] })}
          data={periods.map((p) => ({ value: p, label: t(`analytics.period.${p}`) }))}
        />
        <NativeSelect
          label={t('analytics.filters.groupBy')}
          value={f.groupBy}
          data-testid="filter-groupBy"
          onChange={(e) => set({ groupBy: e.currentTarget.value as Filters['groupBy'] })}
          data={groupBys.map((g) => ({ value: g, label: t(`analytics.groupBy.${g}`) }))}
        />
        <NativeSelect
          label={t('field.category')}
          value={f.category}
          data-testid="filter-category"
          onChange={(e) => set({ category: e.currentTarget.value })}
          data={[...any, ...categoryOptions(catalogue)]}
        />
        <NativeSelect
          label={t('analytics.filters.product')}
          value={f.product}
          data-testid="filter-product"
          onChange={(e) => set({ product: e.currentTarget.value })}
          data={[...any, ...(catalogue?.products ?? []).map((p) => ({ value: p.key, label: p.name }))]}
        />
        <NativeSelect
          label={t('field.channel')}
          value={f.channel}
          data-testid="filter-channel"
          onChange={(e) => set({ channel: e.currentTarget.value })}
          data={[...any, ...channels.map((c) => ({ value: c, label: t(`enum.channel.${c}`) }))]}
        />
        <NativeSelect
          label={t('field.team')}
          value={f.team}
          data-testid="filter-team"
          onChange={(e) => set({ team: e.currentTarget.value })}
          data={[...any, ...(catalogue?.teams ?? []).map((x) => ({ value: x.key, label: x.name }))]}
        />
        <NativeSelect
          label={t('field.type')}
          value={f.type}
          data-testid="filter-type"
          onChange={(e) => set({ type: e.currentTarget.value })}
          data={[...any, ...feedbackTypes.map((v) => ({ value: v, label: t(`enum.type.${v}`) }))]}
        />
      </SimpleGrid>
      <Group mt="sm" gap="xs">
        <Button
          variant="default"
          size="xs"
          data-testid="filter-reset"
          onClick={() => {
            setDateError(null);
            props.onChange({
              ...fromSearch(new URLSearchParams(), props.today),
              basis: f.basis,
              metric: f.metric,
            });
          }}
        >
          {t('analytics.filters.reset')}
        </Button>
      </Group>
    </Paper>
  );
}

/* ------------------------------------------------------------------ tiles */

function Tile(props: {
  id: string;
  label: string;
  value: string;
  raw?: number | null;
  children?: ReactNode;
}) {
  return (
    <Paper withBorder p="sm" data-testid={`kpi-${props.id}`} data-value={props.raw ?? ''}>
      <Text size="sm" c="dimmed" component="h3" fw={600} m={0}>
        {props.label}
      </Text>
      <Text fz={26} fw={700} lh={1.3} data-testid={`kpi-${props.id}-value`}>
        {props.value}
      </Text>
      {props.children}
    </Paper>
  );
}
const Sub = (props: { children: ReactNode; testId?: string }) => (
  <Text size="xs" c="dimmed" data-testid={props.testId}>
    {props.children}
  </Text>
);

function Tiles(props: {
  k: Kpis;
  num: Numbers;
  basis: Filters['basis'];
  onBasis: (b: Filters['basis']) => void;
}) {
  const t = useT();
  const { k, num } = props;
  const business = props.basis === 'business';
  const ack = business
    ? { median: k.acknowledge.medianBusinessHours, p90: k.acknowledge.p90BusinessHours }
    : { median: k.acknowledge.medianHours, p90: k.acknowledge.p90Hours };
  const res = business
    ? { median: k.resolve.medianBusinessDays, p90: k.resolve.p90BusinessDays }
    : { median: k.resolve.medianDays, p90: k.resolve.p90Days };
  const hours = (n: number | null) => (n === null ? '—' : t('analytics.unit.hours', { n: num.dec(n) }));
  const days = (n: number | null) => (n === null ? '—' : t('analytics.unit.days', { n: num.dec(n) }));
  const ratio = targetRatio(k);
  return (
    <Stack gap="sm" component="section" aria-labelledby="kpi-heading">
      <Group justify="space-between" align="center">
        <Title order={3} size="h4" id="kpi-heading">
          {t('analytics.kpis')}
        </Title>
        <Group gap="xs">
          <Text size="sm" id="basis-label">
            {t('analytics.basis.label')}
          </Text>
          <SegmentedControl
            size="xs"
            aria-labelledby="basis-label"
            value={props.basis}
            onChange={(v) => props.onBasis(v)}
            data={bases.map((b) => ({ value: b, label: t(`analytics.basis.${b}`) }))}
            data-testid="basis"
          />
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, xs: 2, sm: 3, lg: 4, xl: 6 }} spacing="sm">
        <Tile id="received" label={t('analytics.kpi.received')} value={num.int(k.received)} raw={k.received}>
          <Sub testId="kpi-closed">{t('analytics.kpi.closedSub', { n: num.int(k.closed) })}</Sub>
        </Tile>
        <Tile id="open" label={t('analytics.kpi.open')} value={num.int(k.open)} raw={k.open}>
          <Sub>{t('analytics.kpi.openSub')}</Sub>
        </Tile>
        <Tile id="ack" label={t('analytics.kpi.acknowledge')} value={hours(ack.median)} raw={ack.median}>
          <Sub>{t('analytics.kpi.median')}</Sub>
          <Sub testId="kpi-ack-p90">{t('analytics.kpi.p90', { n: hours(ack.p90) })}</Sub>
        </Tile>
        <Tile id="resolve" label={t('analytics.kpi.resolve')} value={days(res.median)} raw={res.median}>
          <Sub>{t('analytics.kpi.median')}</Sub>
          <Sub testId="kpi-resolve-p90">{t('analytics.kpi.p90', { n: days(res.p90) })}</Sub>
        </Tile>
        <Tile
          id="within-target"
          label={t('analytics.kpi.withinTarget')}
          value={num.percent(ratio)}
          raw={ratio}
        >
          <Sub>
            {t('analytics.kpi.withinTargetSub', {
              n: num.int(k.withinTarget.met),
              count: k.withinTarget.due,
            })}
          </Sub>
        </Tile>
        <Tile
          id="breaches"
          label={t('analytics.kpi.breaches')}
          value={num.int(k.breaches)}
          raw={k.breaches}
        />
        <Tile
          id="uphold"
          label={t('analytics.kpi.upholdRate')}
          value={num.percent(k.upholdRate)}
          raw={k.upholdRate}
        />
        <Tile
          id="reopen"
          label={t('analytics.kpi.reopenRate')}
          value={num.percent(k.reopenRate)}
          raw={k.reopenRate}
        />
        <Tile
          id="escalation"
          label={t('analytics.kpi.escalationRate')}
          value={num.percent(k.escalationRate)}
          raw={k.escalationRate}
        />
        <Tile
          id="redress"
          label={t('analytics.kpi.redressPaid')}
          value={num.money(k.redressPaid)}
          raw={k.redressPaid}
        />
        <Tile
          id="satisfaction"
          label={t('analytics.kpi.satisfaction')}
          value={
            k.satisfaction.mean === null
              ? '—'
              : t('analytics.unit.outOf5', { n: num.dec(k.satisfaction.mean) })
          }
          raw={k.satisfaction.mean}
        >
          <Sub>{t('analytics.kpi.responses', { count: k.satisfaction.responses })}</Sub>
        </Tile>
        <Tile
          id="per-1000"
          label={t('analytics.kpi.per1000')}
          value={num.dec(k.per1000Customers)}
          raw={k.per1000Customers}
        >
          <Sub>
            {k.customers === null
              ? t('analytics.kpi.noCustomers')
              : t('analytics.kpi.customers', { n: num.int(k.customers) })}
          </Sub>
        </Tile>
      </SimpleGrid>
    </Stack>
  );
}

/* ------------------------------------------------------------------ charts */

interface CardProps {
  ctx: Ctx;
  num: Numbers;
}

function usePeriodLabels(report: KpiReport) {
  const num = useNumbers();
  return report.groups.map((g) => periodLabel(g.key, report.period, num.locale, g.label || g.key));
}

function Trends(props: CardProps & { report: KpiReport }) {
  const t = useT();
  const { report, num } = props;
  const labels = usePeriodLabels(report);
  const received = report.groups.map((g) => g.kpis.received);
  const closed = report.groups.map((g) => g.kpis.closed);
  const top = received.length ? received.indexOf(Math.max(...received)) : -1;
  const table: TableData = {
    header: [
      t('analytics.col.period'),
      t('analytics.series.received'),
      t('analytics.series.closed'),
      t('analytics.series.open'),
    ],
    keys: report.groups.map((g) => g.key),
    rows: report.groups.map((g, i) => [
      labels[i],
      num.int(g.kpis.received),
      num.int(g.kpis.closed),
      num.int(g.kpis.open),
    ]),
    raw: report.groups.map((g) => [g.key, g.kpis.received, g.kpis.closed, g.kpis.open]),
  };
  return (
    <ChartCard
      id="trend"
      title={t('analytics.chart.trend')}
      summary={t('analytics.summary.trend', {
        count: labels.length,
        n: top >= 0 ? num.int(received[top]) : '—',
        name: top >= 0 ? labels[top] : '—',
      })}
      option={xyChart(props.ctx, labels, [
        { name: t('analytics.series.received'), kind: 'line', data: received, colour: colours.blue },
        {
          name: t('analytics.series.closed'),
          kind: 'line',
          data: closed,
          colour: colours.orange,
          dashed: true,
          symbol: 'rect',
        },
      ])}
      table={table}
    />
  );
}

function Breaches(props: CardProps & { report: KpiReport }) {
  const t = useT();
  const { report, num } = props;
  const labels = usePeriodLabels(report);
  const ratios = report.groups.map((g) => targetRatio(g.kpis));
  const table: TableData = {
    header: [t('analytics.col.period'), t('analytics.series.breaches'), t('analytics.series.withinTarget')],
    keys: report.groups.map((g) => g.key),
    rows: report.groups.map((g, i) => [labels[i], num.int(g.kpis.breaches), num.percent(ratios[i])]),
    raw: report.groups.map((g, i) => [
      g.key,
      g.kpis.breaches,
      ratios[i] === null ? null : Math.round(ratios[i]! * 1000) / 10,
    ]),
  };
  return (
    <ChartCard
      id="breaches"
      title={t('analytics.chart.breaches')}
      summary={t('analytics.summary.breaches', {
        n: num.int(report.totals.breaches),
        name: num.percent(targetRatio(report.totals)),
      })}
      option={xyChart(
        props.ctx,
        labels,
        [
          {
            name: t('analytics.series.breaches'),
            kind: 'bar',
            data: report.groups.map((g) => g.kpis.breaches),
            colour: colours.red,
          },
          {
            name: t('analytics.series.withinTarget'),
            kind: 'line',
            data: ratios.map((r) => (r === null ? null : Math.round(r * 1000) / 10)),
            colour: colours.green,
            secondAxis: true,
            symbol: 'diamond',
          },
        ],
        { secondAxisPercent: true },
      )}
      table={table}
    />
  );
}

function Satisfaction(props: CardProps & { report: KpiReport }) {
  const t = useT();
  const { report, num } = props;
  const labels = usePeriodLabels(report);
  const table: TableData = {
    header: [t('analytics.col.period'), t('analytics.col.responses'), t('analytics.series.satisfaction')],
    keys: report.groups.map((g) => g.key),
    rows: report.groups.map((g, i) => [
      labels[i],
      num.int(g.kpis.satisfaction.responses),
      num.dec(g.kpis.satisfaction.mean),
    ]),
    raw: report.groups.map((g) => [g.key, g.kpis.satisfaction.responses, g.kpis.satisfaction.mean]),
  };
  if (report.totals.satisfaction.responses === 0)
    return (
      <Paper
        withBorder
        p="md"
        component="section"
        aria-label={t('analytics.chart.satisfaction')}
        data-testid="card-satisfaction"
      >
        <Title order={3} size="h4" mb="sm">
          {t('analytics.chart.satisfaction')}
        </Title>
        <Text c="dimmed" data-testid="empty-satisfaction">
          {t('analytics.empty.satisfaction')}
        </Text>
      </Paper>
    );
  return (
    <ChartCard
      id="satisfaction"
      title={t('analytics.chart.satisfaction')}
      summary={t('analytics.summary.satisfaction', {
        n: num.dec(report.totals.satisfaction.mean),
        count: report.totals.satisfaction.responses,
      })}
      option={xyChart(
        props.ctx,
        labels,
        [
          {
            name: t('analytics.series.satisfaction'),
            kind: 'line',
            data: report.groups.map((g) => g.kpis.satisfaction.mean),
            colour: colours.violet,
          },
        ],
        { min: 1, max: 5 },
      )}
      table={table}
    />
  );
}

function Backlog(props: CardProps & { k: Kpis }) {
  const t = useT();
  const { k, num } = props;
  const labels = backlogBands.map((b) => t(`analytics.band.${b.replace('+', 'plus')}`));
  const values = backlogBands.map((b) => k.backlog[b] ?? 0);
  return (
    <ChartCard
      id="backlog"
      title={t('analytics.chart.backlog')}
      summary={t('analytics.summary.backlog', {
        n: num.int(k.open),
        list: labels.map((l, i) => `${l}: ${num.int(values[i])}`).join(', '),
      })}
      option={xyChart(props.ctx, labels, [
        { name: t('analytics.series.open'), kind: 'bar', data: values, colour: colours.blue },
      ])}
      table={{
        header: [t('analytics.col.age'), t('analytics.series.open')],
        keys: [...backlogBands],
        rows: labels.map((l, i) => [l, num.int(values[i])]),
        raw: backlogBands.map((b, i) => [b, values[i]]),
      }}
    />
  );
}

function groupName(t: Translate, locale: string, groupBy: string, key: string, label: string): string {
  if (key === 'none' || key === '') return t('analytics.none');
  if (groupBy === 'channel') return t(`enum.channel.${key}`);
  if (groupBy === 'language') {
    try {
      return new Intl.DisplayNames(locale, { type: 'language' }).of(key) ?? label;
    } catch {
      return label || key;
    }
  }
  return label || key;
}

function Breakdown(
  props: CardProps & { loaded: ReturnType<typeof useReport<KpiReport>>; groupBy: Filters['groupBy'] },
) {
  const t = useT();
  const { num } = props;
  const dimension = t(`analytics.groupBy.${props.groupBy}`);
  const title = t(`analytics.by.${props.groupBy}`);
  const r = props.loaded.data;
  // Another grouping's report (still shown while this one loads) would be mislabelled: wait for this one.
  if (!r || r.groupBy !== props.groupBy) return <Pending title={title} loaded={props.loaded} />;
  const labels = r.groups.map((g) => groupName(t, num.locale, props.groupBy, g.key, g.label));
  const top = [...r.groups.keys()]
    .sort((a, b) => r.groups[b]!.kpis.received - r.groups[a]!.kpis.received)
    .slice(0, 3)
    .map((i) => `${labels[i]} (${num.int(r.groups[i]!.kpis.received)})`);
  const table: TableData = {
    header: [
      dimension,
      t('analytics.series.received'),
      t('analytics.series.closed'),
      t('analytics.series.open'),
      t('analytics.series.breaches'),
      t('analytics.series.withinTarget'),
      t('analytics.kpi.upholdRate'),
      t('analytics.col.medianResolve'),
    ],
    keys: r.groups.map((g) => g.key),
    rows: r.groups.map((g, i) => [
      labels[i],
      num.int(g.kpis.received),
      num.int(g.kpis.closed),
      num.int(g.kpis.open),
      num.int(g.kpis.breaches),
      num.percent(targetRatio(g.kpis)),
      num.percent(g.kpis.upholdRate),
      num.dec(g.kpis.resolve.medianDays),
    ]),
    raw: r.groups.map((g, i) => [
      labels[i],
      g.kpis.received,
      g.kpis.closed,
      g.kpis.open,
      g.kpis.breaches,
      targetRatio(g.kpis),
      g.kpis.upholdRate,
      g.kpis.resolve.medianDays,
    ]),
  };
  return (
    <ChartCard
      id="breakdown"
      title={title}
      summary={t('analytics.summary.breakdown', {
        name: title,
        count: labels.length,
        list: top.join(', ') || '—',
      })}
      option={xyChart(
        props.ctx,
        labels,
        [
          {
            name: t('analytics.series.received'),
            kind: 'bar',
            data: r.groups.map((g) => g.kpis.received),
            colour: colours.blue,
          },
          {
            name: t('analytics.series.open'),
            kind: 'bar',
            data: r.groups.map((g) => g.kpis.open),
            colour: colours.orange,
          },
        ],
        { rotate: labels.length > 8 || labels.join('').length > 110 },
      )}
      table={table}
      height={Math.max(300, 260 + (labels.length > 6 ? 60 : 0))}
    />
  );
}

/** A card whose data has not come (yet): loading, or what went wrong. */
function Pending(props: { title: string; loaded: { error: ApiError | null; loading: boolean } }) {
  const t = useT();
  return (
    <Paper withBorder p="md" component="section" aria-label={props.title}>
      <Title order={3} size="h4" mb="sm">
        {props.title}
      </Title>
      {props.loaded.error ? (
        <Alert color="red" role="alert">
          {errorText(t, props.loaded.error)}
        </Alert>
      ) : (
        <Center h={200}>
          <Loader size="sm" aria-label={t('common.loading')} />
        </Center>
      )}
    </Paper>
  );
}

function ParetoCard(
  props: CardProps & {
    id: 'pareto-category' | 'pareto-root-cause';
    loaded: ReturnType<typeof useReport<Pareto>>;
  },
) {
  const t = useT();
  const { num } = props;
  const which = props.id === 'pareto-category' ? 'category' : 'rootCause';
  const title = t(`analytics.chart.pareto.${which}`);
  const p = props.loaded.data;
  if (!p) return <Pending title={title} loaded={props.loaded} />;
  const total = p.items.reduce((s, i) => s + i.count, 0);
  let running = 0;
  const rows = p.items.map((i) => {
    running += i.count;
    return {
      key: i.key,
      label: i.key === 'none' || !i.key ? t('analytics.none') : i.label || i.key,
      count: i.count,
      share: total ? i.count / total : 0,
      cumulative: total ? running / total : 0,
    };
  });
  const vital = rows.findIndex((r) => r.cumulative >= 0.8) + 1;
  if (rows.length === 0)
    return (
      <Paper withBorder p="md" component="section" aria-label={title} data-testid={`card-${props.id}`}>
        <Title order={3} size="h4" mb="sm">
          {title}
        </Title>
        <Text c="dimmed" data-testid={`empty-${props.id}`}>
          {t(`analytics.empty.pareto.${which}`)}
        </Text>
      </Paper>
    );
  return (
    <ChartCard
      id={props.id}
      title={title}
      summary={t('analytics.summary.pareto', {
        count: rows.length,
        n: num.int(vital),
        list: rows
          .slice(0, Math.max(vital, 1))
          .map((r) => `${r.label} (${num.percent(r.share)})`)
          .join(', '),
      })}
      option={xyChart(
        props.ctx,
        rows.map((r) => r.label),
        [
          {
            name: t('analytics.series.count'),
            kind: 'bar',
            data: rows.map((r) => r.count),
            colour: colours.blue,
          },
          {
            name: t('analytics.series.cumulative'),
            kind: 'line',
            data: rows.map((r) => Math.round(r.cumulative * 1000) / 10),
            colour: colours.orange,
            secondAxis: true,
            symbol: 'diamond',
          },
        ],
        { secondAxisPercent: true, rotate: rows.length > 4 || rows.map((r) => r.label).join('').length > 48 },
      )}
      table={{
        header: [
          t(`analytics.col.${which}`),
          t('analytics.series.count'),
          t('analytics.col.share'),
          t('analytics.series.cumulative'),
        ],
        keys: rows.map((r) => r.key),
        rows: rows.map((r) => [r.label, num.int(r.count), num.percent(r.share), num.percent(r.cumulative)]),
        raw: rows.map((r) => [
          r.label,
          r.count,
          Math.round(r.share * 1000) / 10,
          Math.round(r.cumulative * 1000) / 10,
        ]),
      }}
    />
  );
}

function ControlCard(
  props: CardProps & {
    loaded: ReturnType<typeof useReport<ControlChart>>;
    metric: Filters['metric'];
    period: 'week' | 'month';
    onMetric: (m: Filters['metric']) => void;
  },
) {
  const t = useT();
  const { num } = props;
  const title = t('analytics.chart.control');
  const picker = (
    <NativeSelect
      size="xs"
      aria-label={t('analytics.control.metric')}
      value={props.metric}
      data-testid="control-metric"
      onChange={(e) => props.onMetric(e.currentTarget.value as Filters['metric'])}
      data={controlMetrics.map((m) => ({ value: m, label: t(`analytics.control.${m}`) }))}
    />
  );
  const c = props.loaded.data;
  if (!c)
    return (
      <Stack gap={4}>
        <Group justify="end">{picker}</Group>
        <Pending title={title} loaded={props.loaded} />
      </Stack>
    );
  const labels = c.points.map((p) => periodLabel(p.period, props.period, num.locale));
  const asPct = (v: number | null) => (v === null ? null : Math.round(v * 10000) / 100);
  const unusual = c.points.flatMap((p, i) => (p.unusual ? [labels[i]!] : []));
  const ruleText = (rule: string | undefined) =>
    rule
      ? i18next.exists(`analytics.control.rule.${rule}`)
        ? t(`analytics.control.rule.${rule}`)
        : rule
      : '';
  const metricName = t(`analytics.control.${props.metric}`);
  const option = xyChart(
    props.ctx,
    labels,
    [
      {
        name: metricName,
        kind: 'line',
        data: c.points.map((p) => asPct(p.value)),
        colour: colours.blue,
      },
      {
        name: t('analytics.control.centre'),
        kind: 'line',
        data: c.points.map(() => asPct(c.centre)),
        colour: colours.grey,
        symbol: 'none',
      },
      {
        name: t('analytics.control.ucl'),
        kind: 'line',
        data: c.points.map((p) => asPct(p.ucl)),
        colour: colours.red,
        dashed: true,
        step: true,
        symbol: 'none',
      },
      {
        name: t('analytics.control.lcl'),
        kind: 'line',
        data: c.points.map((p) => asPct(p.lcl)),
        colour: colours.red,
        dashed: true,
        step: true,
        symbol: 'none',
      },
    ],
    { firstAxisPercent: true },
  );
  // Unusual periods: a red triangle with a "!" label (not colour alone).
  const first = (option.series as Array<Record<string, unknown>>)[0]!;
  first.data = c.points.map((p, i) =>
    p.unusual
      ? {
          value: asPct(p.value),
          symbol: 'triangle',
          symbolSize: 16,
          itemStyle: { color: colours.red },
          label: {
            show: true,
            position: 'top',
            formatter: '!',
            color: colours.red,
            fontWeight: 'bold',
            fontSize: 16,
          },
          name: labels[i],
        }
      : asPct(p.value),
  );
  return (
    <ChartCard
      id="control"
      title={title}
      controls={picker}
      note={
        <Text size="sm" c="dimmed">
          {t('analytics.control.note', { name: c.chart === 'u' ? 'u' : 'p' })}
        </Text>
      }
      summary={t('analytics.summary.control', {
        name: metricName,
        n: c.centre === null ? '—' : num.percent(c.centre),
        count: unusual.length,
        list: unusual.join(', '),
      })}
      option={option}
      height={320}
      table={{
        header: [
          t('analytics.col.period'),
          t('analytics.control.n'),
          t('analytics.control.x'),
          metricName,
          t('analytics.control.lcl'),
          t('analytics.control.ucl'),
          t('analytics.control.unusual'),
        ],
        keys: c.points.map((p) => p.period),
        rows: c.points.map((p, i) => [
          labels[i],
          num.int(p.n),
          num.int(p.x),
          num.percent(p.value),
          num.percent(p.lcl),
          num.percent(p.ucl),
          p.unusual ? (
            <Text span c="red.9" fw={700} size="sm">
              {`! ${t('common.yes')}`} {ruleText(p.rule)}
            </Text>
          ) : (
            t('common.no')
          ),
        ]),
        raw: c.points.map((p) => [
          p.period,
          p.n,
          p.x,
          p.value,
          p.lcl,
          p.ucl,
          p.unusual ? (p.rule ?? 'yes') : '',
        ]),
      }}
    />
  );
}
