/**
 * Trends (SPEC IMP-2): the Pareto of complaints received by category, root cause, product or channel, and the
 * control charts of upheld, breached and reopened proportions (p-charts) and complaints per 1,000 customers
 * (u-chart), by week or month. The arithmetic is `formulas.pareto` / `pChart` / `uChart`.
 */
import { sql, type RawBuilder } from 'kysely';
import type { DbOrTx } from '../db/client.ts';
import { ensureCalendar } from './business-calendar.ts';
import { loadDimensions } from './dimensions.ts';
import { pareto, pChart, uChart, type ChartInput, type ChartPoint, type ParetoItem } from './formulas.ts';
import { checkRange, filterSql, getKpis, type KpiQuery } from './get-kpis.ts';

export const PARETO_DIMENSIONS = ['category', 'root_cause', 'product', 'channel'] as const;
export type ParetoDimension = (typeof PARETO_DIMENSIONS)[number];

type Filters = Pick<KpiQuery, 'category' | 'product' | 'channel' | 'team' | 'type' | 'language'>;

/**
 * Pareto of the complaints received in the range by a dimension. `category` is the category itself (the most
 * specific one recorded, so the "vital few" are visible), not its top-level parent; missing values are 'none'.
 */
export async function paretoReport(
  db: DbOrTx,
  q: Filters & { from: string; to: string; dimension: ParetoDimension },
): Promise<{ dimension: ParetoDimension; from: string; to: string; total: number; items: ParetoItem[] }> {
  const { timeZone } = await ensureCalendar(db);
  const range = checkRange(q.from, q.to, timeZone);
  const dims = await loadDimensions(db, q.language);
  const where = filterSql(dims, q);
  const col: Record<ParetoDimension, RawBuilder<string>> = {
    category: sql`coalesce(f.category_id::text, 'none')`,
    root_cause: sql`coalesce(f.root_cause, 'none')`,
    product: sql`coalesce(f.product_id::text, 'none')`,
    channel: sql`f.channel`,
  };
  const rows = await sql<{ g: string; n: string }>`
    select ${col[q.dimension]} as g, count(*) as n from analytics_facts f
    where ${where} and f.received_at >= ${range.start} and f.received_at < ${range.end}
    group by 1`.execute(db);
  const result = pareto(
    rows.rows.map((r) => ({
      key: dims.keyOf(q.dimension, r.g),
      label: dims.label(q.dimension, r.g),
      count: Number(r.n),
    })),
  );
  return { dimension: q.dimension, from: range.from, to: range.to, ...result };
}

export const CHART_METRICS = ['upheld', 'breached', 'reopened', 'complaints_per_1000'] as const;
export type ChartMetric = (typeof CHART_METRICS)[number];

/**
 * Control chart by week or month over the range:
 * - upheld: p-chart, n = complaints closed with an outcome, x = upheld or partly upheld;
 * - breached: p-chart, n = deadline milestones decided (of complaints received in the period), x = breached;
 * - reopened: p-chart, n = complaints first closed in the period, x = reopened since;
 * - complaints_per_1000: u-chart, x = complaints received, n = customers in force at the period's end / 1000.
 * Points outside 3-sigma limits are unusual; so are runs of 8 on one side of the centre.
 */
export async function controlChart(
  db: DbOrTx,
  q: Filters & { from: string; to: string; metric: ChartMetric; period: 'week' | 'month' },
): Promise<{
  metric: ChartMetric;
  chart: 'p' | 'u';
  period: string;
  centre: number | null;
  points: ChartPoint[];
}> {
  const report = await getKpis(db, { ...q, groupBy: 'period', period: q.period });
  const input: ChartInput[] = report.groups.map((g) => {
    const k = g.kpis;
    switch (q.metric) {
      case 'upheld':
        return { period: g.key, n: k.counts.decided, x: k.counts.upheld };
      case 'breached':
        return { period: g.key, n: k.withinTarget.due, x: k.breaches };
      case 'reopened':
        return { period: g.key, n: k.counts.firstClosed, x: k.counts.reopened };
      case 'complaints_per_1000':
        return { period: g.key, n: k.customers === null ? 0 : k.customers / 1000, x: k.received };
    }
  });
  const chart = q.metric === 'complaints_per_1000' ? 'u' : 'p';
  const out = chart === 'u' ? uChart(input, { runs: true }) : pChart(input, { runs: true });
  return { metric: q.metric, chart, period: q.period, ...out };
}
