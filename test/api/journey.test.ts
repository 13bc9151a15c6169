import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buildStaff, complaintInput, type StaffUser } from '../helpers/factories.ts';

let t: TestApp;
let intake: StaffUser;
let handler: StaffUser;
let manager: StaffUser;
let manager2: StaffUser;
let auditor: StaffUser;

beforeAll(async () => {
  t = await startTestApp();
  const db = t.database.db;
  intake = await buildStaff(db, 'intake');
  handler = await buildStaff(db, 'handler', ['payments']);
  manager = await buildStaff(db, 'manager');
  manager2 = await buildStaff(db, 'manager');
  auditor = await buildStaff(db, 'auditor');
});
afterAll(() => t.close());

describe('a complaint through its whole lifecycle, through the API only', () => {
  it('is received, acknowledged, assessed, assigned, investigated, answered with four-eyes approval, accepted and closed', async () => {
    const created = await t.call(intake, 'POST', '/api/complaints', complaintInput({ severity: 'high' }));
    expect(created.status).toBe(201);
    const ref: string = created.body.reference;
    expect(ref).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(created.body.state).toBe('received');
    expect(created.headers.get('location')).toBe(`/api/complaints/${ref}`);
    expect(created.body.allowedActions).toContain('acknowledge');

    const step = async (who: StaffUser, action: string, body: unknown = {}, status = 200) => {
      const res = await t.call(who, 'POST', `/api/complaints/${ref}/${action}`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      return res.body;
    };
    expect((await step(intake, 'acknowledge')).state).toBe('acknowledged');
    const assessed = await step(handler, 'assess', { category: 'payments.fraud', impact: 'high', urgency: 'medium', severity: 'high' }, 404);
    expect(assessed.code).toBe('not_found'); // not in the handler's team yet (fees → another team)
    const a = await step(manager, 'assess', { category: 'payments.fraud', impact: 'high', urgency: 'medium' });
    expect(a.state).toBe('assessed');
    expect(a.priority).toBe('high');
    expect(a.team.key).toBe('payments');
    // the handler is in the payments team now, and takes the case, attesting no conflict
    const noAttest = await step(handler, 'assign', { ownerId: handler.id }, 400);
    expect(noAttest.code).toBe('attestation_required');
    expect((await step(handler, 'assign', { ownerId: handler.id, attestNoConflict: true })).state).toBe('under_investigation');
    await step(handler, 'add-note', { body: 'Checked the card logs.' });
    const offered = async () => (await t.call(handler, 'GET', `/api/complaints/${ref}`)).body.allowedActions as string[];
    expect(await offered()).not.toContain('complete_task'); // nothing to complete yet
    const task = await step(handler, 'add-task', { title: 'Ask the branch for CCTV', dueAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(task.state).toBe('under_investigation');
    expect(await offered()).toContain('complete_task');
    expect((await step(handler, 'request-information', { message: 'Please send the statement.' })).state).toBe('awaiting_complainant');
    expect((await step(intake, 'information-received', { message: 'Statement sent by post.' })).state).toBe('under_investigation');
    const drafted = await step(handler, 'draft-response', { outcome: 'partly_upheld', reasons: 'Part of the fee was wrong.', remedies: [{ key: 'refund', amount: 25 }] });
    expect(drafted.state).toBe('response_drafted');
    expect(drafted.approvalRequired).toBe(true);
    expect(drafted.allowedActions).not.toContain('send_response');
    expect((await step(handler, 'send-response', {}, 409)).code).toBe('approval_required');
    expect((await step(handler, 'approve-response', {}, 403)).code).toBe('role_not_permitted');
    expect((await step(manager, 'approve-response')).state).toBe('response_approved');
    expect((await step(handler, 'send-response')).state).toBe('response_sent');
    expect((await step(handler, 'close', { reason: 'resolved_accepted' }, 409)).code).toBe('not_accepted_by_complainant');
    expect((await step(intake, 'complainant-accepts')).complainantDecision).toBe('accepted');
    const closed = await step(handler, 'close', { reason: 'resolved_accepted', rootCause: 'process.delay' });
    expect(closed.state).toBe('closed');
    expect(closed.allowedActions).toEqual(['reopen']);

    // AUD-3: a closed record does not change except by reopening
    expect((await step(handler, 'add-note', { body: 'late note' }, 409)).code).toBe('invalid_transition');
    expect((await step(manager2, 'reopen', { reason: 'Refund not received' })).state).toBe('reopened');

    const full = await t.call(manager, 'GET', `/api/complaints/${ref}`);
    expect(full.status).toBe(200);
    expect(full.body.notes).toHaveLength(1);
    expect(full.body.tasks).toHaveLength(1);
    expect(full.body.messages.map((m: { direction: string }) => m.direction)).toEqual(['outbound', 'inbound', 'outbound']);
    expect(full.body.history.map((e: { action: string }) => e.action)).toEqual([
      'create', 'acknowledge', 'assess', 'assign', 'add_note', 'add_task', 'request_information', 'information_received',
      'draft_response', 'approve_response', 'send_response', 'complainant_accepts', 'close', 'reopen',
    ]);
    expect(full.body.history[3].actor.label).toContain('handler');
    expect(full.body.history[2].data.before.state).toBe('acknowledged');
    expect(full.body.history[2].data.after.state).toBe('assessed');

    const outbox = await t.database.db.selectFrom('outbox').select('topic').where('complaint_id', '=', full.body.id).execute();
    expect(outbox.map((o) => o.topic)).toEqual(
      expect.arrayContaining(['complaint.received', 'complainant.acknowledged', 'complainant.information_requested', 'complainant.decision', 'complainant.closed']),
    );
  });

  it('the drafter can never approve their own response (four eyes)', async () => {
    const { body } = await t.call(manager, 'POST', '/api/complaints', complaintInput({ category: 'payments.fraud' }));
    const ref = body.reference;
    for (const [action, input] of [
      ['acknowledge', {}],
      ['assess', { impact: 'low', urgency: 'low' }],
      ['assign', { ownerId: manager.id, attestNoConflict: true }],
      ['draft-response', { outcome: 'not_upheld', reasons: 'The fee is in the tariff.' }],
    ] as const) {
      const res = await t.call(manager, 'POST', `/api/complaints/${ref}/${action}`, input);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const self = await t.call(manager, 'POST', `/api/complaints/${ref}/approve-response`, {});
    expect(self.status).toBe(409);
    expect(self.body.code).toBe('approver_is_drafter');
    expect((await t.call(manager2, 'POST', `/api/complaints/${ref}/approve-response`, {})).status).toBe(200);
  });

  it('an auditor reads everything, sees no personal data, and changes nothing', async () => {
    const { body } = await t.call(intake, 'POST', '/api/complaints', complaintInput());
    const read = await t.call(auditor, 'GET', `/api/complaints/${body.reference}`);
    expect(read.status).toBe(200);
    expect(read.body.complainant).toBeNull();
    expect(read.body.complainantRedacted).toBe(true);
    expect(read.body.allowedActions).toEqual([]);
    const write = await t.call(auditor, 'POST', `/api/complaints/${body.reference}/acknowledge`, {});
    expect(write.status).toBe(403);
    expect(write.headers.get('content-type')).toContain('application/problem+json');
    expect((await t.call(auditor, 'POST', '/api/complaints', complaintInput())).status).toBe(403);
  });
});
