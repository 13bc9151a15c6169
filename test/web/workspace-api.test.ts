import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buildStaff, complaintInput, type StaffUser } from '../helpers/factories.ts';
import { executeAction } from '../../src/complaints/execute-action.ts';
import { handlers } from '../../src/complaints/handlers.ts';
import { AppError } from '../../src/shared/errors.ts';

/** The workspace's own API (src/admin): approvals queue, assignment rules and blocks, bulk, templates, preview, admin. */
let t: TestApp;
let intake: StaffUser;
let handler: StaffUser;
let handler2: StaffUser;
let manager: StaffUser;
let manager2: StaffUser;
let auditor: StaffUser;
let admin: StaffUser;

beforeAll(async () => {
  t = await startTestApp();
  const db = t.database.db;
  intake = await buildStaff(db, 'intake');
  handler = await buildStaff(db, 'handler', ['lending']);
  handler2 = await buildStaff(db, 'handler', ['lending']);
  manager = await buildStaff(db, 'manager', ['lending']);
  manager2 = await buildStaff(db, 'manager');
  auditor = await buildStaff(db, 'auditor');
  admin = await buildStaff(db, 'admin');
});
afterAll(() => t.close());

async function newComplaint(overrides = {}) {
  const res = await t.call(intake, 'POST', '/api/complaints', complaintInput(overrides));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.reference as string;
}
const act = (who: StaffUser, ref: string, action: string, body: unknown = {}) => t.call(who, 'POST', `/api/complaints/${ref}/${action}`, body);

describe('workspace profile and language', () => {
  it('returns the user with team keys and remembers the language', async () => {
    const me = await t.call(handler, 'GET', '/api/workspace/me');
    expect(me.status).toBe(200);
    expect(me.body.teams.map((x: { key: string }) => x.key)).toEqual(['lending']);
    expect((await t.call(handler, 'PUT', '/api/workspace/me/locale', { locale: 'fa' })).status).toBe(204);
    expect((await t.call(handler, 'GET', '/api/workspace/me')).body.locale).toBe('fa');
    const bad = await t.call(handler, 'PUT', '/api/workspace/me/locale?lang=ar', { locale: 'xx' });
    expect(bad.status).toBe(400);
    expect(bad.body.title).toBe('بعض الحقول مفقودة أو غير صالحة');
    expect((await t.call(null, 'GET', '/api/workspace/me')).status).toBe(401);
  });
});

describe('search highlighting in every script (WORK-1, I18N-2)', () => {
  it('marks the matches of a Chinese and an Arabic search in the list', async () => {
    const zh = await newComplaint({ description: '我的信用卡被重复扣款了两次，请退款。', language: 'zh' });
    const ar = await newComplaint({ description: 'تم خصم الرسوم مرتين من حسابي', language: 'ar' });
    const a = await t.call(manager, 'GET', `/api/complaints?q=${encodeURIComponent('信用卡')}`);
    expect(a.body.items.map((x: { reference: string }) => x.reference)).toContain(zh);
    expect(a.body.items.find((x: { reference: string }) => x.reference === zh).highlight).toContain('<mark>信用卡</mark>');
    const b = await t.call(manager, 'GET', `/api/complaints?q=${encodeURIComponent('رسوم')}`);
    expect(b.body.items.find((x: { reference: string }) => x.reference === ar).highlight).toContain('<mark>رسوم</mark>');
    expect((await t.call(manager, 'GET', '/api/complaints?limit=1')).body.items[0].highlight).toBeNull();
  });
});

describe('assignment by rule and its blocks (LIFE-3, OBJ-1, MGT-3)', () => {
  it('ranks candidates, blocks a declared relationship and enforces authorisations, at the API', async () => {
    const email = `related-${Date.now()}@example.com`;
    const ref = await newComplaint({ category: 'fees.overdraft', complainant: { name: 'Rel Ated', email } });
    await act(intake, ref, 'acknowledge');
    expect((await act(manager, ref, 'assess', { category: 'fees.overdraft' })).status).toBe(200);
    // handler2 declares they know the complainant (without seeing the file)
    expect((await t.call(handler2, 'POST', '/api/workspace/declarations', { email, relationship: 'neighbour' })).status).toBe(201);
    const cands = await t.call(manager, 'GET', `/api/complaints/${ref}/assignment-candidates`);
    expect(cands.status).toBe(200);
    const byId = new Map(cands.body.items.map((c: { id: string }) => [c.id, c]));
    expect(byId.get(handler2.id)).toMatchObject({ eligible: false, reasons: ['declared_relationship'] });
    expect(byId.get(handler.id)).toMatchObject({ eligible: true, matches: expect.arrayContaining(['team']) });
    expect(cands.body.items[0].eligible).toBe(true);

    const blocked = await act(manager, ref, 'assign', { ownerId: handler2.id });
    expect(blocked.status).toBe(409);
    expect(blocked.body).toMatchObject({ code: 'conflict_of_interest', rule: 'declared_relationship' });
    // The rule lives in the command: callers that do not go through HTTP (CLI, seeding, bulk) are refused alike.
    const managerActor = { type: 'user' as const, id: manager.id, label: 'manager', role: 'manager' as const, teamIds: [], channel: 'web' as const };
    const direct = await executeAction(t.database.db, managerActor, ref, 'assign', { ownerId: handler2.id }, handlers.assign).catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(AppError);
    expect(direct).toMatchObject({ status: 409, code: 'conflict_of_interest' });
    const bulk = await t.call(manager, 'POST', '/api/complaints/bulk', { action: 'assign', references: [ref], input: { ownerId: handler2.id } });
    expect(bulk.body.results[0]).toMatchObject({ ok: false, code: 'conflict_of_interest' });

    // Once someone holds an authorisation for "fees", only holders may get fees complaints.
    const rec = await t.call(admin, 'POST', '/api/admin/competences', { userId: manager.id, kind: 'authorisation', category: 'fees', title: 'Fees casework' });
    expect(rec.status, JSON.stringify(rec.body)).toBe(201);
    const refused = await act(manager, ref, 'assign', { ownerId: handler.id });
    expect(refused.body).toMatchObject({ code: 'not_authorised_for_category', rule: 'not_authorised' });
    expect((await act(manager, ref, 'assign', { ownerId: manager.id, attestNoConflict: true })).status).toBe(200);
    const list = await t.call(admin, 'GET', `/api/admin/competences?userId=${manager.id}`);
    expect(list.body.items).toHaveLength(1);
    expect((await t.call(admin, 'DELETE', `/api/admin/competences/${list.body.items[0].id}`)).status).toBe(204);
    expect((await t.call(handler, 'POST', '/api/admin/competences', { userId: handler.id, kind: 'training', title: 'x' })).status).toBe(403);
  });
});

describe('four eyes: the approvals queue and the API', () => {
  it('lists drafted responses awaiting a second person, never to their drafter', async () => {
    const ref = await newComplaint({ category: 'fees.overdraft', severity: 'high' });
    await act(intake, ref, 'acknowledge');
    await act(manager, ref, 'assess', { category: 'fees.overdraft' });
    expect((await act(manager, ref, 'assign', { ownerId: manager.id, attestNoConflict: true })).status).toBe(200);
    const drafted = await act(manager, ref, 'draft-response', { outcome: 'not_upheld', reasons: 'The fee was correct.' });
    expect(drafted.body.approvalRequired).toBe(true);
    const mine = await t.call(manager, 'GET', '/api/workspace/approvals');
    expect(mine.body.items.map((x: { reference: string }) => x.reference)).not.toContain(ref);
    const other = await t.call(manager2, 'GET', '/api/workspace/approvals');
    expect(other.body.items.map((x: { reference: string }) => x.reference)).toContain(ref);
    expect((await act(manager, ref, 'approve-response')).body.code).toBe('approver_is_drafter');
    expect((await act(manager, ref, 'send-response')).body.code).toBe('approval_required');
    expect((await act(manager2, ref, 'approve-response')).status).toBe(200);
  });
});

describe('response composer: templates and preview (WORK-5)', () => {
  it('lists templates per language and previews the letter in the complainant\'s language, right to left', async () => {
    const ar = await t.call(handler, 'GET', '/api/response-templates?language=ar');
    expect(ar.body.items.length).toBeGreaterThanOrEqual(2);
    expect(ar.body.items.every((x: { language: string }) => x.language === 'ar')).toBe(true);
    const ref = await newComplaint({ complainant: { name: 'ليلى', email: `l-${Date.now()}@example.com`, preferredLanguage: 'ar' } });
    const p = await t.call(manager, 'POST', `/api/complaints/${ref}/response-preview`, { outcome: 'upheld', reasons: 'أخطأنا', remedies: [{ key: 'refund', amount: 25 }], message: 'نص الرسالة' });
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    expect(p.body).toMatchObject({ language: 'ar', dir: 'rtl' });
    expect(p.body.html).toContain('dir="rtl"');
    expect(p.body.html).toContain('نص الرسالة');
    expect(p.body.html).toContain('Refund: 25');
    expect((await t.call(auditor, 'POST', `/api/complaints/${ref}/response-preview`, {})).status).toBe(403);

    const created = await t.call(admin, 'POST', '/api/admin/response-templates', { key: 'holding', language: 'nl', name: 'Tussenbericht', body: 'Beste {name}, …' });
    expect(created.status).toBe(201);
    expect((await t.call(admin, 'POST', '/api/admin/response-templates', { key: 'holding', language: 'nl', name: 'x', body: 'y' })).body.code).toBe('template_exists');
    const upd = await t.call(admin, 'PUT', `/api/admin/response-templates/${created.body.id}`, { name: 'Tussenbericht', body: 'Beste {name}.', active: false });
    expect(upd.body.active).toBe(false);
    expect((await t.call(handler, 'GET', '/api/response-templates?language=nl')).body.items.some((x: { key: string }) => x.key === 'holding')).toBe(false);
  });
});

describe('bulk actions (WORK-4)', () => {
  it('assigns and recategorises many complaints with a result for each', async () => {
    const refs = [await newComplaint(), await newComplaint(), await newComplaint()];
    for (const r of refs.slice(0, 2)) await act(intake, r, 'acknowledge');
    await act(intake, refs[2]!, 'withdraw', { reason: 'resolved' });
    const re = await t.call(manager, 'POST', '/api/complaints/bulk', { action: 'recategorise', references: [...refs, 'ZZZZ-ZZZZ'], input: { category: 'payments.fraud' } });
    expect(re.status, JSON.stringify(re.body)).toBe(200);
    expect(re.body.results.map((x: { ok: boolean }) => x.ok)).toEqual([true, true, false, false]);
    expect(re.body.results[2].code).toBe('invalid_transition');
    expect(re.body.results[3].status).toBe(404);
    const as = await t.call(manager, 'POST', '/api/complaints/bulk', { action: 'assign', references: refs.slice(0, 2), input: { team: 'payments' } });
    expect(as.body.succeeded).toBe(2);
    const bad = await t.call(manager, 'POST', '/api/complaints/bulk', { action: 'assign', references: refs, input: {} });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('input.ownerId');
    expect((await t.call(auditor, 'POST', '/api/complaints/bulk', { action: 'assign', references: refs, input: { team: 'payments' } })).status).toBe(403);
  });
});

describe('administration', () => {
  it('manages teams, categories, remedies and users; others are refused', async () => {
    expect((await t.call(admin, 'POST', '/api/admin/teams', { key: 'complaints-x', name: 'X' })).status).toBe(201);
    expect((await t.call(admin, 'POST', '/api/admin/teams', { key: 'complaints-x', name: 'X' })).body.code).toBe('key_taken');
    expect((await t.call(admin, 'POST', '/api/admin/categories', { key: 'fees.atm', name: 'ATM fees', parent: 'fees', team: 'complaints-x' })).status).toBe(201);
    expect((await t.call(admin, 'PATCH', '/api/admin/categories/fees.atm', { active: false })).status).toBe(200);
    expect((await t.call(admin, 'POST', '/api/admin/remedies', { key: 'voucher', name: 'Voucher', monetary: true })).status).toBe(201);
    const cat = await t.call(admin, 'GET', '/api/admin/catalogue');
    expect(cat.body.categories.find((c: { key: string }) => c.key === 'fees.atm')).toMatchObject({ parent: 'fees', team: 'complaints-x', active: false });
    const pub = await t.call(handler, 'GET', '/api/catalogue');
    expect(pub.body.categories.some((c: { key: string }) => c.key === 'fees.atm')).toBe(false);
    expect(pub.body.remedies.some((c: { key: string }) => c.key === 'voucher')).toBe(true);

    const upd = await t.call(admin, 'PATCH', `/api/admin/users/${handler2.id}`, { teams: ['payments', 'lending'], role: 'manager' });
    expect(upd.status, JSON.stringify(upd.body)).toBe(200);
    const staff = await t.call(intake, 'GET', '/api/workspace/staff');
    expect(staff.body.items.find((u: { id: string }) => u.id === handler2.id)).toMatchObject({ role: 'manager', teams: expect.arrayContaining(['payments', 'lending']) });
    expect((await t.call(admin, 'PATCH', `/api/admin/users/${admin.id}`, { active: false })).body.code).toBe('cannot_demote_self');
    const off = await t.call(admin, 'PATCH', `/api/admin/users/${handler2.id}`, { active: false });
    expect(off.status).toBe(200);
    expect((await t.call(handler2, 'GET', '/api/workspace/me')).status).toBe(401);
    const roles = await t.call(auditor, 'GET', '/api/admin/roles');
    expect(roles.body.roles.find((r: { role: string }) => r.role === 'auditor')).toMatchObject({ actions: [], personalData: false });
    for (const [method, path, body] of [
      ['POST', '/api/admin/teams', { key: 'y', name: 'Y' }],
      ['PATCH', `/api/admin/users/${handler.id}`, { role: 'admin' }],
      ['GET', '/api/admin/catalogue', undefined],
    ] as const) {
      expect((await t.call(manager, method, path, body)).status).toBe(403);
    }
  });
});

describe('a staff member who is the subject of a complaint (OBJ-4)', () => {
  it('sees that there is one and gives their account, but cannot open the file', async () => {
    const subject = await buildStaff(t.database.db, 'handler', ['lending']);
    const ref = await newComplaint({ subjectUserId: subject.id, description: 'The adviser was rude.' });
    expect((await t.call(subject, 'GET', `/api/complaints/${ref}`)).status).toBe(404);
    const mine = await t.call(subject, 'GET', '/api/workspace/about-me');
    expect(mine.body.items).toEqual([{ reference: ref, receivedAt: expect.any(String), accountGiven: false }]);
    expect(JSON.stringify(mine.body)).not.toContain('rude');
    expect((await t.call(subject, 'POST', `/api/workspace/about-me/${ref}/account`, { body: 'I was polite throughout.' })).status).toBe(201);
    expect((await t.call(subject, 'GET', '/api/workspace/about-me')).body.items[0].accountGiven).toBe(true);
    const file = await t.call(manager, 'GET', `/api/complaints/${ref}`);
    expect(file.body.notes[0].body).toContain('I was polite throughout.');
    expect(file.body.history.at(-1).action).toBe('add_note');
    expect((await t.call(handler, 'POST', `/api/workspace/about-me/${ref}/account`, { body: 'x' })).status).toBe(404);
  });
});
