/**
 * Worked examples for every preset: holidays, DST weeks and receipts late in the evening. Each expected value
 * was derived by hand (the reasoning is in the comment above each case) and then checked against the engine.
 * Conventions (presets.ts): "N business days" = end (23:59:59.999 local) of the N-th business day following the
 * local day of receipt; "N days" = end of local day D+N; "8 weeks" = end of local day D+56. The local day of
 * receipt is taken in the profile's calendar zone, so a UTC date can differ from it.
 */
import { describe, expect, it } from 'vitest';
import { computeDueDates, type ComputeContext } from './engine.ts';
import { getPreset, presetCalendarMap } from './presets.ts';

interface Example {
  profiles: string[];
  received: string;
  context?: ComputeContext;
  expected: Record<string, string>;
}

function check(ex: Example): void {
  const res = computeDueDates({
    receivedAt: new Date(ex.received),
    profiles: ex.profiles.map((id) => getPreset(id)!),
    calendars: presetCalendarMap,
    ...(ex.context ? { context: ex.context } : {}),
  });
  expect(Object.fromEntries(res.map((m) => [m.name, m.dueAt.toISOString()]))).toEqual(ex.expected);
}

describe('uk-fca-disp (Europe/London, England & Wales bank holidays)', () => {
  // Thu 24 Dec 2026 17:30 GMT, after close of business on Christmas Eve; the receipt day is still 24 Dec (DISP
  // 1.5.3G would *allow* treating it as received on the next business day; the preset does not). Business days
  // following: Fri 25 (Christmas), Sat 26, Sun 27, Mon 28 (Boxing Day substitute) are closed -> Tue 29 (1),
  // Wed 30 (2), Thu 31 (3): close of business 17:00 GMT. 8 weeks: 24 Dec + 56 days = Thu 18 Feb 2027, end of day.
  it('Christmas Eve after close of business', () =>
    check({
      profiles: ['uk-fca-disp'],
      received: '2026-12-24T17:30:00Z',
      expected: {
        'summary-resolution': '2026-12-31T17:00:00.000Z',
        'final-response': '2027-02-18T23:59:59.999Z',
      },
    }));

  // Fri 27 Mar 2026 10:00 GMT; BST starts Sun 29 Mar. Mon 30 (1), Tue 31 (2), Wed 1 Apr (3) -> 17:00 BST = 16:00Z.
  // 27 Mar + 56 = Fri 22 May 2026, 23:59:59.999 BST = 22:59:59.999Z.
  it('DST week (spring forward)', () =>
    check({
      profiles: ['uk-fca-disp'],
      received: '2026-03-27T10:00:00Z',
      expected: {
        'summary-resolution': '2026-04-01T16:00:00.000Z',
        'final-response': '2026-05-22T22:59:59.999Z',
      },
    }));

  // 24 Oct 2026 23:30Z is 00:30 BST on Sun 25 Oct (the day the clocks go back): the receipt day is Sunday 25,
  // not the UTC date. Mon 26 (1), Tue 27 (2), Wed 28 (3) -> 17:00 GMT. 25 Oct + 56 = Sun 20 Dec, 23:59:59.999 GMT.
  it('just after local midnight, in UTC still the day before', () =>
    check({
      profiles: ['uk-fca-disp'],
      received: '2026-10-24T23:30:00Z',
      expected: {
        'summary-resolution': '2026-10-28T17:00:00.000Z',
        'final-response': '2026-12-20T23:59:59.999Z',
      },
    }));

  // One second either side of midnight BST on Tue 30 Jun / Wed 1 Jul 2026.
  // 22:59:59Z = 23:59:59 BST Tue 30 Jun -> Wed 1 (1), Thu 2 (2), Fri 3 (3) Jul, 17:00 BST = 16:00Z; 30 Jun + 56 = 25 Aug.
  // 23:00:00Z = 00:00 BST Wed 1 Jul -> Thu 2, Fri 3, Mon 6 Jul; 1 Jul + 56 = Wed 26 Aug.
  it('one second before and after local midnight', () => {
    check({
      profiles: ['uk-fca-disp'],
      received: '2026-06-30T22:59:59Z',
      expected: {
        'summary-resolution': '2026-07-03T16:00:00.000Z',
        'final-response': '2026-08-25T22:59:59.999Z',
      },
    });
    check({
      profiles: ['uk-fca-disp'],
      received: '2026-06-30T23:00:00Z',
      expected: {
        'summary-resolution': '2026-07-06T16:00:00.000Z',
        'final-response': '2026-08-26T22:59:59.999Z',
      },
    });
  });
});

describe('uk-fca-psd (DISP 1.6.2AR)', () => {
  // Thu 24 Dec 2026 17:30 GMT. Business days following: 29, 30, 31 Dec (1–3), [1 Jan], 4–8 Jan (4–8),
  // 11–15 Jan (9–13), 18 (14), 19 (15) -> holding/final response by end of Tue 19 Jan 2027 (GMT).
  // Continuing: 20, 21, 22 (16–18), 25–29 Jan (19–23), 1–5 Feb (24–28), 8–12 Feb (29–33), 15 (34), 16 (35).
  it('Christmas and New Year', () =>
    check({
      profiles: ['uk-fca-psd'],
      received: '2026-12-24T17:30:00Z',
      expected: {
        'holding-response': '2027-01-19T23:59:59.999Z',
        'final-response': '2027-02-16T23:59:59.999Z',
      },
    }));

  // Fri 27 Mar 2026 23:30 GMT (late evening, Friday). Mon 30, Tue 31 Mar, Wed 1, Thu 2 Apr (1–4), [Good Friday 3,
  // Easter Monday 6], 7–10 Apr (5–8), 13–17 (9–13), 20 (14), 21 (15) -> end of Tue 21 Apr BST = 22:59:59.999Z.
  // Then 22–24 (16–18), 27–30 Apr, 1 May (19–23), [4 May bank holiday], 5–8 (24–27), 11–15 (28–32),
  // 18, 19, 20 (33–35) -> end of Wed 20 May BST.
  it('late evening before Easter and the DST change', () =>
    check({
      profiles: ['uk-fca-psd'],
      received: '2026-03-27T23:30:00Z',
      expected: {
        'holding-response': '2026-04-21T22:59:59.999Z',
        'final-response': '2026-05-20T22:59:59.999Z',
      },
    }));

  // With uk-fca-disp as well: summary resolution from DISP; final response = min(35 business days -> 16 Feb,
  // 8 weeks -> 18 Feb) = PSD's 16 Feb.
  it('combined with uk-fca-disp, the strictest wins', () =>
    check({
      profiles: ['uk-fca-disp', 'uk-fca-psd'],
      received: '2026-12-24T17:30:00Z',
      expected: {
        'summary-resolution': '2026-12-31T17:00:00.000Z',
        'holding-response': '2027-01-19T23:59:59.999Z',
        'final-response': '2027-02-16T23:59:59.999Z',
      },
    }));
});

describe('eu-psd2 (Europe/Berlin, TARGET closing days)', () => {
  // Wed 23 Dec 2026 13:00 CET. 24 Dec (1) is a TARGET business day; [25, 26, 27]; 28–31 Dec (2–5); [1 Jan];
  // 4–8 Jan (6–10; Epiphany is not a TARGET holiday); 11–15 Jan (11–15) -> end of Fri 15 Jan 2027 CET = 22:59:59.999Z.
  // 18–22 (16–20), 25–29 (21–25), 1–5 Feb (26–30), 8–12 Feb (31–35) -> end of Fri 12 Feb 2027.
  it('Christmas', () =>
    check({
      profiles: ['eu-psd2'],
      received: '2026-12-23T12:00:00Z',
      expected: {
        'holding-response': '2027-01-15T22:59:59.999Z',
        'final-response': '2027-02-12T22:59:59.999Z',
      },
    }));

  // Thu 30 Apr 2026 23:30 CEST (21:30Z). [Fri 1 May closed], 4–8 May (1–5), 11–15 (6–10; Ascension Day 14 May is a
  // German holiday, not a TARGET one), 18–22 (11–15) -> end of Fri 22 May CEST = 21:59:59.999Z.
  // 25–29 May (16–20; Whit Monday is not TARGET either), 1–5 Jun (21–25), 8–12 (26–30), 15–19 (31–35) -> 19 Jun.
  it('late evening before Labour Day', () =>
    check({
      profiles: ['eu-psd2'],
      received: '2026-04-30T21:30:00Z',
      expected: {
        'holding-response': '2026-05-22T21:59:59.999Z',
        'final-response': '2026-06-19T21:59:59.999Z',
      },
    }));

  // Fri 27 Mar 2026 23:30 CET (22:30Z), CEST from Sun 29 Mar: same business days as the UK example
  // (Good Friday and Easter Monday are TARGET holidays; 4 May is not, 1 May is) -> 21 Apr CEST for the 15th;
  // for the 35th: 22–24 Apr (16–18), 27–30 Apr (19–22), [1 May], 4–8 May (23–27), 11–15 (28–32), 18–20 (33–35).
  it('DST week and Easter', () =>
    check({
      profiles: ['eu-psd2'],
      received: '2026-03-27T22:30:00Z',
      expected: {
        'holding-response': '2026-04-21T21:59:59.999Z',
        'final-response': '2026-05-20T21:59:59.999Z',
      },
    }));
});

describe('au-asic-rg271 (Australia/Sydney, NSW holidays)', () => {
  // 2 Apr 2026 14:30Z = 01:30 AEDT on Good Friday 3 Apr. Next business day: [Sat 4, Sun 5 — DST ends, Easter
  // Monday 6] -> Tue 7 Apr, end of day AEST (+10) = 13:59:59.999Z. 30 days: 3 Apr + 30 = Sun 3 May, end of day AEST.
  it('Good Friday receipt across the end of DST', () =>
    check({
      profiles: ['au-asic-rg271'],
      received: '2026-04-02T14:30:00Z',
      expected: { acknowledgement: '2026-04-07T13:59:59.999Z', 'final-response': '2026-05-03T13:59:59.999Z' },
    }));

  // Fri 2 Oct 2026 19:00 AEST (09:00Z). Next business day: [Sat 3, Sun 4 — DST starts, Mon 5 Labour Day] ->
  // Tue 6 Oct, end of day AEDT (+11) = 12:59:59.999Z. Final: 2 Oct + 30 = 1 Nov; default notice: + 21 = 23 Oct;
  // superannuation: + 45 = 16 Nov — all AEDT.
  const oct = '2026-10-02T09:00:00Z';
  it('DST start and Labour Day, standard / default notice / superannuation', () => {
    check({
      profiles: ['au-asic-rg271'],
      received: oct,
      expected: { acknowledgement: '2026-10-06T12:59:59.999Z', 'final-response': '2026-11-01T12:59:59.999Z' },
    });
    const hardship = {
      acknowledgement: '2026-10-06T12:59:59.999Z',
      'final-response': '2026-10-23T12:59:59.999Z',
    };
    check({
      profiles: ['au-asic-rg271'],
      received: oct,
      context: { productKind: 'default-notice' },
      expected: hardship,
    });
    check({
      profiles: ['au-asic-rg271'],
      received: oct,
      context: { productKind: 'credit-hardship' },
      expected: hardship,
    });
    check({ profiles: ['au-asic-rg271-hardship'], received: oct, expected: hardship });
    const superannuation = {
      acknowledgement: '2026-10-06T12:59:59.999Z',
      'final-response': '2026-11-16T12:59:59.999Z',
    };
    check({
      profiles: ['au-asic-rg271'],
      received: oct,
      context: { productKind: 'superannuation' },
      expected: superannuation,
    });
    check({ profiles: ['au-asic-rg271-super'], received: oct, expected: superannuation });
  });

  // 24 Dec 2026 13:30Z = 00:30 AEDT on Christmas Day (Fri 25). Next business day: [26, 27, Mon 28 Boxing Day
  // additional day] -> Tue 29 Dec, end of day AEDT. 25 Dec + 30 = Sun 24 Jan 2027.
  it('Christmas Day receipt', () =>
    check({
      profiles: ['au-asic-rg271'],
      received: '2026-12-24T13:30:00Z',
      expected: { acknowledgement: '2026-12-29T12:59:59.999Z', 'final-response': '2027-01-24T12:59:59.999Z' },
    }));
});

describe('us-cfpb (America/New_York; calendar days, so holidays do not move the dates)', () => {
  // 7 Mar 2026 03:30Z = Fri 6 Mar 22:30 EST. 6 Mar + 15 = Sat 21 Mar, end of day EDT (DST from 8 Mar) =
  // 22 Mar 03:59:59.999Z. 6 Mar + 60 = Tue 5 May (25 days left in March, 30 in April, 5 in May), EDT.
  it('late evening before DST starts', () =>
    check({
      profiles: ['us-cfpb'],
      received: '2026-03-07T03:30:00Z',
      expected: {
        'holding-response': '2026-03-22T03:59:59.999Z',
        'final-response': '2026-05-06T03:59:59.999Z',
      },
    }));

  // Tue 20 Oct 2026 11:00 EDT. + 15 = Wed 4 Nov, EST after 1 Nov -> 05 Nov 04:59:59.999Z; + 60 = Sat 19 Dec EST.
  it('across the end of DST', () =>
    check({
      profiles: ['us-cfpb'],
      received: '2026-10-20T15:00:00Z',
      expected: {
        'holding-response': '2026-11-05T04:59:59.999Z',
        'final-response': '2026-12-20T04:59:59.999Z',
      },
    }));

  // Wed 25 Nov 2026 11:00 EST, the day before Thanksgiving: + 15 = Thu 10 Dec; + 60 = Sun 24 Jan 2027.
  it('Thanksgiving does not count', () =>
    check({
      profiles: ['us-cfpb'],
      received: '2026-11-25T16:00:00Z',
      expected: {
        'holding-response': '2026-12-11T04:59:59.999Z',
        'final-response': '2027-01-25T04:59:59.999Z',
      },
    }));
});

describe('ie-cbi-cpc (Europe/Dublin, Irish public and bank holidays)', () => {
  // Mon 16 Mar 2026 18:00 GMT, the evening before St Patrick's Day. [Tue 17], 18, 19, 20 (1–3), 23, 24 (4–5) ->
  // acknowledgement by end of Tue 24 Mar (GMT). Update: 25–27 (6–8), 30, 31 Mar, 1, 2 Apr (9–12; IST from 29 Mar),
  // [Good Friday 3 (banks), Easter Monday 6], 7–10 (13–16), 13–16 (17–20) -> end of Thu 16 Apr IST = 22:59:59.999Z.
  // Resolve: 17 (21), 20–24 (22–26), 27–30 Apr, 1 May (27–31), [4 May], 5–8 (32–35), 11–15 (36–40) -> 15 May.
  it("St Patrick's Day, Easter and DST", () =>
    check({
      profiles: ['ie-cbi-cpc'],
      received: '2026-03-16T18:00:00Z',
      expected: {
        acknowledgement: '2026-03-24T23:59:59.999Z',
        update: '2026-04-16T22:59:59.999Z',
        'final-response': '2026-05-15T22:59:59.999Z',
      },
    }));

  // Wed 23 Dec 2026 10:00 GMT. Thu 24 (1), [25, 26, 27, Mon 28 St Stephen's day in lieu], 29, 30, 31 (2–4),
  // [1 Jan], Mon 4 Jan (5) -> acknowledgement by end of 4 Jan 2027. Update: 5–8 Jan (6–9), 11–15 (10–14),
  // 18–22 (15–19), 25 (20). Resolve: 26–29 Jan (21–24), [Mon 1 Feb St Brigid's Day], 2–5 (25–28), 8–12 (29–33),
  // 15–19 (34–38), 22, 23 Feb (39–40).
  it('Christmas, St Stephen’s day in lieu and St Brigid’s Day', () =>
    check({
      profiles: ['ie-cbi-cpc'],
      received: '2026-12-23T10:00:00Z',
      expected: {
        acknowledgement: '2027-01-04T23:59:59.999Z',
        update: '2027-01-25T23:59:59.999Z',
        'final-response': '2027-02-23T23:59:59.999Z',
      },
    }));
});

describe('in-rbi (Asia/Kolkata, +05:30, no DST)', () => {
  // 31 Jan 2026 19:00Z = 00:30 IST Sun 1 Feb. Escalation (if not fully upheld): 1 Feb + 20 = 21 Feb, end of day
  // IST = 18:29:59.999Z. Final decision: 1 Feb + 30 = 3 Mar (2026 is not a leap year).
  const received = '2026-01-31T19:00:00Z';
  const both = {
    'internal-escalation': '2026-02-21T18:29:59.999Z',
    'final-response': '2026-03-03T18:29:59.999Z',
  };
  it('escalation applies while the outcome is unknown, and to rejected or partly upheld complaints', () => {
    check({ profiles: ['in-rbi'], received, expected: both });
    check({ profiles: ['in-rbi'], received, context: { outcome: 'not_upheld' }, expected: both });
    check({ profiles: ['in-rbi'], received, context: { outcome: 'partly_upheld' }, expected: both });
    check({
      profiles: ['in-rbi'],
      received,
      context: { outcome: 'upheld' },
      expected: { 'final-response': both['final-response'] },
    });
  });

  // 3 Mar 2026 20:00Z = 01:30 IST Wed 4 Mar (Holi): calendar days, so 4 Mar + 20 = 24 Mar, + 30 = 3 Apr.
  it('holiday receipt', () =>
    check({
      profiles: ['in-rbi'],
      received: '2026-03-03T20:00:00Z',
      expected: {
        'internal-escalation': '2026-03-24T18:29:59.999Z',
        'final-response': '2026-04-03T18:29:59.999Z',
      },
    }));
});

describe('iso-default (UTC, Mon–Fri 09:00–17:00, no holidays: organisations add their own)', () => {
  // Fri 1 May 2026 16:59Z. Close of business on: 2nd business day following (Mon 4, Tue 5) -> 5 May 17:00;
  // 10th (4–8, 11–15 May) -> 15 May; 20th (18–22, 25–29 May) -> 29 May.
  it('one minute before close of business on a Friday', () =>
    check({
      profiles: ['iso-default'],
      received: '2026-05-01T16:59:00Z',
      expected: {
        acknowledgement: '2026-05-05T17:00:00.000Z',
        update: '2026-05-15T17:00:00.000Z',
        'final-response': '2026-05-29T17:00:00.000Z',
      },
    }));

  // Thu 24 Dec 2026 17:30Z with uk-fca-disp. iso-default (no holidays): Fri 25 (1), Mon 28 (2) -> ack 28 Dec;
  // update: 29, 30, 31 Dec, 1 Jan (3–6), 4–7 Jan (7–10) -> 7 Jan; final: 8 (11), 11–15 (12–16), 18–21 (17–20)
  // -> 21 Jan 2027 17:00, earlier than DISP's 18 Feb, so iso-default wins it; DISP gives summary resolution.
  it('with uk-fca-disp over Christmas, the earlier internal target wins', () =>
    check({
      profiles: ['iso-default', 'uk-fca-disp'],
      received: '2026-12-24T17:30:00Z',
      expected: {
        acknowledgement: '2026-12-28T17:00:00.000Z',
        'summary-resolution': '2026-12-31T17:00:00.000Z',
        update: '2027-01-07T17:00:00.000Z',
        'final-response': '2027-01-21T17:00:00.000Z',
      },
    }));
});
