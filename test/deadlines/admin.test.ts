/**
 * Deadline administration (issue 3 item 6): versioned profiles and calendars, holidays (incl. iCalendar import),
 * settings and profile rules; a change recomputes the open complaints it affects, in batches, by a job.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buildStaff, complaintInput, type StaffUser } from '../helpers/factories.ts';
import { drainJobs } from '../../src/jobs/queue.ts';
import { jobHandlers } from '../../src/jobs/handlers.ts';
import { openPostgres } from '../../src/db/client.ts';
import { verifyHistory } from '../../src/audit/verify-history.ts';
import { enqueueRecompute } from '../../src/deadlines/recompute.ts';
import { sql } from 'kysely';

let t: TestApp;
let admin: StaffUser;
let intake: StaffUser;
let manager: StaffUser;

beforeAll(async () => {
  t = await startTestApp();
  admin = await buildStaff(t.database.db, 'admin');
  intake = await buildStaff(t.database.db, 'intake');
  manager = await buildStaff(t.database.db, 'manager');
});
afterAll(() => t.close());

const later = () => new Date(Date.now() + 60_000); // past the settle delay of recompute jobs
const runJobs = () => drainJobs(t.database.db, jobHandlers, { now: later() });
const create = async (overrides: Record<string, unknown>) => {
  const res = await t.call(intake, 'POST', '/api/complaints', complaintInput(overrides as never));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (await t.call(manager, 'GET', `/api/complaints/${res.body.reference}`)).body;
};
const deadline = (
  c: { deadlines: Array<{ name: string; profile: string; dueAt: string; version: number }> },
  name: string,
  profile?: string,
) => c.deadlines.find((d) => d.name === name && (profile === undefined || d.profile === profile))!;

/** The recompute events (on the jobs' own chains) that list changes of this complaint. */
async function recomputeEvents(complaintId: string) {
  const rows = await t.database.db
    .selectFrom('audit_events')
    .select(['chain', 'action', 'actor_type', 'data'])
    .where('action', '=', 'deadlines_recomputed')
    .execute();
  type Group = {
    milestone: string;
    profile: string;
    shiftSeconds: number | null;
    kind: string;
    complaints: string[];
  };
  return rows.filter((r) =>
    (r.data.changes as Group[]).some((g) => g.complaints.some((c) => c.startsWith(complaintId))),
  );
}

const calendarBody = {
  name: 'Test bank',
  timeZone: 'Europe/Amsterdam',
  workingHours: {
    1: [{ start: '09:00', end: '17:00' }],
    2: [{ start: '09:00', end: '17:00' }],
    3: [{ start: '09:00', end: '17:00' }],
    4: [{ start: '09:00', end: '17:00' }],
    5: [{ start: '09:00', end: '13:00' }],
    6: [],
    7: [],
  },
  holidays: [{ date: '2026-12-25', name: 'Christmas' }],
};
const profileBody = {
  name: 'Test bank — 5 business days',
  jurisdiction: 'NL',
  source: 'Internal policy 7.1',
  calendarId: 'test-bank',
  milestones: [
    {
      name: 'final-response',
      clock: 'regulatory',
      amount: 5,
      unit: 'business-days',
      from: 'day-after-receipt',
      at: 'close-of-business',
    },
  ],
};

describe('administration API: validation and permissions', () => {
  it('is for administrators only; staff may read', async () => {
    expect(
      (await t.call(manager, 'POST', '/api/deadlines/calendars', { id: 'x', ...calendarBody })).status,
    ).toBe(403);
    expect((await t.call(null, 'GET', '/api/deadlines/profiles')).status).toBe(401);
    const list = await t.call(manager, 'GET', '/api/deadlines/profiles');
    expect(list.status).toBe(200);
    expect(list.body.items.map((p: { id: string }) => p.id)).toEqual(
      expect.arrayContaining([
        'iso-default',
        'uk-fca-disp',
        'uk-fca-psd',
        'eu-psd2',
        'au-asic-rg271',
        'us-cfpb',
        'ie-cbi-cpc',
        'in-rbi',
      ]),
    );
    const rbi = await t.call(manager, 'GET', '/api/deadlines/profiles/in-rbi');
    expect(rbi.body).toMatchObject({
      id: 'in-rbi',
      currentVersion: 1,
      calendarId: 'in',
      escalations: [{ milestone: 'internal-escalation', level: 'internal_review', atShare: 1 }],
    });
    expect(rbi.body.source).toContain('RBI');
    const cal = await t.call(manager, 'GET', '/api/deadlines/calendars/gb-eaw');
    expect(cal.body.timeZone).toBe('Europe/London');
    expect(cal.body.holidays.map((h: { date: string }) => h.date)).toContain('2027-12-28');
  });

  it('refuses invalid calendars and profiles with per-field errors', async () => {
    const badZone = await t.call(admin, 'POST', '/api/deadlines/calendars', {
      id: 'bad',
      ...calendarBody,
      timeZone: 'Mars/Olympus',
    });
    expect(badZone.status).toBe(400);
    expect(badZone.body.errors).toEqual([
      expect.objectContaining({ field: 'timeZone', code: 'invalid_calendar' }),
    ]);
    const badHours = await t.call(admin, 'POST', '/api/deadlines/calendars', {
      id: 'bad',
      ...calendarBody,
      workingHours: { ...calendarBody.workingHours, 1: [{ start: '17:00', end: '09:00' }] },
    });
    expect(badHours.status).toBe(400);
    expect(badHours.body.errors[0].field).toBe('workingHours');
    const badShape = await t.call(admin, 'POST', '/api/deadlines/calendars', {
      id: 'Bad Id',
      ...calendarBody,
      holidays: [{ date: '2026-02-30' }],
    });
    expect(badShape.status).toBe(400);
    expect(badShape.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['id', 'holidays.0.date']),
    );

    const unknownCalendar = await t.call(admin, 'POST', '/api/deadlines/profiles', {
      id: 'p1',
      ...profileBody,
      calendarId: 'nowhere',
    });
    expect(unknownCalendar.status).toBe(400);
    expect(unknownCalendar.body.errors).toEqual([
      expect.objectContaining({ field: 'calendarId', code: 'unknown_calendar' }),
    ]);
    const fractional = await t.call(admin, 'POST', '/api/deadlines/profiles', {
      id: 'p1',
      ...profileBody,
      calendarId: 'gb-eaw',
      milestones: [{ ...profileBody.milestones[0], amount: 2.5 }],
    });
    expect(fractional.status).toBe(400);
    expect(fractional.body.errors[0]).toMatchObject({ field: 'milestones.0', code: 'invalid_milestone' });
    const badUnit = await t.call(admin, 'POST', '/api/deadlines/profiles', {
      id: 'p1',
      ...profileBody,
      milestones: [{ ...profileBody.milestones[0], unit: 'fortnights' }],
    });
    expect(badUnit.status).toBe(400);
    expect(badUnit.body.errors[0].field).toBe('milestones.0.unit');
    const badEscalation = await t.call(admin, 'POST', '/api/deadlines/profiles', {
      id: 'p1',
      ...profileBody,
      calendarId: 'gb-eaw',
      escalations: [{ milestone: 'internal-escalation', level: 'internal_review' }],
    });
    expect(badEscalation.status).toBe(400);
    expect(badEscalation.body.errors[0]).toMatchObject({
      field: 'escalations.0.milestone',
      code: 'unknown_milestone',
    });
    const dup = await t.call(admin, 'POST', '/api/deadlines/profiles', {
      id: 'uk-fca-disp',
      ...profileBody,
      calendarId: 'gb-eaw',
    });
    expect(dup.status).toBe(409);
    const stale = await t.call(admin, 'PUT', '/api/deadlines/profiles/uk-fca-disp', {
      ...profileBody,
      calendarId: 'gb-eaw',
      expectedVersion: 7,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('version_conflict');
    const badSettings = await t.call(admin, 'PUT', '/api/deadlines/settings', {
      warningShares: [0.5, 1.2],
      taskShare: 0.8,
      defaultProfiles: ['nope'],
      rules: [{ category: 'no.such', profiles: ['iso-default'] }],
    });
    expect(badSettings.status).toBe(400);
    expect(badSettings.body.errors[0].field).toBe('warningShares.1');
    const badSettings2 = await t.call(admin, 'PUT', '/api/deadlines/settings', {
      warningShares: [0.5],
      taskShare: 0.8,
      defaultProfiles: ['nope'],
      rules: [{ category: 'no.such', profiles: ['iso-default'] }],
    });
    expect(badSettings2.status).toBe(400);
    expect(badSettings2.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'defaultProfiles.0',
      'rules.0.category',
    ]);
    const badIcs = await t.call(admin, 'POST', '/api/deadlines/calendars/gb-eaw/holidays/import', {
      ics: 'BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:2026\nEND:VEVENT\nEND:VCALENDAR',
    });
    expect(badIcs.status).toBe(400);
    expect(badIcs.body.errors[0]).toMatchObject({ field: 'ics', code: 'invalid_icalendar' });
    expect(
      (await t.call(admin, 'DELETE', '/api/deadlines/calendars/gb-eaw/holidays/2026-07-07')).status,
    ).toBe(404);
  });
});

describe('versions and recomputation', () => {
  it('a new calendar and profile; a complaint keeps the profile version of its receipt unless moved on purpose', async () => {
    const cal = await t.call(admin, 'POST', '/api/deadlines/calendars', { id: 'test-bank', ...calendarBody });
    expect(cal.status, JSON.stringify(cal.body)).toBe(201);
    expect(cal.body.calendar.version).toBe(1);
    const prof = await t.call(admin, 'POST', '/api/deadlines/profiles', {
      id: 'test-bank-5',
      ...profileBody,
      effectiveFrom: '2020-01-01T00:00:00Z',
    });
    expect(prof.status, JSON.stringify(prof.body)).toBe(201);

    // Received Thursday 19 Nov 2026 10:00 CET: 5 business days following -> Thu 26 Nov, close of business 17:00 CET
    const c = await create({ profiles: ['test-bank-5'], receivedAt: '2026-11-19T09:00:00Z' });
    expect(deadline(c, 'final-response')).toMatchObject({ dueAt: '2026-11-26T16:00:00.000Z', version: 1 });

    const v2 = await t.call(admin, 'PUT', '/api/deadlines/profiles/test-bank-5', {
      ...profileBody,
      milestones: [{ ...profileBody.milestones[0], amount: 3 }],
      effectiveFrom: '2020-01-01T00:00:00Z',
      expectedVersion: 1,
    });
    expect(v2.status, JSON.stringify(v2.body)).toBe(200);
    expect(v2.body.profile.currentVersion).toBe(2);
    expect(v2.body.profile.versions).toHaveLength(2);
    expect(v2.body.recompute).toBeNull();
    await runJobs();
    // the open complaint keeps version 1
    let again = (await t.call(manager, 'GET', `/api/complaints/${c.reference}`)).body;
    expect(deadline(again, 'final-response')).toMatchObject({
      dueAt: '2026-11-26T16:00:00.000Z',
      version: 1,
    });
    // a new complaint gets version 2
    const d = await create({ profiles: ['test-bank-5'], receivedAt: '2026-11-19T09:00:00Z' });
    expect(deadline(d, 'final-response')).toMatchObject({ dueAt: '2026-11-24T16:00:00.000Z', version: 2 });

    // version 3, applied to open complaints on purpose: a job moves them
    const v3 = await t.call(admin, 'PUT', '/api/deadlines/profiles/test-bank-5', {
      ...profileBody,
      milestones: [{ ...profileBody.milestones[0], amount: 4 }],
      effectiveFrom: '2020-01-01T00:00:00Z',
      applyToOpen: true,
    });
    expect(v3.status).toBe(200);
    expect(v3.body.recompute.jobIds.length).toBeGreaterThan(0);
    await runJobs();
    again = (await t.call(manager, 'GET', `/api/complaints/${c.reference}`)).body;
    expect(deadline(again, 'final-response')).toMatchObject({
      dueAt: '2026-11-25T16:00:00.000Z',
      version: 3,
    });
    expect(again.deadlineProfiles).toEqual([{ id: 'test-bank-5', version: 3, by: 'hand' }]);
    const recomputed = await recomputeEvents(again.id);
    expect(recomputed).toHaveLength(1);
    expect(recomputed[0]!.data).toMatchObject({ profile: { id: 'test-bank-5', version: 3 } });
    const jobs = await t.call(admin, 'GET', `/api/jobs?groupId=${v3.body.recompute.groupId}`);
    expect(jobs.body.items.every((j: { status: string }) => j.status === 'done')).toBe(true);
    expect(
      jobs.body.items.reduce(
        (s: number, j: { progress: { complaints?: number } }) => s + (j.progress.complaints ?? 0),
        0,
      ),
    ).toBe(2);
    const one = await t.call(admin, 'GET', `/api/jobs/${v3.body.recompute.jobIds[0]}`);
    expect(one.body.kind).toBe('deadlines.recompute');
  });

  it('adding a holiday recomputes the open complaints on that calendar (by a job, in batches), recorded in their history', async () => {
    // uk-fca-psd: 15 / 35 business days on gb-eaw. Received Mon 2 Nov 2026 10:00 GMT: the 15th business day after
    // is Mon 23 Nov; with an extra bank holiday on Tue 17 Nov it becomes Tue 24 Nov.
    const open = await create({ profiles: ['uk-fca-psd'], receivedAt: '2026-11-02T10:00:00Z' });
    const unaffected = await create({ profiles: ['uk-fca-psd'], receivedAt: '2026-11-20T10:00:00Z' });
    const closed = await create({ profiles: ['uk-fca-psd'], receivedAt: '2026-11-02T10:00:00Z' });
    const onOther = await create({ profiles: ['eu-psd2'], receivedAt: '2026-11-02T10:00:00Z' });
    await t.call(intake, 'POST', `/api/complaints/${closed.reference}/withdraw`, {
      reason: 'no longer needed',
    });
    expect(deadline(open, 'holding-response').dueAt).toBe('2026-11-23T23:59:59.999Z');
    const unaffectedBefore = deadline(unaffected, 'holding-response').dueAt;
    const otherBefore = deadline(onOther, 'holding-response').dueAt;

    const added = await t.call(admin, 'POST', '/api/deadlines/calendars/gb-eaw/holidays', {
      holidays: [{ date: '2026-11-17', name: 'Royal occasion' }],
      expectedVersion: 1,
    });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.calendar.version).toBe(2);
    expect(added.body.calendar.holidays).toContainEqual({ date: '2026-11-17', name: 'Royal occasion' });
    expect(added.body.recompute.jobIds.length).toBeGreaterThanOrEqual(1); // one per range of milestone start instants
    // the jobs wait for every process to see the new calendar before they start
    const pending = await t.database.db
      .selectFrom('jobs')
      .select(['status', 'available_at'])
      .where('group_id', '=', added.body.recompute.groupId)
      .execute();
    expect(pending.every((j) => j.status === 'pending' && j.available_at.getTime() > Date.now())).toBe(true);

    // Two workers share the jobs.
    const other = await openPostgres(t.database.url, 2);
    try {
      await Promise.all([
        drainJobs(t.database.db, jobHandlers, { now: later() }),
        drainJobs(other.db, jobHandlers, { now: later() }),
      ]);
    } finally {
      await other.close();
    }
    const after = (await t.call(manager, 'GET', `/api/complaints/${open.reference}`)).body;
    expect(deadline(after, 'holding-response')).toMatchObject({
      dueAt: '2026-11-24T23:59:59.999Z',
      calendar: { id: 'gb-eaw', version: 2 },
    });
    expect(deadline(after, 'final-response').dueAt).toBe(
      new Date(new Date(deadline(open, 'final-response').dueAt).getTime() + 86_400_000).toISOString(),
    );
    expect(after.nextDueAt).toBe('2026-11-24T23:59:59.999Z');
    // what moved is recorded, complaint by complaint, on the job's history chain
    const [event] = await recomputeEvents(after.id);
    expect(event!.actor_type).toBe('system');
    expect(event!.chain).toMatch(/^deadline-recompute:\d+$/);
    expect(event!.data.calendar).toEqual({ id: 'gb-eaw', version: 2 });
    expect(event!.data.changes).toContainEqual(
      expect.objectContaining({
        milestone: 'holding-response',
        profile: 'uk-fca-psd',
        kind: 'moved',
        shiftSeconds: 86_400,
        complaints: expect.arrayContaining([after.id]),
      }),
    );
    const u = (await t.call(manager, 'GET', `/api/complaints/${unaffected.reference}`)).body;
    expect(deadline(u, 'holding-response').dueAt).toBe(unaffectedBefore);
    expect(await recomputeEvents(u.id)).toEqual([]);
    expect((await verifyHistory(t.database.db)).breaks).toEqual([]);
    const o = (await t.call(manager, 'GET', `/api/complaints/${onOther.reference}`)).body;
    expect(deadline(o, 'holding-response').dueAt).toBe(otherBefore);
    const w = (await t.call(manager, 'GET', `/api/complaints/${closed.reference}`)).body;
    expect(deadline(w, 'holding-response').dueAt).toBe('2026-11-23T23:59:59.999Z'); // closed: history, not recomputed

    // the previous version is still readable; the change is on the system history chain
    const v1 = await t.call(manager, 'GET', '/api/deadlines/calendars/gb-eaw?version=1');
    expect(v1.body.holidays.map((h: { date: string }) => h.date)).not.toContain('2026-11-17');
    const versions = await t.call(manager, 'GET', '/api/deadlines/calendars/gb-eaw/versions');
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const sys = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'data'])
      .where('chain', '=', 'system')
      .where('action', '=', 'deadline_holidays_added')
      .execute();
    expect(sys[0]!.data).toMatchObject({ calendarId: 'gb-eaw', version: 2, added: ['2026-11-17'] });

    // removing it again moves the deadline back
    const removed = await t.call(admin, 'DELETE', '/api/deadlines/calendars/gb-eaw/holidays/2026-11-17');
    expect(removed.status).toBe(200);
    await runJobs();
    const back = (await t.call(manager, 'GET', `/api/complaints/${open.reference}`)).body;
    expect(deadline(back, 'holding-response').dueAt).toBe('2026-11-23T23:59:59.999Z');
  });

  it('walks a calendar in batches with a cursor: every open complaint once, whatever the batch size and partitions', async () => {
    const created = [];
    for (let i = 0; i < 7; i++)
      created.push(
        await create({
          profiles: ['eu-psd2'],
          receivedAt: new Date(Date.UTC(2026, 10, 2 + i, 10)).toISOString(),
        }),
      );
    const before = created.map((c) => deadline(c, 'holding-response').dueAt);
    // a TARGET closing day added by hand, then recomputed with batches of one complaint over three partitions
    await t.database.db.transaction().execute(async (tx) => {
      const v1 = await tx
        .selectFrom('deadline_calendar_versions')
        .selectAll()
        .where('calendar_id', '=', 'eu-ecb')
        .where('version', '=', 1)
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('deadline_calendar_versions')
        .values({
          ...v1,
          version: 2,
          working_hours: JSON.stringify(v1.working_hours),
          holidays: JSON.stringify([...v1.holidays, { date: '2026-11-18' }]),
          note: 'test',
        })
        .execute();
      await tx
        .updateTable('deadline_calendars')
        .set({ current_version: 2 })
        .where('id', '=', 'eu-ecb')
        .execute();
      await tx
        .updateTable('deadline_config')
        .set({ revision: sql`revision + 1` })
        .execute();
      await enqueueRecompute(
        tx,
        { reason: 'test', calendarId: 'eu-ecb' },
        { batch: 1, partitions: 3, delayMs: 0 },
      );
    });
    const steps = await runJobs();
    expect(steps).toBeGreaterThanOrEqual(7);
    for (const [i, c] of created.entries()) {
      const after = (await t.call(manager, 'GET', `/api/complaints/${c.reference}`)).body;
      // 15 business days after 2–8 Nov all span Wed 18 Nov: each is due one business day later
      expect(new Date(deadline(after, 'holding-response').dueAt).getTime(), c.reference).toBeGreaterThan(
        new Date(before[i]!).getTime(),
      );
    }
  });

  it('imports holidays from an iCalendar file', async () => {
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//test//EN',
      'BEGIN:VEVENT',
      'UID:1@test',
      'DTSTART;VALUE=DATE:20261201',
      'SUMMARY:Bank founders day',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:2@test',
      'DTSTART;VALUE=DATE:20270105',
      'DTEND;VALUE=DATE:20270107',
      'SUMMARY:Winter closure',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const res = await t.call(admin, 'POST', '/api/deadlines/calendars/test-bank/holidays/import', {
      ics,
      mode: 'merge',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.imported).toBe(3);
    expect(res.body.calendar.holidays).toEqual([
      { date: '2026-12-01', name: 'Bank founders day' },
      { date: '2026-12-25', name: 'Christmas' },
      { date: '2027-01-05', name: 'Winter closure' },
      { date: '2027-01-06', name: 'Winter closure' },
    ]);
    const replaced = await t.call(admin, 'POST', '/api/deadlines/calendars/test-bank/holidays/import', {
      ics,
      mode: 'replace',
      from: '2027-01-01',
    });
    expect(replaced.body.calendar.holidays.map((h: { date: string }) => h.date)).toEqual([
      '2027-01-05',
      '2027-01-06',
    ]);
    expect(replaced.body.calendar.version).toBe(3);
  });

  it('profile rules by category and product choose the profiles of new complaints; settings are versioned in the system history', async () => {
    const current = (await t.call(admin, 'GET', '/api/deadlines/settings')).body;
    expect(current).toMatchObject({
      warningShares: [0.5, 0.8],
      taskShare: 0.8,
      defaultProfiles: ['iso-default'],
    });
    const put = await t.call(admin, 'PUT', '/api/deadlines/settings', {
      ...current,
      rules: [
        { category: 'payments', profiles: ['uk-fca-psd', 'iso-default'] },
        { product: 'mortgage', profiles: ['uk-fca-disp'] },
      ],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const byCategory = await create({ category: 'payments.fraud' });
    expect(byCategory.deadlineProfiles.map((p: { id: string; by: string }) => `${p.id}/${p.by}`)).toEqual([
      'uk-fca-psd/rule',
      'iso-default/rule',
    ]);
    const byDefault = await create({ category: 'fees.overdraft' });
    expect(byDefault.deadlineProfiles.map((p: { id: string }) => p.id)).toEqual(['iso-default']);
    // re-assessing into a category with a rule changes the profiles (they were not chosen by hand)
    const assessed = await t.call(manager, 'POST', `/api/complaints/${byDefault.reference}/assess`, {
      category: 'payments.transfer',
    });
    expect(assessed.status).toBe(200);
    const again = (await t.call(manager, 'GET', `/api/complaints/${byDefault.reference}`)).body;
    expect(again.deadlineProfiles.map((p: { id: string }) => p.id)).toEqual(['uk-fca-psd', 'iso-default']);
    await t.call(admin, 'PUT', '/api/deadlines/settings', { ...current, rules: [] });
  });

  it('previews what profiles do (worked examples through the API)', async () => {
    const res = await t.call(manager, 'POST', '/api/deadlines/compute', {
      profiles: ['uk-fca-disp'],
      receivedAt: '2026-04-02T17:30:00+01:00',
    });
    expect(res.status).toBe(200);
    expect(res.body.milestones.map((m: { name: string; dueAt: string }) => [m.name, m.dueAt])).toEqual([
      ['summary-resolution', '2026-04-09T16:00:00.000Z'],
      ['final-response', '2026-05-28T22:59:59.999Z'],
    ]);
    const bad = await t.call(manager, 'POST', '/api/deadlines/compute', {
      profiles: ['nope'],
      receivedAt: 'yesterday',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('receivedAt');
  });
});
