import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessEffectiveness } from './effectiveness.ts';

const doneAt = new Date('2026-01-01T00:00:00Z');
const days = (n: number) => new Date(doneAt.getTime() + n * 86_400_000);

describe('effectiveness check', () => {
  it('is too early to say before the after-window has passed, with a provisional rate', () => {
    const r = assessEffectiveness({
      before: 9,
      after: 1,
      doneAt,
      now: days(30),
      windowDays: 90,
      minDrop: 0.3,
    });
    expect(r.verdict).toBe('too_early');
    expect(r.beforeRate).toBe(3); // 9 in 90 days = 3 per 30 days
    expect(r.afterRate).toBe(1);
    expect(r.elapsedDays).toBe(30);
    expect(r.windowEndsAt).toBe('2026-04-01T00:00:00.000Z');
  });
  it('is effective when the rate fell by at least the configured share', () => {
    expect(
      assessEffectiveness({ before: 10, after: 7, doneAt, now: days(90), windowDays: 90, minDrop: 0.3 })
        .verdict,
    ).toBe('effective');
    expect(
      assessEffectiveness({ before: 10, after: 8, doneAt, now: days(90), windowDays: 90, minDrop: 0.3 })
        .verdict,
    ).toBe('not_effective');
    expect(
      assessEffectiveness({ before: 10, after: 0, doneAt, now: days(400), windowDays: 90, minDrop: 1 })
        .verdict,
    ).toBe('effective');
    const r = assessEffectiveness({
      before: 10,
      after: 5,
      doneAt,
      now: days(200),
      windowDays: 90,
      minDrop: 0.3,
    });
    expect(r.change).toBe(-0.5);
    expect(r.elapsedDays).toBe(90);
  });
  it('has no baseline when nothing matched before', () => {
    expect(
      assessEffectiveness({ before: 0, after: 0, doneAt, now: days(91), windowDays: 90, minDrop: 0.3 })
        .verdict,
    ).toBe('no_baseline');
  });
  it('has no after-rate during the first day after completion', () => {
    for (const now of [doneAt, new Date(doneAt.getTime() + 3_600_000)]) {
      const r = assessEffectiveness({ before: 3, after: 0, doneAt, now, windowDays: 30, minDrop: 0.3 });
      expect(r.afterRate).toBeNull();
      expect(r.change).toBeNull();
      expect(r.verdict).toBe('too_early');
    }
    expect(
      assessEffectiveness({ before: 3, after: 0, doneAt, now: days(1), windowDays: 30, minDrop: 0.3 })
        .afterRate,
    ).toBe(0);
  });
  it('never calls an action effective when complaints did not fall (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 7, max: 365 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (before, extra, w, drop) => {
          const r = assessEffectiveness({
            before,
            after: before + extra,
            doneAt,
            now: days(w),
            windowDays: w,
            minDrop: drop,
          });
          expect(r.verdict).toBe('not_effective');
        },
      ),
    );
  });
  it('is monotonic: more complaints after never turns "not effective" into "effective" (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 50 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (before, after, more, drop) => {
          const a = assessEffectiveness({
            before,
            after,
            doneAt,
            now: days(90),
            windowDays: 90,
            minDrop: drop,
          });
          const b = assessEffectiveness({
            before,
            after: after + more,
            doneAt,
            now: days(90),
            windowDays: 90,
            minDrop: drop,
          });
          if (a.verdict === 'not_effective') expect(b.verdict).toBe('not_effective');
          expect(b.afterRate!).toBeGreaterThanOrEqual(a.afterRate!);
        },
      ),
    );
  });
  it('rates scale with the window: same complaints per day give the same rate (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 6 }), (perMonth, k) => {
        const r = assessEffectiveness({
          before: perMonth * k,
          after: perMonth * k,
          doneAt,
          now: days(30 * k),
          windowDays: 30 * k,
          minDrop: 0.3,
        });
        expect(r.beforeRate).toBeCloseTo(perMonth, 6);
        expect(r.afterRate).toBeCloseTo(perMonth, 6);
      }),
    );
  });
});
