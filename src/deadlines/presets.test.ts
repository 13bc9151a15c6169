import { describe, expect, it } from 'vitest';
import { profileProblems, MILESTONE_NAMES } from './engine.ts';
import {
  civilFromDays,
  daysFromCivil,
  formatLocalDate,
  isoWeekday,
  parseLocalDate,
  validateCalendar,
} from './calendar.ts';
import {
  getPreset,
  getPresetCalendar,
  presetCalendarMap,
  presetCalendars,
  presetProfiles,
} from './presets.ts';

/** Gregorian Easter Sunday (Meeus/Jones/Butcher), as a day number. */
function easter(y: number): number {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return daysFromCivil(y, month, day);
}
/** n-th (1-based; -1 = last) given ISO weekday of a month. */
function nthWeekday(y: number, month: number, weekday: number, n: number): string {
  const days: number[] = [];
  for (let dn = daysFromCivil(y, month, 1); civilFromDays(dn)[1] === month; dn++)
    if (isoWeekday(dn) === weekday) days.push(dn);
  return formatLocalDate(n > 0 ? days[n - 1]! : days[days.length - 1]!);
}
const MON = 1;
const THU = 4;

describe('preset profiles', () => {
  it('are valid, unique, cited, and use a shipped calendar', () => {
    expect(new Set(presetProfiles.map((p) => p.id)).size).toBe(presetProfiles.length);
    for (const p of presetProfiles) {
      expect(profileProblems(p)).toEqual([]);
      expect(p.source.length).toBeGreaterThan(10);
      expect(getPresetCalendar(p.calendarId)).toBeDefined();
      for (const m of p.milestones) {
        expect(MILESTONE_NAMES).toContain(m.name);
        expect(m.rule).toBeTruthy();
      }
    }
  });

  it('cover every regime of SPEC TIME-3', () => {
    for (const id of [
      'iso-default',
      'uk-fca-disp',
      'uk-fca-psd',
      'eu-psd2',
      'au-asic-rg271',
      'us-cfpb',
      'ie-cbi-cpc',
      'in-rbi',
    ])
      expect(getPreset(id), id).toBeDefined();
    expect(getPreset('nope')).toBeUndefined();
  });

  it('only iso-default runs on internal (pausable) clocks', () => {
    for (const p of presetProfiles)
      for (const m of p.milestones) expect(m.clock).toBe(p.id === 'iso-default' ? 'internal' : 'regulatory');
  });

  it('are frozen data', () => {
    expect(Object.isFrozen(getPreset('uk-fca-disp')!.milestones[0])).toBe(true);
    expect(Object.isFrozen(presetCalendarMap['gb-eaw']!.holidays)).toBe(true);
  });
});

describe('preset calendars', () => {
  it('are valid, with sorted unique holidays for 2026 and 2027', () => {
    for (const c of presetCalendars) {
      expect(() => validateCalendar(c)).not.toThrow();
      expect([...c.holidays].sort()).toEqual(c.holidays);
      expect(new Set(c.holidays).size).toBe(c.holidays.length);
      if (c.id !== 'default') {
        expect(c.holidays.some((h) => h.startsWith('2026-'))).toBe(true);
        expect(c.holidays.some((h) => h.startsWith('2027-'))).toBe(true);
      }
    }
  });

  it('have Good Friday (and Easter Monday where observed) where they should', () => {
    for (const y of [2026, 2027]) {
      const gf = formatLocalDate(easter(y) - 2);
      const em = formatLocalDate(easter(y) + 1);
      for (const id of ['gb-eaw', 'ie', 'eu-ecb', 'au-nsw', 'in'])
        expect(getPresetCalendar(id)!.holidays, id).toContain(gf);
      for (const id of ['gb-eaw', 'ie', 'eu-ecb', 'au-nsw'])
        expect(getPresetCalendar(id)!.holidays, id).toContain(em);
    }
  });

  it('England & Wales: the eight bank holidays of each year, substitutes included', () => {
    const gb = getPresetCalendar('gb-eaw')!.holidays;
    const expected = (y: number, christmas: string[]): string[] =>
      [
        `${y}-01-01`,
        formatLocalDate(easter(y) - 2),
        formatLocalDate(easter(y) + 1),
        nthWeekday(y, 5, MON, 1),
        nthWeekday(y, 5, MON, -1),
        nthWeekday(y, 8, MON, -1),
        ...christmas,
      ].sort();
    // 2026: 26 Dec is a Saturday -> Boxing Day moves to Monday 28. 2027: 25/26 Dec are Sat/Sun -> Mon 27, Tue 28.
    expect(gb.filter((h) => h.startsWith('2026'))).toEqual(expected(2026, ['2026-12-25', '2026-12-28']));
    expect(gb.filter((h) => h.startsWith('2027'))).toEqual(expected(2027, ['2027-12-27', '2027-12-28']));
    // The brief's list for 2026.
    expect(gb.filter((h) => h.startsWith('2026'))).toEqual([
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-04',
      '2026-05-25',
      '2026-08-31',
      '2026-12-25',
      '2026-12-28',
    ]);
  });

  it('Ireland, NSW and US holidays follow their weekday rules', () => {
    const ie = getPresetCalendar('ie')!.holidays;
    for (const y of [2026, 2027]) {
      for (const [month, n] of [
        [5, 1],
        [6, 1],
        [8, 1],
        [10, -1],
      ] as const)
        expect(ie).toContain(nthWeekday(y, month, MON, n));
      expect(ie).toContain(`${y}-03-17`);
    }
    expect(ie).toContain('2026-02-02'); // St Brigid's Day: first Monday of February (1 Feb 2026 is a Sunday)
    expect(ie).toContain('2027-02-01'); // 1 Feb 2027 is a Monday

    const nsw = getPresetCalendar('au-nsw')!.holidays;
    for (const y of [2026, 2027]) {
      expect(nsw).toContain(nthWeekday(y, 6, MON, 2)); // King's Birthday
      expect(nsw).toContain(nthWeekday(y, 8, MON, 1)); // Bank Holiday
      expect(nsw).toContain(nthWeekday(y, 10, MON, 1)); // Labour Day
    }

    const us = getPresetCalendar('us-federal')!.holidays;
    for (const y of [2026, 2027]) {
      expect(us).toContain(nthWeekday(y, 1, MON, 3)); // MLK
      expect(us).toContain(nthWeekday(y, 2, MON, 3)); // Washington's Birthday
      expect(us).toContain(nthWeekday(y, 5, MON, -1)); // Memorial Day
      expect(us).toContain(nthWeekday(y, 9, MON, 1)); // Labor Day
      expect(us).toContain(nthWeekday(y, 10, MON, 2)); // Columbus Day
      expect(us).toContain(nthWeekday(y, 11, THU, 4)); // Thanksgiving
    }
    // Observed dates of fixed holidays never fall on a weekend.
    for (const h of us) expect(isoWeekday(parseLocalDate(h))).toBeLessThan(6);
  });
});
