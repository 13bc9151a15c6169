import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBusinessHours, type Calendar, weekdayHours } from '../deadlines/calendar.ts';
import { defaultCalendar, gbEaw } from '../deadlines/preset-calendars.ts';
import {
  ageDays,
  backlogBand,
  businessDaysBetween,
  businessHoursBetween,
  businessMsBetween,
  computeKpis,
  fcaBand,
  isOpenAt,
  median,
  pareto,
  pChart,
  per1000,
  percentile,
  periodLabel,
  periodsBetween,
  periodStartDn,
  dnOfDate,
  dateOfDn,
  ratio,
  remedyTotal,
  satisfaction,
  uChart,
  upholdRate,
  type ComplaintFact,
} from './formulas.ts';
import { calendarTables } from './business-calendar.ts';
import { countAt, customersAt } from './customers.ts';

const d = (s: string) => new Date(s);

describe('percentile (linear interpolation, type 7)', () => {
  it('hand-computed values', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(median([7])).toBe(7);
    expect(percentile([7], 0.9)).toBe(7);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(median([3, 1, 2])).toBe(2);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 12);
    expect(percentile([4, 66], 0.9)).toBeCloseTo(59.8, 12);
    expect(median([5, 5, 5, 9])).toBe(5); // ties
    expect(percentile([2, 9], 0)).toBe(2);
    expect(percentile([2, 9], 1)).toBe(9);
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
  });

  it('property: between min and max, monotonic in p, order-independent', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (xs, p, q) => {
          const v = percentile(xs, p)!;
          expect(v).toBeGreaterThanOrEqual(Math.min(...xs) - 1e-9);
          expect(v).toBeLessThanOrEqual(Math.max(...xs) + 1e-9);
          const [lo, hi] = p <= q ? [p, q] : [q, p];
          expect(percentile(xs, lo)!).toBeLessThanOrEqual(percentile(xs, hi)! + 1e-6);
          expect(percentile([...xs].reverse(), p)).toBeCloseTo(v, 6);
        },
      ),
    );
  });

  it('property: the median of an odd count is the middle value', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 41 })
          .filter((a) => a.length % 2 === 1),
        (xs) => {
          const s = [...xs].sort((a, b) => a - b);
          expect(median(xs)).toBe(s[(s.length - 1) / 2]);
        },
      ),
    );
  });
});

describe('rates and sums', () => {
  it('ratio, uphold rate (partly counts), redress, satisfaction, per 1000', () => {
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(1, 4)).toBe(0.25);
    expect(upholdRate([])).toBeNull();
    expect(upholdRate([null, null])).toBeNull();
    expect(upholdRate(['upheld', 'partly_upheld', 'not_upheld', null])).toBeCloseTo(2 / 3, 12);
    expect(remedyTotal([{ amount: 10 }, {}, { amount: 2.5 }, { amount: null }])).toBe(12.5);
    expect(remedyTotal(null)).toBe(0);
    expect(satisfaction([])).toEqual({ responses: 0, mean: null });
    expect(
      satisfaction([
        { a: 5, b: 4 },
        { a: 2, b: 3 },
      ]),
    ).toEqual({ responses: 2, mean: 3.5 });
    expect(satisfaction([{ a: 5, b: 9 }])).toEqual({ responses: 1, mean: 5 }); // out-of-scale answers ignored
    expect(per1000(4, 2000)).toBe(2);
    expect(per1000(4, null)).toBeNull();
    expect(per1000(4, 0)).toBeNull();
  });

  it('property: uphold rate within 0..1 and equal to the share of upheld + partly upheld', () => {
    const outcome = fc.constantFrom('upheld' as const, 'partly_upheld' as const, 'not_upheld' as const, null);
    fc.assert(
      fc.property(fc.array(outcome, { maxLength: 50 }), (os) => {
        const r = upholdRate(os);
        const decided = os.filter((o) => o !== null);
        if (decided.length === 0) expect(r).toBeNull();
        else expect(r).toBeCloseTo(decided.filter((o) => o !== 'not_upheld').length / decided.length, 12);
      }),
    );
  });
});

describe('open complaints and backlog bands', () => {
  it('bands at their edges', () => {
    expect([0, 7, 8, 28, 29, 56, 57, 400].map(backlogBand)).toEqual([
      '0-7',
      '0-7',
      '8-28',
      '8-28',
      '29-56',
      '29-56',
      '57+',
      '57+',
    ]);
    expect(ageDays(d('2026-03-01T12:00:00Z'), d('2026-03-09T11:59:59Z'))).toBe(7);
    expect(ageDays(d('2026-03-01T12:00:00Z'), d('2026-03-09T12:00:00Z'))).toBe(8);
    expect(isOpenAt(d('2026-03-01T00:00:00Z'), null, d('2026-03-01T00:00:00Z'))).toBe(true);
    expect(isOpenAt(d('2026-03-01T00:00:00Z'), d('2026-03-02T00:00:00Z'), d('2026-03-02T00:00:00Z'))).toBe(
      false,
    );
    expect(isOpenAt(d('2026-03-02T00:00:00Z'), null, d('2026-03-01T00:00:00Z'))).toBe(false);
  });
});

describe('business time through the deadline engine calendars', () => {
  it('hand-computed: weekends, working hours, holidays, DST', () => {
    // Fri 16:00 → Mon 10:00 (UTC, Mon–Fri 09–17) = 2 h
    expect(businessHoursBetween(defaultCalendar, d('2026-03-06T16:00:00Z'), d('2026-03-09T10:00:00Z'))).toBe(
      2,
    );
    expect(businessHoursBetween(defaultCalendar, d('2026-03-09T10:00:00Z'), d('2026-03-06T16:00:00Z'))).toBe(
      0,
    );
    expect(businessHoursBetween(defaultCalendar, d('2026-03-07T10:00:00Z'), d('2026-03-08T10:00:00Z'))).toBe(
      0,
    ); // weekend
    // England: Good Friday 2026-04-03 and Easter Monday 2026-04-06 are holidays; Thu 2 Apr 16:00 BST → Tue 7 Apr 10:00 BST
    expect(businessHoursBetween(gbEaw, d('2026-04-02T15:00:00Z'), d('2026-04-07T09:00:00Z'))).toBe(2);
    // Across the spring-forward (29 Mar 2026, London): Fri 27 Mar 16:00 GMT → Mon 30 Mar 10:00 BST = 2 h
    expect(businessHoursBetween(gbEaw, d('2026-03-27T16:00:00Z'), d('2026-03-30T09:00:00Z'))).toBe(2);
    // Business days: same day 0; Fri → Mon 1; Fri 20 Feb → Wed 25 Mar 23
    expect(businessDaysBetween(defaultCalendar, d('2026-03-02T09:00:00Z'), d('2026-03-02T18:00:00Z'))).toBe(
      0,
    );
    expect(businessDaysBetween(defaultCalendar, d('2026-03-06T16:00:00Z'), d('2026-03-09T10:00:00Z'))).toBe(
      1,
    );
    expect(businessDaysBetween(defaultCalendar, d('2026-02-20T10:00:00Z'), d('2026-03-25T10:00:00Z'))).toBe(
      23,
    );
    expect(businessDaysBetween(gbEaw, d('2026-04-02T10:00:00Z'), d('2026-04-07T10:00:00Z'))).toBe(1); // Fri and Mon are holidays
  });

  it('property: adding n business hours with the engine and measuring them back gives n', () => {
    const cals: Calendar[] = [
      defaultCalendar,
      gbEaw,
      {
        ...defaultCalendar,
        id: 'split',
        workingHours: { ...weekdayHours('09:00', '12:00'), 6: [{ start: '10:00', end: '14:00' }] },
      },
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 0, 1) }),
        fc.integer({ min: 0, max: 400 }),
        fc.constantFrom(...cals),
        (startMs, hours, cal) => {
          const start = new Date(startMs);
          const end = addBusinessHours(cal, start, hours);
          expect(businessHoursBetween(cal, start, end)).toBeCloseTo(hours, 6);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: additive over an intermediate instant', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 11, 31) }), {
          minLength: 3,
          maxLength: 3,
        }),
        (xs) => {
          const [a, b, c] = [...xs].sort((x, y) => x - y).map((x) => new Date(x)) as [Date, Date, Date];
          expect(businessMsBetween(gbEaw, a, c)).toBe(
            businessMsBetween(gbEaw, a, b) + businessMsBetween(gbEaw, b, c),
          );
          expect(businessDaysBetween(gbEaw, a, c)).toBe(
            businessDaysBetween(gbEaw, a, b) + businessDaysBetween(gbEaw, b, c),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the SQL lookup tables equal the engine: cumulative business ms and days', () => {
    const { periods, days } = calendarTables(gbEaw, 2026, 2026);
    const bms = (t: number) => {
      let i = -1;
      for (let k = 0; k < periods.start.length && periods.start[k]! <= t; k++) i = k;
      return i < 0 ? 0 : periods.cum[i]! + Math.max(0, Math.min(t, periods.end[i]!) - periods.start[i]!);
    };
    const year = Date.UTC(2026, 0, 1);
    fc.assert(
      fc.property(
        fc.integer({ min: year, max: year + 360 * 86_400_000 }),
        fc.integer({ min: 0, max: 40 * 86_400_000 }),
        (a, len) => {
          const b = Math.min(a + len, Date.UTC(2026, 11, 31));
          if (b < a) return;
          expect(bms(b) - bms(a)).toBe(businessMsBetween(gbEaw, new Date(a), new Date(b)));
        },
      ),
      { numRuns: 200 },
    );
    const cum = (iso: string) => days.cum[days.day.indexOf(iso)]!;
    expect(cum('2026-04-07') - cum('2026-04-02')).toBe(
      businessDaysBetween(gbEaw, d('2026-04-02T10:00:00Z'), d('2026-04-07T10:00:00Z')),
    );
  });
});

describe('Pareto', () => {
  it('sorted, ties by key, cumulative to 100, zeros left out', () => {
    expect(pareto([])).toEqual({ total: 0, items: [] });
    const r = pareto([
      { key: 'web', label: 'Web', count: 1 },
      { key: 'phone', label: 'Phone', count: 2 },
      { key: 'email', label: 'E-mail', count: 1 },
      { key: 'post', label: 'Post', count: 0 },
    ]);
    expect(r.total).toBe(4);
    expect(r.items.map((i) => [i.key, i.pct, i.cumulativePct])).toEqual([
      ['phone', 50, 50],
      ['email', 25, 75],
      ['web', 25, 100],
    ]);
  });

  it('property: cumulative is non-decreasing and ends at 100; counts sorted', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ key: fc.string({ minLength: 1, maxLength: 4 }), count: fc.nat(50) }), {
          selector: (x) => x.key,
          maxLength: 20,
        }),
        (xs) => {
          const r = pareto(xs.map((x) => ({ ...x, label: x.key })));
          expect(r.total).toBe(xs.reduce((s, x) => s + x.count, 0));
          for (let i = 1; i < r.items.length; i++) {
            expect(r.items[i]!.count).toBeLessThanOrEqual(r.items[i - 1]!.count);
            expect(r.items[i]!.cumulativePct).toBeGreaterThanOrEqual(r.items[i - 1]!.cumulativePct);
          }
          if (r.items.length) expect(r.items.at(-1)!.cumulativePct).toBe(100);
        },
      ),
    );
  });
});

describe('control charts', () => {
  it('p-chart: hand-computed limits, LCL clipped at 0, empty periods', () => {
    const r = pChart([
      { period: 'a', n: 100, x: 10 },
      { period: 'b', n: 0, x: 0 },
      { period: 'c', n: 100, x: 30 },
      { period: 'd', n: 25, x: 0 },
    ]);
    expect(r.centre).toBeCloseTo(40 / 225, 12);
    const p = 40 / 225;
    const a = r.points[0]!;
    expect(a.value).toBe(0.1);
    expect(a.ucl).toBeCloseTo(p + 3 * Math.sqrt((p * (1 - p)) / 100), 12);
    expect(a.lcl).toBeCloseTo(p - 3 * Math.sqrt((p * (1 - p)) / 100), 12);
    expect(r.points[1]).toMatchObject({ value: null, ucl: null, lcl: null, unusual: false });
    expect(r.points[2]).toMatchObject({ unusual: true, rule: 'outside_limits' }); // 0.30 > UCL 0.293
    expect(r.points[3]!.lcl).toBe(0); // clipped
    expect(r.points[3]!.unusual).toBe(false);
    expect(pChart([]).centre).toBeNull();
    expect(pChart([{ period: 'x', n: 0, x: 0 }]).points[0]!.value).toBeNull();
  });

  it('a run of 8 on one side is flagged only with runs on, and only from 8 points', () => {
    const pts = (k: number) => [
      ...Array.from({ length: k }, (_, i) => ({ period: `h${i}`, n: 100, x: 22 })),
      ...Array.from({ length: 10 }, (_, i) => ({ period: `l${i}`, n: 100, x: 18 })),
    ];
    expect(pChart(pts(8)).points.some((p) => p.unusual)).toBe(false);
    const r = pChart(pts(8), { runs: true });
    expect(r.points.slice(0, 8).every((p) => p.rule === 'run_of_8')).toBe(true);
    expect(r.points.slice(8).every((p) => p.rule === 'run_of_8')).toBe(true); // 10 below
    const r7 = pChart(
      [...pts(7).slice(0, 7), ...Array.from({ length: 7 }, (_, i) => ({ period: `z${i}`, n: 100, x: 18 }))],
      { runs: true },
    );
    expect(r7.points.some((p) => p.unusual)).toBe(false);
  });

  it('u-chart: centre and limits', () => {
    const r = uChart([
      { period: 'a', n: 2, x: 1 },
      { period: 'b', n: 2, x: 1 },
      { period: 'c', n: 4, x: 4 },
    ]);
    expect(r.centre).toBe(0.75);
    expect(r.points[2]!.ucl).toBeCloseTo(0.75 + 3 * Math.sqrt(0.75 / 4), 12);
    expect(r.points[0]!.lcl).toBe(0);
  });

  it('property: limits contain the centre and LCL ≥ 0, UCL ≤ 1 for p', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.nat(200).chain((n) => fc.record({ period: fc.constant('p'), n: fc.constant(n), x: fc.nat(n) })),
          { minLength: 1, maxLength: 30 },
        ),
        (input) => {
          const r = pChart(input, { runs: true });
          for (const p of r.points) {
            if (p.value === null) continue;
            expect(p.lcl!).toBeGreaterThanOrEqual(0);
            expect(p.ucl!).toBeLessThanOrEqual(1);
            expect(p.lcl!).toBeLessThanOrEqual(r.centre! + 1e-12);
            expect(p.ucl!).toBeGreaterThanOrEqual(r.centre! - 1e-12);
            if (p.rule === 'outside_limits') expect(p.value > p.ucl! || p.value < p.lcl!).toBe(true);
          }
        },
      ),
    );
  });
});

describe('FCA bands', () => {
  it('within 3 business days, within 8 weeks, after', () => {
    expect(fcaBand(defaultCalendar, d('2026-03-06T16:00:00Z'), d('2026-03-11T16:00:00Z'))).toBe(
      'within3BusinessDays',
    ); // Fri → Wed = 3
    expect(fcaBand(defaultCalendar, d('2026-03-06T16:00:00Z'), d('2026-03-12T09:00:00Z'))).toBe(
      'within8Weeks',
    ); // Thu = 4
    expect(fcaBand(defaultCalendar, d('2026-01-01T10:00:00Z'), d('2026-02-26T10:00:00Z'))).toBe(
      'within8Weeks',
    ); // exactly 56 days
    expect(fcaBand(defaultCalendar, d('2026-01-01T10:00:00Z'), d('2026-02-26T10:00:01Z'))).toBe(
      'after8Weeks',
    );
  });
});

describe('periods', () => {
  it('starts, lists and labels in local dates', () => {
    expect(dateOfDn(periodStartDn(dnOfDate('2026-03-04'), 'week'))).toBe('2026-03-02');
    expect(dateOfDn(periodStartDn(dnOfDate('2026-03-01'), 'week'))).toBe('2026-02-23');
    expect(dateOfDn(periodStartDn(dnOfDate('2026-08-31'), 'quarter'))).toBe('2026-07-01');
    expect(periodsBetween('2026-01-15', '2026-03-01', 'month').map((p) => p.key)).toEqual([
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
    ]);
    expect(periodsBetween('2025-12-30', '2026-01-02', 'day')).toHaveLength(4);
    expect(periodLabel('2026-02-23', 'week')).toBe('2026-W09');
    expect(periodLabel('2024-12-30', 'week')).toBe('2025-W01');
    expect(periodLabel('2026-04-01', 'quarter')).toBe('2026-Q2');
    expect(periodLabel('2026-04-01', 'month')).toBe('2026-04');
  });

  it('property: consecutive periods tile the range without gaps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: dnOfDate('2000-01-01'), max: dnOfDate('2040-01-01') }),
        fc.nat(800),
        fc.constantFrom('day' as const, 'week' as const, 'month' as const, 'quarter' as const),
        (f, len, unit) => {
          const ps = periodsBetween(dateOfDn(f), dateOfDn(f + len), unit);
          expect(ps[0]!.startDn).toBeLessThanOrEqual(f);
          expect(ps.at(-1)!.endDn).toBeGreaterThanOrEqual(f + len);
          for (let i = 1; i < ps.length; i++) expect(ps[i]!.startDn).toBe(ps[i - 1]!.endDn + 1);
        },
      ),
    );
  });
});

describe('customer denominators', () => {
  const rows = [
    { product: 'cards', validFrom: '2026-01-01', customers: 1000 },
    { product: 'cards', validFrom: '2026-06-01', customers: 3000 },
    { product: 'loans', validFrom: '2026-03-01', customers: 500 },
  ];
  it('in force on a date, the first row before it, sums and the organisation row', () => {
    expect(countAt(rows, 'cards', '2025-05-01')).toBe(1000);
    expect(countAt(rows, 'cards', '2026-05-31')).toBe(1000);
    expect(countAt(rows, 'cards', '2026-06-01')).toBe(3000);
    expect(countAt(rows, 'none', '2026-06-01')).toBeNull();
    expect(customersAt(rows, null, '2026-06-01')).toBe(3500);
    expect(customersAt(rows, ['loans'], '2026-06-01')).toBe(500);
    expect(
      customersAt([...rows, { product: '*', validFrom: '2020-01-01', customers: 9000 }], null, '2026-06-01'),
    ).toBe(9000);
    expect(customersAt([], null, '2026-06-01')).toBeNull();
  });
});

describe('computeKpis: small fixtures', () => {
  const base: ComplaintFact = {
    receivedAt: d('2026-03-02T09:00:00Z'),
    acknowledgedAt: null,
    closedAt: null,
    firstClosedAt: null,
    reopens: 0,
    escalated: false,
    outcome: null,
    redress: 0,
    targetDue: 0,
    targetMet: 0,
    breaches: 0,
  };
  const range = { from: d('2026-03-01T00:00:00Z'), to: d('2026-04-01T00:00:00Z') };

  it('no complaints: zeros and nulls', () => {
    const k = computeKpis([], range, defaultCalendar);
    expect(k).toMatchObject({
      received: 0,
      closed: 0,
      open: 0,
      reopenRate: null,
      escalationRate: null,
      upholdRate: null,
      redressPaid: 0,
    });
    expect(k.acknowledge).toEqual({
      count: 0,
      medianHours: null,
      p90Hours: null,
      medianBusinessHours: null,
      p90BusinessHours: null,
    });
    expect(k.withinTarget).toEqual({ due: 0, met: 0, pct: null });
  });

  it('a single complaint acknowledged and closed', () => {
    const k = computeKpis(
      [
        {
          ...base,
          acknowledgedAt: d('2026-03-02T13:00:00Z'),
          closedAt: d('2026-03-04T09:00:00Z'),
          firstClosedAt: d('2026-03-04T09:00:00Z'),
          outcome: 'upheld',
          redress: 100,
          targetDue: 2,
          targetMet: 1,
          breaches: 1,
        },
      ],
      range,
      defaultCalendar,
    );
    expect(k).toMatchObject({
      received: 1,
      closed: 1,
      open: 0,
      reopenRate: 0,
      escalationRate: 0,
      upholdRate: 1,
      redressPaid: 100,
      breaches: 1,
    });
    expect(k.acknowledge).toEqual({
      count: 1,
      medianHours: 4,
      p90Hours: 4,
      medianBusinessHours: 4,
      p90BusinessHours: 4,
    });
    expect(k.resolve).toEqual({
      count: 1,
      medianDays: 2,
      p90Days: 2,
      medianBusinessDays: 2,
      p90BusinessDays: 2,
    });
    expect(k.withinTarget).toEqual({ due: 2, met: 1, pct: 50 });
  });

  it('a reopened complaint: first closure in the range counts it in the reopen rate; open again → in the backlog', () => {
    const k = computeKpis(
      [{ ...base, closedAt: null, firstClosedAt: d('2026-03-10T00:00:00Z'), reopens: 1 }],
      range,
      defaultCalendar,
    );
    expect(k.reopenRate).toBe(1);
    expect(k.closed).toBe(0);
    expect(k.open).toBe(1);
    expect(k.backlog).toEqual({ '0-7': 0, '8-28': 0, '29-56': 1, '57+': 0 }); // 2 Mar 09:00 → 1 Apr 00:00 = 29 days 15 h
  });

  it('merged complaints are left out', () => {
    expect(computeKpis([{ ...base, merged: true }], range, defaultCalendar).received).toBe(0);
  });
});
