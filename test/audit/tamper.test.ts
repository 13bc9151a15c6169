import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buildStaff, complaintInput, type StaffUser } from '../helpers/factories.ts';
import { verifyHistory } from '../../src/audit/verify-history.ts';

const run = promisify(execFile);
let t: TestApp;
let manager: StaffUser;
const refs: string[] = [];

async function auditVerify(): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/redress.mjs', 'audit', 'verify'], {
      env: { ...process.env, DATABASE_URL: t.database.url, LOG_LEVEL: 'silent' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Runs SQL with the append-only trigger switched off, as someone with direct database access would. */
async function tamper(statement: ReturnType<typeof sql>) {
  await t.database.db.transaction().execute(async (tx) => {
    await sql`alter table audit_events disable trigger audit_events_append_only`.execute(tx);
    await statement.execute(tx);
    await sql`alter table audit_events enable trigger audit_events_append_only`.execute(tx);
  });
}

beforeAll(async () => {
  t = await startTestApp();
  manager = await buildStaff(t.database.db, 'manager');
  for (let i = 0; i < 3; i++) {
    const { body } = await t.call(manager, 'POST', '/api/complaints', complaintInput());
    refs.push(body.reference);
    await t.call(manager, 'POST', `/api/complaints/${body.reference}/acknowledge`, {});
    await t.call(manager, 'POST', `/api/complaints/${body.reference}/add-note`, { body: 'note' });
  }
});
afterAll(() => t.close());

const eventsOf = (reference: string) =>
  t.database.db
    .selectFrom('audit_events')
    .innerJoin('complaints', 'complaints.id', 'audit_events.complaint_id')
    .select(['audit_events.id', 'audit_events.seq', 'audit_events.chain'])
    .where('complaints.reference', '=', reference)
    .orderBy('seq')
    .execute();

describe('the tamper-evident history (AUD-1, AUD-2)', () => {
  it('the database itself refuses UPDATE, DELETE and TRUNCATE on the history', async () => {
    const [first] = await eventsOf(refs[0]!);
    await expect(sql`update audit_events set action = 'x' where id = ${first!.id}`.execute(t.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_events where id = ${first!.id}`.execute(t.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_events`.execute(t.database.db)).rejects.toThrow(/append-only/);
  });

  it('audit verify exits 0 on an intact history', async () => {
    const result = await auditVerify();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/history intact: \d+ events in \d+ chains/);
  });

  it('finds an altered event and names it', async () => {
    const [, second] = await eventsOf(refs[0]!);
    await tamper(sql`update audit_events set data = jsonb_set(data, '{after,state}', '"closed"') where id = ${second!.id}`);
    const result = await auditVerify();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(second!.id);
    expect(result.stderr).toContain('hash_mismatch');
  });

  it('finds a removed event in the middle of a chain, and a removed last event', async () => {
    const events = await eventsOf(refs[1]!);
    await tamper(sql`delete from audit_events where id = ${events[1]!.id}`);
    const afterMiddle = await verifyHistory(t.database.db);
    const broken = afterMiddle.breaks.find((b) => b.chain === events[0]!.chain);
    expect(broken?.problem).toBe('sequence_gap');
    expect(broken?.seq).toBe(2);

    const last = (await eventsOf(refs[2]!)).at(-1)!;
    await tamper(sql`delete from audit_events where id = ${last.id}`);
    const report = await verifyHistory(t.database.db);
    expect(report.breaks.find((b) => b.chain === last.chain)?.problem).toBe('head_mismatch');
  });

  it('finds an inserted event', async () => {
    const { body } = await t.call(manager, 'POST', '/api/complaints', complaintInput());
    const [first] = await eventsOf(body.reference);
    // shift the real event to make room and slip a forged one in at seq 1
    await tamper(sql`update audit_events set seq = 2 where id = ${first!.id}`);
    await tamper(sql`insert into audit_events (id, chain, seq, complaint_id, action, actor_type, actor_id, actor_label, channel, at, data, prev_hash, hash)
      select gen_random_uuid(), chain, 1, complaint_id, 'create', actor_type, actor_id, actor_label, channel, at, data, prev_hash, hash
      from audit_events where id = ${first!.id}`);
    const report = await verifyHistory(t.database.db);
    const problem = report.breaks.find((b) => b.chain === first!.chain);
    expect(problem).toBeDefined();
    const cli = await auditVerify();
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/first broken event/);
  });
});

describe('anchors over the whole history (AUD-2)', () => {
  it('catch a chain rewritten consistently after it was anchored', async () => {
    const { writeAnchor, verifyAnchors } = await import('../../src/audit/anchors.ts');
    const { hashEvent } = await import('../../src/audit/chain.ts');
    const { body } = await t.call(manager, 'POST', '/api/complaints', complaintInput());
    const later = new Date(Date.now() + 10 * 60_000);
    const anchor = await writeAnchor(t.database.db, later);
    expect(anchor?.events).toBeGreaterThan(0);
    expect(await writeAnchor(t.database.db, later)).toBeNull(); // nothing new to anchor
    expect((await verifyAnchors(t.database.db)).breaks).toEqual([]);
    // rewrite the complaint's only event AND its hash AND the complaint's head: the chain alone looks intact
    const [event] = await t.database.db.selectFrom('audit_events').selectAll().where('complaint_id', '=', body.id).execute();
    const forged = { ...event!, data: { ...event!.data, forged: true } };
    const hash = hashEvent(forged);
    await tamper(sql`update audit_events set data = ${JSON.stringify(forged.data)}::jsonb, hash = ${hash} where id = ${event!.id}`);
    await t.database.db.updateTable('complaints').set({ audit_head: hash }).where('id', '=', body.id).execute();
    const report = await verifyHistory(t.database.db);
    expect(report.breaks.filter((b) => b.chain === event!.chain)).toEqual([]);
    expect(report.anchorBreaks).toEqual([{ anchorId: anchor!.id, problem: 'root_mismatch' }]);
  });
});
