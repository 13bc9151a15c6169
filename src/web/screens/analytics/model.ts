/**
 * The analytics dashboard's pure part (IMP-1, IMP-2): the API's shapes, the filters kept in the address, date-range
 * presets, period labels and the CSV of what a chart shows. No I/O; tested beside it (model.test.ts).
 */

export const groupBys = ['period', 'category', 'product', 'channel', 'team', 'handler', 'language'] as const;
export type GroupBy = (typeof groupBys)[number];
export const periods = ['day', 'week', 'month', 'quarter'] as const;
export type Period = (typeof periods)[number];
export const rangePresets = ['last30', 'last90', 'last12m', 'thisYear', 'lastYear'] as const;
export type RangePreset = (typeof rangePresets)[number];
export const controlMetrics = ['upheld', 'breached', 'reopened'] as const;
export type ControlMetric = (typeof controlMetrics)[number];
export const bases = ['calendar', 'business'] as const;
export type Basis = (typeof bases)[number];

/** The figures of one group, as the API defines them (src/analytics/formulas.ts: one definition, server and screen). */
import type { Kpis } from '../../../analytics/formulas.ts';
export type { Kpis };
export { BACKLOG_BANDS as backlogBands, type BacklogBand } from '../../../analytics/formulas.ts';

export interface KpiReport {
  from: string;
  to: string;
  groupBy: GroupBy;
  period: Period;
  timeZone: string;
  generatedAt: string;
  totals: Kpis;
  groups: Array<{ key: string; label: string; kpis: Kpis }>;
}
export interface Pareto {
  dimension: string;
  total: number;
  items: Array<{ key: string; label: string; count: number; pct: number; cumulativePct: number }>;
}
export interface ControlChart {
  metric: string;
  chart: 'p' | 'u';
  centre: number | null;
  points: Array<{
    period: string;
    n: number;
    x: number;
    value: number | null;
    ucl: number | null;
    lcl: number | null;
    unusual: boolean;
    rule?: string;
  }>;
}

/** What the dashboard shows: everything the address can say. */
export interface Filters {
  /** A preset range (kept as such in the address, so a shared link stays "the last 12 months"), or custom from/to. */
  range: RangePreset | 'custom';
  from: string;
  to: string;
  period: Period;
  groupBy: GroupBy;
  basis: Basis;
  metric: ControlMetric;
  category: string;
  product: string;
  channel: string;
  team: string;
  type: string;
}
const dimensionKeys = ['category', 'product', 'channel', 'team', 'type'] as const;
export const defaults = {
  range: 'last12m',
  period: 'month',
  groupBy: 'category',
  basis: 'calendar',
  metric: 'upheld',
} as const;

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (s: string | null): s is string => {
  if (!s || !isoDate.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};
const oneOf = <T extends string>(list: readonly T[], v: string | null, fallback: T): T =>
  v !== null && (list as readonly string[]).includes(v) ? (v as T) : fallback;

/** A local calendar date (YYYY-MM-DD) of a moment: the user's "today". */
export function localDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The from/to dates (inclusive) of a preset, counted back from today. */
export function presetRange(preset: RangePreset, today: string): { from: string; to: string } {
  const year = Number(today.slice(0, 4));
  switch (preset) {
    case 'last30':
      return { from: addDays(today, -29), to: today };
    case 'last90':
      return { from: addDays(today, -89), to: today };
    case 'last12m': {
      // Twelve whole months: from the first day of the month eleven months back.
      const m = Number(today.slice(5, 7)) - 1 - 11;
      const d = new Date(Date.UTC(year, m, 1));
      return { from: d.toISOString().slice(0, 10), to: today };
    }
    case 'thisYear':
      return { from: `${year}-01-01`, to: today };
    case 'lastYear':
      return { from: `${year - 1}-01-01`, to: `${year - 1}-12-31` };
  }
}

/** The filters from an address's query (anything missing or malformed takes its default). */
export function fromSearch(s: URLSearchParams, today: string): Filters {
  const from = s.get('from');
  const to = s.get('to');
  const custom = validDate(from) && validDate(to) && from <= to;
  const range: Filters['range'] = custom ? 'custom' : oneOf(rangePresets, s.get('range'), defaults.range);
  const dates = custom ? { from: from, to: to } : presetRange(range as RangePreset, today);
  const dims = Object.fromEntries(dimensionKeys.map((k) => [k, (s.get(k) ?? '').slice(0, 200)])) as Pick<
    Filters,
    (typeof dimensionKeys)[number]
  >;
  return {
    range,
    ...dates,
    period: oneOf(periods, s.get('period'), defaults.period),
    groupBy: oneOf(groupBys, s.get('groupBy'), defaults.groupBy),
    basis: oneOf(bases, s.get('basis'), defaults.basis),
    metric: oneOf(controlMetrics, s.get('metric'), defaults.metric),
    ...dims,
  };
}

/** The address's query for these filters: only what differs from the defaults (a short, shareable link). */
export function toSearch(f: Filters, keep?: URLSearchParams): URLSearchParams {
  const s = new URLSearchParams();
  const lang = keep?.get('lang');
  if (lang) s.set('lang', lang);
  if (f.range === 'custom') {
    s.set('from', f.from);
    s.set('to', f.to);
  } else if (f.range !== defaults.range) s.set('range', f.range);
  for (const k of ['period', 'groupBy', 'basis', 'metric'] as const) if (f[k] !== defaults[k]) s.set(k, f[k]);
  for (const k of dimensionKeys) if (f[k]) s.set(k, f[k]);
  return s;
}

/** The API query of these filters (dates and the narrowing dimensions). */
export function apiParams(f: Filters): Record<string, string> {
  const out: Record<string, string> = { from: f.from, to: f.to };
  for (const k of dimensionKeys) if (f[k]) out[k] = f[k];
  return out;
}

/** The control chart's period: weekly for daily or weekly views, monthly otherwise. */
export const controlPeriod = (p: Period): 'week' | 'month' =>
  p === 'day' || p === 'week' ? 'week' : 'month';

/**
 * A period's name for people, from its key ("2026-03", "2026-03-01", "2026-W10", "2026-Q1") in the given locale:
 * a month as "Mar 2026", a quarter as "Q1 2026", a day or week as its (first) date. Unknown shapes: the fallback.
 */
export function periodLabel(key: string, period: Period, locale: string, fallback = key): string {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(key);
  const q = /^(\d{4})-?Q([1-4])$/i.exec(key);
  if (q) return `Q${q[2]} ${new Intl.NumberFormat(locale, { useGrouping: false }).format(Number(q[1]))}`;
  if (!m) return fallback;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, m[3] ? Number(m[3]) : 1, 12));
  if (Number.isNaN(date.getTime())) return fallback;
  if (period === 'quarter') {
    const quarter = Math.floor(date.getUTCMonth() / 3) + 1;
    return `Q${quarter} ${new Intl.NumberFormat(locale, { useGrouping: false }).format(date.getUTCFullYear())}`;
  }
  if (period === 'month' || !m[3])
    return new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(date);
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

export type Cell = string | number | null | undefined;

/** RFC 4180 CSV (CRLF, quoted where needed), with a BOM for spreadsheets, and cells that a spreadsheet would take for a formula made inert. */
export function toCsv(header: string[], rows: Cell[][]): string {
  const cell = (v: Cell) => {
    if (v === null || v === undefined) return '';
    let s = String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** A safe file name part from a title ("Pareto of categories" → "pareto-of-categories"). */
export function fileSlug(s: string): string {
  const slug = s
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, 60) || 'chart';
}

/** A ratio (0..1) as a percentage number with one decimal, or null. */
export const pct = (r: number | null | undefined): number | null =>
  r === null || r === undefined || !Number.isFinite(r) ? null : Math.round(r * 1000) / 10;

/** Whether a report holds no complaint at all (nothing received, nothing open, nothing closed in the range). */
export const isEmpty = (k: Kpis | undefined): boolean =>
  !k || (k.received === 0 && k.open === 0 && k.closed === 0);
