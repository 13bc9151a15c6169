import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DeadlineConfig, ProfileEntry } from './config.ts';
import { getPreset, presetCalendars } from './presets.ts';
import { DEFAULT_DEADLINE_SETTINGS } from './settings.ts';
import {
  alertPoints,
  computeRows,
  instantAtPercent,
  nextAlertAt,
  nextDueAt,
  reconcile,
  shareAt,
  type DeadlineRow,
} from './tracking.ts';
import { planAlerts } from './monitor.ts';

const DAY = 86_400_000;

function config(): DeadlineConfig {
  const profiles = new Map<string, ProfileEntry>();
  for (const id of ['uk-fca-disp', 'uk-fca-psd', 'iso-default', 'in-rbi']) {
    const profile = getPreset(id)!;
    profiles.set(id, {
      id,
      active: true,
      currentVersion: 1,
      versions: [
        {
          profile,
          escalations:
            id === 'in-rbi'
              ? [{ milestone: 'internal-escalation', level: 'internal_review', atShare: 1 }]
              : [],
          effectiveFrom: new Date(0),
          note: null,
          createdAt: new Date(0),
        },
      ],
    });
  }
  return {
    revision: 1,
    settings: DEFAULT_DEADLINE_SETTINGS,
    profiles,
    calendarEntries: new Map(
      presetCalendars.map((c) => [
        c.id,
        { id: c.id, active: true, currentVersion: 1, calendar: c, holidayNames: new Map() },
      ]),
    ),
    calendars: Object.fromEntries(presetCalendars.map((c) => [c.id, c])),
  };
}

const complaint = (receivedAt: Date) => ({
  id: '00000000-0000-4000-8000-000000000001',
  received_at: receivedAt,
  acknowledged_at: null,
  sent_at: null,
  escalation_level: 0,
  response: null,
});

function row(overrides: Partial<DeadlineRow>): DeadlineRow {
  return {
    complaint_id: 'c',
    milestone: 'final-response',
    profile_id: 'uk-fca-psd',
    profile_version: 1,
    calendar_id: 'gb-eaw',
    calendar_version: 1,
    clock: 'regulatory',
    starts_at: new Date('2026-03-02T10:00:00Z'),
    due_at: new Date('2026-03-12T10:00:00Z'),
    status: 'pending',
    warned_shares: [],
    paused_at: null,
    paused_ms: 0,
    next_alert_at: null,
    met_at: null,
    breached_at: null,
    task_id: null,
    updated_at: new Date(0),
    ...overrides,
  };
}

describe('alert points and shares', () => {
  it('warnings, the letter task and escalations share one list of points', () => {
    const cfg = config();
    expect(alertPoints(row({ milestone: 'acknowledgement' }), cfg)).toEqual([50, 80]);
    expect(
      alertPoints(row({ milestone: 'holding-response' }), {
        ...cfg,
        settings: { ...cfg.settings, taskShare: 0.7 },
      }),
    ).toEqual([50, 70, 80]);
    expect(
      alertPoints(row({ milestone: 'final-response', clock: 'internal', profile_id: 'iso-default' }), cfg),
    ).toEqual([50, 80]);
  });

  it('paused time counts neither as elapsed nor as available', () => {
    // 10 days, of which 4 were paused (extending the due instant by 4 days): halfway = 3 days of running time + 4 paused
    const r = row({ starts_at: new Date(0), due_at: new Date(14 * DAY), paused_ms: 4 * DAY });
    expect(instantAtPercent(r, 50).getTime()).toBe(9 * DAY);
    expect(shareAt(r, new Date(9 * DAY))).toBeCloseTo(0.5);
    const paused = { ...r, paused_at: new Date(9 * DAY) };
    expect(shareAt(paused, new Date(12 * DAY))).toBeCloseTo(0.5); // frozen while paused
    expect(nextAlertAt({ ...paused }, config())).toBeNull();
  });

  it('property: the next alert is never before the start nor after the due instant, and alert instants increase', () => {
    const cfg = config();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 1, max: 400 * DAY }),
        fc.subarray([50, 80]),
        (start, span, warned) => {
          const r = row({
            starts_at: new Date(start),
            due_at: new Date(start + span),
            warned_shares: warned,
          });
          const next = nextAlertAt(r, cfg)!;
          expect(next.getTime()).toBeGreaterThanOrEqual(start);
          expect(next.getTime()).toBeLessThanOrEqual(start + span);
          expect(instantAtPercent(r, 50).getTime()).toBeLessThanOrEqual(instantAtPercent(r, 80).getTime());
        },
      ),
    );
  });
});

describe('rows of a complaint', () => {
  it('next_due_at is the earliest milestone not met and not paused (a breached one stays in it)', () => {
    const a = row({ due_at: new Date(5 * DAY), status: 'met' });
    const b = row({ due_at: new Date(6 * DAY), paused_at: new Date(DAY) });
    const c = row({ due_at: new Date(7 * DAY), status: 'breached' });
    const d = row({ due_at: new Date(8 * DAY) });
    expect(nextDueAt([a, b, c, d])).toEqual(new Date(7 * DAY));
    expect(nextDueAt([a])).toBeNull();
  });

  it('reconcile moves running rows, keeps history, cancels what no longer applies, adds what is new', () => {
    const cfg = config();
    const received = new Date('2026-04-02T22:30:00Z');
    const rows = computeRows(cfg, [{ id: 'uk-fca-psd', version: 1 }], received, {}).map((c) => ({
      ...row({}),
      complaint_id: complaint(received).id,
      milestone: c.milestone,
      profile_id: 'uk-fca-psd',
      starts_at: c.startsAt,
      due_at: c.computed.dueAt,
    }));
    rows[0]!.status = 'met';
    const moved = rows.map((r) => ({ ...r, due_at: new Date(r.due_at.getTime() - DAY) }));
    const computed = computeRows(
      cfg,
      [
        { id: 'uk-fca-psd', version: 1 },
        { id: 'uk-fca-disp', version: 1 },
      ],
      received,
      {},
    );
    const result = reconcile(complaint(received), moved, computed, cfg, new Date());
    const byKey = (m: string, p: string) => result.rows.find((r) => r.milestone === m && r.profile_id === p)!;
    expect(byKey('holding-response', 'uk-fca-psd').status).toBe('met'); // history: untouched
    expect(byKey('holding-response', 'uk-fca-psd').due_at).toEqual(moved[0]!.due_at);
    expect(byKey('final-response', 'uk-fca-psd').due_at).toEqual(rows[1]!.due_at); // moved back to the computed instant
    expect(byKey('summary-resolution', 'uk-fca-disp').status).toBe('pending');
    expect(result.inserted.size).toBe(2);
    expect(result.changes.map((c) => c.milestone).sort()).toEqual([
      'final-response',
      'final-response',
      'summary-resolution',
    ]);
    const withoutDisp = reconcile(
      complaint(received),
      result.rows,
      computeRows(cfg, [{ id: 'uk-fca-psd', version: 1 }], received, {}),
      cfg,
      new Date(),
    );
    expect(withoutDisp.rows.filter((r) => r.profile_id === 'uk-fca-disp').map((r) => r.status)).toEqual([
      'cancelled',
      'cancelled',
    ]);
  });
});

describe('what the monitor decides (pure)', () => {
  const c = {
    id: 'x',
    reference: 'R',
    state: 'acknowledged',
    escalation_level: 0,
    type: 'complaint',
    team_id: null,
    owner_id: null,
    subject_user_id: null,
    drafted_by: null,
    approval_required: false,
    complainant_decision: null,
    closure_reason: null,
    decision_makers: [],
  } as never;

  it('a jump past several points gives one warning naming them all; past the due instant only the breach', () => {
    const cfg = config();
    const r = row({ starts_at: new Date(0), due_at: new Date(10 * DAY), next_alert_at: new Date(5 * DAY) });
    const plan = planAlerts(c, [r], cfg, new Date(8.5 * DAY));
    expect(plan.events.map((e) => [e.action, e.data.shares])).toEqual([
      ['deadline_task_created', undefined],
      ['deadline_warning', [0.5, 0.8]],
    ]);
    expect(r.status).toBe('at_risk');
    expect(r.warned_shares).toEqual([50, 80]);
    expect(r.next_alert_at).toEqual(new Date(10 * DAY));
    const late = row({
      starts_at: new Date(0),
      due_at: new Date(10 * DAY),
      next_alert_at: new Date(5 * DAY),
      milestone: 'acknowledgement',
    });
    const plan2 = planAlerts(c, [late], cfg, new Date(11 * DAY));
    expect(plan2.events.map((e) => e.action)).toEqual(['deadline_breached']);
    expect(late.next_alert_at).toBeNull();
  });

  it('only the strictest clock of a milestone warns; every clock breaches', () => {
    const cfg = config();
    const strict = row({
      profile_id: 'uk-fca-psd',
      starts_at: new Date(0),
      due_at: new Date(10 * DAY),
      next_alert_at: new Date(5 * DAY),
      milestone: 'acknowledgement',
    });
    const loose = row({
      profile_id: 'uk-fca-disp',
      starts_at: new Date(0),
      due_at: new Date(12 * DAY),
      next_alert_at: new Date(6 * DAY),
      milestone: 'acknowledgement',
    });
    const plan = planAlerts(c, [strict, loose], cfg, new Date(6.5 * DAY));
    expect(plan.events.filter((e) => e.action === 'deadline_warning').map((e) => e.data.profile)).toEqual([
      'uk-fca-psd',
    ]);
    expect(loose.warned_shares).toEqual([50]); // passed silently
  });

  it('in-rbi: at the due instant the escalation replaces the breach', () => {
    const cfg = config();
    const r = row({
      profile_id: 'in-rbi',
      milestone: 'internal-escalation',
      calendar_id: 'in',
      starts_at: new Date(0),
      due_at: new Date(20 * DAY),
      next_alert_at: new Date(20 * DAY),
      warned_shares: [50, 80],
    });
    const plan = planAlerts(c, [r], cfg, new Date(20 * DAY + 1));
    expect(plan.escalation?.level).toBe('internal_review');
    expect(plan.events).toEqual([]);
    expect(plan.metByEscalation).toEqual([r]);
    const received = planAlerts(
      { ...(c as object), state: 'received' } as never,
      [row({ ...r, next_alert_at: new Date(20 * DAY) })],
      cfg,
      new Date(20 * DAY + 1),
    );
    expect(received.escalation).toBeNull(); // the machine does not allow escalating an unacknowledged complaint
    expect(received.events.map((e) => e.action)).toEqual(['deadline_breached']);
  });
});
