import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { toLocalDateTime } from '../deadlines/calendar.ts';
import { nextRunAfter, periodInstants, reportPeriod, type Recurrence } from './schedule.ts';

const base: Recurrence = {
  frequency: 'daily',
  timeOfDay: '07:00',
  weekday: 1,
  dayOfMonth: 1,
  timeZone: 'Europe/London',
};

describe('nextRunAfter', () => {
  it('daily at 07:00 local, across the spring DST change', () => {
    expect(nextRunAfter(base, new Date('2026-03-28T06:00:00Z')).toISOString()).toBe(
      '2026-03-28T07:00:00.000Z',
    );
    expect(nextRunAfter(base, new Date('2026-03-28T07:00:00Z')).toISOString()).toBe(
      '2026-03-29T06:00:00.000Z',
    );
  });
  it('weekly on a weekday, monthly on a day', () => {
    const weekly = {
      ...base,
      frequency: 'weekly' as const,
      weekday: 5,
      timeOfDay: '18:30',
      timeZone: 'Asia/Kolkata',
    };
    // 2026-12-04 is a Friday; 18:30 IST = 13:00 UTC
    expect(nextRunAfter(weekly, new Date('2026-12-04T12:00:00Z')).toISOString()).toBe(
      '2026-12-04T13:00:00.000Z',
    );
    expect(nextRunAfter(weekly, new Date('2026-12-04T13:00:00Z')).toISOString()).toBe(
      '2026-12-11T13:00:00.000Z',
    );
    const monthly = { ...base, frequency: 'monthly' as const, dayOfMonth: 28, timeZone: 'Australia/Sydney' };
    expect(nextRunAfter(monthly, new Date('2027-01-28T00:00:00Z')).toISOString()).toBe(
      '2027-02-27T20:00:00.000Z',
    );
  });
  it('is strictly after, on the right local day and time (property)', () => {
    const zones = ['Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Tehran', 'UTC'];
    fc.assert(
      fc.property(
        fc.constantFrom('daily', 'weekly', 'monthly'),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom(0, 15, 30, 45),
        fc.constantFrom(...zones),
        fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }),
        (frequency, weekday, dayOfMonth, h, m, timeZone, after) => {
          const r: Recurrence = {
            frequency: frequency,
            weekday,
            dayOfMonth,
            timeOfDay: `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`,
            timeZone,
          };
          const next = nextRunAfter(r, after);
          expect(next.getTime()).toBeGreaterThan(after.getTime());
          const span = next.getTime() - after.getTime();
          expect(span).toBeLessThanOrEqual(
            (frequency === 'daily' ? 1 : frequency === 'weekly' ? 7 : 31) * 86_400_000 + 7_200_000,
          );
          const local = toLocalDateTime(next, timeZone);
          if (frequency === 'weekly') expect(local.weekday).toBe(weekday);
          if (frequency === 'monthly') expect(Number(local.date.slice(8))).toBe(dayOfMonth);
          // the wall time is the one asked for, except inside a DST gap (then it is pushed forward)
          if (local.time.slice(0, 5) !== r.timeOfDay) expect(local.time > r.timeOfDay).toBe(true);
          // nothing in between: the previous candidate is not after `after`
          expect(nextRunAfter(r, new Date(next.getTime() - 1)).getTime()).toBe(next.getTime());
        },
      ),
    );
  });
});

describe('reportPeriod', () => {
  it('yesterday, the previous ISO week, the previous month', () => {
    const at = new Date('2026-03-01T06:00:00Z'); // Sunday 1 March 2026
    expect(reportPeriod('daily', at, 'Europe/London')).toEqual({ from: '2026-02-28', to: '2026-02-28' });
    expect(reportPeriod('weekly', at, 'Europe/London')).toEqual({ from: '2026-02-16', to: '2026-02-22' });
    expect(reportPeriod('monthly', at, 'Europe/London')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(reportPeriod('monthly', new Date('2026-01-05T00:00:00Z'), 'UTC')).toEqual({
      from: '2025-12-01',
      to: '2025-12-31',
    });
    // in Sydney it is already Sunday 1 March 17:00
    expect(reportPeriod('daily', new Date('2026-02-28T23:30:00Z'), 'Australia/Sydney')).toEqual({
      from: '2026-02-28',
      to: '2026-02-28',
    });
  });
  it('bounds a period by local midnights', () => {
    const { start, end } = periodInstants({ from: '2026-03-29', to: '2026-03-29' }, 'Europe/London');
    expect(start.toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(end.toISOString()).toBe('2026-03-29T23:00:00.000Z');
  });
});
