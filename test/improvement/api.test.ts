import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buildStaff, complaintInput, type StaffUser } from '../helpers/factories.ts';

let t: TestApp;
let manager: StaffUser;
let quality: StaffUser;
let handler: StaffUser;
let auditor: StaffUser;
let intake: StaffUser;
let admin: StaffUser;

beforeAll(async () => {
  t = await startTestApp();
  const db = t.database.db;
  manager = await buildStaff(db, 'manager');
  quality = await buildStaff(db, 'quality');
  handler = await buildStaff(db, 'handler', ['payments']);
  auditor = await buildStaff(db, 'auditor');
  intake = await buildStaff(db, 'intake');
  admin = await buildStaff(db, 'admin');
});
afterAll(() => t.close());

async function create(overrides = {}) {
  const res = await t.call(intake, 'POST', '/api/complaints', complaintInput(overrides));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.reference as string;
}
async function step(who: StaffUser, ref: string, action: string, body: unknown = {}, status = 200) {
  const res = await t.call(who, 'POST', `/api/complaints/${ref}/${action}`, body);
  expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
}
/** To a sent response with this outcome, by one manager, accepted by the complainant. */
async function toAccepted(outcome: 'upheld' | 'partly_upheld' | 'not_upheld', overrides = {}) {
  const ref = await create(overrides);
  await step(manager, ref, 'acknowledge');
  await step(manager, ref, 'assess', { category: 'payments.fraud' });
  await step(manager, ref, 'assign', { ownerId: manager.id, attestNoConflict: true });
  const drafted = await step(manager, ref, 'draft-response', {
    outcome,
    reasons: 'Reasons.',
    remedies: outcome === 'not_upheld' ? [] : [{ key: 'apology' }],
  });
  if (drafted.approvalRequired)
    await step(
      quality.role === 'quality' ? await buildStaff(t.database.db, 'manager') : manager,
      ref,
      'approve-response',
    );
  await step(manager, ref, 'send-response');
  await step(intake, ref, 'complainant-accepts');
  return ref;
}

describe('root-cause taxonomy', () => {
  it("is seeded with six families and children, labelled in the requester's language", async () => {
    const res = await t.call(handler, 'GET', '/api/improvement/root-causes?lang=ar');
    expect(res.status).toBe(200);
    const roots = res.body.items.filter((x: any) => x.parent === null).map((x: any) => x.key);
    expect(roots).toEqual(['people', 'process', 'product', 'system', 'third_party', 'policy']);
    const delay = res.body.items.find((x: any) => x.key === 'process.delay');
    expect(delay.label).toBe('تراكم أو تأخير');
    expect(Object.keys(delay.names).sort()).toEqual(['ar', 'en', 'fa', 'nl', 'pl', 'zh']);
    // parents before their children
    const keys = res.body.items.map((x: any) => x.key);
    expect(keys.indexOf('process')).toBeLessThan(keys.indexOf('process.delay'));
  });

  it('is configured by quality or admin only: create, rename, deactivate; an unused one may be deleted, one in use never', async () => {
    expect(
      (
        await t.call(manager, 'POST', '/api/improvement/root-causes', {
          key: 'process.kyc',
          parent: 'process',
          name: 'Identity checks',
        })
      ).status,
    ).toBe(403);
    const created = await t.call(quality, 'POST', '/api/improvement/root-causes', {
      key: 'process.kyc',
      parent: 'process',
      name: 'Identity checks',
      names: { nl: 'Identiteitscontrole' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(
      (await t.call(quality, 'POST', '/api/improvement/root-causes', { key: 'process.kyc', name: 'Again' }))
        .body.code,
    ).toBe('key_taken');
    const bad = await t.call(quality, 'POST', '/api/improvement/root-causes', {
      key: 'x.y',
      parent: 'nope',
      name: 'X',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('parent');
    expect(
      (await t.call(quality, 'POST', '/api/improvement/root-causes', { key: 'Bad Key', name: 'X' })).status,
    ).toBe(400);
    const renamed = await t.call(admin, 'PATCH', '/api/improvement/root-causes/process.kyc', {
      name: 'Know-your-customer checks',
    });
    expect(renamed.body.name).toBe('Know-your-customer checks');
    expect(renamed.body.names.nl).toBe('Identiteitscontrole');
    expect((await t.call(quality, 'DELETE', '/api/improvement/root-causes/process')).body.code).toBe(
      'root_cause_in_use',
    );
    expect((await t.call(quality, 'DELETE', '/api/improvement/root-causes/process.kyc')).status).toBe(204);
    expect((await t.call(quality, 'DELETE', '/api/improvement/root-causes/process.kyc')).status).toBe(404);
    expect(
      (await t.call(quality, 'PATCH', '/api/improvement/root-causes/nope', { active: false })).status,
    ).toBe(404);
  });
});

describe('root cause on closure of an upheld complaint', () => {
  it('is required (422 root_cause_required), must be an active key (422 root_cause_unknown), and is stored and audited', async () => {
    const ref = await toAccepted('upheld');
    const missing = await step(manager, ref, 'close', { reason: 'resolved_accepted' }, 422);
    expect(missing.code).toBe('root_cause_required');
    expect(missing.field).toBe('rootCause');
    expect(
      (await step(manager, ref, 'close', { reason: 'resolved_accepted', rootCause: 'no.such' }, 422)).code,
    ).toBe('root_cause_unknown');
    const closed = await step(manager, ref, 'close', {
      reason: 'resolved_accepted',
      rootCause: 'process.delay',
    });
    expect(closed.state).toBe('closed');
    expect(closed.rootCause).toBe('process.delay');
    const history = await t.call(auditor, 'GET', `/api/complaints/${ref}/history`);
    const event = history.body.events.find((e: any) => e.action === 'close');
    expect(JSON.stringify(event)).toContain('process.delay');
  });

  it('is refused when deactivated, and not needed when the complaint was not upheld', async () => {
    const ref = await toAccepted('partly_upheld');
    expect(
      (await t.call(quality, 'PATCH', '/api/improvement/root-causes/policy.unfair', { active: false }))
        .status,
    ).toBe(200);
    expect(
      (await step(manager, ref, 'close', { reason: 'resolved_accepted', rootCause: 'policy.unfair' }, 422))
        .code,
    ).toBe('root_cause_unknown');
    await t.call(quality, 'PATCH', '/api/improvement/root-causes/policy.unfair', { active: true });
    expect(
      (await step(manager, ref, 'close', { reason: 'resolved_accepted', rootCause: 'policy.unfair' })).state,
    ).toBe('closed');

    const notUpheld = await toAccepted('not_upheld');
    expect((await step(manager, notUpheld, 'close', { reason: 'resolved_accepted' })).rootCause).toBeNull();
  });

  it('can be recorded earlier (manager, quality, the owning handler), then prefills the closure', async () => {
    const ref = await create();
    await step(manager, ref, 'acknowledge');
    await step(manager, ref, 'assess', { category: 'payments.fraud' });
    const put = (who: StaffUser, rootCause: string | null) =>
      t.call(who, 'PUT', `/api/complaints/${ref}/root-cause`, { rootCause });
    expect((await put(handler, 'system.outage')).status).toBe(403); // in the team but not the owner
    expect((await put(auditor, 'system.outage')).status).toBe(403);
    expect((await put(intake, 'system.outage')).status).toBe(403);
    expect((await put(manager, 'nope')).body.code).toBe('root_cause_unknown');
    await step(handler, ref, 'assign', { ownerId: handler.id, attestNoConflict: true });
    const set = await put(handler, 'system.outage');
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.rootCause).toBe('system.outage');
    expect((await put(quality, 'system.defect')).body.rootCause).toBe('system.defect');
    const history = await t.call(auditor, 'GET', `/api/complaints/${ref}/history`);
    expect(history.body.events.filter((e: any) => e.action === 'set_root_cause')).toHaveLength(2);
    const stale = await t.call(
      manager,
      'PUT',
      `/api/complaints/${ref}/root-cause`,
      { rootCause: 'people.error' },
      { 'if-match': '"1"' },
    );
    expect(stale.body.code).toBe('version_conflict');

    await step(handler, ref, 'draft-response', {
      outcome: 'upheld',
      reasons: 'Outage.',
      remedies: [{ key: 'apology' }],
    });
    await step(handler, ref, 'send-response');
    await step(intake, ref, 'complainant-accepts');
    const closed = await step(handler, ref, 'close', { reason: 'resolved_accepted' });
    expect(closed.rootCause).toBe('system.defect');
    expect((await put(manager, 'people.error')).body.code).toBe('invalid_transition'); // closed: reopen first
  });
});

describe('corrective and preventive actions', () => {
  it('are raised, linked to complaints, worked through their states with history, and overdue when late', async () => {
    const a = await toAccepted('upheld');
    await step(manager, a, 'close', { reason: 'resolved_accepted', rootCause: 'system.outage' });
    const b = await create();

    expect(
      (await t.call(handler, 'POST', '/api/improvement/capa', { title: 'X', kind: 'corrective' })).status,
    ).toBe(403);
    const bad = await t.call(quality, 'POST', '/api/improvement/capa', {
      title: 'X',
      kind: 'corrective',
      rootCause: 'nope',
      complaints: [a],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('rootCause');
    expect(
      (await t.call(quality, 'POST', '/api/improvement/capa', { title: 'X', kind: 'sideways' })).status,
    ).toBe(400);
    const badRef = await t.call(quality, 'POST', '/api/improvement/capa', {
      title: 'X',
      kind: 'corrective',
      complaints: ['nonsense'],
    });
    expect(badRef.status).toBe(400);
    expect(badRef.body.errors[0].field).toBe('complaints');

    const created = await t.call(quality, 'POST', '/api/improvement/capa', {
      title: 'Add a second payment gateway',
      description: 'Outages of the single gateway caused failed payments.',
      kind: 'corrective',
      rootCause: 'system.outage',
      category: 'payments.fraud',
      ownerId: handler.id,
      dueOn: '2020-01-31',
      complaints: [a],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const capa = created.body;
    expect(capa.ref).toMatch(/^CAPA-\d{4}$/);
    expect(capa.status).toBe('open');
    expect(capa.overdue).toBe(true);
    expect(capa.owner.id).toBe(handler.id);
    expect(capa.rootCause.key).toBe('system.outage');
    expect(capa.complaints.map((c: any) => c.reference)).toEqual([a]);
    expect(capa.effectiveness).toBeNull();

    const linked = await t.call(manager, 'POST', `/api/improvement/capa/${capa.ref}/complaints`, {
      reference: b,
    });
    expect(linked.body.complaints).toHaveLength(2);
    expect(
      (
        await t.call(manager, 'POST', `/api/improvement/capa/${capa.ref}/complaints`, {
          reference: 'ZZZZ-ZZZZ',
        })
      ).status,
    ).toBe(404);
    const unlinked = await t.call(manager, 'DELETE', `/api/improvement/capa/${capa.ref}/complaints/${b}`);
    expect(unlinked.body.complaints).toHaveLength(1);

    // The owner (a handler) works on it; cannot retitle it, cannot verify it.
    const owner = (body: unknown) => t.call(handler, 'PATCH', `/api/improvement/capa/${capa.ref}`, body);
    expect((await owner({ title: 'Mine now' })).status).toBe(403);
    expect((await owner({ status: 'in_progress' })).body.status).toBe('in_progress');
    expect((await t.call(handler, 'GET', '/api/improvement/capa')).body.items.map((c: any) => c.ref)).toEqual(
      [capa.ref],
    );
    expect((await owner({ status: 'verified_effective' })).body.code).toBe('invalid_transition');
    const done = await owner({ status: 'done' });
    expect(done.body.status).toBe('done');
    expect(done.body.overdue).toBe(false);
    expect(done.body.effectiveness.verdict).toBe('too_early');
    expect((await owner({ status: 'verified_effective' })).status).toBe(403);
    expect(
      (await t.call(manager, 'PATCH', `/api/improvement/capa/${capa.ref}`, { status: 'verified_effective' }))
        .status,
    ).toBe(403);
    const stale = await t.call(
      quality,
      'PATCH',
      `/api/improvement/capa/${capa.ref}`,
      { status: 'verified_effective' },
      { 'if-match': '"1"' },
    );
    expect(stale.body.code).toBe('version_conflict');
    const verified = await t.call(quality, 'PATCH', `/api/improvement/capa/${capa.ref}`, {
      status: 'verified_effective',
    });
    expect(verified.body.status).toBe('verified_effective');
    expect(verified.body.verifiedBy.id).toBe(quality.id);
    expect(verified.body.allowedStatuses).toEqual([]);
    expect(verified.body.history.map((h: any) => h.action)).toEqual([
      'capa_created',
      'capa_complaint_added',
      'capa_complaint_removed',
      'capa_status_changed',
      'capa_status_changed',
      'capa_status_changed',
    ]);
    expect(JSON.stringify(verified.body.history)).not.toContain('single gateway'); // no free text in the history

    expect((await t.call(auditor, 'GET', `/api/improvement/capa/${capa.ref}`)).status).toBe(200);
    expect((await t.call(auditor, 'PATCH', `/api/improvement/capa/${capa.ref}`, { title: 'x' })).status).toBe(
      403,
    );
    expect((await t.call(quality, 'GET', '/api/improvement/capa/CAPA-9999')).status).toBe(404);
    expect((await t.call(quality, 'GET', '/api/improvement/capa/nonsense')).status).toBe(404);
    const audit = await t.call(auditor, 'GET', '/api/audit/verify');
    expect(audit.status).toBe(200);
    expect(audit.body.intact, JSON.stringify(audit.body.breaks)).toBe(true); // the CAPA chains and the complaint chains verify
  });

  it('shows the effectiveness check from complaints before and after completion', async () => {
    const db = t.database.db;
    const created = await t.call(quality, 'POST', '/api/improvement/capa', {
      title: 'Fix KYC',
      kind: 'corrective',
      rootCause: 'people.training',
      windowDays: 30,
      minDrop: 0.5,
    });
    const ref = created.body.ref;
    await t.call(quality, 'PATCH', `/api/improvement/capa/${ref}`, { status: 'done' });
    // Completion 40 days ago: 4 matching complaints in the 30 days before, 1 in the 30 days after.
    const doneAt = new Date(Date.now() - 40 * 86_400_000);
    await db
      .updateTable('capa')
      .set({ done_at: doneAt })
      .where('seq', '=', Number(ref.slice(5)))
      .execute();
    for (const [days, n] of [
      [-10, 4],
      [5, 1],
      [-45, 3],
    ] as const) {
      for (let i = 0; i < n; i++) {
        const r = await create();
        await db
          .updateTable('complaints')
          .set({ root_cause: 'people.training', received_at: new Date(doneAt.getTime() + days * 86_400_000) })
          .where('reference', '=', r)
          .execute();
      }
    }
    const got = await t.call(quality, 'GET', `/api/improvement/capa/${ref}`);
    expect(got.body.effectiveness).toMatchObject({
      verdict: 'effective',
      beforeRate: 4,
      afterRate: 1,
      change: -0.75,
    });
  });
});

describe('recurring problems', () => {
  it('finds category × root cause combinations over several months and says whether an action covers them', async () => {
    const db = t.database.db;
    const months = [1, 2, 3];
    for (const m of months) {
      for (let i = 0; i < 2; i++) {
        const r = await create({ category: 'fees.overdraft' });
        const at = new Date(Date.UTC(2025, m, 10 + i));
        await db
          .updateTable('complaints')
          .set({ root_cause: 'product.terms', received_at: at })
          .where('reference', '=', r)
          .execute();
      }
    }
    const q = '/api/improvement/recurring?from=2025-01-01&to=2025-12-31&minPeriods=3&minCount=50';
    expect((await t.call(handler, 'GET', q)).status).toBe(403);
    const res = await t.call(auditor, 'GET', q);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const item = res.body.items.find(
      (x: any) => x.scope.key === 'fees.overdraft' && x.rootCause.key === 'product.terms',
    );
    expect(item).toMatchObject({ total: 6, periods: 3, covered: false, actions: [] });
    expect(item.series.map((s: any) => s.period)).toEqual(['2025-02', '2025-03', '2025-04']);

    await t.call(quality, 'POST', '/api/improvement/capa', {
      title: 'Rewrite the overdraft terms',
      kind: 'preventive',
      rootCause: 'product',
      category: 'fees.overdraft',
    });
    const after = await t.call(quality, 'GET', q);
    const covered = after.body.items.find(
      (x: any) => x.scope.key === 'fees.overdraft' && x.rootCause.key === 'product.terms',
    );
    expect(covered.covered).toBe(true);
    expect(covered.actions[0].title).toBe('Rewrite the overdraft terms');
    expect(
      (await t.call(quality, 'GET', '/api/improvement/recurring?from=2025-12-01&to=2025-01-01')).status,
    ).toBe(400);
    const quarters = await t.call(
      quality,
      'GET',
      '/api/improvement/recurring?from=2025-01-01&to=2025-12-31&period=quarter&minPeriods=2&minCount=50',
    );
    expect(
      quarters.body.items
        .find((x: any) => x.rootCause.key === 'product.terms')
        .series.map((s: any) => s.period),
    ).toEqual(['2025-Q1', '2025-Q2']);
  });
});
