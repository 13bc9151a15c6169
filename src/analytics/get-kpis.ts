/**
 * The KPIs of the dashboard (SPEC IMP-1) over `analytics_facts`, by period, category, product, channel, team,
 * handler or language. The definitions are those of `formulas.ts` (`computeKpis` is the reference; the
 * integration tests compare the two over the same rows); this module only says how each is computed in SQL.
 *
 * - Periods are local to the organisation's time zone (the zone of its default business calendar); weeks are ISO
 *   weeks (Monday), quarters start in January, April, July and October.
 * - groupBy=category groups by the **top-level** category (a sub-category counts in its parent's group); the
 *   category filter includes sub-categories.
 * - Percentiles are exact (PostgreSQL `percentile_cont`, linear interpolation, as `formulas.percentile`).
 * - Totals come from the same statements (GROUPING SETS), so they are not sums of the groups' medians.
 */
import { sql, type RawBuilder } from 'kysely';
import type { DbOrTx } from '../db/client.ts';
import { fromLocalDateTime, parseLocalDate } from '../deadlines/calendar.ts';
import { ValidationError, type FieldError } from '../shared/errors.ts';
import type { Column, Table } from '../exports/tabular.ts';
import { ensureCalendar } from './business-calendar.ts';
import {
  BACKLOG_BANDS,
  dateOfDn,
  emptyBacklog,
  per1000,
  periodLabel,
  periodsBetween,
  ratio,
  type Kpis,
  type PeriodUnit,
} from './formulas.ts';
import { customersAt, loadCustomers } from './customers.ts';
import { loadDimensions, type Dimensions } from './dimensions.ts';

export const GROUP_BYS = [
  'none',
  'period',
  'category',
  'product',
  'channel',
  'team',
  'handler',
  'language',
] as const;
export type GroupBy = (typeof GROUP_BYS)[number];
/** The longest range a report may cover. */
export const MAX_RANGE_YEARS = 10;
/** The most groups of periods a report may have (e.g. daily over ~10 years). */
export const MAX_PERIODS = 4000;

export interface KpiQuery {
  /** Local dates 'YYYY-MM-DD' (inclusive) in the organisation's time zone. */
  from: string;
  to: string;
  groupBy?: GroupBy | undefined;
  period?: PeriodUnit | undefined;
  category?: string | undefined;
  product?: string | undefined;
  channel?: string | undefined;
  team?: string | undefined;
  type?: string | undefined;
  /** Language of the labels (categories, root causes with translated names). */
  language?: string | undefined;
}

export interface KpiGroup {
  key: string;
  label: string;
  kpis: Kpis;
}
export interface KpiReport {
  from: string;
  to: string;
  groupBy: GroupBy;
  period: PeriodUnit;
  timeZone: string;
  generatedAt: string;
  totals: Kpis;
  groups: KpiGroup[];
}

/** A checked range and its instants [start, end). */
export interface Range {
  from: string;
  to: string;
  start: Date;
  end: Date;
}

/** Validates a from/to pair (400 naming the field: bad date, from after to, longer than 10 years). */
export function checkRange(from: string | undefined, to: string | undefined, timeZone: string): Range {
  const errors: FieldError[] = [];
  const parse = (field: string, v: string | undefined) => {
    if (v === undefined || v === '') {
      errors.push({ field, code: 'required', message: `${field} is required (YYYY-MM-DD)` });
      return null;
    }
    try {
      return parseLocalDate(v);
    } catch {
      errors.push({ field, code: 'invalid_date', message: `${field} must be a date YYYY-MM-DD` });
      return null;
    }
  };
  const f = parse('from', from);
  const t = parse('to', to);
  if (f !== null && t !== null) {
    if (f > t) errors.push({ field: 'to', code: 'before_from', message: 'to must not be before from' });
    else if (t - f > MAX_RANGE_YEARS * 366)
      errors.push({
        field: 'to',
        code: 'range_too_long',
        message: `The range may cover at most ${MAX_RANGE_YEARS} years`,
      });
    else if (f < parseLocalDate('2000-01-01') || t > parseLocalDate('2050-12-30'))
      errors.push({
        field: f < parseLocalDate('2000-01-01') ? 'from' : 'to',
        code: 'out_of_range',
        message: 'Dates must be between 2000 and 2050',
      });
  }
  if (errors.length) throw new ValidationError(errors);
  return {
    from: from!,
    to: to!,
    start: fromLocalDateTime(from!, '00:00', timeZone),
    end: fromLocalDateTime(dateOfDn(t! + 1), '00:00', timeZone),
  };
}

/** The WHERE conditions of the query's filters over facts `f` (unknown keys → 400 naming the field). */
export function filterSql(
  dims: Dimensions,
  q: Pick<KpiQuery, 'category' | 'product' | 'channel' | 'team' | 'type'>,
): RawBuilder<unknown> {
  const errors: FieldError[] = [];
  const parts: RawBuilder<unknown>[] = [sql`not f.merged`];
  if (q.category) {
    const ids = dims.categoryWithDescendants(q.category);
    if (!ids)
      errors.push({ field: 'category', code: 'unknown_category', message: `No category "${q.category}"` });
    else parts.push(sql`f.category_id = any(${ids}::uuid[])`);
  }
  if (q.product) {
    const p = dims.productsByKey.get(q.product);
    if (!p) errors.push({ field: 'product', code: 'unknown_product', message: `No product "${q.product}"` });
    else parts.push(sql`f.product_id = ${p.id}::uuid`);
  }
  if (q.team) {
    const tm = dims.teamsByKey.get(q.team);
    if (!tm) errors.push({ field: 'team', code: 'unknown_team', message: `No team "${q.team}"` });
    else parts.push(sql`f.team_id = ${tm.id}::uuid`);
  }
  if (q.channel) parts.push(sql`f.channel = ${q.channel}`);
  if (q.type && q.type !== 'all') parts.push(sql`f.type = ${q.type}`);
  if (errors.length) throw new ValidationError(errors);
  return sql.join(parts, sql` and `);
}

/**
 * The group key of a fact (anchored on a given instant column for periods), in its own type (uuid, timestamp,
 * text in the "C" collation) so that grouping compares cheaply; `groupOut` turns it into the key text once per group.
 */
function groupSql(
  groupBy: GroupBy,
  unit: PeriodUnit,
  anchor: RawBuilder<unknown>,
  tz: string,
): RawBuilder<string> {
  switch (groupBy) {
    case 'none':
      return sql<string>`'all'`;
    case 'period':
      return sql<string>`date_trunc(${sql.lit(unit)}, ${anchor} at time zone ${sql.lit(tz)})`;
    case 'category':
      return sql<string>`ct.top`;
    case 'product':
      return sql<string>`f.product_id`;
    case 'channel':
      return sql<string>`(f.channel collate "C")`;
    case 'team':
      return sql<string>`f.team_id`;
    case 'handler':
      return sql<string>`f.owner_id`;
    case 'language':
      return sql<string>`(f.language collate "C")`;
  }
}

function groupOut(groupBy: GroupBy, key: RawBuilder<string>): RawBuilder<string> {
  if (groupBy === 'period') return sql<string>`to_char(${key}, 'YYYY-MM-DD')`;
  if (groupBy === 'none') return key;
  return sql<string>`coalesce(${key}::text, 'none')`;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const pctl = (v: unknown, i: number, scale: number): number | null => {
  const a = v as Array<number | string | null> | null;
  const x = a?.[i];
  return x === null || x === undefined ? null : Number(x) / scale;
};

export function emptyKpis(): Kpis {
  return {
    received: 0,
    closed: 0,
    open: 0,
    backlog: emptyBacklog(),
    acknowledge: {
      count: 0,
      medianHours: null,
      p90Hours: null,
      medianBusinessHours: null,
      p90BusinessHours: null,
    },
    resolve: { count: 0, medianDays: null, p90Days: null, medianBusinessDays: null, p90BusinessDays: null },
    withinTarget: { due: 0, met: 0, pct: null },
    breaches: 0,
    reopenRate: null,
    escalationRate: null,
    upholdRate: null,
    redressPaid: 0,
    satisfaction: { responses: 0, mean: null },
    customers: null,
    per1000Customers: null,
    counts: { decided: 0, upheld: 0, firstClosed: 0, reopened: 0, escalated: 0 },
  };
}

type Row = Record<string, unknown> & { g: string; is_total: number | string };

/** The KPI report of a query (see the module comment; definitions in formulas.ts). */
export async function getKpis(db: DbOrTx, q: KpiQuery): Promise<KpiReport> {
  const { timeZone } = await ensureCalendar(db);
  const range = checkRange(q.from, q.to, timeZone);
  const groupBy = q.groupBy ?? 'none';
  const unit = q.period ?? 'month';
  const dims = await loadDimensions(db, q.language);
  const where = filterSql(dims, q);
  const periods = groupBy === 'period' ? periodsBetween(range.from, range.to, unit) : [];
  if (periods.length > MAX_PERIODS)
    throw new ValidationError([
      {
        field: 'period',
        code: 'too_many_periods',
        message: `At most ${MAX_PERIODS} periods; choose a longer period`,
      },
    ]);
  const { start, end } = range;
  const catJoin =
    groupBy === 'category'
      ? sql`left join unnest(${dims.categoryIds}::uuid[], ${dims.categoryTops}::uuid[]) as ct(id, top) on ct.id = f.category_id`
      : sql``;
  const g = (anchor: RawBuilder<unknown>) => groupSql(groupBy, unit, anchor, timeZone);
  const out = (key: RawBuilder<string>) => groupOut(groupBy, key);
  const sets = (key: RawBuilder<string>) =>
    groupBy === 'none' ? sql`` : sql`group by grouping sets ((${key}), ())`;
  const totalFlag = (key: RawBuilder<string>) => (groupBy === 'none' ? sql`1` : sql`grouping(${key})`);

  // One statement per anchor (received, closed, first closed), each over its own index range.
  const gRec = g(sql`f.received_at`);
  const receivedQ = sql<Row>`
    select 1 as kind, ${out(gRec)} as g, ${totalFlag(gRec)} as is_total, count(*) as n,
      count(*) filter (where f.escalated) as escalated, count(f.ack_ms) as ack_count,
      percentile_cont(array[0.5, 0.9]) within group (order by f.ack_ms) as ack,
      percentile_cont(array[0.5, 0.9]) within group (order by f.ack_bms) as ack_b,
      sum(f.target_due) as due, sum(f.target_met) as met, sum(f.breaches) as br
    from analytics_facts f ${catJoin}
    where ${where} and f.received_at >= ${start} and f.received_at < ${end}
    ${sets(gRec)}`.execute(db);
  const gClo = g(sql`f.closed_at`);
  const closedQ = sql<Row>`
    select 2 as kind, ${out(gClo)} as g, ${totalFlag(gClo)} as is_total, count(*) as n,
      percentile_cont(array[0.5, 0.9]) within group (order by f.resolve_ms) as res,
      percentile_cont(array[0.5, 0.9]) within group (order by f.resolve_bdays) as res_b,
      count(f.outcome) as decided, count(*) filter (where f.outcome in ('upheld', 'partly_upheld')) as upheld,
      coalesce(sum(f.redress) filter (where f.outcome is not null), 0) as redress
    from analytics_facts f ${catJoin}
    where ${where} and f.closed_at >= ${start} and f.closed_at < ${end}
    ${sets(gClo)}`.execute(db);
  const gFirst = g(sql`f.first_closed_at`);
  const firstQ = sql<Row>`
    select 3 as kind, ${out(gFirst)} as g, ${totalFlag(gFirst)} as is_total, count(*) as n,
      count(*) filter (where f.reopens > 0) as reopened
    from analytics_facts f ${catJoin}
    where ${where} and f.first_closed_at >= ${start} and f.first_closed_at < ${end}
    ${sets(gFirst)}`.execute(db);

  const bands = sql`
      count(*) filter (where p.t - f.received_at < interval '8 days') as b0,
      count(*) filter (where p.t - f.received_at >= interval '8 days' and p.t - f.received_at < interval '29 days') as b1,
      count(*) filter (where p.t - f.received_at >= interval '29 days' and p.t - f.received_at < interval '57 days') as b2,
      count(*) filter (where p.t - f.received_at >= interval '57 days') as b3`;
  // Open at the end of the range (for periods: at the end of each period, the last one clipped to the range).
  const ends =
    groupBy === 'period'
      ? periods.map((p) => {
          const e = fromLocalDateTime(dateOfDn(p.endDn + 1), '00:00', timeZone);
          return { key: p.key, t: e.getTime() > end.getTime() ? end : e };
        })
      : [{ key: 'all', t: end }];
  const gOpen = groupBy === 'period' ? sql<string>`p.k` : g(sql`f.received_at`);
  // Open at T: the interval (received, closed] contains T (GiST index on that range).
  const openQ = sql<Row>`
    select ${groupBy === 'period' ? gOpen : out(gOpen)} as g, ${groupBy === 'period' ? sql`0` : totalFlag(gOpen)} as is_total, count(*) as open, ${bands}
    from unnest(${ends.map((e) => e.key)}::text[], ${ends.map((e) => e.t.toISOString())}::timestamptz[]) as p(k, t)
    join analytics_facts f on analytics_open_range(f.received_at, f.closed_at) @> p.t
    ${catJoin}
    where ${where}
    ${groupBy === 'period' ? sql`group by p.k` : sets(gOpen)}`.execute(db);

  const gSur = g(sql`s.created_at`);
  const surveyQ = sql<Row>`
    select ${out(gSur)} as g, ${totalFlag(gSur)} as is_total, count(distinct s.id) as responses,
      avg((a.value #>> '{}')::numeric) filter (where jsonb_typeof(a.value) = 'number'
        and (a.value #>> '{}')::numeric between 1 and 5) as mean
    from portal_surveys s join analytics_facts f on f.complaint_id = s.complaint_id ${catJoin}
    cross join lateral jsonb_each(case when jsonb_typeof(s.answers) = 'object' then s.answers else '{}'::jsonb end) a
    where ${where} and s.created_at >= ${start} and s.created_at < ${end}
    ${sets(gSur)}`.execute(db);

  const [received, closed, first, open, surveys, customers] = await Promise.all([
    receivedQ,
    closedQ,
    firstQ,
    openQ,
    surveyQ,
    loadCustomers(db),
  ]);

  const totals = emptyKpis();
  const groups = new Map<string, Kpis>();
  if (groupBy === 'period') for (const p of periods) groups.set(p.key, emptyKpis());
  const target = (r: Row): Kpis | undefined => {
    if (groupBy === 'none' || Number(r.is_total) === 1) return totals;
    let k = groups.get(r.g);
    if (!k) {
      if (groupBy === 'period') return undefined; // outside the listed periods (cannot happen)
      k = emptyKpis();
      groups.set(r.g, k);
    }
    return k;
  };
  for (const r of [...received.rows, ...closed.rows, ...first.rows]) {
    const k = target(r);
    if (!k) continue;
    const kind = Number(r.kind);
    if (kind === 1) {
      k.received = num(r.n);
      k.counts.escalated = num(r.escalated);
      k.escalationRate = ratio(k.counts.escalated, k.received);
      k.acknowledge = {
        count: num(r.ack_count),
        medianHours: pctl(r.ack, 0, 3_600_000),
        p90Hours: pctl(r.ack, 1, 3_600_000),
        medianBusinessHours: pctl(r.ack_b, 0, 3_600_000),
        p90BusinessHours: pctl(r.ack_b, 1, 3_600_000),
      };
      const due = num(r.due);
      const met = num(r.met);
      const pct = ratio(met, due);
      k.withinTarget = { due, met, pct: pct === null ? null : pct * 100 };
      k.breaches = num(r.br);
    } else if (kind === 2) {
      k.closed = num(r.n);
      k.resolve = {
        count: k.closed,
        medianDays: pctl(r.res, 0, 86_400_000),
        p90Days: pctl(r.res, 1, 86_400_000),
        medianBusinessDays: pctl(r.res_b, 0, 1),
        p90BusinessDays: pctl(r.res_b, 1, 1),
      };
      k.counts.decided = num(r.decided);
      k.counts.upheld = num(r.upheld);
      k.upholdRate = ratio(k.counts.upheld, k.counts.decided);
      k.redressPaid = num(r.redress);
    } else {
      k.counts.firstClosed = num(r.n);
      k.counts.reopened = num(r.reopened);
      k.reopenRate = ratio(k.counts.reopened, k.counts.firstClosed);
    }
  }
  for (const r of open.rows) {
    const isLast = groupBy === 'period' && r.g === ends[ends.length - 1]?.key;
    const fill = (k: Kpis) => {
      k.open = num(r.open);
      k.backlog = { '0-7': num(r.b0), '8-28': num(r.b1), '29-56': num(r.b2), '57+': num(r.b3) };
    };
    const k = target(r);
    if (k) fill(k);
    if (isLast) fill(totals);
  }
  for (const r of surveys.rows) {
    const k = target(r);
    if (k) k.satisfaction = { responses: num(r.responses), mean: numOrNull(r.mean) };
  }

  // Denominators: customers in force at the end of the range (of each period; of each product).
  const productKeys = q.product ? [q.product] : null;
  const lastDate = range.to;
  totals.customers = customersAt(customers, productKeys, lastDate);
  totals.per1000Customers = per1000(totals.received, totals.customers);
  if (groupBy === 'period')
    for (const p of periods) {
      const k = groups.get(p.key)!;
      k.customers = customersAt(
        customers,
        productKeys,
        dateOfDn(Math.min(p.endDn, parseLocalDate(lastDate))),
      );
      k.per1000Customers = per1000(k.received, k.customers);
    }
  if (groupBy === 'product')
    for (const [key, k] of groups) {
      const pk = dims.productsById.get(key)?.key;
      k.customers = pk ? customersAt(customers, [pk], lastDate) : null;
      k.per1000Customers = per1000(k.received, k.customers);
    }

  const list: KpiGroup[] = [...groups].map(([key, kpis]) => ({
    key: groupBy === 'period' ? key : dims.keyOf(groupBy, key),
    label: groupBy === 'period' ? periodLabel(key, unit) : dims.label(groupBy, key),
    kpis,
  }));
  if (groupBy !== 'period')
    list.sort(
      (a, b) =>
        b.kpis.received - a.kpis.received || b.kpis.open - a.kpis.open || a.label.localeCompare(b.label),
    );
  return {
    from: range.from,
    to: range.to,
    groupBy,
    period: unit,
    timeZone,
    generatedAt: new Date().toISOString(),
    totals,
    groups: list,
  };
}

const KPI_COLUMNS: Column[] = [
  { key: 'received', header: 'Received', type: 'number' },
  { key: 'closed', header: 'Closed', type: 'number' },
  { key: 'open', header: 'Open at end', type: 'number' },
  ...BACKLOG_BANDS.map((b): Column => ({ key: `backlog_${b}`, header: `Open ${b} days`, type: 'number' })),
  { key: 'ack_count', header: 'Acknowledged', type: 'number' },
  { key: 'ack_median_h', header: 'Acknowledge median (hours)', type: 'number' },
  { key: 'ack_p90_h', header: 'Acknowledge p90 (hours)', type: 'number' },
  { key: 'ack_median_bh', header: 'Acknowledge median (business hours)', type: 'number' },
  { key: 'ack_p90_bh', header: 'Acknowledge p90 (business hours)', type: 'number' },
  { key: 'res_median_d', header: 'Resolve median (days)', type: 'number' },
  { key: 'res_p90_d', header: 'Resolve p90 (days)', type: 'number' },
  { key: 'res_median_bd', header: 'Resolve median (business days)', type: 'number' },
  { key: 'res_p90_bd', header: 'Resolve p90 (business days)', type: 'number' },
  { key: 'due', header: 'Deadlines due', type: 'number' },
  { key: 'met', header: 'Deadlines met', type: 'number' },
  { key: 'within_pct', header: 'Within target (%)', type: 'number' },
  { key: 'breaches', header: 'Breaches', type: 'number' },
  { key: 'reopen_rate', header: 'Reopen rate', type: 'number' },
  { key: 'escalation_rate', header: 'Escalation rate', type: 'number' },
  { key: 'uphold_rate', header: 'Uphold rate', type: 'number' },
  { key: 'redress', header: 'Redress paid', type: 'number' },
  { key: 'survey_responses', header: 'Survey responses', type: 'number' },
  { key: 'satisfaction', header: 'Satisfaction (1-5)', type: 'number' },
  { key: 'customers', header: 'Customers', type: 'number' },
  { key: 'per1000', header: 'Complaints per 1,000 customers', type: 'number' },
];

function kpiRow(k: Kpis): Record<string, number | null> {
  return {
    received: k.received,
    closed: k.closed,
    open: k.open,
    ...Object.fromEntries(BACKLOG_BANDS.map((b) => [`backlog_${b}`, k.backlog[b]])),
    ack_count: k.acknowledge.count,
    ack_median_h: k.acknowledge.medianHours,
    ack_p90_h: k.acknowledge.p90Hours,
    ack_median_bh: k.acknowledge.medianBusinessHours,
    ack_p90_bh: k.acknowledge.p90BusinessHours,
    res_median_d: k.resolve.medianDays,
    res_p90_d: k.resolve.p90Days,
    res_median_bd: k.resolve.medianBusinessDays,
    res_p90_bd: k.resolve.p90BusinessDays,
    due: k.withinTarget.due,
    met: k.withinTarget.met,
    within_pct: k.withinTarget.pct,
    breaches: k.breaches,
    reopen_rate: k.reopenRate,
    escalation_rate: k.escalationRate,
    uphold_rate: k.upholdRate,
    redress: k.redressPaid,
    survey_responses: k.satisfaction.responses,
    satisfaction: k.satisfaction.mean,
    customers: k.customers,
    per1000: k.per1000Customers,
  };
}

/** The report as tables for CSV/XLSX export: one row per group, then the totals. */
export function kpiTables(r: KpiReport): Table[] {
  const columns: Column[] = [
    {
      key: 'group',
      header: r.groupBy === 'none' ? 'Range' : r.groupBy[0]!.toUpperCase() + r.groupBy.slice(1),
    },
    { key: 'key', header: 'Key' },
    ...KPI_COLUMNS,
  ];
  return [
    {
      name: `KPIs ${r.from} to ${r.to}`.slice(0, 31),
      columns,
      rows: [
        ...r.groups.map((g) => ({ group: g.label, key: g.key, ...kpiRow(g.kpis) })),
        { group: 'Total', key: 'total', ...kpiRow(r.totals) },
      ],
    },
  ];
}
