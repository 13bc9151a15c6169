import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buildStaff, complaintInput, type StaffUser } from '../helpers/factories.ts';

let t: TestApp;
let manager: StaffUser;
let manager2: StaffUser;
let handler: StaffUser;

beforeAll(async () => {
  t = await startTestApp();
  manager = await buildStaff(t.database.db, 'manager');
  manager2 = await buildStaff(t.database.db, 'manager');
  handler = await buildStaff(t.database.db, 'handler', ['frontline', 'payments']);
});
afterAll(() => t.close());

async function newComplaint(overrides = {}) {
  const res = await t.call(manager, 'POST', '/api/complaints', complaintInput(overrides));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.reference as string;
}
const act = (who: StaffUser, ref: string, action: string, body: unknown = {}) => t.call(who, 'POST', `/api/complaints/${ref}/${action}`, body);

// The smallest valid PDF-like content: sniffed as application/pdf whatever the client says.
const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

describe('attachments (INT-6)', () => {
  it('are sniffed, hashed, sanitised, and downloaded as attachments', async () => {
    const ref = await newComplaint();
    const res = await act(manager, ref, 'add-attachment', { filename: '../../etc/statement.pdf', contentBase64: pdf.toString('base64') });
    expect(res.status).toBe(200);
    const full = await t.call(manager, 'GET', `/api/complaints/${ref}`);
    const [a] = full.body.attachments;
    expect(a.mime).toBe('application/pdf');
    expect(a.filename).toBe('statement.pdf');
    expect(a.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    const download = await fetch(`${t.url}/api/complaints/${ref}/attachments/${a.id}`, { headers: { cookie: `redress_session=${manager.token}` } });
    expect(download.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);
    const event = full.body.history.at(-1);
    expect(event.action).toBe('add_attachment');
    expect(event.data.sha256).toBe(a.sha256);
  });

  it('refuses executables whatever their name, and empty files', async () => {
    const ref = await newComplaint();
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
    const res = await act(manager, ref, 'add-attachment', { filename: 'invoice.pdf', contentBase64: exe.toString('base64') });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('type_not_allowed');
    const notBase64 = await act(manager, ref, 'add-attachment', { filename: 'x.pdf', contentBase64: 'not base64!!' });
    expect(notBase64.status).toBe(400);
  });
});

describe('links, duplicates and merge (LIFE-4, INT-7)', () => {
  it('links related complaints both ways, flags a duplicate, and merges it into the original', async () => {
    const original = await newComplaint();
    const dup = await newComplaint();
    expect((await act(manager, dup, 'link', { other: original })).status).toBe(200);
    expect((await act(manager, dup, 'link', { other: original })).body.code).toBe('already_linked');
    expect((await act(manager, dup, 'link', { other: dup })).body.code).toBe('same_complaint');
    expect((await act(manager, dup, 'mark-duplicate', { of: original })).status).toBe(200);
    const seen = await t.call(manager, 'GET', `/api/complaints/${original}`);
    expect(seen.body.links.map((l: { kind: string; direction: string; reference: string }) => [l.kind, l.direction, l.reference])).toEqual(
      expect.arrayContaining([
        ['related', 'incoming', dup],
        ['duplicate', 'incoming', dup],
      ]),
    );
    const merged = await act(manager, dup, 'merge', { into: original, reason: 'Same fee, same customer' });
    expect(merged.status).toBe(200);
    expect(merged.body.state).toBe('closed');
    expect(merged.body.closureReason).toBe('merged');
    expect(merged.body.mergedInto).toBeNull(); // only the full view resolves the reference
    expect((await t.call(manager, 'GET', `/api/complaints/${dup}`)).body.mergedInto).toBe(original);
    expect((await act(manager, dup, 'reopen', { reason: 'try' })).body.code).toBe('merged_complaint');
  });
});

describe('objectivity (OBJ-1, OBJ-2)', () => {
  it('a complaint about a staff member is hidden from them and can never be assigned to them', async () => {
    const subject = await buildStaff(t.database.db, 'handler', ['payments']);
    const ref = await newComplaint({ subjectUserId: subject.id, category: 'payments.fraud' });
    expect((await t.call(subject, 'GET', `/api/complaints/${ref}`)).status).toBe(404);
    const list = await t.call(subject, 'GET', '/api/complaints?limit=200');
    expect(list.body.items.map((i: { reference: string }) => i.reference)).not.toContain(ref);
    const assign = await act(manager, ref, 'assign', { ownerId: subject.id });
    expect(assign.status).toBe(409);
    expect(assign.body.code).toBe('conflict_of_interest');
    const full = await t.call(manager, 'GET', `/api/complaints/${ref}`);
    expect(full.body.aboutStaff).toBe(true);
  });

  it('an escalated complaint goes to a reviewer independent of every earlier decision maker', async () => {
    const ref = await newComplaint({ category: 'payments.fraud' });
    for (const [action, body] of [
      ['acknowledge', {}],
      ['assess', { inScope: true }],
      ['assign', { ownerId: handler.id }],
      ['draft-response', { outcome: 'upheld', reasons: 'We were wrong', remedies: [{ key: 'apology' }] }],
      ['send-response', {}],
      ['complainant-rejects', { reason: 'Apology is not enough' }],
    ] as const) {
      const res = await act(action === 'draft-response' || action === 'send-response' ? handler : manager, ref, action, body);
      expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
    }
    const escalated = await act(manager, ref, 'escalate', { level: 'internal_review', reason: 'Complainant rejected the outcome' });
    expect(escalated.body.state).toBe('escalated');
    expect(escalated.body.owner).toBeNull();
    expect((await act(manager, ref, 'escalate', { level: 'handler', reason: 'down' })).body.code).toBe('escalation_level_not_higher');
    const back = await act(manager, ref, 'assign', { ownerId: handler.id });
    expect(back.status).toBe(409);
    expect(back.body.code).toBe('conflict_of_interest');
    expect((await act(manager, ref, 'assign', { ownerId: manager2.id })).status).toBe(200);
    expect((await act(manager2, ref, 'draft-response', { outcome: 'upheld', reasons: 'Review upholds it', remedies: [{ key: 'compensation', amount: 100 }] })).status).toBe(200);
  });
});

describe('scope, withdrawal and feedback', () => {
  it('out of scope needs a reason, closes the case, and can be reopened', async () => {
    const ref = await newComplaint();
    const noReason = await act(manager, ref, 'assess', { inScope: false });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].field).toBe('scopeReason');
    const out = await act(manager, ref, 'assess', { inScope: false, scopeReason: 'About a partner company' });
    expect(out.body.state).toBe('out_of_scope');
    expect(out.body.allowedActions).toEqual(['reopen']);
    expect((await act(manager, ref, 'reopen', { reason: 'It is ours after all' })).body.state).toBe('reopened');
  });

  it('a withdrawn complaint accepts no further action', async () => {
    const ref = await newComplaint();
    expect((await act(manager, ref, 'withdraw', { reason: 'Sorted at the branch' })).body.state).toBe('withdrawn');
    expect((await act(manager, ref, 'acknowledge')).body.code).toBe('invalid_transition');
  });

  it('suggestions and compliments take the short path and close as feedback noted', async () => {
    const ref = await newComplaint({ type: 'compliment', description: 'The staff at Leeds were wonderful.' });
    expect((await act(manager, ref, 'close', { reason: 'resolved_accepted' })).body.code).toBe('reason_not_applicable');
    expect((await act(manager, ref, 'escalate', { level: 'handler', reason: 'x' })).status).toBe(409);
    const closed = await act(manager, ref, 'close', { reason: 'feedback_noted' });
    expect(closed.body.state).toBe('closed');
  });

  it('a complaint cannot be closed before a response is sent', async () => {
    const ref = await newComplaint();
    const res = await act(manager, ref, 'close', { reason: 'options_exhausted' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('response_not_sent');
  });
});
