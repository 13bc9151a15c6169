/**
 * Deadlines of a complaint through the API (issue 3 item 4): profiles on create and on assessment, deadlines in
 * getComplaint, met by the actions, internal clocks paused while awaiting the complainant (regulatory never),
 * the history, and the "due within N hours" / "breached" filters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buildStaff, complaintInput, type StaffUser } from '../helpers/factories.ts';
import { executeAction } from '../../src/complaints/execute-action.ts';
import { handlers } from '../../src/complaints/handlers.ts';
import type { Actor } from '../../src/identity/roles.ts';

let t: TestApp;
let intake: StaffUser;
let manager: StaffUser;
let auditor: StaffUser;
let managerActor: Actor;

beforeAll(async () => {
  t = await startTestApp();
  const db = t.database.db;
  intake = await buildStaff(db, 'intake');
  manager = await buildStaff(db, 'manager');
  auditor = await buildStaff(db, 'auditor');
  managerActor = {
    type: 'user',
    id: manager.id,
    label: 'manager',
    role: 'manager',
    teamIds: [],
    channel: 'web',
  };
});
afterAll(() => t.close());

type Deadline = {
  name: string;
  dueAt: string;
  profile: string;
  version: number;
  clock: string;
  status: string;
  paused: boolean;
  timeLeftSeconds: number | null;
  governing: boolean;
  metAt: string | null;
  rule: string | null;
};
const byName = (list: Deadline[], name: string, profile?: string) =>
  list.find((d) => d.name === name && (profile === undefined || d.profile === profile));

const create = async (overrides: Record<string, unknown> = {}) => {
  const res = await t.call(intake, 'POST', '/api/complaints', complaintInput(overrides as never));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (await t.call(manager, 'GET', `/api/complaints/${res.body.reference}`)).body;
};
const act = async (ref: string, action: string, body: unknown = {}, who: StaffUser = manager) => {
  const res = await t.call(who, 'POST', `/api/complaints/${ref}/${action}`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const get = async (ref: string) => (await t.call(manager, 'GET', `/api/complaints/${ref}`)).body;

describe('profiles and deadlines of a new complaint', () => {
  it('applies the organisation default (iso-default) and returns each milestone with its profile, version, clock and status', async () => {
    const c = await create({ receivedAt: '2026-03-27T16:00:00Z' });
    expect(c.deadlineProfiles).toEqual([{ id: 'iso-default', version: 1, by: 'default' }]);
    const d: Deadline[] = c.deadlines;
    expect(d.map((x) => [x.name, x.dueAt, x.profile, x.version, x.clock])).toEqual([
      ['acknowledgement', '2026-03-31T17:00:00.000Z', 'iso-default', 1, 'internal'],
      ['update', '2026-04-10T17:00:00.000Z', 'iso-default', 1, 'internal'],
      ['final-response', '2026-04-24T17:00:00.000Z', 'iso-default', 1, 'internal'],
    ]);
    expect(d.every((x) => x.status === 'breached' && x.timeLeftSeconds! < 0)).toBe(true); // all in the past
    expect(c.nextDueAt).toBe('2026-03-31T17:00:00.000Z');
    expect(byName(d, 'acknowledgement')!.rule).toContain('2nd business day');
    // the history's first event records the profiles and the due instants
    const created = c.history[0];
    expect(created.action).toBe('create');
    expect(created.data.deadlines.profiles).toEqual([{ id: 'iso-default', version: 1, by: 'default' }]);
    expect(created.data.deadlines.set).toHaveLength(3);
  });

  it('accepts profiles by hand: several apply, each milestone on its own clock, the strictest governs (worked example: DISP at Easter)', async () => {
    const c = await create({
      profiles: ['uk-fca-disp', 'iso-default'],
      receivedAt: '2026-04-02T17:30:00+01:00',
    });
    const d: Deadline[] = c.deadlines;
    // Thu 2 Apr 2026 after close: Good Friday 3 Apr and Easter Monday 6 Apr are bank holidays -> Tue 7, Wed 8, Thu 9 Apr;
    // close of business 17:00 BST.
    expect(byName(d, 'summary-resolution')).toMatchObject({
      dueAt: '2026-04-09T16:00:00.000Z',
      profile: 'uk-fca-disp',
      clock: 'regulatory',
    });
    // the end of 8 weeks after receipt: Thursday 28 May 2026, end of day (BST)
    expect(byName(d, 'final-response', 'uk-fca-disp')).toMatchObject({
      dueAt: '2026-05-28T22:59:59.999Z',
      governing: false,
    });
    // iso-default (organisation target, UTC calendar without holidays): close of business on the 20th business day -> Thu 30 Apr
    expect(byName(d, 'final-response', 'iso-default')).toMatchObject({
      dueAt: '2026-04-30T17:00:00.000Z',
      clock: 'internal',
      governing: true,
    });
    expect(c.deadlineProfiles.map((p: { id: string }) => p.id)).toEqual(['uk-fca-disp', 'iso-default']);
    expect(c.nextDueAt).toBe('2026-04-06T17:00:00.000Z'); // iso-default acknowledgement: 2nd business day (UTC calendar)
  });

  it('refuses unknown profiles with a field error, and gives no default deadlines to a compliment', async () => {
    const bad = await t.call(
      intake,
      'POST',
      '/api/complaints',
      complaintInput({ profiles: ['uk-fca-disp', 'nope'] }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      expect.objectContaining({ field: 'profiles.1', code: 'unknown_profile' }),
    ]);
    const malformed = await t.call(
      intake,
      'POST',
      '/api/complaints',
      complaintInput({ profiles: ['Not An Id'] }),
    );
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].field).toBe('profiles.0');
    const compliment = await create({ type: 'compliment' });
    expect(compliment.deadlines).toEqual([]);
    expect(compliment.nextDueAt).toBeNull();
  });
});

describe('deadlines through the lifecycle', () => {
  it('are met by the actions that meet them; assessment changes profiles on purpose', async () => {
    const c = await create({ profiles: ['ie-cbi-cpc'] });
    const ref = c.reference;
    expect(c.deadlines.map((x: Deadline) => x.name)).toEqual(['acknowledgement', 'update', 'final-response']);
    expect(c.deadlines.every((x: Deadline) => x.status === 'on_track')).toBe(true);

    await act(ref, 'acknowledge', {}, intake);
    let full = await get(ref);
    expect(byName(full.deadlines, 'acknowledgement')!.status).toBe('met');
    expect(byName(full.deadlines, 'acknowledgement')!.metAt).not.toBeNull();
    const ackEvent = full.history.find((e: { action: string }) => e.action === 'acknowledge');
    expect(ackEvent.data.deadlines.met).toEqual(['acknowledgement']);
    expect(ackEvent.data.deadlines.updateRestarted).toEqual(['ie-cbi-cpc']); // acknowledging is a message to the complainant

    // assessment with profiles: the old profile's running milestones are cancelled, the new ones computed from receipt
    const assessed = await act(ref, 'assess', { impact: 'low', urgency: 'low', profiles: ['uk-fca-psd'] });
    expect(assessed.state).toBe('assessed');
    full = await get(ref);
    expect(full.deadlineProfiles).toEqual([{ id: 'uk-fca-psd', version: 1, by: 'hand' }]);
    const running = full.deadlines.filter((x: Deadline) => x.status !== 'cancelled' && x.status !== 'met');
    expect(running.map((x: Deadline) => `${x.profile}:${x.name}`)).toEqual([
      'uk-fca-psd:holding-response',
      'uk-fca-psd:final-response',
    ]);
    expect(byName(full.deadlines, 'final-response', 'ie-cbi-cpc')!.status).toBe('cancelled');
    expect(byName(full.deadlines, 'acknowledgement', 'ie-cbi-cpc')!.status).toBe('met');
    const assessEvent = full.history.find((e: { action: string }) => e.action === 'assess');
    expect(assessEvent.data.deadlines.profiles).toEqual([{ id: 'uk-fca-psd', version: 1, by: 'hand' }]);
    expect(full.nextDueAt).toBe(byName(full.deadlines, 'holding-response')!.dueAt);

    const badAssess = await t.call(manager, 'POST', `/api/complaints/${ref}/assess`, { profiles: ['nope'] });
    expect(badAssess.status).toBe(400);
    expect(badAssess.body.errors[0]).toMatchObject({ field: 'profiles.0', code: 'unknown_profile' });

    await act(ref, 'assign', { ownerId: manager.id, attestNoConflict: true });
    await act(ref, 'draft_response'.replace('_', '-'), {
      outcome: 'upheld',
      reasons: 'We got it wrong.',
      remedies: [],
    });
    await act(ref, 'send-response');
    full = await get(ref);
    expect(byName(full.deadlines, 'holding-response')!.status).toBe('met');
    expect(byName(full.deadlines, 'final-response', 'uk-fca-psd')!.status).toBe('met');
    expect(full.nextDueAt).toBeNull();
  });

  it('pauses internal clocks while awaiting the complainant, never regulatory ones', async () => {
    const c = await create({
      profiles: ['iso-default', 'uk-fca-disp'],
      receivedAt: new Date(Date.now() - 3_600_000).toISOString(),
    });
    const ref = c.reference;
    const before: Deadline[] = c.deadlines;
    await act(ref, 'acknowledge', {}, intake);
    const t0 = Date.now();
    const requestAt = new Date(t0);
    const receivedAt = new Date(t0 + 3 * 86_400_000); // the complainant answers three days later
    await executeAction(
      t.database.db,
      managerActor,
      ref,
      'request_information',
      { message: 'Please send the statement.' },
      handlers.request_information,
      { now: requestAt },
    );
    let full = await get(ref);
    expect(full.state).toBe('awaiting_complainant');
    const isoFinal = byName(full.deadlines, 'final-response', 'iso-default')!;
    const dispFinal = byName(full.deadlines, 'final-response', 'uk-fca-disp')!;
    expect(isoFinal.paused).toBe(true);
    expect(isoFinal.status).toBe('paused');
    expect(dispFinal.paused).toBe(false);
    // while paused the internal clock does not govern: the regulatory one does
    expect(dispFinal.governing).toBe(true);
    expect(full.history.at(-1).data.deadlines.paused).toBeGreaterThan(0);

    await executeAction(
      t.database.db,
      managerActor,
      ref,
      'information_received',
      { message: 'Here it is.' },
      handlers.information_received,
      { now: receivedAt },
    );
    full = await get(ref);
    const isoAfter = byName(full.deadlines, 'final-response', 'iso-default')!;
    const dispAfter = byName(full.deadlines, 'final-response', 'uk-fca-disp')!;
    expect(isoAfter.paused).toBe(false);
    expect(
      new Date(isoAfter.dueAt).getTime() -
        new Date(byName(before, 'final-response', 'iso-default')!.dueAt).getTime(),
    ).toBe(3 * 86_400_000);
    expect(dispAfter.dueAt).toBe(byName(before, 'final-response', 'uk-fca-disp')!.dueAt); // regulatory: unchanged
    expect(byName(full.deadlines, 'summary-resolution')!.dueAt).toBe(
      byName(before, 'summary-resolution')!.dueAt,
    );
    expect(full.history.at(-1).data.deadlines.resumed).toBeGreaterThan(0);
    const pauses = await t.database.db
      .selectFrom('complaint_pauses')
      .selectAll()
      .where('complaint_id', '=', full.id)
      .execute();
    expect(pauses).toHaveLength(1);
    expect(pauses[0]!.ended_at!.getTime() - pauses[0]!.started_at.getTime()).toBe(3 * 86_400_000);
  });

  it('cancels running milestones when the complaint is withdrawn', async () => {
    const c = await create({ profiles: ['us-cfpb'] });
    await act(c.reference, 'withdraw', { reason: 'Sorted it out myself' }, intake);
    const full = await get(c.reference);
    expect(full.deadlines.map((d: Deadline) => d.status)).toEqual(['cancelled', 'cancelled']);
    expect(full.nextDueAt).toBeNull();
  });

  it('auditors see the deadlines too (they hold no personal data)', async () => {
    const c = await create({ profiles: ['eu-psd2'] });
    const read = await t.call(auditor, 'GET', `/api/complaints/${c.reference}`);
    expect(read.status).toBe(200);
    expect(read.body.deadlines).toHaveLength(2);
  });
});

describe('listComplaints: due within N hours, breached', () => {
  it('filters on the next deadline, from the index', async () => {
    const hour = 3_600_000;
    // us-cfpb: 15 days; received 14.5 days ago -> holding-response due within the next ~1–2 days (end of local day)
    const soon = await create({
      profiles: ['us-cfpb'],
      receivedAt: new Date(Date.now() - 14 * 24 * hour).toISOString(),
    });
    const late = await create({
      profiles: ['us-cfpb'],
      receivedAt: new Date(Date.now() - 20 * 24 * hour).toISOString(),
    });
    const fresh = await create({ profiles: ['us-cfpb'] });
    const within = await t.call(manager, 'GET', '/api/complaints?dueWithinHours=72&sort=due_asc&limit=200');
    expect(within.status).toBe(200);
    const refs = within.body.items.map((i: { reference: string }) => i.reference);
    expect(refs).toContain(soon.reference);
    expect(refs).not.toContain(late.reference);
    expect(refs).not.toContain(fresh.reference);
    const breached = await t.call(manager, 'GET', '/api/complaints?breached=true&limit=200');
    const bRefs = breached.body.items.map((i: { reference: string }) => i.reference);
    expect(bRefs).toContain(late.reference);
    expect(bRefs).not.toContain(soon.reference);
    const notBreached = await t.call(manager, 'GET', '/api/complaints?breached=false&limit=200');
    expect(notBreached.body.items.map((i: { reference: string }) => i.reference)).toContain(fresh.reference);
    const bad = await t.call(manager, 'GET', '/api/complaints?dueWithinHours=0');
    expect(bad.status).toBe(400);
    const bad2 = await t.call(manager, 'GET', '/api/complaints?breached=maybe');
    expect(bad2.status).toBe(400);
  });
});
