import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaff, type StaffUser } from '../helpers/factories.ts';
import { api, credentialsOn, formField, PNG, staffSteps, startPortalApp, submitForm, toResponseSent, Visitor, type Page, type PortalApp } from './helpers.ts';

let t: PortalApp;
let manager: StaffUser;
let address = 0;

beforeAll(async () => {
  t = await startPortalApp();
  manager = await buildStaff(t.database.db, 'manager');
});
afterAll(() => t.close());

/** A complainant with a fresh complaint, signed in on its page. */
async function complainant() {
  const v = new Visitor(t.url, { 'x-forwarded-for': `192.0.2.${++address}` });
  const { res } = await submitForm(v);
  const { reference, link } = credentialsOn((await v.follow(res)).text);
  await v.get(link);
  return { v, reference };
}

/** Posts one of the case page's forms as a person would: with its CSRF token and its once-key. */
async function act(v: Visitor, action: string, fields: Record<string, string> = {}, files: Parameters<Visitor['post']>[2] = []): Promise<Page> {
  const page = await v.get('/case');
  const form = `/case/${action}`;
  const hasOnce = /name="once"/.test(page.text.split(`action="${form}"`)[1]?.split('</form>')[0] ?? '');
  const once: Record<string, string> = hasOnce ? { once: formField(page.text, form, 'once') } : {};
  return v.post(form, { _csrf: formField(page.text, form, '_csrf'), ...once, ...fields }, files);
}

const read = async (reference: string) => (await api(t.url, manager, 'GET', `/api/complaints/${reference}`)).body;

describe('replying (PORT-3)', () => {
  it('answers a request for information with a message and a file, once even when sent twice', async () => {
    const { v, reference } = await complainant();
    await staffSteps(t.url, manager, reference, [
      ['acknowledge', {}],
      ['assess', { category: 'payments.fraud' }],
      ['assign', { ownerId: manager.id, attestNoConflict: true }],
      ['request-information', { message: 'Please send us the card statement.' }],
    ]);
    const page = await v.get('/case');
    expect(page.text).toContain('Reply to our request');
    expect(page.text).toContain('Please send us the card statement.');
    expect(page.text).toContain('Waiting for information from you.');
    expect(page.text).toContain('A complaints manager');
    const fields = { _csrf: formField(page.text, '/case/reply', '_csrf'), once: formField(page.text, '/case/reply', 'once'), message: 'Here it is <b>attached</b>.' };
    const files = [{ name: 'files', filename: 'statement.png', content: PNG, type: 'image/png' }];
    const [a, b] = await Promise.all([v.post('/case/reply', fields, files), v.post('/case/reply', fields, files)]);
    expect([a.status, b.status]).toEqual([303, 303]);
    const c = await read(reference);
    expect(c.state).toBe('under_investigation');
    expect(c.messages.filter((m: { direction: string }) => m.direction === 'inbound')).toEqual([expect.objectContaining({ body: 'Here it is <b>attached</b>.', channel: 'portal' })]);
    expect(c.attachments).toEqual([expect.objectContaining({ filename: 'statement.png', source: 'complainant' })]);
    const after = await v.follow(a);
    expect(after.text).toContain('Thank you: your message has been sent.');
    expect(after.text).toContain('Here it is &lt;b&gt;attached&lt;/b&gt;.');
    expect(after.text).toContain('statement.png');
  });

  it('sends a message at any open stage, and refuses an empty one or a bad file inline', async () => {
    const { v, reference } = await complainant();
    const empty = await act(v, 'reply', { message: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('href="#f-message"');
    const bad = await act(v, 'reply', { message: 'see file' }, [{ name: 'files', filename: 'virus.exe', content: new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]) }]);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('virus.exe: this type of file cannot be accepted');
    expect(bad.text).toContain('>see file</textarea>');
    expect((await act(v, 'reply', { message: 'One more thing.' })).status).toBe(303);
    const c = await read(reference);
    expect(c.state).toBe('received');
    expect(c.messages.map((m: { body: string }) => m.body)).toEqual(['One more thing.']);
  });

  it('refuses an action without its CSRF token', async () => {
    const { v, reference } = await complainant();
    const res = await v.post('/case/reply', { message: 'forged' });
    expect(res.status).toBe(403);
    expect((await read(reference)).messages).toEqual([]);
  });
});

describe('accepting or rejecting the answer, escalating (PORT-3)', () => {
  it('shows the answer and records the acceptance', async () => {
    const { v, reference } = await complainant();
    await staffSteps(t.url, manager, reference, toResponseSent(manager.id));
    const page = await v.get('/case?lang=pl');
    expect(page.text).toContain('Nasza decyzja: uwzględniona');
    expect(page.text).toContain('42,50');
    expect(page.text).toContain('We are sorry: we refund the second charge of £42.50.');
    const res = await act(v, 'accept', { comment: 'Thanks.' });
    expect(res.status).toBe(303);
    expect((await read(reference)).complainantDecision).toBe('accepted');
    const after = await v.follow(res);
    expect(after.text).toContain('Przyjąłeś naszą odpowiedź.');
    expect(after.text).not.toContain('action="/case/accept"');
  });

  it('records a rejection, then offers and takes the request for a review', async () => {
    const { v, reference } = await complainant();
    await staffSteps(t.url, manager, reference, toResponseSent(manager.id));
    const res = await act(v, 'reject', { reason: 'The refund is not enough.' });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/case#escalate');
    const page = await v.follow(res);
    expect(page.text).toContain('You do not accept our answer. You can ask for a review');
    expect(page.text).toContain('<section id="escalate" aria-labelledby="escalate-title" class="box emphasis">');
    const missing = await act(v, 'escalate', { escalation_reason: '' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('href="#f-escalation_reason"');
    expect((await act(v, 'escalate', { escalation_reason: 'Please have someone else look at it.' })).status).toBe(303);
    const c = await read(reference);
    expect(c.state).toBe('escalated');
    expect(c.escalationLevel).toBe('handler');
    expect((await v.get('/case')).text).toContain('Under review at a higher level.');
  });

  it('withdraws on confirmation only', async () => {
    const { v, reference } = await complainant();
    const unconfirmed = await act(v, 'withdraw', { withdraw_reason: 'Sorted out.' });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.text).toContain('<details class="details box" id="withdraw" open>');
    expect(unconfirmed.text).toContain('href="#f-confirm"');
    expect((await act(v, 'withdraw', { withdraw_reason: 'Sorted out.', confirm: 'yes' })).status).toBe(303);
    const c = await read(reference);
    expect(c.state).toBe('withdrawn');
    const page = await v.get('/case');
    expect(page.text).toContain('Withdrawn at your request.');
    expect(page.text).not.toContain('action="/case/reply"');
  });

  it('says so, without an error page, when the case moved on since the page was shown', async () => {
    const { v, reference } = await complainant();
    await staffSteps(t.url, manager, reference, toResponseSent(manager.id));
    const page = await v.get('/case');
    await staffSteps(t.url, manager, reference, [['complainant-accepts', {}], ['close', { reason: 'resolved_accepted', rootCause: 'system.defect' }]]);
    const late = await v.post('/case/reject', { _csrf: formField(page.text, '/case/reject', '_csrf'), once: formField(page.text, '/case/reject', 'once'), reason: 'late' });
    expect(late.status).toBe(303);
    expect((await v.follow(late)).text).toContain('This is not possible at the current stage of your complaint.');
  });
});

describe('the satisfaction survey after closure (PORT-4, ISO 10002 8.3)', () => {
  it('asks several questions once per closure', async () => {
    const { v, reference } = await complainant();
    await staffSteps(t.url, manager, reference, [...toResponseSent(manager.id), ['complainant-accepts', {}], ['close', { reason: 'resolved_accepted', rootCause: 'system.defect' }]]);
    const page = await v.get('/case');
    expect(page.text).toContain('How did we handle your complaint?');
    expect(page.text.match(/<fieldset class="fieldset"/g)?.length).toBeGreaterThanOrEqual(5);
    const partial = await act(v, 'survey', { q_ease: '5', q_informed: '4' });
    expect(partial.status).toBe(400);
    for (const q of ['q_time', 'q_fair', 'q_overall']) expect(partial.text).toContain(`href="#f-${q}"`);
    expect(partial.text).toContain('name="q_ease" value="5" checked');
    const answers = { q_ease: '5', q_informed: '4', q_time: '3', q_fair: '4', q_overall: '4', survey_comment: 'Quick and fair.' };
    const ok = await act(v, 'survey', answers);
    expect(ok.status).toBe(303);
    const thanked = await v.follow(ok);
    expect(thanked.text).toContain('Thank you for your answers.');
    expect(thanked.text).not.toContain('action="/case/survey"');
    const again = await v.post('/case/survey', { _csrf: formField(page.text, '/case/survey', '_csrf'), ...answers });
    expect(again.status).toBe(303);
    expect((await v.follow(again)).text).toContain('You have already answered the survey for this complaint.');
    const db = t.database.db;
    const c = await read(reference);
    const rows = () => db.selectFrom('portal_surveys').selectAll().where('complaint_id', '=', c.id).execute();
    expect(await rows()).toHaveLength(1);
    expect((await rows())[0]).toMatchObject({ answers: { q_ease: 5, q_informed: 4, q_time: 3, q_fair: 4, q_overall: 4 }, comment: 'Quick and fair.', language: 'en' });

    // reopened and closed again: a new closure, a new survey
    const manager2 = await buildStaff(db, 'manager');
    await staffSteps(t.url, manager2, reference, [['reopen', { reason: 'Refund not received' }], ['assign', { ownerId: manager2.id, attestNoConflict: true, reason: 'Second look' }]]);
    await staffSteps(t.url, manager2, reference, [
      ['draft-response', { outcome: 'upheld', reasons: 'Refund made again.', remedies: [] }],
      ['send-response', {}],
      ['complainant-accepts', {}],
      ['close', { reason: 'resolved_accepted', rootCause: 'system.defect' }],
    ]);
    expect((await v.get('/case')).text).toContain('action="/case/survey"');
    expect((await act(v, 'survey', answers)).status).toBe(303);
    expect(await rows()).toHaveLength(2);
    const quality = await buildStaff(db, 'quality');
    const list = await api(t.url, quality, 'GET', '/api/portal/surveys');
    expect(list.body.items.filter((s: { reference: string }) => s.reference === reference)).toHaveLength(2);
  });
});
