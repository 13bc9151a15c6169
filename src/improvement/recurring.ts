/** Recurring problems (IMP-3): (category or product) × root cause combinations that come back period after period. */
export interface RecurringCell {
  scope: string;
  rootCause: string;
  period: string;
  count: number;
}

export interface RecurringProblem {
  scope: string;
  rootCause: string;
  total: number;
  periods: number;
  /** Counts by period, oldest first. */
  series: Array<{ period: string; count: number }>;
}

/** Combinations seen in at least `minPeriods` distinct periods, or at least `minCount` times in all; most first. */
export function findRecurring(
  cells: readonly RecurringCell[],
  o: { minPeriods: number; minCount: number },
): RecurringProblem[] {
  const by = new Map<string, RecurringProblem>();
  for (const c of cells) {
    if (c.count <= 0) continue;
    const k = `${c.scope}\u0000${c.rootCause}`;
    const p = by.get(k) ?? { scope: c.scope, rootCause: c.rootCause, total: 0, periods: 0, series: [] };
    const s = p.series.find((x) => x.period === c.period);
    if (s) s.count += c.count;
    else p.series.push({ period: c.period, count: c.count });
    p.total += c.count;
    by.set(k, p);
  }
  const out: RecurringProblem[] = [];
  for (const p of by.values()) {
    p.periods = p.series.length;
    p.series.sort((a, b) => (a.period < b.period ? -1 : 1));
    if (p.periods >= o.minPeriods || p.total >= o.minCount) out.push(p);
  }
  return out.sort(
    (a, b) =>
      b.total - a.total || b.periods - a.periods || (a.scope + a.rootCause < b.scope + b.rootCause ? -1 : 1),
  );
}
