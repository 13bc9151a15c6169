import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectDuplicates } from '../../src/channels/duplicates.ts';
import { createNotificationDeliverer } from '../../src/channels/notifications.ts';
import { closeSlot, createSlot, processBatch } from '../../src/channels/outbox-worker.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buildStaff, complaintInput, type StaffUser } from '../helpers/factories.ts';
import { silentLog } from './helpers.ts';

let t: TestApp;
let intake: StaffUser;
let manager: StaffUser;
let auditor: StaffUser;

beforeAll(async () => {
  t = await startTestApp();
  [intake, manager, auditor] = await Promise.all([buildStaff(t.database.db, 'intake'), buildStaff(t.database.db, 'manager'), buildStaff(t.database.db, 'auditor')]);
});
afterAll(() => t.close());

async function create(description: string, complainant: { name: string; email?: string; phone?: string }, language?: 'en' | 'zh' | 'fa') {
  const res = await t.call(intake, 'POST', '/api/complaints', complaintInput({ description, complainant, ...(language ? { language } : {}) }));
  expect(res.status).toBe(201);
  return res.body as { id: string; reference: string };
}

describe('duplicate detection (INT-7): flagged for review, never dropped', () => {
  it('flags a similar complaint from the same person when the worker handles its receipt, with a history event', async () => {
    const first = await create('我的信用卡在三月被重复扣款两次，金额为二百元，至今没有退款，客服也没有回复。', { name: '王伟', email: 'wang.wei@example.cn' }, 'zh');
    const again = await create('我的信用卡在三月被重复扣款两次，金额为二百元，至今没有退款。请尽快处理！', { name: '王伟', email: 'Wang.Wei@example.cn' }, 'zh');
    const other = await create('网上银行无法登录，提示密码错误，但我没有修改过密码。', { name: '王伟', email: 'wang.wei@example.cn' }, 'zh');
    const stranger = await create('我的信用卡在三月被重复扣款两次，金额为二百元，至今没有退款，客服也没有回复。', { name: '李娜', email: 'li.na@example.cn' }, 'zh');

    const slot = await createSlot(t.database.db, createNotificationDeliverer(t.database.db, { publicUrl: 'https://x', mailFrom: 'R <r@x.example>', sms: null, log: silentLog }), t.database.url);
    while ((await processBatch(t.database.db, slot, { worker: 'dup-test', batchSize: 50, leaseSeconds: 30, log: silentLog })) > 0);
    await closeSlot(slot);

    const flags = await t.database.db.selectFrom('duplicate_candidates').selectAll().execute();
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ complaint_id: again.id, candidate_id: first.id, status: 'open' });
    expect(flags[0]!.score).toBeGreaterThan(0.55);
    // both complaints are still there and open; nothing was merged
    for (const c of [first, again, other, stranger]) expect((await t.call(manager, 'GET', `/api/complaints/${c.reference}`)).body.state).toBe('received');
    const history = await t.call(manager, 'GET', `/api/complaints/${again.reference}/history`);
    const event = history.body.events.find((e: { action: string }) => e.action === 'duplicate_suspected');
    expect(event.data).toMatchObject({ duplicateOf: first.reference });
    expect(event.actor.label).toBe('duplicate detection');
    // idempotent
    expect(await detectDuplicates(t.database.db, again.id)).toBe(0);

    const listed = await t.call(manager, 'GET', '/api/duplicate-candidates');
    expect(listed.body.items).toEqual([expect.objectContaining({ reference: again.reference, duplicateOf: first.reference, status: 'open' })]);
    expect((await t.call(auditor, 'POST', `/api/duplicate-candidates/${flags[0]!.id}/confirm`)).status).toBe(403);
    const confirmed = await t.call(manager, 'POST', `/api/duplicate-candidates/${flags[0]!.id}/confirm`);
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.status).toBe('confirmed');
    const links = (await t.call(manager, 'GET', `/api/complaints/${again.reference}`)).body.links;
    expect(JSON.stringify(links)).toContain(first.reference);
    expect((await t.call(manager, 'POST', `/api/duplicate-candidates/${flags[0]!.id}/dismiss`)).body.code).toBe('already_decided');
  });

  it('matches the same person by phone number too, and a dismissal is recorded in the history', async () => {
    const a = await create('Mijn pinpas is ingeslikt door de automaat in de Kalverstraat en ik heb nog geen nieuwe ontvangen.', { name: 'Joost', phone: '+31 6 1234 5678' });
    const b = await create('Mijn pinpas is ingeslikt door de automaat in de Kalverstraat en ik heb nog steeds geen nieuwe ontvangen!', { name: 'Joost', phone: '+31612345678' });
    expect(await detectDuplicates(t.database.db, b.id)).toBe(1);
    const flag = await t.database.db.selectFrom('duplicate_candidates').selectAll().where('complaint_id', '=', b.id).executeTakeFirstOrThrow();
    expect(flag.candidate_id).toBe(a.id);
    const dismissed = await t.call(manager, 'POST', `/api/duplicate-candidates/${flag.id}/dismiss`);
    expect(dismissed.body.status).toBe('dismissed');
    const history = await t.call(manager, 'GET', `/api/complaints/${b.reference}/history`);
    expect(history.body.events.map((e: { action: string }) => e.action)).toEqual(['create', 'duplicate_suspected', 'duplicate_dismissed']);
    const verify = await t.call(auditor, 'GET', '/api/audit/verify');
    if (verify.status === 200) expect(verify.body.breaks ?? []).toEqual([]);
  });
});
