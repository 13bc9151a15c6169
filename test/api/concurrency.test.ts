import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buildStaff, complaintInput, type StaffUser } from '../helpers/factories.ts';
import { verifyHistory } from '../../src/audit/verify-history.ts';
import { createComplaint } from '../../src/complaints/create-complaint.ts';
import { intakeStats } from '../../src/complaints/intake-batch.ts';

let t: TestApp;
let manager: StaffUser;
let manager2: StaffUser;

beforeAll(async () => {
  t = await startTestApp();
  manager = await buildStaff(t.database.db, 'manager');
  manager2 = await buildStaff(t.database.db, 'manager');
});
afterAll(() => t.close());

describe('concurrency', () => {
  it('two concurrent conflicting actions on one complaint never both apply', async () => {
    for (let round = 0; round < 5; round++) {
      const { body } = await t.call(manager, 'POST', '/api/complaints', complaintInput());
      const ref = body.reference;
      const [a, b] = await Promise.all([
        t.call(manager, 'POST', `/api/complaints/${ref}/withdraw`, { reason: 'by phone' }),
        t.call(manager2, 'POST', `/api/complaints/${ref}/acknowledge`, {}),
      ]);
      const statuses = [a.status, b.status].sort();
      // one wins; the other sees the new state and is refused (or, if acknowledge ran first, withdraw still applies)
      if (statuses[0] === 200 && statuses[1] === 200) {
        const final = await t.call(manager, 'GET', `/api/complaints/${ref}`);
        expect(final.body.state).toBe('withdrawn');
        expect(final.body.history.map((e: { action: string }) => e.action)).toEqual(['create', 'acknowledge', 'withdraw']);
      } else {
        expect(statuses).toEqual([200, 409]);
      }
    }
  });

  it('many concurrent actions on one complaint keep one unbroken chain', async () => {
    const { body } = await t.call(manager, 'POST', '/api/complaints', complaintInput());
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => t.call(i % 2 ? manager : manager2, 'POST', `/api/complaints/${body.reference}/add-note`, { body: `note ${i}` })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const full = await t.call(manager, 'GET', `/api/complaints/${body.reference}`);
    expect(full.body.notes).toHaveLength(30);
    expect(full.body.version).toBe(31);
    expect(full.body.history.map((e: { seq: number }) => e.seq)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect((await verifyHistory(t.database.db)).breaks).toEqual([]);
  });

  it('references stay unique when many complaints are created at once', async () => {
    const results = await Promise.all(Array.from({ length: 60 }, () => t.call(manager, 'POST', '/api/complaints', complaintInput())));
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(new Set(results.map((r) => r.body.reference)).size).toBe(60);
  });

  it('complaints arriving together are written in groups, each complete, and a duplicate fails only itself', async () => {
    const db = t.database.db;
    const actor = { type: 'user' as const, id: manager.id, label: 'manager', role: 'manager' as const, teamIds: [], channel: 'web' as const };
    const before = intakeStats(db);
    const sourceKey = `group-race-${Date.now()}`;
    const inputs = Array.from({ length: 150 }, (_, i) => complaintInput(i % 30 === 7 ? { sourceKey } : {}));
    const results = await Promise.all(inputs.map((input) => createComplaint(db, actor, input)));
    const after = intakeStats(db);
    expect(after.largest).toBeGreaterThan(1); // grouped …
    expect(after.statements - before.statements).toBeLessThan(150); // … into fewer statements than complaints

    const same = results.filter((_, i) => i % 30 === 7);
    expect(same.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(same.map((r) => r.id)).size).toBe(1);
    const ids = [...new Set(results.map((r) => r.id))];
    expect(ids).toHaveLength(150 - same.length + 1);
    expect(new Set(results.map((r) => r.reference)).size).toBe(ids.length);
    // everything written with each complaint is there: its first event, its "received" message, its deadlines
    const count = async (table: 'audit_events' | 'outbox' | 'complaint_deadlines') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).where('complaint_id', 'in', ids).executeTakeFirstOrThrow()).n);
    expect(await count('audit_events')).toBe(ids.length);
    expect(await count('outbox')).toBe(ids.length);
    const single = await createComplaint(db, actor, complaintInput());
    const perComplaint = Number((await db.selectFrom('complaint_deadlines').select((eb) => eb.fn.countAll<string>().as('n')).where('complaint_id', '=', single.id).executeTakeFirstOrThrow()).n);
    expect(await count('complaint_deadlines')).toBe(ids.length * perComplaint);
    for (const r of results.filter((x) => x.created)) expect(r.stored?.complaint.reference).toBe(r.reference);
    expect((await verifyHistory(db)).breaks).toEqual([]);
  });

  it('a stale If-Match is refused and changes nothing', async () => {
    const { body } = await t.call(manager, 'POST', '/api/complaints', complaintInput());
    const ok = await t.call(manager, 'POST', `/api/complaints/${body.reference}/add-note`, { body: 'one' }, { 'if-match': '"1"' });
    expect(ok.status).toBe(200);
    const stale = await t.call(manager2, 'POST', `/api/complaints/${body.reference}/add-note`, { body: 'two' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('version_conflict');
    const full = await t.call(manager, 'GET', `/api/complaints/${body.reference}`);
    expect(full.body.notes.map((n: { body: string }) => n.body)).toEqual(['one']);
  });
});
