import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/db/client.ts';
import { drainJobs } from '../../src/jobs/queue.ts';
import { jobHandlers } from '../../src/jobs/handlers.ts';
import { scanStep, SCAN_JOB } from '../../src/improvement/systemic-issues.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buildStaff, complaintInput, type StaffUser } from '../helpers/factories.ts';

let t: TestApp;
let quality: StaffUser;
let manager: StaffUser;
let intake: StaffUser;
let handler: StaffUser;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await startTestApp();
  quality = await buildStaff(t.database.db, 'quality');
  manager = await buildStaff(t.database.db, 'manager');
  intake = await buildStaff(t.database.db, 'intake');
  handler = await buildStaff(t.database.db, 'handler');
});
afterAll(() => t.close());

/** Each test starts with no rules and no issues; the complaints of earlier tests stay, long ago. */
beforeEach(async () => {
  const db = t.database.db;
  await db.deleteFrom('systemic_issue_complaints').execute();
  await db.updateTable('capa').set({ root_cause: null }).execute();
  await db.deleteFrom('systemic_issues').execute();
  await db.deleteFrom('outbox').where('topic', '=', 'systemic_issue.raised').execute();
  await db.updateTable('systemic_rules').set({ active: false }).execute();
  // The complaints of earlier tests move long ago, 40 days apart: out of every window, never in a cluster.
  await sql`update complaints c set received_at = timestamptz '2000-01-01' + x.n * interval '40 days'
            from (select id, row_number() over (order by id) as n from complaints) x where x.id = c.id`.execute(
    db,
  );
});

async function complaint(overrides: Record<string, unknown>, receivedDaysAgo: number) {
  const res = await t.call(intake, 'POST', '/api/complaints', complaintInput(overrides));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await t.database.db
    .updateTable('complaints')
    .set({ received_at: new Date(Date.now() - receivedDaysAgo * DAY), updated_at: new Date() })
    .where('reference', '=', res.body.reference)
    .execute();
  return res.body.reference as string;
}

async function rule(body: Record<string, unknown>) {
  const res = await t.call(quality, 'POST', '/api/improvement/systemic-rules', {
    ownerId: manager.id,
    team: 'payments',
    ...body,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** One full scan from the beginning (idempotent), as a worker would run it. */
const scan = (after: { at: string; id: string } | null = null) =>
  t.database.db
    .transaction()
    .execute((tx) => scanStep(t.database.db, tx, { after, lagMs: 0, batch: 10_000 }));
const issues = async () =>
  (await t.call(quality, 'GET', '/api/improvement/systemic-issues')).body.items as any[];
const raisedEvents = () =>
  t.database.db
    .selectFrom('outbox')
    .select(['payload'])
    .where('topic', '=', 'systemic_issue.raised')
    .execute();

describe('systemic-issue rules', () => {
  it('are configured by quality or admin, validated', async () => {
    expect(
      (
        await t.call(manager, 'POST', '/api/improvement/systemic-rules', {
          name: 'x',
          dimension: 'category',
          threshold: 3,
          windowDays: 7,
        })
      ).status,
    ).toBe(403);
    const bad = await t.call(quality, 'POST', '/api/improvement/systemic-rules', {
      name: 'x',
      dimension: 'colour',
      threshold: 1,
      windowDays: 0,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual(['dimension', 'threshold', 'windowDays']);
    expect(
      (
        await t.call(quality, 'POST', '/api/improvement/systemic-rules', {
          name: 'x',
          dimension: 'category',
          threshold: 3,
          windowDays: 7,
          team: 'nope',
        })
      ).body.errors[0].field,
    ).toBe('team');
    const r = await rule({ name: 'Category cluster', dimension: 'category', threshold: 3, windowDays: 7 });
    expect(r).toMatchObject({
      dimension: 'category',
      threshold: 3,
      windowDays: 7,
      team: 'payments',
      active: true,
      owner: { id: manager.id },
    });
    const changed = await t.call(quality, 'PATCH', `/api/improvement/systemic-rules/${r.id}`, {
      threshold: 4,
      active: false,
    });
    expect(changed.body).toMatchObject({ threshold: 4, active: false });
    expect((await t.call(handler, 'GET', '/api/improvement/systemic-rules')).status).toBe(403);
  });
});

describe('detection', () => {
  it('raises nothing below the threshold, then exactly one issue, to which later complaints are added over several scans', async () => {
    await rule({ name: 'Overdraft cluster', dimension: 'category', threshold: 3, windowDays: 7 });
    const a = await complaint({ category: 'fees.overdraft' }, 3);
    const b = await complaint({ category: 'fees.overdraft' }, 2);
    await complaint({ category: 'fees.overdraft' }, 30); // outside the window
    await complaint({ category: 'payments.fraud' }, 1); // another category
    let mark = (await scan()).after;
    expect(await issues()).toEqual([]);

    const c = await complaint({ category: 'fees.overdraft' }, 1);
    const r1 = await scan(mark);
    mark = r1.after;
    expect(r1.raised).toBe(1);
    let list = await issues();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      status: 'open',
      complaintCount: 3,
      owner: { id: manager.id },
      team: { key: 'payments' },
    });
    const detail = await t.call(quality, 'GET', `/api/improvement/systemic-issues/${list[0].ref}`);
    expect(detail.body.complaints.map((x: any) => x.reference).sort()).toEqual([a, b, c].sort());
    expect(detail.body.history[0].action).toBe('systemic_issue_raised');
    expect(await raisedEvents()).toHaveLength(1);
    expect((await raisedEvents())[0]!.payload).toMatchObject({ issue: list[0].ref, ownerId: manager.id });

    const d = await complaint({ category: 'fees.overdraft' }, 0);
    expect((await scan(mark)).raised).toBe(0);
    expect((await scan()).raised).toBe(0); // a full rescan changes nothing
    list = await issues();
    expect(list).toHaveLength(1);
    expect(list[0].complaintCount).toBe(4);
    expect(
      (await t.call(quality, 'GET', `/api/improvement/systemic-issues/${list[0].ref}`)).body.complaints.map(
        (x: any) => x.reference,
      ),
    ).toContain(d);
    expect(await raisedEvents()).toHaveLength(1);
  });

  it('raises exactly once when two workers scan at the same time', async () => {
    await rule({ name: 'Product cluster', dimension: 'product', threshold: 3, windowDays: 5 });
    for (let i = 0; i < 4; i++) await complaint({ product: 'credit-card', category: 'payments.fraud' }, i);
    const other = await openPostgres(t.database.url, 2);
    try {
      const [x, y] = await Promise.all([
        t.database.db.transaction().execute((tx) => scanStep(t.database.db, tx, { lagMs: 0 })),
        other.db.transaction().execute((tx) => scanStep(other.db, tx, { lagMs: 0 })),
      ]);
      expect(x.raised + y.raised, JSON.stringify([x, y, await issues()])).toBe(1);
    } finally {
      await other.close();
    }
    const list = await issues();
    expect(list).toHaveLength(1);
    expect(list[0].complaintCount).toBe(4);
    expect(await raisedEvents()).toHaveLength(1);
  });

  it('raises nothing for history: a cluster received long ago (an import of old complaints) is no live alert', async () => {
    await rule({ name: 'Old cluster', dimension: 'category', threshold: 3, windowDays: 10 });
    for (const days of [400, 401, 402, 403]) await complaint({ category: 'service.staff' }, days);
    expect((await scan()).raised).toBe(0);
    expect(await issues()).toHaveLength(0);
  });

  it('slides its window: spread-out complaints never cluster; a later burst does, without the old ones', async () => {
    await rule({ name: 'Root cause cluster', dimension: 'root_cause', threshold: 3, windowDays: 10 });
    const rc = async (days: number) => {
      const ref = await complaint({ category: 'service.staff' }, days);
      await t.database.db
        .updateTable('complaints')
        .set({ root_cause: 'people.conduct' })
        .where('reference', '=', ref)
        .execute();
      return ref;
    };
    await rc(60);
    await rc(45);
    await rc(30);
    expect((await scan()).raised).toBe(0);
    const burst = [await rc(8), await rc(4)];
    expect((await scan()).raised).toBe(0); // two within any ten days
    burst.push(await rc(1));
    expect((await scan()).raised).toBe(1);
    const [issue] = await issues();
    const detail = await t.call(quality, 'GET', `/api/improvement/systemic-issues/${issue.ref}`);
    expect(detail.body.complaints.map((x: any) => x.reference).sort()).toEqual(burst.sort());
  });

  it('finds similar texts in any language', async () => {
    await rule({
      name: 'Similar texts',
      dimension: 'text',
      threshold: 3,
      windowDays: 14,
      minSimilarity: 0.5,
    });
    const ar = 'لم يصلني المبلغ المحول إلى حسابي منذ أسبوعين رغم أن البنك أكد التحويل';
    const refs = [
      await complaint({ description: ar, category: 'payments.fraud' }, 5),
      await complaint({ description: `${ar} مرة أخرى`, category: 'payments.fraud' }, 3),
    ];
    await complaint(
      { description: '我的信用卡被重复扣款，客服一直没有回复。', category: 'payments.fraud' },
      2,
    );
    expect((await scan()).raised).toBe(0);
    refs.push(await complaint({ description: `تنبيه: ${ar}`, category: 'payments.fraud' }, 1));
    expect((await scan()).raised).toBe(1);
    const [issue] = await issues();
    expect(issue.complaintCount).toBe(3);
    const detail = await t.call(quality, 'GET', `/api/improvement/systemic-issues/${issue.ref}`);
    expect(detail.body.complaints.map((x: any) => x.reference).sort()).toEqual(refs.sort());
    const more = await complaint({ description: `${ar}!`, category: 'payments.fraud' }, 0);
    expect((await scan()).raised).toBe(0);
    expect(
      (await t.call(quality, 'GET', `/api/improvement/systemic-issues/${issue.ref}`)).body.complaints.map(
        (x: any) => x.reference,
      ),
    ).toContain(more);
  });

  it('runs as a self-rescheduling worker job that keeps its watermark', async () => {
    await rule({ name: 'Job cluster', dimension: 'category', threshold: 2, windowDays: 3 });
    await complaint({ category: 'digital.app' }, 1);
    await complaint({ category: 'digital.app' }, 0);
    const later = new Date(Date.now() + 120_000);
    await drainJobs(t.database.db, jobHandlers, { now: later });
    const jobs = await t.database.db.selectFrom('jobs').selectAll().where('kind', '=', SCAN_JOB).execute();
    expect(jobs.filter((j) => j.status === 'pending')).toHaveLength(1);
    expect(jobs.every((j) => j.status !== 'failed')).toBe(true);
    expect((jobs[0]!.payload as any).after).toBeTruthy();
    const list = await issues();
    expect(list.map((i) => i.signature)).toContain('category:digital.app');
  });
});

describe('systemic issues', () => {
  it('move open → investigating → closed, link to an action, and an action can be raised from one', async () => {
    await rule({ name: 'Cluster', dimension: 'category', threshold: 2, windowDays: 3 });
    await complaint({ category: 'digital.access' }, 1);
    await complaint({ category: 'digital.access' }, 0);
    await scan();
    const [issue] = await issues();
    const patch = (who: StaffUser, body: unknown) =>
      t.call(who, 'PATCH', `/api/improvement/systemic-issues/${issue.ref}`, body);
    expect((await patch(handler, { status: 'investigating' })).status).toBe(403);
    expect((await patch(manager, { status: 'investigating' })).body.status).toBe('investigating');
    const capa = await t.call(quality, 'POST', '/api/improvement/capa', {
      title: 'Explain monthly fees',
      kind: 'preventive',
      systemicIssue: issue.ref,
    });
    expect(capa.status, JSON.stringify(capa.body)).toBe(201);
    expect(capa.body.complaints).toHaveLength(2);
    expect(capa.body.systemicIssues[0].ref).toBe(issue.ref);
    expect((await patch(manager, { capa: 'CAPA-9999' })).body.errors[0].field).toBe('capa');
    const closed = await patch(manager, { status: 'closed', capa: capa.body.ref });
    expect(closed.body).toMatchObject({ status: 'closed', capa: { ref: capa.body.ref } });
    expect((await patch(manager, { status: 'open' })).body.code).toBe('invalid_transition');
    // Closed: the next cluster of the same signature raises a new issue.
    await complaint({ category: 'digital.access' }, 0);
    expect((await scan()).raised).toBe(1);
    expect((await issues()).filter((i) => i.signature === 'category:digital.access')).toHaveLength(2);
  });
});
