import { describe, expect, it } from 'vitest';
import { findRecurring } from './recurring.ts';

describe('recurring problems', () => {
  const cells = [
    { scope: 'fees', rootCause: 'process.delay', period: '2026-01', count: 2 },
    { scope: 'fees', rootCause: 'process.delay', period: '2026-02', count: 1 },
    { scope: 'fees', rootCause: 'process.delay', period: '2026-03', count: 4 },
    { scope: 'cards', rootCause: 'system.outage', period: '2026-02', count: 6 },
    { scope: 'cards', rootCause: 'people.error', period: '2026-02', count: 1 },
    { scope: 'loans', rootCause: 'policy.unclear', period: '2026-01', count: 0 },
  ];
  it('keeps combinations over several periods or above the count', () => {
    const r = findRecurring(cells, { minPeriods: 3, minCount: 5 });
    expect(r.map((p) => [p.scope, p.rootCause, p.total, p.periods])).toEqual([
      ['fees', 'process.delay', 7, 3],
      ['cards', 'system.outage', 6, 1],
    ]);
    expect(r[0]!.series.map((s) => s.period)).toEqual(['2026-01', '2026-02', '2026-03']);
  });
  it('ignores one-offs and empty cells', () => {
    expect(findRecurring(cells, { minPeriods: 4, minCount: 100 })).toEqual([]);
    expect(findRecurring([], { minPeriods: 1, minCount: 1 })).toEqual([]);
  });
  it('merges cells of the same period', () => {
    const r = findRecurring(
      [...cells, { scope: 'fees', rootCause: 'process.delay', period: '2026-01', count: 1 }],
      { minPeriods: 2, minCount: 99 },
    );
    expect(r[0]!.series[0]).toEqual({ period: '2026-01', count: 3 });
  });
});
