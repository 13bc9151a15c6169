/**
 * Worked examples of every preset through the API (issue 3: "how it will be checked"): holidays, DST changes and
 * receipts late in the evening. Each is checked twice: the preview (computeDeadlines) and a complaint recorded with
 * that receipt instant (createComplaint → getComplaint). The expected instants were worked out by hand (comments).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buildStaff, complaintInput, type StaffUser } from '../helpers/factories.ts';

let t: TestApp;
let intake: StaffUser;

beforeAll(async () => {
  t = await startTestApp();
  intake = await buildStaff(t.database.db, 'intake');
});
afterAll(() => t.close());

interface Example {
  why: string;
  profile: string;
  receivedAt: string;
  productKind?: string;
  expect: Record<string, string>;
}

const examples: Example[] = [
  {
    why: 'DISP, received Friday 27 Mar 2026 18:30 GMT (after close); clocks go forward on Sunday 29 Mar. Summary resolution: Mon 30, Tue 31, Wed 1 Apr → close of business 17:00 BST. Final: 8 weeks after 27 Mar → end of Fri 22 May (BST).',
    profile: 'uk-fca-disp',
    receivedAt: '2026-03-27T18:30:00Z',
    expect: {
      'summary-resolution': '2026-04-01T16:00:00.000Z',
      'final-response': '2026-05-22T22:59:59.999Z',
    },
  },
  {
    why: 'PSD complaints (DISP 1.6.2AR), received Thursday 2 Apr 2026 23:30 BST: Good Friday and Easter Monday, then the Early May and Spring bank holidays, are not business days. 15th business day: Mon 27 Apr; 35th: Wed 27 May.',
    profile: 'uk-fca-psd',
    receivedAt: '2026-04-02T22:30:00Z',
    expect: { 'holding-response': '2026-04-27T22:59:59.999Z', 'final-response': '2026-05-27T22:59:59.999Z' },
  },
  {
    why: 'PSD2, received Friday 23 Oct 2026 23:30 CEST; summer time ends Sunday 25 Oct. 15 business days → end of Fri 13 Nov (CET); 35 → end of Fri 11 Dec.',
    profile: 'eu-psd2',
    receivedAt: '2026-10-23T21:30:00Z',
    expect: { 'holding-response': '2026-11-13T22:59:59.999Z', 'final-response': '2026-12-11T22:59:59.999Z' },
  },
  {
    why: 'RG 271, received Saturday 4 Apr 2026 10:00 AEDT (Easter Saturday; daylight saving ends Sunday 5 Apr; Easter Monday a holiday): acknowledge by the end of Tue 7 Apr (AEST); 30 days → end of Mon 4 May.',
    profile: 'au-asic-rg271',
    receivedAt: '2026-04-03T23:00:00Z',
    expect: { acknowledgement: '2026-04-07T13:59:59.999Z', 'final-response': '2026-05-04T13:59:59.999Z' },
  },
  {
    why: 'RG 271 credit hardship (21 days): same receipt → end of Sat 25 Apr (AEST).',
    profile: 'au-asic-rg271-hardship',
    receivedAt: '2026-04-03T23:00:00Z',
    expect: { acknowledgement: '2026-04-07T13:59:59.999Z', 'final-response': '2026-04-25T13:59:59.999Z' },
  },
  {
    why: 'RG 271 superannuation (45 days): → end of Tue 19 May (AEST).',
    profile: 'au-asic-rg271-super',
    receivedAt: '2026-04-03T23:00:00Z',
    expect: { acknowledgement: '2026-04-07T13:59:59.999Z', 'final-response': '2026-05-19T13:59:59.999Z' },
  },
  {
    why: 'CFPB, received Sunday 1 Nov 2026 00:30 EDT, the night the clocks go back: 15 days → end of Mon 16 Nov (EST); 60 days → end of Thu 31 Dec.',
    profile: 'us-cfpb',
    receivedAt: '2026-11-01T04:30:00Z',
    expect: { 'holding-response': '2026-11-17T04:59:59.999Z', 'final-response': '2027-01-01T04:59:59.999Z' },
  },
  {
    why: "CPC, received Monday 16 Mar 2026 19:00 GMT; St Patrick's Day (Tue 17), Good Friday (banks) and Easter Monday are not business days: acknowledge by Tue 24 Mar; first update by Thu 16 Apr (IST); resolve by Fri 15 May.",
    profile: 'ie-cbi-cpc',
    receivedAt: '2026-03-16T19:00:00Z',
    expect: {
      acknowledgement: '2026-03-24T23:59:59.999Z',
      update: '2026-04-16T22:59:59.999Z',
      'final-response': '2026-05-15T22:59:59.999Z',
    },
  },
  {
    why: 'RBI, received Saturday 10 Jan 2026 20:00 UTC = Sunday 11 Jan 01:30 IST: escalation by the end of 31 Jan (IST), final decision by the end of 10 Feb.',
    profile: 'in-rbi',
    receivedAt: '2026-01-10T20:00:00Z',
    expect: {
      'internal-escalation': '2026-01-31T18:29:59.999Z',
      'final-response': '2026-02-10T18:29:59.999Z',
    },
  },
  {
    why: 'Organisation default, received Friday 27 Mar 2026 16:00 UTC: acknowledge by close of business on the 2nd business day (Tue 31 Mar 17:00 UTC), update after 10, respond after 20 business days.',
    profile: 'iso-default',
    receivedAt: '2026-03-27T16:00:00Z',
    expect: {
      acknowledgement: '2026-03-31T17:00:00.000Z',
      update: '2026-04-10T17:00:00.000Z',
      'final-response': '2026-04-24T17:00:00.000Z',
    },
  },
];

describe('worked examples of the presets, through the API', () => {
  for (const ex of examples) {
    it(`${ex.profile}: ${ex.why}`, async () => {
      const preview = await t.call(intake, 'POST', '/api/deadlines/compute', {
        profiles: [ex.profile],
        receivedAt: ex.receivedAt,
      });
      expect(preview.status, JSON.stringify(preview.body)).toBe(200);
      expect(
        Object.fromEntries(
          preview.body.milestones.map((m: { name: string; dueAt: string }) => [m.name, m.dueAt]),
        ),
      ).toEqual(ex.expect);

      const created = await t.call(
        intake,
        'POST',
        '/api/complaints',
        complaintInput({ profiles: [ex.profile], receivedAt: ex.receivedAt }),
      );
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const full = await t.call(intake, 'GET', `/api/complaints/${created.body.reference}`);
      const stored = Object.fromEntries(
        full.body.deadlines.map((d: { name: string; dueAt: string }) => [d.name, d.dueAt]),
      );
      expect(stored).toEqual(ex.expect);
      expect(
        full.body.deadlines.every(
          (d: { profile: string; version: number }) => d.profile === ex.profile && d.version === 1,
        ),
      ).toBe(true);
      const earliest = Object.values(ex.expect).sort()[0];
      expect(full.body.nextDueAt).toBe(earliest);
    });
  }

  it('the context decides between rules: RG 271 with a credit-hardship product kind, in-rbi with an upheld outcome', async () => {
    const hardship = await t.call(intake, 'POST', '/api/deadlines/compute', {
      profiles: ['au-asic-rg271'],
      receivedAt: '2026-04-03T23:00:00Z',
      productKind: 'credit-hardship',
    });
    expect(hardship.body.milestones.find((m: { name: string }) => m.name === 'final-response').dueAt).toBe(
      '2026-04-25T13:59:59.999Z',
    );
    const upheld = await t.call(intake, 'POST', '/api/deadlines/compute', {
      profiles: ['in-rbi'],
      receivedAt: '2026-01-10T20:00:00Z',
      outcome: 'upheld',
    });
    expect(upheld.body.milestones.map((m: { name: string }) => m.name)).toEqual(['final-response']);
    // several profiles: the strictest per milestone
    const both = await t.call(intake, 'POST', '/api/deadlines/compute', {
      profiles: ['uk-fca-disp', 'uk-fca-psd'],
      receivedAt: '2026-04-02T22:30:00Z',
    });
    expect(
      Object.fromEntries(
        both.body.milestones.map((m: { name: string; profile: string }) => [m.name, m.profile]),
      ),
    ).toEqual({
      'summary-resolution': 'uk-fca-disp',
      'holding-response': 'uk-fca-psd',
      'final-response': 'uk-fca-psd',
    });
  });
});
