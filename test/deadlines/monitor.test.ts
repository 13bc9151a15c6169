/**
 * The deadline monitor (issue 3 item 5): warnings at 50 % and 80 %, breach events, automatic escalation by rule
 * (in-rbi), holding / delay letter tasks — each a history event on the complaint and an outbox row — and, with two
 * workers racing over the same complaints, each exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buildStaff, complaintInput, type StaffUser } from '../helpers/factories.ts';
import { openPostgres, type DatabaseHandle } from '../../src/db/client.ts';
import { drainDeadlineAlerts, processDeadlineAlerts } from '../../src/deadlines/monitor.ts';
import { verifyHistory } from '../../src/audit/verify-history.ts';
import { handlers } from '../../src/complaints/handlers.ts';

let t: TestApp;
let intake: StaffUser;
let manager: StaffUser;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await startTestApp();
  intake = await buildStaff(t.database.db, 'intake');
  manager = await buildStaff(t.database.db, 'manager');
});
afterAll(() => t.close());

const create = async (profiles: string[], receivedAt: Date) => {
  const res = await t.call(
    intake,
    'POST',
    '/api/complaints',
    complaintInput({ profiles, receivedAt: receivedAt.toISOString() }),
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; reference: string };
};
const act = async (ref: string, action: string, body: unknown = {}) => {
  const res = await t.call(manager, 'POST', `/api/complaints/${ref}/${action}`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
};
const get = async (ref: string) => (await t.call(manager, 'GET', `/api/complaints/${ref}`)).body;
const events = async (complaintId: string) =>
  t.database.db
    .selectFrom('audit_events')
    .select(['action', 'data', 'actor_label', 'actor_type'])
    .where('complaint_id', '=', complaintId)
    .orderBy('seq')
    .execute();

describe('the deadline monitor', () => {
  it('warns at 50 % and 80 %, creates the holding-letter task, records the breach — each once', async () => {
    const now = new Date();
    // us-cfpb: holding-response by the end of the 15th day after receipt (New York), final response by day 60.
    const received = new Date(now.getTime() - 9 * DAY);
    const c = await create(['us-cfpb'], received);
    const first = await drainDeadlineAlerts(t.database.db, { now });
    expect(first.warnings).toBeGreaterThanOrEqual(1);
    let history = await events(c.id);
    let warnings = history.filter((e) => e.action === 'deadline_warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.data).toMatchObject({
      milestone: 'holding-response',
      profile: 'us-cfpb',
      share: 0.5,
      clock: 'regulatory',
    });
    expect(warnings[0]!.actor_type).toBe('system');
    expect(warnings[0]!.actor_label).toBe('deadline monitor');
    // nothing more until the next share is reached
    expect((await drainDeadlineAlerts(t.database.db, { now })).warnings).toBe(0);

    const at80 = new Date(received.getTime() + 13.5 * DAY);
    await drainDeadlineAlerts(t.database.db, { now: at80 });
    history = await events(c.id);
    warnings = history.filter((e) => e.action === 'deadline_warning');
    expect(warnings.map((w) => w.data.share)).toEqual([0.5, 0.8]);
    const taskEvent = history.find((e) => e.action === 'deadline_task_created');
    expect(taskEvent?.data).toMatchObject({ milestone: 'holding-response', kind: 'holding' });
    let full = await get(c.reference);
    const holding = full.deadlines.find((d: { name: string }) => d.name === 'holding-response');
    expect(holding.status).toBe('at_risk');
    expect(holding.taskId).toBe(taskEvent!.data.taskId);
    expect(full.tasks.find((x: { id: string }) => x.id === holding.taskId).title).toContain(
      'holding response',
    );

    const after = new Date(received.getTime() + 17 * DAY);
    const breach = await drainDeadlineAlerts(t.database.db, { now: after });
    expect(breach.breaches).toBe(1);
    expect((await drainDeadlineAlerts(t.database.db, { now: after })).breaches).toBe(0);
    full = await get(c.reference);
    expect(full.deadlines.find((d: { name: string }) => d.name === 'holding-response').status).toBe(
      'breached',
    );
    history = await events(c.id);
    expect(history.filter((e) => e.action === 'deadline_breached')).toHaveLength(1);
    const topics = await t.database.db
      .selectFrom('outbox')
      .select('topic')
      .where('complaint_id', '=', c.id)
      .execute();
    expect(topics.map((x) => x.topic)).toEqual(
      expect.arrayContaining(['deadline.warning', 'deadline.task_created', 'deadline.breached']),
    );
    expect(topics.filter((x) => x.topic === 'deadline.warning')).toHaveLength(2);
  });

  it('completing the holding-letter task meets the holding-response milestone', async () => {
    const now = new Date();
    const c = await create(['uk-fca-psd'], new Date(now.getTime() - 19 * DAY)); // 15 business days: ~80 % after ~17–19 days
    await drainDeadlineAlerts(t.database.db, { now });
    let full = await get(c.reference);
    const holding = full.deadlines.find((d: { name: string }) => d.name === 'holding-response');
    expect(holding.taskId).not.toBeNull();
    await act(c.reference, 'complete-task', { taskId: holding.taskId });
    full = await get(c.reference);
    expect(full.deadlines.find((d: { name: string }) => d.name === 'holding-response').status).toBe('met');
    expect(full.history.at(-1).data.deadlines.met).toEqual(['holding-response']);
  });

  it('escalates automatically by rule (in-rbi: to the internal ombudsman at day 20), which meets the milestone', async () => {
    const now = new Date();
    const c = await create(['in-rbi'], new Date(now.getTime() - 25 * DAY));
    await act(c.reference, 'acknowledge');
    const r = await drainDeadlineAlerts(t.database.db, { now });
    expect(r.escalations).toBe(1);
    const full = await get(c.reference);
    expect(full.state).toBe('escalated');
    expect(full.escalationLevel).toBe('internal_review');
    const esc = full.deadlines.find((d: { name: string }) => d.name === 'internal-escalation');
    expect(esc.status).toBe('met');
    const escalateEvent = full.history.find((e: { action: string }) => e.action === 'escalate');
    expect(escalateEvent.actor).toEqual({ type: 'system', label: 'deadline monitor' });
    expect(escalateEvent.data.level).toBe('internal_review');
    expect(escalateEvent.data.deadlines.met).toEqual(['internal-escalation']);
    expect(full.history.filter((e: { action: string }) => e.action === 'deadline_breached')).toHaveLength(0);
    // final decision within 30 days: 25/30 elapsed -> the 80 % warning and the delay-letter task
    const final = full.history.filter(
      (e: { action: string; data: { milestone?: string } }) =>
        e.action === 'deadline_warning' && e.data.milestone === 'final-response',
    );
    expect(final).toHaveLength(1);
    expect(final[0].data.shares).toEqual([0.5, 0.8]);
    expect((await drainDeadlineAlerts(t.database.db, { now })).escalations).toBe(0);
  });

  it('records the breach when an automatic escalation cannot be made (the rest of the batch stands)', async () => {
    const now = new Date();
    const c = await create(['in-rbi'], new Date(now.getTime() - 24 * DAY));
    const other = await create(['us-cfpb'], new Date(now.getTime() - 20 * DAY));
    await act(c.reference, 'acknowledge');
    const original = handlers.escalate;
    handlers.escalate = async () => {
      throw new Error('escalation refused for the test');
    };
    try {
      const r = await drainDeadlineAlerts(t.database.db, { now });
      expect(r.escalations).toBe(0);
    } finally {
      handlers.escalate = original;
    }
    const full = await get(c.reference);
    expect(full.state).toBe('acknowledged');
    const esc = full.deadlines.find((d: { name: string }) => d.name === 'internal-escalation');
    expect(esc.status).toBe('breached');
    const breach = full.history.find(
      (e: { action: string; data: { milestone?: string } }) =>
        e.action === 'deadline_breached' && e.data.milestone === 'internal-escalation',
    );
    expect(breach.data.escalationFailed).toContain('refused for the test');
    expect(
      (await get(other.reference)).deadlines.find((d: { name: string }) => d.name === 'holding-response')
        .status,
    ).toBe('breached');
    expect((await drainDeadlineAlerts(t.database.db, { now })).complaints).toBe(0);
    expect((await verifyHistory(t.database.db)).breaks).toEqual([]);
  });

  it('never warns about a paused internal clock, and summary resolution lapses rather than breaches', async () => {
    const now = new Date();
    const c = await create(['iso-default', 'uk-fca-disp'], new Date(now.getTime() - 6 * DAY));
    await act(c.reference, 'acknowledge');
    await act(c.reference, 'assess', { impact: 'low', urgency: 'low' });
    await act(c.reference, 'request-information', { message: 'Which account?' });
    await drainDeadlineAlerts(t.database.db, { now: new Date(now.getTime() + 30 * DAY) });
    const history = await events(c.id);
    const about = (name: string) => history.filter((e) => (e.data as { profile?: string }).profile === name);
    expect(about('iso-default').filter((e) => e.action.startsWith('deadline_'))).toEqual([]);
    expect(history.filter((e) => e.action === 'deadline_lapsed').map((e) => e.data.milestone)).toEqual([
      'summary-resolution',
    ]);
    expect(about('uk-fca-disp').some((e) => e.action === 'deadline_warning')).toBe(true);
  });
});

describe('two workers racing over the same breaches', () => {
  it('each warning, breach, task and escalation happens exactly once, and the history chains stay intact', async () => {
    const now = new Date();
    const created: Array<{ id: string; reference: string; profile: string }> = [];
    const mix: Array<[string, number]> = [
      ['us-cfpb', 20],
      ['in-rbi', 22],
      ['uk-fca-psd', 40],
      ['eu-psd2', 12],
      ['iso-default', 35],
      ['ie-cbi-cpc', 30],
    ];
    for (let i = 0; i < 36; i++) {
      const [profile, days] = mix[i % mix.length]!;
      const c = await create([profile], new Date(now.getTime() - (days + (i % 5)) * DAY));
      if (profile === 'in-rbi') await act(c.reference, 'acknowledge');
      created.push({ ...c, profile });
    }
    const ids = created.map((c) => c.id);
    const before = await t.database.db
      .selectFrom('audit_events')
      .select('id')
      .where('complaint_id', 'in', ids)
      .execute();

    const handles: DatabaseHandle[] = [
      await openPostgres(t.database.url, 4),
      await openPostgres(t.database.url, 4),
    ];
    try {
      // Both workers start together and keep polling until nothing is due, with small batches to interleave.
      const results = await Promise.all(handles.map((h) => drainDeadlineAlerts(h.db, { now, batch: 3 })));
      const total = (k: keyof (typeof results)[0]) => results[0]![k] + results[1]![k];
      expect(results[0]!.complaints).toBeGreaterThan(0);
      expect(results[1]!.complaints).toBeGreaterThan(0); // both did part of the work

      const all = await t.database.db
        .selectFrom('audit_events')
        .select(['complaint_id', 'action', 'data'])
        .where('complaint_id', 'in', ids)
        .where('action', 'in', ['deadline_warning', 'deadline_breached', 'deadline_task_created', 'escalate'])
        .execute();
      const seen = new Map<string, number>();
      for (const e of all) {
        const d = e.data as { milestone?: string; profile?: string };
        const key = `${e.complaint_id}|${e.action}|${d.milestone ?? ''}|${d.profile ?? ''}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      expect([...seen.entries()].filter(([, n]) => n > 1)).toEqual([]);
      expect(all.filter((e) => e.action === 'deadline_breached')).toHaveLength(total('breaches'));
      expect(all.filter((e) => e.action === 'deadline_warning')).toHaveLength(total('warnings'));
      expect(all.filter((e) => e.action === 'escalate')).toHaveLength(total('escalations'));
      expect(total('breaches')).toBeGreaterThan(10);
      // every in-rbi complaint escalated exactly once
      const rbi = created.filter((c) => c.profile === 'in-rbi').map((c) => c.id);
      expect(
        all
          .filter((e) => e.action === 'escalate')
          .map((e) => e.complaint_id)
          .sort(),
      ).toEqual([...rbi].sort());

      // a third pass (either worker) finds nothing left
      const again = await processDeadlineAlerts(handles[0]!.db, { now });
      expect(again.complaints).toBe(0);
      const tasks = await t.database.db
        .selectFrom('tasks')
        .select(['complaint_id'])
        .where('complaint_id', 'in', ids)
        .execute();
      expect(tasks).toHaveLength(total('tasks'));
      const outbox = await t.database.db
        .selectFrom('outbox')
        .select('topic')
        .where('complaint_id', 'in', ids)
        .where('topic', '=', 'deadline.breached')
        .execute();
      expect(outbox).toHaveLength(total('breaches'));
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
    const report = await verifyHistory(t.database.db);
    expect(report.breaks).toEqual([]);
    const after = await t.database.db
      .selectFrom('audit_events')
      .select('id')
      .where('complaint_id', 'in', ids)
      .execute();
    expect(after.length).toBeGreaterThan(before.length);
  });
});
