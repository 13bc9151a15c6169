/**
 * Regulatory and default deadline profiles as versioned data (SPEC TIME-1, TIME-3).
 *
 * Reading of the rules (see engine.ts for the counting conventions):
 * - "within N business days of receipt" = by the end of the N-th business day following the day of receipt
 *   (the day of receipt is never counted, whatever the time of receipt); "by close of business" only where the
 *   rule says so (DISP 1.5.1R).
 * - "within N (calendar) days" = by the end of local day D+N, D being the local day of receipt.
 * - "by the end of N weeks after receipt" = end of the local day 7N days after the day of receipt.
 * - Regulatory clocks are never paused; `iso-default` is an organisational target (internal, pausable).
 * - Optional relaxations that a rule permits (e.g. DISP 1.5.3G: a complaint received after close of business
 *   *may* be treated as received on the next business day) are not applied: the presets give the strict date.
 *   A profile can opt in with `receiptOutsideHours: 'next-business-day'`.
 * Each profile uses its jurisdiction's calendar (preset-calendars.ts) unless the caller substitutes another.
 * Profiles are frozen: to customise one, copy it (structuredClone) and bump `version`.
 */
import type { Calendar } from './calendar.ts';
import type { DeadlineProfile, MilestoneRule } from './engine.ts';
import { presetCalendars } from './preset-calendars.ts';

export { presetCalendars } from './preset-calendars.ts';

const bd = (
  name: MilestoneRule['name'],
  amount: number,
  rule: string,
  extra: Partial<MilestoneRule> = {},
): MilestoneRule => ({
  name,
  clock: 'regulatory',
  amount,
  unit: 'business-days',
  from: 'day-after-receipt',
  at: 'end-of-day',
  rule,
  ...extra,
});
const days = (
  name: MilestoneRule['name'],
  amount: number,
  rule: string,
  extra: Partial<MilestoneRule> = {},
): MilestoneRule => ({
  name,
  clock: 'regulatory',
  amount,
  unit: 'calendar-days',
  from: 'day-after-receipt',
  at: 'end-of-day',
  rule,
  ...extra,
});

const HARDSHIP = ['credit-hardship', 'default-notice'];
const SUPER = ['superannuation'];
const RG271_ACK = bd(
  'acknowledgement',
  1,
  'acknowledge by the end of the next business day after receipt (RG 271: within 24 hours or 1 business day)',
);

export const presetProfiles: DeadlineProfile[] = [
  {
    id: 'iso-default',
    version: 1,
    name: 'Organisational default (ISO 10002)',
    jurisdiction: 'international',
    source:
      'ISO 10002:2018 8.3–8.4 (prompt acknowledgement, timely response; no fixed periods) — organisational targets',
    calendarId: 'default',
    milestones: [
      bd(
        'acknowledgement',
        2,
        'acknowledge by close of business on the 2nd business day following the day of receipt',
        {
          clock: 'internal',
          at: 'close-of-business',
        },
      ),
      bd(
        'update',
        10,
        'update the complainant every 10 business days (from receipt, then from the last update)',
        {
          clock: 'internal',
          at: 'close-of-business',
          repeat: true,
        },
      ),
      bd(
        'final-response',
        20,
        'final response by close of business on the 20th business day following the day of receipt',
        {
          clock: 'internal',
          at: 'close-of-business',
        },
      ),
    ],
  },
  {
    id: 'uk-fca-disp',
    version: 1,
    name: 'UK FCA DISP (complaints other than PSD/EMD)',
    jurisdiction: 'GB',
    source:
      'FCA Handbook DISP 1.5.1R (summary resolution) and DISP 1.6.2R (8-week final or holding response)',
    calendarId: 'gb-eaw',
    milestones: [
      bd(
        'summary-resolution',
        3,
        'by close of business on the 3rd business day following the day of receipt (DISP 1.5.1R)',
        {
          at: 'close-of-business',
        },
      ),
      {
        name: 'final-response',
        clock: 'regulatory',
        amount: 8,
        unit: 'weeks',
        from: 'day-after-receipt',
        at: 'end-of-day',
        rule: 'final response (or a written response explaining the delay) by the end of 8 weeks after receipt (DISP 1.6.2R)',
      },
    ],
  },
  {
    id: 'uk-fca-psd',
    version: 1,
    name: 'UK FCA DISP — payment services and e-money complaints',
    jurisdiction: 'GB',
    source: 'FCA Handbook DISP 1.6.2AR (PSD and EMD complaints: 15 / 35 business days)',
    calendarId: 'gb-eaw',
    milestones: [
      bd(
        'holding-response',
        15,
        'final response — or, in exceptional circumstances, a holding response — by the end of the 15th business day after the day of receipt (DISP 1.6.2AR)',
      ),
      bd(
        'final-response',
        35,
        'final response in exceptional circumstances by the end of the 35th business day after the day of receipt (DISP 1.6.2AR(2))',
      ),
    ],
  },
  {
    id: 'eu-psd2',
    version: 1,
    name: 'EU PSD2 payment service providers',
    jurisdiction: 'EU',
    source: 'Directive (EU) 2015/2366 (PSD2) Article 101(2)',
    calendarId: 'eu-ecb',
    milestones: [
      bd(
        'holding-response',
        15,
        'reply — or, in exceptional circumstances, a holding reply — within 15 business days of receipt (PSD2 Art. 101(2))',
      ),
      bd(
        'final-response',
        35,
        'final reply in exceptional circumstances within 35 business days of receipt (PSD2 Art. 101(2))',
      ),
    ],
  },
  {
    id: 'au-asic-rg271',
    version: 1,
    name: 'Australia ASIC RG 271 internal dispute resolution',
    jurisdiction: 'AU',
    source:
      'ASIC Regulatory Guide 271 Internal dispute resolution (acknowledgement; maximum IDR timeframes: 30 days, 21 days for default notice and hardship complaints, 45 days for superannuation trustees)',
    calendarId: 'au-nsw',
    milestones: [
      RG271_ACK,
      days(
        'final-response',
        21,
        'IDR response within 21 calendar days of receipt (credit hardship or default notice complaint)',
        {
          when: { productKindIn: HARDSHIP },
        },
      ),
      days(
        'final-response',
        45,
        'IDR response within 45 calendar days of receipt (superannuation trustee complaint)',
        {
          when: { productKindIn: SUPER },
        },
      ),
      days('final-response', 30, 'IDR response within 30 calendar days of receipt'),
    ],
  },
  {
    id: 'au-asic-rg271-hardship',
    version: 1,
    name: 'Australia ASIC RG 271 — credit hardship and default notice complaints',
    jurisdiction: 'AU',
    source: 'ASIC Regulatory Guide 271 Internal dispute resolution (21-day maximum IDR timeframe)',
    calendarId: 'au-nsw',
    milestones: [
      RG271_ACK,
      days(
        'final-response',
        21,
        'IDR response within 21 calendar days of receipt (credit hardship or default notice complaint)',
      ),
    ],
  },
  {
    id: 'au-asic-rg271-super',
    version: 1,
    name: 'Australia ASIC RG 271 — superannuation trustee complaints',
    jurisdiction: 'AU',
    source:
      'ASIC Regulatory Guide 271 Internal dispute resolution (45-day maximum IDR timeframe for superannuation)',
    calendarId: 'au-nsw',
    milestones: [
      RG271_ACK,
      days(
        'final-response',
        45,
        'IDR response within 45 calendar days of receipt (superannuation trustee complaint)',
      ),
    ],
  },
  {
    id: 'us-cfpb',
    version: 1,
    name: 'US CFPB consumer complaints (company portal)',
    jurisdiction: 'US',
    source: 'CFPB Company Portal Manual: respond within 15 days; close the complaint within 60 days',
    calendarId: 'us-federal',
    milestones: [
      days(
        'holding-response',
        15,
        'company response within 15 calendar days of receipt (final, or "in progress")',
      ),
      days('final-response', 60, 'final response within 60 calendar days of receipt'),
    ],
  },
  {
    id: 'ie-cbi-cpc',
    version: 1,
    name: 'Ireland Central Bank Consumer Protection Code',
    jurisdiction: 'IE',
    source: 'Central Bank of Ireland Consumer Protection Code 2012, Provision 10.9(b), (d), (e)',
    calendarId: 'ie',
    milestones: [
      bd('acknowledgement', 5, 'acknowledge within 5 business days of receipt (CPC 10.9(b))'),
      bd('update', 20, 'written update at intervals of not more than 20 business days (CPC 10.9(d))', {
        repeat: true,
      }),
      bd('final-response', 40, 'investigate and resolve within 40 business days of receipt (CPC 10.9(e))'),
    ],
  },
  {
    id: 'in-rbi',
    version: 1,
    name: 'India RBI Internal Ombudsman',
    jurisdiction: 'IN',
    source:
      'RBI Internal Ombudsman directions for regulated entities (Master Direction 2023, as amended): auto-escalation within 20 days of receipt; final decision within 30 days',
    calendarId: 'in',
    milestones: [
      days(
        'internal-escalation',
        20,
        'partly or wholly rejected complaint escalated to the Internal Ombudsman within 20 days of receipt',
        {
          when: { outcomeIn: ['not_upheld', 'partly_upheld'], matchWhenUnknown: true },
        },
      ),
      days('final-response', 30, 'final decision communicated within 30 days of receipt'),
    ],
  },
];

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}
deepFreeze(presetProfiles);
deepFreeze(presetCalendars);

const profileById = new Map(presetProfiles.map((p) => [p.id, p]));
const calendarById = new Map(presetCalendars.map((c) => [c.id, c]));

/** All preset calendars keyed by id (the `calendars` argument of computeDueDates). */
export const presetCalendarMap: Readonly<Record<string, Calendar>> = Object.freeze(
  Object.fromEntries(presetCalendars.map((c) => [c.id, c])),
);

export function getPreset(id: string): DeadlineProfile | undefined {
  return profileById.get(id);
}

export function getPresetCalendar(id: string): Calendar | undefined {
  return calendarById.get(id);
}
