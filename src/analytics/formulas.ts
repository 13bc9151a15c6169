/**
 * The KPI definitions of the complaints dashboard, regulator return and trend charts (SPEC IMP-1, IMP-2, IMP-5;
 * ISO 10002 8.2–8.4), written once as pure functions. No I/O.
 *
 * The SQL of `get-kpis.ts` / `fca-return.ts` computes the same figures over the `analytics_facts` table; the
 * integration tests (test/analytics) compare the two over the same rows. Each definition below is the text an
 * auditor would read; where a choice was made it says which.
 *
 * Conventions:
 * - A reporting range is given as local dates `from`..`to` (inclusive) in the organisation's time zone (the time
 *   zone of its default business calendar); it covers the instants [start of `from`, start of the day after `to`).
 * - "Rates" are fractions 0..1; fields called `pct` are percentages 0..100. A ratio with a zero denominator is null.
 * - Merged complaints (merged into another one) are the same complaint as the one they were merged into: they are
 *   left out of every figure. Imported (historical) complaints count like any other.
 */
import {
  compileCalendar,
  DAY_MS,
  HOUR_MS,
  isBusinessDn,
  isoWeekday,
  MINUTE_MS,
  type Calendar,
  type CompiledCalendar,
} from '../deadlines/calendar.ts';

export type Outcome = 'upheld' | 'partly_upheld' | 'not_upheld';
export const BACKLOG_BANDS = ['0-7', '8-28', '29-56', '57+'] as const;
export type BacklogBand = (typeof BACKLOG_BANDS)[number];
export type Backlog = Record<BacklogBand, number>;

// ---------------------------------------------------------------------------------------------------------------
// Basic statistics

/**
 * Percentile by **linear interpolation between closest ranks** (Hyndman & Fan type 7; what PostgreSQL's
 * `percentile_cont`, Excel's PERCENTILE.INC and NumPy's default compute): sort the n values x₀ ≤ … ≤ xₙ₋₁, let
 * h = (n − 1)·p; the percentile is x⌊h⌋ + (h − ⌊h⌋)·(x⌈h⌉ − x⌊h⌋). So the median of an even count is the mean of
 * the two middle values, and p90 of 1..10 is 9.1. Null when there are no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile fraction must be within 0..1, got ${p}`);
  if (values.length === 0) return null;
  const x = [...values].sort((a, b) => a - b);
  const h = (x.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return x[lo]! + (h - lo) * (x[hi]! - x[lo]!);
}

export const median = (values: readonly number[]): number | null => percentile(values, 0.5);

/** num / den, or null when den is 0 (no basis for a rate). */
export function ratio(num: number, den: number): number | null {
  return den === 0 ? null : num / den;
}

/** Summary of a duration distribution: how many, median and 90th percentile (type 7, see `percentile`). */
export function distribution(values: readonly number[]): {
  count: number;
  median: number | null;
  p90: number | null;
} {
  return { count: values.length, median: percentile(values, 0.5), p90: percentile(values, 0.9) };
}

// ---------------------------------------------------------------------------------------------------------------
// Open complaints and the backlog

/**
 * A complaint is **open at instant T** when it was received at or before T and not closed at or before T
 * (closed_at is the current closure: a reopened complaint that is open now has none, so it counts as open at every
 * T after its receipt — the history of earlier closures is not replayed).
 */
export function isOpenAt(receivedAt: Date, closedAt: Date | null, t: Date): boolean {
  return receivedAt.getTime() <= t.getTime() && (closedAt === null || closedAt.getTime() > t.getTime());
}

/** Age of an open complaint at T in whole calendar days (24-hour periods since receipt, rounded down). */
export function ageDays(receivedAt: Date, t: Date): number {
  return Math.floor((t.getTime() - receivedAt.getTime()) / DAY_MS);
}

/** Backlog age band of an open complaint: 0–7, 8–28, 29–56 or 57+ whole calendar days old. */
export function backlogBand(age: number): BacklogBand {
  if (age <= 7) return '0-7';
  if (age <= 28) return '8-28';
  if (age <= 56) return '29-56';
  return '57+';
}

export const emptyBacklog = (): Backlog => ({ '0-7': 0, '8-28': 0, '29-56': 0, '57+': 0 });

// ---------------------------------------------------------------------------------------------------------------
// Business time (the organisation's default business calendar, through the deadline engine's calendars)

/**
 * **Business time** between two instants: the length of the calendar's working periods (working hours of
 * business days, holidays excluded, local wall time with DST) that fall between them, in milliseconds. Zero when
 * b ≤ a. E.g. Friday 16:00 → Monday 10:00 with Mon–Fri 09:00–17:00 is 2 business hours.
 */
export function businessMsBetween(cal: Calendar | CompiledCalendar, a: Date, b: Date): number {
  const cc = 'zone' in cal ? cal : compileCalendar(cal);
  const am = a.getTime();
  const bm = b.getTime();
  if (bm <= am) return 0;
  let total = 0;
  const last = Math.floor(cc.zone.toLocal(bm) / DAY_MS);
  for (let dn = Math.floor(cc.zone.toLocal(am) / DAY_MS); dn <= last; dn++) {
    if (!isBusinessDn(cc, dn)) continue;
    for (const [s, e] of cc.periods[isoWeekday(dn)]!) {
      const ps = cc.zone.toUtc(dn * DAY_MS + s * MINUTE_MS);
      const pe = cc.zone.toUtc(dn * DAY_MS + e * MINUTE_MS);
      const lo = Math.max(ps, am);
      const hi = Math.min(pe, bm);
      if (hi > lo) total += hi - lo;
    }
  }
  return total;
}

export const businessHoursBetween = (cal: Calendar | CompiledCalendar, a: Date, b: Date): number =>
  businessMsBetween(cal, a, b) / HOUR_MS;

/** Local day number (days since 1970-01-01) of an instant in the calendar's time zone. */
export function localDn(cal: Calendar | CompiledCalendar, t: Date): number {
  const cc = 'zone' in cal ? cal : compileCalendar(cal);
  return Math.floor(cc.zone.toLocal(t.getTime()) / DAY_MS);
}

/**
 * **Business days** from a to b: the number of business days (not weekends or holidays of the calendar) after the
 * local day of a, up to and including the local day of b — the way DISP 1.6 counts "by close of business on the
 * third business day following the day on which it is received". Same day → 0; received Friday, closed Monday → 1.
 * Zero when b is not after a's day.
 */
export function businessDaysBetween(cal: Calendar | CompiledCalendar, a: Date, b: Date): number {
  const cc = 'zone' in cal ? cal : compileCalendar(cal);
  const da = localDn(cc, a);
  const db = localDn(cc, b);
  let n = 0;
  for (let d = da + 1; d <= db; d++) if (isBusinessDn(cc, d)) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Outcomes, redress, satisfaction, denominators

/**
 * **Uphold rate** = (upheld + partly upheld) / complaints with an outcome. Partly upheld counts as upheld (as in
 * the FCA return, where a complaint upheld in part is reported as upheld). A complaint's outcome is the outcome of
 * its latest sent response. Null when no complaint has an outcome.
 */
export function upholdRate(outcomes: ReadonlyArray<Outcome | null>): number | null {
  const decided = outcomes.filter((o): o is Outcome => o !== null);
  return ratio(decided.filter((o) => o !== 'not_upheld').length, decided.length);
}

/** **Redress paid**: the sum of the remedy amounts of a sent response (remedies without an amount count 0). */
export function remedyTotal(
  remedies: ReadonlyArray<{ amount?: number | null | undefined }> | null | undefined,
): number {
  return (remedies ?? []).reduce((s, r) => s + (typeof r.amount === 'number' ? r.amount : 0), 0);
}

/**
 * **Satisfaction** = the mean of all answers (1 = very poor … 5 = very good) of the portal surveys, every answered
 * question of every survey weighing the same; `responses` is the number of surveys. Mean null when none.
 */
export function satisfaction(surveys: ReadonlyArray<Record<string, number>>): {
  responses: number;
  mean: number | null;
} {
  const answers = surveys.flatMap((s) =>
    Object.values(s).filter((v) => typeof v === 'number' && v >= 1 && v <= 5),
  );
  return {
    responses: surveys.length,
    mean: answers.length ? answers.reduce((a, b) => a + b, 0) / answers.length : null,
  };
}

/** **Complaints per 1,000 customers** = complaints received × 1000 / customers (null without a denominator). */
export function per1000(complaints: number, customers: number | null): number | null {
  return customers === null || customers <= 0 ? null : (complaints * 1000) / customers;
}

// ---------------------------------------------------------------------------------------------------------------
// The KPI set over complaint-level facts (the reference the SQL is tested against)

/** One complaint, as the KPIs see it (what `analytics_facts` holds). */
export interface ComplaintFact {
  receivedAt: Date;
  acknowledgedAt: Date | null;
  closedAt: Date | null;
  /** When it was first closed (kept through reopenings). */
  firstClosedAt: Date | null;
  reopens: number;
  escalated: boolean;
  /** Outcome of the latest sent response. */
  outcome: Outcome | null;
  /** Remedy amounts of the latest sent response. */
  redress: number;
  /** Deadline milestones decided (met or breached), met, breached. */
  targetDue: number;
  targetMet: number;
  breaches: number;
  merged?: boolean;
}

export interface Kpis {
  received: number;
  closed: number;
  open: number;
  backlog: Backlog;
  acknowledge: {
    count: number;
    medianHours: number | null;
    p90Hours: number | null;
    medianBusinessHours: number | null;
    p90BusinessHours: number | null;
  };
  resolve: {
    count: number;
    medianDays: number | null;
    p90Days: number | null;
    medianBusinessDays: number | null;
    p90BusinessDays: number | null;
  };
  withinTarget: { due: number; met: number; pct: number | null };
  breaches: number;
  reopenRate: number | null;
  escalationRate: number | null;
  upholdRate: number | null;
  redressPaid: number;
  satisfaction: { responses: number; mean: number | null };
  customers: number | null;
  per1000Customers: number | null;
  /** The counts behind the rates: complaints with an outcome and upheld (in part or wholly) among the closed;
   *  first closed and reopened since; escalated among the received. */
  counts: { decided: number; upheld: number; firstClosed: number; reopened: number; escalated: number };
}

const within = (t: Date | null, from: Date, to: Date): t is Date =>
  t !== null && t.getTime() >= from.getTime() && t.getTime() < to.getTime();

/**
 * The KPIs of a range [from, to) (instants). Each figure and the complaints it is taken over:
 * - **received**: complaints received in the range.
 * - **closed**: complaints whose current closure (closed, withdrawn, out of scope) is in the range.
 * - **open** and **backlog**: open at the end of the range (`isOpenAt`), by age band at that instant.
 * - **acknowledge**: complaints received in the range and acknowledged: hours from receipt to acknowledgement
 *   (calendar, and business hours of the default calendar); median and p90.
 * - **resolve**: complaints closed in the range: days from receipt to closure (calendar days = 24-hour periods,
 *   fractional; business days per `businessDaysBetween`); median and p90.
 * - **withinTarget**: the deadline milestones (every milestone of every profile applied) of complaints received in
 *   the range that have been decided: due = met + breached, pct = met / due × 100. **breaches** = breached.
 * - **reopenRate**: of the complaints first closed in the range, the share reopened at least once (so far).
 * - **escalationRate**: of the complaints received in the range, the share escalated at least once.
 * - **upholdRate** (`upholdRate`) and **redressPaid** (sum of the latest sent response's remedy amounts): over the
 *   complaints closed in the range.
 * - **satisfaction**: the surveys answered in the range (`satisfaction`).
 * - **per1000Customers**: received × 1000 / customers in force at the end of the range.
 */
export function computeKpis(
  facts: readonly ComplaintFact[],
  range: { from: Date; to: Date },
  cal: Calendar | CompiledCalendar,
  extra: { surveys?: ReadonlyArray<Record<string, number>>; customers?: number | null } = {},
): Kpis {
  const { from, to } = range;
  const rows = facts.filter((f) => !f.merged);
  const received = rows.filter((f) => within(f.receivedAt, from, to));
  const closed = rows.filter((f) => within(f.closedAt, from, to));
  const firstClosed = rows.filter((f) => within(f.firstClosedAt, from, to));
  // Open at the end of the range: received before `to` and not closed before it.
  const open = rows.filter(
    (f) =>
      f.receivedAt.getTime() < to.getTime() && (f.closedAt === null || f.closedAt.getTime() >= to.getTime()),
  );
  const backlog = emptyBacklog();
  for (const f of open) backlog[backlogBand(ageDays(f.receivedAt, to))]++;
  const acked = received.filter((f) => f.acknowledgedAt !== null);
  const ackHours = acked.map((f) => (f.acknowledgedAt!.getTime() - f.receivedAt.getTime()) / HOUR_MS);
  const ackBusiness = acked.map((f) => businessHoursBetween(cal, f.receivedAt, f.acknowledgedAt!));
  const resolveDays = closed.map((f) => (f.closedAt!.getTime() - f.receivedAt.getTime()) / DAY_MS);
  const resolveBusiness = closed.map((f) => businessDaysBetween(cal, f.receivedAt, f.closedAt!));
  const due = received.reduce((s, f) => s + f.targetDue, 0);
  const met = received.reduce((s, f) => s + f.targetMet, 0);
  const customers = extra.customers ?? null;
  const pct = ratio(met, due);
  return {
    received: received.length,
    closed: closed.length,
    open: open.length,
    backlog,
    acknowledge: {
      count: acked.length,
      medianHours: median(ackHours),
      p90Hours: percentile(ackHours, 0.9),
      medianBusinessHours: median(ackBusiness),
      p90BusinessHours: percentile(ackBusiness, 0.9),
    },
    resolve: {
      count: closed.length,
      medianDays: median(resolveDays),
      p90Days: percentile(resolveDays, 0.9),
      medianBusinessDays: median(resolveBusiness),
      p90BusinessDays: percentile(resolveBusiness, 0.9),
    },
    withinTarget: { due, met, pct: pct === null ? null : pct * 100 },
    breaches: received.reduce((s, f) => s + f.breaches, 0),
    reopenRate: ratio(firstClosed.filter((f) => f.reopens > 0).length, firstClosed.length),
    escalationRate: ratio(received.filter((f) => f.escalated).length, received.length),
    upholdRate: upholdRate(closed.map((f) => f.outcome)),
    redressPaid: closed.reduce((s, f) => s + (f.outcome !== null ? f.redress : 0), 0),
    satisfaction: satisfaction(extra.surveys ?? []),
    customers,
    per1000Customers: per1000(received.length, customers),
    counts: {
      decided: closed.filter((f) => f.outcome !== null).length,
      upheld: closed.filter((f) => f.outcome === 'upheld' || f.outcome === 'partly_upheld').length,
      firstClosed: firstClosed.length,
      reopened: firstClosed.filter((f) => f.reopens > 0).length,
      escalated: received.filter((f) => f.escalated).length,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Pareto

export interface ParetoItem {
  key: string;
  label: string;
  count: number;
  pct: number;
  cumulativePct: number;
}

/**
 * **Pareto**: the items sorted by count, largest first (ties by key, so the order is stable), each with its share
 * of the total (pct, 0..100) and the running total of shares (cumulativePct; the last item is 100). Items with a
 * zero count are left out.
 */
export function pareto(items: ReadonlyArray<{ key: string; label: string; count: number }>): {
  total: number;
  items: ParetoItem[];
} {
  const sorted = items
    .filter((i) => i.count > 0)
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const total = sorted.reduce((s, i) => s + i.count, 0);
  let running = 0;
  return {
    total,
    items: sorted.map((i) => {
      running += i.count;
      return {
        key: i.key,
        label: i.label,
        count: i.count,
        pct: (i.count / total) * 100,
        cumulativePct: running === total ? 100 : (running / total) * 100,
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Control charts

export interface ChartInput {
  period: string;
  /** Sample size (p-chart: complaints in the basis; u-chart: units of exposure, e.g. thousands of customers). */
  n: number;
  /** Count of the events (nonconforming items / nonconformities). */
  x: number;
}
export interface ChartPoint extends ChartInput {
  value: number | null;
  ucl: number | null;
  lcl: number | null;
  unusual: boolean;
  rule?: 'outside_limits' | 'run_of_8';
}

/** Length of the run on one side of the centre line that flags a shift (Western Electric / Nelson rule 2). */
export const RUN_LENGTH = 8;

function flagRuns(points: ChartPoint[], centre: number): void {
  let side = 0;
  let start = 0;
  const close = (end: number) => {
    if (side !== 0 && end - start >= RUN_LENGTH)
      for (let i = start; i < end; i++) {
        const p = points[i]!;
        if (!p.unusual) {
          p.unusual = true;
          p.rule = 'run_of_8';
        }
      }
  };
  points.forEach((p, i) => {
    const s = p.value === null ? 0 : p.value > centre ? 1 : p.value < centre ? -1 : 0;
    if (s !== side || s === 0) {
      close(i);
      side = s;
      start = i;
    }
  });
  close(points.length);
}

/**
 * **p-chart** (proportion of nonconforming items, e.g. upheld / complaints with an outcome per period): centre
 * p̄ = Σx / Σn; for each period with nᵢ > 0, value = xᵢ / nᵢ and limits p̄ ± 3·√(p̄(1 − p̄)/nᵢ), the lower clipped at
 * 0 and the upper at 1. A point outside its limits is unusual (`outside_limits`); with `runs`, so is every point of
 * a run of 8 or more consecutive points strictly on the same side of the centre (`run_of_8`). Periods with nᵢ = 0
 * have no value and no limits. Centre null when Σn = 0.
 */
export function pChart(
  input: readonly ChartInput[],
  options: { runs?: boolean } = {},
): { centre: number | null; points: ChartPoint[] } {
  return chart(input, options, (c, n) => Math.sqrt((c * (1 - c)) / n), 1);
}

/**
 * **u-chart** (nonconformities per unit, e.g. complaints per 1,000 customers: x = complaints, n = customers / 1000):
 * centre ū = Σx / Σn; limits ū ± 3·√(ū / nᵢ), the lower clipped at 0; flags as `pChart`.
 */
export function uChart(
  input: readonly ChartInput[],
  options: { runs?: boolean } = {},
): { centre: number | null; points: ChartPoint[] } {
  return chart(input, options, (c, n) => Math.sqrt(c / n), Infinity);
}

function chart(
  input: readonly ChartInput[],
  options: { runs?: boolean },
  sigma: (centre: number, n: number) => number,
  max: number,
): { centre: number | null; points: ChartPoint[] } {
  const sn = input.reduce((s, p) => s + p.n, 0);
  const sx = input.reduce((s, p) => s + p.x, 0);
  const centre = sn > 0 ? sx / sn : null;
  const points: ChartPoint[] = input.map((p) => {
    if (centre === null || p.n <= 0) return { ...p, value: null, ucl: null, lcl: null, unusual: false };
    const value = p.x / p.n;
    const s = 3 * sigma(centre, p.n);
    const ucl = Math.min(max, centre + s);
    const lcl = Math.max(0, centre - s);
    const out = value > ucl || value < lcl;
    return out
      ? { ...p, value, ucl, lcl, unusual: true, rule: 'outside_limits' }
      : { ...p, value, ucl, lcl, unusual: false };
  });
  if (options.runs && centre !== null) flagRuns(points, centre);
  return { centre, points };
}

// ---------------------------------------------------------------------------------------------------------------
// FCA complaints return (DISP 1.10, DISP 1 Annex 1R)

export type FcaBand = 'within3BusinessDays' | 'within8Weeks' | 'after8Weeks';
export const EIGHT_WEEKS_MS = 56 * DAY_MS;

/**
 * The closure band of the FCA return: closed within 3 business days (by close of the third business day after the
 * day of receipt, `businessDaysBetween` ≤ 3); else closed within 8 weeks of receipt (closedAt ≤ receivedAt + 56
 * days); else after 8 weeks.
 */
export function fcaBand(cal: Calendar | CompiledCalendar, receivedAt: Date, closedAt: Date): FcaBand {
  if (businessDaysBetween(cal, receivedAt, closedAt) <= 3) return 'within3BusinessDays';
  if (closedAt.getTime() - receivedAt.getTime() <= EIGHT_WEEKS_MS) return 'within8Weeks';
  return 'after8Weeks';
}

// ---------------------------------------------------------------------------------------------------------------
// Periods (local dates in the organisation's time zone)

export const PERIODS = ['day', 'week', 'month', 'quarter'] as const;
export type PeriodUnit = (typeof PERIODS)[number];

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
function civil(dn: number): [number, number, number] {
  const d = new Date(dn * DAY_MS);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}
const dnOf = (y: number, m: number, d: number) => Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
export const dateOfDn = (dn: number): string => {
  const [y, m, d] = civil(dn);
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
};
export const dnOfDate = (s: string): number => Math.floor(Date.parse(`${s}T00:00:00Z`) / DAY_MS);

/** The first local day of the period (ISO weeks start on Monday; quarters in January, April, July, October). */
export function periodStartDn(dn: number, unit: PeriodUnit): number {
  if (unit === 'day') return dn;
  if (unit === 'week') return dn - (isoWeekday(dn) - 1);
  const [y, m] = civil(dn);
  return unit === 'month' ? dnOf(y, m, 1) : dnOf(y, m - ((m - 1) % 3), 1);
}

function nextPeriodDn(start: number, unit: PeriodUnit): number {
  if (unit === 'day') return start + 1;
  if (unit === 'week') return start + 7;
  const [y, m] = civil(start);
  return dnOf(y, m + (unit === 'month' ? 1 : 3), 1);
}

/** The periods overlapping from..to (local dates, inclusive), keyed by their first day 'YYYY-MM-DD'. */
export function periodsBetween(
  from: string,
  to: string,
  unit: PeriodUnit,
): Array<{ key: string; startDn: number; endDn: number }> {
  const out: Array<{ key: string; startDn: number; endDn: number }> = [];
  const last = dnOfDate(to);
  for (let s = periodStartDn(dnOfDate(from), unit); s <= last; s = nextPeriodDn(s, unit))
    out.push({ key: dateOfDn(s), startDn: s, endDn: nextPeriodDn(s, unit) - 1 });
  return out;
}

/** A readable label of a period key: 2026-03-02 (day), 2026-W10 (ISO week), 2026-03 (month), 2026-Q1. */
export function periodLabel(key: string, unit: PeriodUnit): string {
  const dn = dnOfDate(key);
  const [y, m] = civil(dn);
  if (unit === 'day') return key;
  if (unit === 'month') return `${pad(y, 4)}-${pad(m)}`;
  if (unit === 'quarter') return `${pad(y, 4)}-Q${Math.floor((m - 1) / 3) + 1}`;
  const thursday = dn + (4 - isoWeekday(dn));
  const [wy] = civil(thursday);
  const week = Math.floor((thursday - dnOf(wy, 1, 1)) / 7) + 1;
  return `${pad(wy, 4)}-W${pad(week)}`;
}
