import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DeadlineError,
  computeDueDates,
  computeRuleDue,
  describeRule,
  elapsedShare,
  profileProblems,
  type DeadlineProfile,
  type MilestoneRule,
} from './engine.ts';
import { isBusinessDay, type Calendar } from './calendar.ts';
import { getPreset, presetCalendarMap, presetCalendars, presetProfiles } from './presets.ts';
import { iso, wallTime } from './test-helpers.ts';

const gb = presetCalendarMap['gb-eaw']!;
const nsw = presetCalendarMap['au-nsw']!;

const receiptArb = fc
  .integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 9, 31) })
  .map((ms) => new Date(ms));
const calendarArb = fc.constantFrom(...presetCalendars);
const ruleArb = (amount: fc.Arbitrary<number>): fc.Arbitrary<MilestoneRule> =>
  fc.record({
    name: fc.constant('final-response' as const),
    clock: fc.constantFrom('regulatory' as const, 'internal' as const),
    amount,
    unit: fc.constantFrom(
      'hours' as const,
      'business-hours' as const,
      'calendar-days' as const,
      'business-days' as const,
      'weeks' as const,
    ),
    from: fc.constantFrom('receipt' as const, 'day-after-receipt' as const),
    at: fc.constantFrom('end-of-day' as const, 'close-of-business' as const),
  });

describe('properties', () => {
  it('a milestone is never due before receipt', () => {
    fc.assert(
      fc.property(receiptArb, calendarArb, ruleArb(fc.integer({ min: 0, max: 80 })), (at, cal, rule) => {
        expect(computeRuleDue(rule, cal, at).getTime()).toBeGreaterThanOrEqual(at.getTime());
      }),
      { numRuns: 3000 },
    );
  });

  it('is monotonic in N', () => {
    fc.assert(
      fc.property(receiptArb, calendarArb, ruleArb(fc.integer({ min: 0, max: 79 })), (at, cal, rule) => {
        const a = computeRuleDue(rule, cal, at).getTime();
        const b = computeRuleDue({ ...rule, amount: rule.amount + 1 }, cal, at).getTime();
        expect(b).toBeGreaterThanOrEqual(a);
        if (rule.unit !== 'hours' && rule.unit !== 'business-hours' && rule.amount > 0)
          expect(b).toBeGreaterThan(a);
      }),
      { numRuns: 3000 },
    );
  });

  it('a business-day milestone never falls on a weekend or holiday (local time of the calendar)', () => {
    fc.assert(
      fc.property(receiptArb, calendarArb, ruleArb(fc.integer({ min: 1, max: 60 })), (at, cal, rule) => {
        const r = { ...rule, unit: 'business-days' as const };
        const due = computeRuleDue(r, cal, at);
        expect(isBusinessDay(cal, wallTime(due, cal.timeZone).slice(0, 10))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('day-based milestones end at 23:59:59 or close of business local time, DST or not', () => {
    fc.assert(
      fc.property(
        receiptArb,
        fc.constantFrom(gb, nsw),
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom('calendar-days' as const, 'business-days' as const, 'weeks' as const),
        fc.constantFrom('end-of-day' as const, 'close-of-business' as const),
        (at, cal, amount, unit, when) => {
          const rule: MilestoneRule = {
            name: 'update',
            clock: 'regulatory',
            amount,
            unit,
            from: 'day-after-receipt',
            at: when,
          };
          const due = computeRuleDue(rule, cal, at);
          const wall = wallTime(due, cal.timeZone);
          const local = wall.slice(0, 10);
          expect(wall.slice(11)).toBe(
            when === 'close-of-business' && isBusinessDay(cal, local) ? '17:00:00' : '23:59:59',
          );
          if (unit !== 'business-days') {
            const days =
              (Date.parse(local) - Date.parse(wallTime(at, cal.timeZone).slice(0, 10))) / 86_400_000;
            expect(days).toBe(unit === 'weeks' ? amount * 7 : amount);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('calendar days from the receipt instant keep the local wall time across DST', () => {
    fc.assert(
      fc.property(
        receiptArb,
        fc.constantFrom(gb, nsw),
        fc.integer({ min: 1, max: 200 }),
        (at, cal, amount) => {
          const rule: MilestoneRule = {
            name: 'update',
            clock: 'regulatory',
            amount,
            unit: 'calendar-days',
            from: 'receipt',
          };
          const due = computeRuleDue(rule, cal, at);
          const [a, b] = [wallTime(at, cal.timeZone), wallTime(due, cal.timeZone)];
          // Equal wall time, unless the receipt's wall time does not exist on the due day (spring-forward gap).
          if (a.slice(11) !== b.slice(11)) {
            // …then it is moved forward by the one-hour gap, as Temporal's 'compatible' does.
            const shifted = new Date(Date.parse(a.replace(' ', 'T') + 'Z') + 3_600_000)
              .toISOString()
              .slice(11, 19);
            expect(b.slice(11)).toBe(shifted);
            expect(wallTime(new Date(due.getTime() - 3_600_000), cal.timeZone).slice(11)).not.toBe(
              a.slice(11),
            );
          }
          expect(Date.parse(b.slice(0, 10)) - Date.parse(a.slice(0, 10))).toBe(amount * 86_400_000);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('the strictest deadline wins per milestone name', () => {
    const ids = presetProfiles.map((p) => p.id);
    fc.assert(
      fc.property(receiptArb, fc.subarray(ids, { minLength: 1, maxLength: 4 }), (at, chosen) => {
        const profiles = chosen.map((id) => getPreset(id)!);
        const merged = computeDueDates({ receivedAt: at, profiles, calendars: presetCalendarMap });
        const single = profiles.flatMap((p) =>
          computeDueDates({ receivedAt: at, profiles: [p], calendars: presetCalendarMap }),
        );
        const names = new Set(single.map((m) => m.name));
        expect(merged.map((m) => m.name).sort()).toEqual([...names].sort());
        for (const m of merged) {
          const min = Math.min(...single.filter((s) => s.name === m.name).map((s) => s.dueAt.getTime()));
          expect(m.dueAt.getTime()).toBe(min);
          expect(
            single.some((s) => s.name === m.name && s.profileId === m.profileId && s.dueAt.getTime() === min),
          ).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('regulatory clocks ignore pauses; internal ones move by at most the paused time', () => {
    const pauseArb = fc.array(
      fc.record({ start: fc.integer({ min: -5, max: 60 * 24 }), len: fc.integer({ min: 0, max: 10 * 24 }) }),
      { maxLength: 4 },
    );
    fc.assert(
      fc.property(receiptArb, pauseArb, (at, ps) => {
        const profiles = [getPreset('iso-default')!, getPreset('uk-fca-disp')!, getPreset('ie-cbi-cpc')!];
        const h = 3_600_000;
        const pauses = ps.map((p) => ({
          from: new Date(at.getTime() + p.start * h),
          to: new Date(at.getTime() + (p.start + p.len) * h),
        }));
        const base = computeDueDates({ receivedAt: at, profiles, calendars: presetCalendarMap });
        const paused = computeDueDates({ receivedAt: at, profiles, calendars: presetCalendarMap, pauses });
        const total = ps.reduce((s, p) => s + p.len * h, 0);
        for (const name of ['summary-resolution', 'final-response', 'acknowledgement', 'update']) {
          // Per profile, compare the same rule with and without pauses.
          for (const p of profiles) {
            const b = computeDueDates({ receivedAt: at, profiles: [p], calendars: presetCalendarMap }).find(
              (m) => m.name === name,
            );
            const q = computeDueDates({
              receivedAt: at,
              profiles: [p],
              calendars: presetCalendarMap,
              pauses,
            }).find((m) => m.name === name);
            if (!b || !q) continue;
            if (b.clock === 'regulatory') expect(q.dueAt).toEqual(b.dueAt);
            else {
              expect(q.dueAt.getTime()).toBeGreaterThanOrEqual(b.dueAt.getTime());
              expect(q.dueAt.getTime() - b.dueAt.getTime()).toBeLessThanOrEqual(total);
            }
          }
        }
        expect(paused.length).toBe(base.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('counting conventions', () => {
  const rule = (r: Partial<MilestoneRule>): MilestoneRule => ({
    name: 'final-response',
    clock: 'regulatory',
    amount: 1,
    unit: 'calendar-days',
    from: 'day-after-receipt',
    ...r,
  });
  // Thursday 24 December 2026, 17:30 GMT, London: after close of business on Christmas Eve.
  const xmasEve = iso('2026-12-24T17:30:00Z');
  const due = (r: Partial<MilestoneRule>, at = xmasEve, cal: Calendar = gb): string =>
    computeRuleDue(rule(r), cal, at).toISOString();

  it('hours count from the receipt instant (or from the start of the next day)', () => {
    expect(due({ unit: 'hours', amount: 24, from: 'receipt' })).toBe('2026-12-25T17:30:00.000Z');
    expect(due({ unit: 'hours', amount: 24 })).toBe('2026-12-26T00:00:00.000Z');
    // 24 elapsed hours across the spring-forward night end one wall-clock hour later.
    expect(due({ unit: 'hours', amount: 24, from: 'receipt' }, iso('2026-03-28T12:00:00Z'))).toBe(
      '2026-03-29T12:00:00.000Z',
    );
  });

  it('calendar days from receipt keep the wall time; from the day after, they end at midnight', () => {
    // 12:00 GMT on Sat 28 March + 1 day = 12:00 BST on Sun 29 March = 11:00Z (a 23-hour day).
    expect(due({ from: 'receipt' }, iso('2026-03-28T12:00:00Z'))).toBe('2026-03-29T11:00:00.000Z');
    expect(due({ amount: 30 })).toBe('2027-01-23T23:59:59.999Z');
  });

  it('business days: same wall time, end of day, or close of business of the N-th business day after', () => {
    // 1st business day after Thu 24 Dec is Tue 29 Dec (Christmas, weekend and Boxing Day substitute skipped).
    expect(due({ unit: 'business-days', from: 'receipt' })).toBe('2026-12-29T17:30:00.000Z');
    expect(due({ unit: 'business-days' })).toBe('2026-12-29T23:59:59.999Z');
    expect(due({ unit: 'business-days', at: 'close-of-business' })).toBe('2026-12-29T17:00:00.000Z');
  });

  it('weeks end at the end of the same weekday N weeks later', () => {
    expect(due({ unit: 'weeks', amount: 8 })).toBe('2027-02-18T23:59:59.999Z');
  });

  it('business hours start at the next opening when received after hours', () => {
    // After close on 24 Dec: 2 working hours from Tue 29 Dec 09:00 -> 11:00.
    expect(due({ unit: 'business-hours', amount: 2, from: 'receipt' })).toBe('2026-12-29T11:00:00.000Z');
  });

  it('optionally treats a receipt after close of business as received on the next business day', () => {
    // DISP 1.5.3G reading: received Tue 29 Dec 09:00; 3rd business day following: 30, 31 Dec, 4 Jan.
    const r = { unit: 'business-days' as const, amount: 3, at: 'close-of-business' as const };
    expect(due(r)).toBe('2026-12-31T17:00:00.000Z');
    expect(due({ ...r, receiptOutsideHours: 'next-business-day' })).toBe('2027-01-04T17:00:00.000Z');
    // Received during business hours: no change.
    expect(due({ ...r, receiptOutsideHours: 'next-business-day' }, iso('2026-12-24T16:59:00Z'))).toBe(
      '2026-12-31T17:00:00.000Z',
    );
  });

  it('describes rules in words', () => {
    expect(describeRule(rule({ unit: 'business-days', amount: 3, at: 'close-of-business' }))).toBe(
      'by close of business on the 3rd business day following the day of receipt',
    );
    expect(describeRule(rule({ unit: 'weeks', amount: 8 }))).toBe('by the end of 8 weeks after receipt');
    expect(describeRule(rule({ unit: 'business-days', amount: 15, from: 'receipt' }))).toBe(
      '15 business days from receipt',
    );
    expect(describeRule(rule({ unit: 'calendar-days', amount: 21 }))).toBe(
      'by the end of the 21st calendar day following the day of receipt',
    );
  });
});

describe('computeDueDates', () => {
  const iso10 = getPreset('iso-default')!;
  const cal = presetCalendarMap;
  // Fri 1 May 2026 16:59 UTC on the default calendar (UTC, no holidays): final response by close of business on
  // the 20th business day following -> Fri 29 May 17:00Z.
  const at = iso('2026-05-01T16:59:00Z');
  const finalOf = (ms: ReturnType<typeof computeDueDates>): string =>
    ms.find((m) => m.name === 'final-response')!.dueAt.toISOString();

  it('extends internal milestones by pauses that start before they are due', () => {
    expect(finalOf(computeDueDates({ receivedAt: at, profiles: [iso10], calendars: cal }))).toBe(
      '2026-05-29T17:00:00.000Z',
    );
    const pauses = [{ from: iso('2026-05-06T09:00:00Z'), to: iso('2026-05-08T09:00:00Z') }];
    const res = computeDueDates({ receivedAt: at, profiles: [iso10], calendars: cal, pauses });
    expect(finalOf(res)).toBe('2026-05-31T17:00:00.000Z'); // + 2 days of clock time
    // The acknowledgement was due on 5 May, before the pause started: unchanged.
    expect(res.find((m) => m.name === 'acknowledgement')!.dueAt.toISOString()).toBe(
      '2026-05-05T17:00:00.000Z',
    );
    // Overlapping pauses count once; a pause after the due instant does not count.
    const overlapping = [
      ...pauses,
      { from: iso('2026-05-07T09:00:00Z'), to: iso('2026-05-08T09:00:00Z') },
      { from: iso('2026-06-10T00:00:00Z'), to: iso('2026-06-20T00:00:00Z') },
    ];
    expect(
      finalOf(computeDueDates({ receivedAt: at, profiles: [iso10], calendars: cal, pauses: overlapping })),
    ).toBe('2026-05-31T17:00:00.000Z');
  });

  it('counts an open pause up to `now`, and not at all without `now`', () => {
    const pauses = [{ from: iso('2026-05-06T09:00:00Z'), to: null }];
    expect(finalOf(computeDueDates({ receivedAt: at, profiles: [iso10], calendars: cal, pauses }))).toBe(
      '2026-05-29T17:00:00.000Z',
    );
    const now = iso('2026-05-07T09:00:00Z');
    expect(finalOf(computeDueDates({ receivedAt: at, profiles: [iso10], calendars: cal, pauses, now }))).toBe(
      '2026-05-30T17:00:00.000Z',
    );
  });

  it('names the winning profile; a regulatory clock wins a tie', () => {
    const internal: DeadlineProfile = {
      ...getPreset('uk-fca-disp')!,
      id: 'copy',
      milestones: getPreset('uk-fca-disp')!.milestones.map((m) => ({ ...m, clock: 'internal' as const })),
    };
    const res = computeDueDates({
      receivedAt: at,
      profiles: [internal, getPreset('uk-fca-disp')!],
      calendars: cal,
    });
    expect(res.every((m) => m.profileId === 'uk-fca-disp' && m.clock === 'regulatory')).toBe(true);
    expect(res.map((m) => m.name)).toEqual(['summary-resolution', 'final-response']);
    expect(res[0]).toMatchObject({ profileVersion: 1, rule: expect.stringContaining('DISP 1.5.1R') });
  });

  it('recurring updates count from the last update', () => {
    const cpc = getPreset('ie-cbi-cpc')!;
    const upd = (lastUpdateAt?: Date): string =>
      computeDueDates({
        receivedAt: iso('2026-03-16T18:00:00Z'),
        profiles: [cpc],
        calendars: cal,
        ...(lastUpdateAt ? { context: { lastUpdateAt } } : {}),
      })
        .find((m) => m.name === 'update')!
        .dueAt.toISOString();
    expect(upd()).toBe('2026-04-16T22:59:59.999Z');
    expect(upd(iso('2026-04-10T11:00:00Z'))).toBe('2026-05-11T22:59:59.999Z');
  });

  it('rejects bad input clearly', () => {
    const p = getPreset('uk-fca-disp')!;
    expect(() => computeDueDates({ receivedAt: new Date('x'), profiles: [p], calendars: cal })).toThrow(
      DeadlineError,
    );
    expect(() =>
      computeDueDates({ receivedAt: at, profiles: [{ ...p, calendarId: 'nope' }], calendars: cal }),
    ).toThrow(/unknown calendar 'nope'/);
    const bad = { ...p, milestones: [{ ...p.milestones[0]!, amount: 1.5 }] };
    expect(() => computeDueDates({ receivedAt: at, profiles: [bad], calendars: cal })).toThrow(
      /amount must be a non-negative integer/,
    );
    expect(profileProblems({ ...p, milestones: [{ ...p.milestones[0]!, amount: 1e9 }] })).toEqual([
      "profile 'uk-fca-disp' milestone #1: amount must be at most 3660",
    ]);
    expect(profileProblems({ ...p, milestones: [{ ...p.milestones[0]!, name: 'lunch' as never }] })).toEqual([
      "profile 'uk-fca-disp' milestone #1: unknown milestone name 'lunch'",
    ]);
    expect(() =>
      computeDueDates({
        receivedAt: at,
        profiles: [p],
        calendars: cal,
        pauses: [{ from: iso('2026-05-03T00:00:00Z'), to: iso('2026-05-02T00:00:00Z') }],
      }),
    ).toThrow(DeadlineError);
  });
});

describe('elapsedShare', () => {
  const r = iso('2026-05-01T00:00:00Z');
  const d = iso('2026-05-11T00:00:00Z');
  it('is 0 at receipt, 0.5 halfway, 1 at the deadline, above 1 once breached', () => {
    expect(elapsedShare(r, d, r)).toBe(0);
    expect(elapsedShare(r, d, iso('2026-05-06T00:00:00Z'))).toBe(0.5);
    expect(elapsedShare(r, d, d)).toBe(1);
    expect(elapsedShare(r, d, iso('2026-05-16T00:00:00Z'))).toBe(1.5);
    expect(elapsedShare(r, d, iso('2026-04-01T00:00:00Z'))).toBe(0);
    expect(elapsedShare(r, r, r)).toBe(1);
  });
  it('leaves paused time out of both the elapsed and the available time', () => {
    // 2-day pause inside a 12-day window: 10 active days; at day 7, 5 of them are used.
    const due = iso('2026-05-13T00:00:00Z');
    const pauses = [{ from: iso('2026-05-02T00:00:00Z'), to: iso('2026-05-04T00:00:00Z') }];
    expect(elapsedShare(r, due, iso('2026-05-08T00:00:00Z'), pauses)).toBe(0.5);
  });
});
