/**
 * The FCA complaints return (DISP 1.10, DISP 1 Annex 1R), as a ready report for a period (SPEC IMP-5).
 *
 * Over complaints (type `complaint`, merged ones left out), in total and by product group (the product):
 * - received: received in the period;
 * - closed within 3 business days / after 3 business days and within 8 weeks / after 8 weeks: closed in the period,
 *   banded by `formulas.fcaBand` (business days of the organisation's default calendar; 8 weeks = 56 days);
 * - upheld: closed in the period with an upheld or partly upheld outcome (partly counts as upheld); upheldPct =
 *   upheld / closed × 100;
 * - redressPaid: the remedy amounts of the latest sent response of the complaints closed in the period;
 * - outstanding at the start and at the end: open at the first instant of the period and at the end of it.
 */
import { sql } from 'kysely';
import type { DbOrTx } from '../db/client.ts';
import type { Table } from '../exports/tabular.ts';
import { ensureCalendar } from './business-calendar.ts';
import { loadDimensions } from './dimensions.ts';
import { checkRange } from './get-kpis.ts';

export interface FcaFigures {
  received: number;
  closed: number;
  closedWithin3BusinessDays: number;
  closedAfter3DaysWithin8Weeks: number;
  closedAfter8Weeks: number;
  upheld: number;
  upheldPct: number | null;
  redressPaid: number;
  outstandingAtStart: number;
  outstandingAtEnd: number;
}
export interface FcaReturn {
  from: string;
  to: string;
  timeZone: string;
  generatedAt: string;
  totals: FcaFigures;
  byProduct: Array<{ key: string; label: string; figures: FcaFigures }>;
}

const empty = (): FcaFigures => ({
  received: 0,
  closed: 0,
  closedWithin3BusinessDays: 0,
  closedAfter3DaysWithin8Weeks: 0,
  closedAfter8Weeks: 0,
  upheld: 0,
  upheldPct: null,
  redressPaid: 0,
  outstandingAtStart: 0,
  outstandingAtEnd: 0,
});

type Row = { g: string | null; is_total: number | string } & Record<string, unknown>;

export async function fcaReturn(
  db: DbOrTx,
  q: { from: string; to: string; language?: string | undefined },
): Promise<FcaReturn> {
  const { timeZone } = await ensureCalendar(db);
  const { from, to, start, end } = checkRange(q.from, q.to, timeZone);
  const dims = await loadDimensions(db, q.language);
  const base = sql`f.type = 'complaint' and not f.merged`;
  const key = sql`coalesce(f.product_id::text, 'none')`;
  const [received, closed, outstanding] = await Promise.all([
    sql<Row>`select ${key} as g, grouping(${key}) as is_total, count(*) as n from analytics_facts f
      where ${base} and f.received_at >= ${start} and f.received_at < ${end}
      group by grouping sets ((${key}), ())`.execute(db),
    sql<Row>`select ${key} as g, grouping(${key}) as is_total, count(*) as n,
        count(*) filter (where f.resolve_bdays <= 3) as b3,
        count(*) filter (where f.resolve_bdays > 3 and f.resolve_ms <= 56 * 86400000::bigint) as b8,
        count(*) filter (where f.resolve_bdays > 3 and f.resolve_ms > 56 * 86400000::bigint) as b9,
        count(*) filter (where f.outcome in ('upheld', 'partly_upheld')) as upheld,
        coalesce(sum(f.redress) filter (where f.outcome is not null), 0) as redress
      from analytics_facts f
      where ${base} and f.closed_at >= ${start} and f.closed_at < ${end}
      group by grouping sets ((${key}), ())`.execute(db),
    sql<Row & { at: string }>`select p.k as at, ${key} as g, grouping(${key}) as is_total, count(*) as n
      from unnest(array['start', 'end'], ${[start.toISOString(), end.toISOString()]}::timestamptz[]) as p(k, t)
      join analytics_facts f on analytics_open_range(f.received_at, f.closed_at) @> p.t
      where ${base}
      group by grouping sets ((p.k, ${key}), (p.k))`.execute(db),
  ]);
  const totals = empty();
  const groups = new Map<string, FcaFigures>();
  const target = (r: Row) => {
    if (Number(r.is_total) === 1) return totals;
    const g = r.g ?? 'none';
    let f = groups.get(g);
    if (!f) groups.set(g, (f = empty()));
    return f;
  };
  for (const r of received.rows) target(r).received = Number(r.n);
  for (const r of closed.rows) {
    const f = target(r);
    f.closed = Number(r.n);
    f.closedWithin3BusinessDays = Number(r.b3);
    f.closedAfter3DaysWithin8Weeks = Number(r.b8);
    f.closedAfter8Weeks = Number(r.b9);
    f.upheld = Number(r.upheld);
    f.upheldPct = f.closed ? (f.upheld / f.closed) * 100 : null;
    f.redressPaid = Number(r.redress);
  }
  for (const r of outstanding.rows) {
    const f = target(r);
    if (r.at === 'start') f.outstandingAtStart = Number(r.n);
    else f.outstandingAtEnd = Number(r.n);
  }
  return {
    from,
    to,
    timeZone,
    generatedAt: new Date().toISOString(),
    totals,
    byProduct: [...groups]
      .map(([id, figures]) => ({ key: dims.keyOf('product', id), label: dims.label('product', id), figures }))
      .sort((a, b) => a.label.localeCompare(b.label)),
  };
}

/** The return as a table for CSV/XLSX: one row per product group, then the totals. */
export function fcaTables(r: FcaReturn): Table[] {
  const row = (label: string, key: string, f: FcaFigures) => ({ product: label, key, ...f });
  return [
    {
      name: 'FCA complaints return',
      columns: [
        { key: 'product', header: 'Product group' },
        { key: 'key', header: 'Key' },
        { key: 'outstandingAtStart', header: 'Outstanding at start', type: 'number' },
        { key: 'received', header: 'Received', type: 'number' },
        { key: 'closed', header: 'Closed', type: 'number' },
        { key: 'closedWithin3BusinessDays', header: 'Closed within 3 business days', type: 'number' },
        {
          key: 'closedAfter3DaysWithin8Weeks',
          header: 'Closed after 3 business days and within 8 weeks',
          type: 'number',
        },
        { key: 'closedAfter8Weeks', header: 'Closed after 8 weeks', type: 'number' },
        { key: 'upheld', header: 'Upheld', type: 'number' },
        { key: 'upheldPct', header: 'Upheld (%)', type: 'number' },
        { key: 'redressPaid', header: 'Redress paid', type: 'number' },
        { key: 'outstandingAtEnd', header: 'Outstanding at end', type: 'number' },
      ],
      rows: [...r.byProduct.map((p) => row(p.label, p.key, p.figures)), row('Total', 'total', r.totals)],
    },
  ];
}
