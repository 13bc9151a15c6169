import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CalendarError,
  addBusinessDays,
  addBusinessHours,
  civilFromDays,
  closeOfBusiness,
  daysFromCivil,
  endOfLocalDay,
  formatLocalDate,
  fromLocalDateTime,
  isBusinessDay,
  isoWeekday,
  localDateOf,
  parseLocalDate,
  toLocalDateTime,
  validateCalendar,
  weekdayHours,
  zoneFor,
  type Calendar,
} from './calendar.ts';
import { auNsw, gbEaw } from './preset-calendars.ts';
import { intlOffsetMinutes, iso, wallTime } from './test-helpers.ts';

const ZONES = [
  'Europe/London',
  'Australia/Sydney',
  'America/New_York',
  'Asia/Kolkata',
  'Europe/Berlin',
  'UTC',
];
const instant2025to2028 = fc
  .integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 11, 31) })
  .map((ms) => new Date(ms));

describe('civil date arithmetic', () => {
  it('round-trips day numbers and matches Date', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (dn) => {
        const [y, m, d] = civilFromDays(dn);
        expect(daysFromCivil(y, m, d)).toBe(dn);
        expect(formatLocalDate(dn)).toBe(new Date(dn * 86_400_000).toISOString().slice(0, 10));
        expect(isoWeekday(dn)).toBe(((new Date(dn * 86_400_000).getUTCDay() + 6) % 7) + 1);
      }),
    );
  });

  it('parses valid dates and rejects invalid ones', () => {
    expect(formatLocalDate(parseLocalDate('2028-02-29'))).toBe('2028-02-29');
    for (const bad of ['2026-02-29', '2026-13-01', '2026-1-1', '26-01-01', '2026-04-31', ''])
      expect(() => parseLocalDate(bad)).toThrow(CalendarError);
  });
});

describe('time-zone conversion', () => {
  it('agrees with Intl for random instants in every preset zone', () => {
    fc.assert(
      fc.property(instant2025to2028, fc.constantFrom(...ZONES), (d, tz) => {
        const l = toLocalDateTime(d, tz);
        expect(`${l.date} ${l.time}`).toBe(wallTime(d, tz));
        expect(l.offsetMinutes).toBe(intlOffsetMinutes(d, tz));
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips local wall time to the same instant (outside folds)', () => {
    fc.assert(
      fc.property(instant2025to2028, fc.constantFrom(...ZONES), (d, tz) => {
        const z = zoneFor(tz);
        const t = Math.floor(d.getTime() / 1000) * 1000;
        const back = z.toUtc(z.toLocal(t));
        // In an autumn fold the wall time is ambiguous and resolves to the earlier instant.
        if (back !== t) {
          expect(back).toBe(t - (z.offsetAt(back) - z.offsetAt(t)));
          expect(z.offsetAt(back)).toBeGreaterThan(z.offsetAt(t));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('finds the exact transition instants (London, Sydney, New York)', () => {
    const cases: Array<[string, string, number, number]> = [
      // zone, transition instant, offset before, offset after (minutes)
      ['Europe/London', '2026-03-29T01:00:00Z', 0, 60],
      ['Europe/London', '2026-10-25T01:00:00Z', 60, 0],
      ['Australia/Sydney', '2026-04-04T16:00:00Z', 660, 600], // 03:00 AEDT -> 02:00 AEST on 5 April
      ['Australia/Sydney', '2026-10-03T16:00:00Z', 600, 660], // 02:00 AEST -> 03:00 AEDT on 4 October
      ['America/New_York', '2026-03-08T07:00:00Z', -300, -240],
      ['America/New_York', '2026-11-01T06:00:00Z', -240, -300],
    ];
    for (const [tz, at, before, after] of cases) {
      const t = iso(at).getTime();
      expect(toLocalDateTime(new Date(t - 1000), tz).offsetMinutes).toBe(before);
      expect(toLocalDateTime(new Date(t), tz).offsetMinutes).toBe(after);
    }
  });

  it('resolves gaps forward and folds to the earlier instant (Temporal "compatible")', () => {
    // London 29 March 2026: 01:00–02:00 does not exist; 01:30 becomes 02:30 BST = 01:30Z.
    expect(fromLocalDateTime('2026-03-29', '01:30', 'Europe/London').toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    // London 25 October 2026: 01:30 happens at 00:30Z (BST) and 01:30Z (GMT): the earlier one.
    expect(fromLocalDateTime('2026-10-25', '01:30', 'Europe/London').toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    // Sydney 5 April 2026: 02:30 happens at 15:30Z (AEDT) and 16:30Z (AEST): the earlier one.
    expect(fromLocalDateTime('2026-04-05', '02:30', 'Australia/Sydney').toISOString()).toBe(
      '2026-04-04T15:30:00.000Z',
    );
    // Sydney 4 October 2026: 02:00–03:00 does not exist; 02:30 becomes 03:30 AEDT = 16:30Z on the 3rd.
    expect(fromLocalDateTime('2026-10-04', '02:30', 'Australia/Sydney').toISOString()).toBe(
      '2026-10-03T16:30:00.000Z',
    );
    expect(fromLocalDateTime('2026-07-01', '12:00', 'Asia/Kolkata').toISOString()).toBe(
      '2026-07-01T06:30:00.000Z',
    );
  });

  it('gives the local date of an instant', () => {
    expect(localDateOf(iso('2026-10-24T23:30:00Z'), 'Europe/London')).toBe('2026-10-25'); // 00:30 BST
    expect(localDateOf(iso('2026-10-25T23:30:00Z'), 'Europe/London')).toBe('2026-10-25'); // 23:30 GMT
    expect(localDateOf(iso('2026-03-07T03:30:00Z'), 'America/New_York')).toBe('2026-03-06');
  });

  it('rejects unknown zones', () => {
    expect(() => zoneFor('Mars/Olympus_Mons')).toThrow(CalendarError);
  });
});

describe('business days', () => {
  it('knows weekends and holidays (England & Wales)', () => {
    expect(isBusinessDay(gbEaw, '2026-12-24')).toBe(true);
    expect(isBusinessDay(gbEaw, '2026-12-25')).toBe(false); // Christmas
    expect(isBusinessDay(gbEaw, '2026-12-26')).toBe(false); // Saturday
    expect(isBusinessDay(gbEaw, '2026-12-28')).toBe(false); // Boxing Day substitute
    expect(isBusinessDay(gbEaw, '2026-12-29')).toBe(true);
  });

  it('adds business days skipping weekends and holidays', () => {
    // Thu 24 Dec 2026 -> 29, 30, 31 Dec (25, 26, 27, 28 skipped) -> 4 Jan 2027 (1 Jan, 2, 3 skipped).
    expect(addBusinessDays(gbEaw, '2026-12-24', 1)).toBe('2026-12-29');
    expect(addBusinessDays(gbEaw, '2026-12-24', 3)).toBe('2026-12-31');
    expect(addBusinessDays(gbEaw, '2026-12-24', 4)).toBe('2027-01-04');
    expect(addBusinessDays(gbEaw, '2026-12-24', 0)).toBe('2026-12-24');
    // Sydney, Easter 2026: Thu 2 April + 1 -> Tue 7 April (Good Friday, weekend, Easter Monday skipped).
    expect(addBusinessDays(auNsw, '2026-04-02', 1)).toBe('2026-04-07');
  });

  it('never lands on a closed day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 729 }), fc.integer({ min: 0, max: 60 }), (offset, n) => {
        const start = formatLocalDate(parseLocalDate('2026-01-01') + offset);
        const d = addBusinessDays(gbEaw, start, n);
        if (n > 0) expect(isBusinessDay(gbEaw, d)).toBe(true);
        expect(d >= start).toBe(true);
      }),
    );
  });

  it('gives close of business and end of day in local time across DST', () => {
    expect(closeOfBusiness(gbEaw, '2026-03-27').toISOString()).toBe('2026-03-27T17:00:00.000Z'); // GMT
    expect(closeOfBusiness(gbEaw, '2026-03-30').toISOString()).toBe('2026-03-30T16:00:00.000Z'); // BST
    expect(endOfLocalDay(gbEaw, '2026-10-25').toISOString()).toBe('2026-10-25T23:59:59.999Z'); // 25-hour day
    expect(endOfLocalDay(auNsw, '2026-04-05').toISOString()).toBe('2026-04-05T13:59:59.999Z'); // AEST
    expect(endOfLocalDay(auNsw, '2026-10-04').toISOString()).toBe('2026-10-04T12:59:59.999Z'); // AEDT
    // A closed day has no close of business: the end of the day stands in.
    expect(closeOfBusiness(gbEaw, '2026-03-28').toISOString()).toBe('2026-03-28T23:59:59.999Z');
    expect(closeOfBusiness(gbEaw, '2026-12-25').toISOString()).toBe('2026-12-25T23:59:59.999Z'); // holiday
  });

  it('adds business hours within working periods', () => {
    // Fri 27 Mar 2026 16:00 GMT + 3 working hours: 1 h on Friday, 2 h on Monday 30 March (BST) -> 11:00 BST.
    expect(addBusinessHours(gbEaw, iso('2026-03-27T16:00:00Z'), 3).toISOString()).toBe(
      '2026-03-30T10:00:00.000Z',
    );
    // Received on Saturday: counting starts Monday 09:00.
    expect(addBusinessHours(gbEaw, iso('2026-03-28T12:00:00Z'), 8).toISOString()).toBe(
      '2026-03-30T16:00:00.000Z',
    );
    const split: Calendar = {
      ...gbEaw,
      id: 'split',
      workingHours: {
        ...weekdayHours('09:00', '12:30'),
        3: [
          { start: '13:30', end: '17:00' },
          { start: '09:00', end: '12:30' },
        ],
      },
    };
    // Wed 1 Jul 2026 12:00 BST: 0.5 h until 12:30, lunch, 1.5 h from 13:30 -> 15:00 BST.
    expect(addBusinessHours(split, iso('2026-07-01T11:00:00Z'), 2).toISOString()).toBe(
      '2026-07-01T14:00:00.000Z',
    );
  });
});

describe('calendar validation', () => {
  const base: Calendar = {
    id: 'x',
    name: 'x',
    timeZone: 'UTC',
    workingHours: weekdayHours('09:00', '17:00'),
    holidays: [],
  };
  it('accepts a sane calendar and 24:00', () => {
    expect(() => validateCalendar({ ...base, workingHours: weekdayHours('00:00', '24:00') })).not.toThrow();
  });
  it.each([
    ['bad zone', { timeZone: 'Nowhere/City' }],
    ['bad time', { workingHours: weekdayHours('9:00', '17:00') }],
    ['empty period', { workingHours: weekdayHours('17:00', '09:00') }],
    ['bad holiday', { holidays: ['2026-02-30'] }],
    [
      'overlap',
      {
        workingHours: {
          ...weekdayHours('09:00', '17:00'),
          1: [
            { start: '09:00', end: '13:00' },
            { start: '12:00', end: '17:00' },
          ],
        },
      },
    ],
  ])('rejects %s', (_label, patch) => {
    expect(() => validateCalendar({ ...base, ...(patch as Partial<Calendar>) })).toThrow(CalendarError);
  });
  it('refuses business-day arithmetic on a calendar that is never open', () => {
    const closed: Calendar = {
      ...base,
      id: 'closed',
      workingHours: { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] },
    };
    expect(() => addBusinessDays(closed, '2026-01-01', 1)).toThrow(CalendarError);
  });
});
