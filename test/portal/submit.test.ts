import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solveChallenge } from '../../src/portal/challenge.ts';
import { buildStaff, type StaffUser } from '../helpers/factories.ts';
import { api, credentialsOn, formField, PNG, startPortalApp, submission, submitForm, Visitor, type PortalApp } from './helpers.ts';

let t: PortalApp;
let intake: StaffUser;
let address = 0;
/** Each test its own address, so that per-address counters of one test never touch another. */
const visitor = (headers: Record<string, string> = {}) => new Visitor(t.url, { 'x-forwarded-for': `198.51.100.${++address}`, ...headers });

beforeAll(async () => {
  t = await startPortalApp({ publicUrl: 'https://complaints.example.org', limits: { submitChallengeAfter: 2 }, challenge: { bits: 8, waitSeconds: 600 } });
  intake = await buildStaff(t.database.db, 'intake');
});
afterAll(() => t.close());

const countBySource = async (submissionId: string) =>
  (await t.database.db.selectFrom('complaints').select('id').where('source_key', '=', `portal:${submissionId}`).execute()).length;

describe('submitting (PORT-1, INT-4…INT-8)', () => {
  it('records the complaint, shows the reference, secret and private link, and queues the link by e-mail', async () => {
    const v = visitor();
    const fields = submission({ description: 'Charged twice — 两次扣款 — مرتين — دو بار 😡🙏', desiredRemedy: 'Refund' });
    const { res, submissionId } = await submitForm(v, fields);
    expect(res.status).toBe(303);
    expect(res.location).toBe('/submit/done');
    const done = await v.follow(res);
    expect(done.status).toBe(200);
    const { reference, secret, link } = credentialsOn(done.text);
    expect(reference).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(secret.replaceAll('-', '')).toHaveLength(28);
    expect(done.text).toContain(`https://complaints.example.org${link}`);
    expect(done.text).toContain('What happens next');

    const read = await api(t.url, intake, 'GET', `/api/complaints/${reference}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ channel: 'web', type: 'complaint', language: 'en', description: fields.description, desiredRemedy: 'Refund' });
    expect(read.body.product.key).toBe('debit-card');
    expect(read.body.complainant).toMatchObject({ name: 'Ada Lovelace', email: fields.email, preferredChannel: 'email' });

    const db = t.database.db;
    const outbox = await db.selectFrom('outbox').select(['topic', 'payload']).where('complaint_id', '=', read.body.id).execute();
    const mail = outbox.find((o) => o.topic === 'complainant.portal_link');
    expect(mail?.payload).toMatchObject({ reference, trackingUrl: `https://complaints.example.org${link}`, language: 'en' });
    // stored hashed: neither the link token nor the secret is in the table
    const tokens = await db.selectFrom('portal_tokens').selectAll().where('complaint_id', '=', read.body.id).execute();
    expect(tokens.map((x) => x.kind).sort()).toEqual(['link', 'secret']);
    for (const token of tokens) {
      expect(token.digest).toMatch(/^[0-9a-f]{64}$/);
      expect(token.digest).not.toContain(link.slice(3));
    }
    expect(await countBySource(submissionId)).toBe(1);
    const consent = await db.selectFrom('portal_submissions').selectAll().where('complaint_id', '=', read.body.id).executeTakeFirst();
    expect(consent?.consented_at).toBeInstanceOf(Date);
  });

  it('a double click or a resubmission creates one complaint and shows the same credentials', async () => {
    const v = visitor();
    const form = await v.get('/submit');
    const fields = { ...submission(), _csrf: formField(form.text, '/submit', '_csrf'), submissionId: formField(form.text, '/submit', 'submissionId') };
    const [a, b] = await Promise.all([v.post('/submit', fields), v.post('/submit', fields)]);
    expect([a.status, b.status]).toEqual([303, 303]);
    const first = credentialsOn((await v.follow(a)).text);
    const again = await v.post('/submit', fields);
    expect(again.status).toBe(303);
    expect(credentialsOn((await v.follow(again)).text)).toEqual(first);
    expect(await countBySource(fields.submissionId)).toBe(1);
  });

  it('shows every problem inline and in a summary linked to the fields, keeps what was entered, never a 500', async () => {
    const v = visitor();
    const evil = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const { res } = await submitForm(v, submission({ description: '', name: '', email: '', consent: '', location: evil, desiredRemedy: 'A\u0000B' }));
    expect(res.status).toBe(400);
    const html = res.text;
    expect(html).toMatch(/<title>Error: /);
    expect(html).toContain('class="error-summary" role="alert"');
    for (const field of ['description', 'name', 'email', 'consent']) {
      expect(html).toContain(`href="#f-${field}"`);
      expect(html).toContain(`id="f-${field}-error"`);
      expect(html).toMatch(new RegExp(`id="f-${field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="f-${field}"`));
    }
    // kept, and inert
    expect(html).toContain('value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('>AB</textarea>');
  });

  it('refuses text over the limit with its length, and accepts markup and emoji as plain text', async () => {
    const v = visitor();
    const long = await submitForm(v, submission({ description: 'x'.repeat(20_001) }));
    expect(long.res.status).toBe(400);
    expect(long.res.text).toContain('20,000');
    const markup = '<b>bold</b> & "quotes" ‏עברית 👩‍👩‍👧 '.repeat(10);
    const ok = await submitForm(visitor(), submission({ description: markup }));
    expect(ok.res.status).toBe(303);
  });

  it('asks for a contact unless anonymous, and for the representative\'s authority', async () => {
    const noContact = await submitForm(visitor(), submission({ email: '' }));
    expect(noContact.res.status).toBe(400);
    expect(noContact.res.text).toContain('Give at least one way to contact you');
    const rep = await submitForm(visitor(), submission({ rep_name: 'Bob Carer' }));
    expect(rep.res.status).toBe(400);
    expect(rep.res.text).toContain('<details class="details" open>');
    expect(rep.res.text).toContain('href="#f-rep_relationship"');
    expect(rep.res.text).toContain('href="#f-rep_authority"');
    const v = visitor();
    const anonymous = await submitForm(v, submission({ anonymous: 'yes', name: '', email: '' }));
    expect(anonymous.res.status).toBe(303);
    const { reference } = credentialsOn((await v.follow(anonymous.res)).text);
    const read = await api(t.url, intake, 'GET', `/api/complaints/${reference}`);
    expect(read.body.complainant).toMatchObject({ anonymous: true, name: null, email: null });
    const full = await submitForm(visitor(), submission({ rep_name: 'Bob Carer', rep_relationship: 'Son', rep_authority: 'Signed letter, attached' }));
    expect(full.res.status).toBe(303);
  });

  it('refuses wrongly typed and oversized files inline, keeps the good ones across a correction, then attaches them', async () => {
    const v = visitor();
    const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0]);
    const big = new Uint8Array(10 * 1024 * 1024 + 1).fill(0x41);
    const first = await submitForm(v, submission({ consent: '' }), [
      { name: 'files', filename: 'invoice.pdf.exe', content: exe },
      { name: 'files', filename: 'huge.txt', content: big },
      { name: 'files', filename: 'photo.png', content: PNG, type: 'image/png' },
    ]);
    expect(first.res.status).toBe(400);
    expect(first.res.text).toContain('invoice.pdf.exe: this type of file cannot be accepted');
    expect(first.res.text).toContain('huge.txt: the file is larger than');
    expect(first.res.text).toContain('href="#f-consent"');
    const staged = first.res.text.match(/name="keepUpload" value="([0-9a-f-]{36})" checked><label for="f-keep-0"><bdi>photo.png<\/bdi>/);
    expect(staged).not.toBeNull();
    const csrf = formField(first.res.text, '/submit', '_csrf');
    const second = await v.post('/submit', { ...submission(), _csrf: csrf, submissionId: first.submissionId, keepUpload: staged![1]! });
    expect(second.status).toBe(303);
    const { reference } = credentialsOn((await v.follow(second)).text);
    const read = await api(t.url, intake, 'GET', `/api/complaints/${reference}`);
    expect(read.body.attachments).toEqual([expect.objectContaining({ filename: 'photo.png', mime: 'image/png', source: 'complainant' })]);
    expect(await t.database.db.selectFrom('portal_uploads').select('id').where('submission_id', '=', first.submissionId).execute()).toEqual([]);
  });

  it('refuses a post without the form\'s CSRF token, with another browser\'s token, or from another site', async () => {
    const v = visitor();
    const form = await v.get('/submit');
    const submissionId = formField(form.text, '/submit', 'submissionId');
    const without = await v.post('/submit', { ...submission(), submissionId });
    expect(without.status).toBe(403);
    expect(without.text).toContain('For your security, please check the form and send it again.');
    expect(without.text).toContain('Ada Lovelace'); // what was typed is kept
    const other = visitor();
    const otherToken = formField((await other.get('/submit')).text, '/submit', '_csrf');
    expect((await v.post('/submit', { ...submission(), submissionId, _csrf: otherToken })).status).toBe(403);
    const good = formField(form.text, '/submit', '_csrf');
    expect((await v.post('/submit', { ...submission(), submissionId, _csrf: good }, [], { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(await countBySource(submissionId)).toBe(0);
  });

  it('asks for a proof of work when the rate is high, and accepts a solved one (INT-8)', async () => {
    const v = visitor();
    for (let i = 0; i < 2; i++) expect((await submitForm(v)).res.status).toBe(303);
    const { form, res, submissionId, csrf } = await submitForm(v);
    expect(form.text).toContain('name="pow_challenge"');
    expect(form.text).toContain('data-pow-bits="8"');
    expect(res.status).toBe(429);
    expect(res.text).toContain('href="#f-challenge"');
    const challenge = formField(res.text, '/submit', 'pow_challenge');
    const wrong = await v.post('/submit', { ...submission(), _csrf: csrf, submissionId, pow_challenge: challenge, pow_solution: 'abc' });
    expect(wrong.status).toBe(429);
    const fresh = formField(wrong.text, '/submit', 'pow_challenge');
    const solved = await v.post('/submit', { ...submission(), _csrf: csrf, submissionId, pow_challenge: fresh, pow_solution: solveChallenge(fresh, 8) });
    expect(solved.status).toBe(303);
    // a challenge is good once, and only for the address it was given to
    const replay = await submitForm(v, submission({ pow_challenge: fresh, pow_solution: solveChallenge(fresh, 8) }));
    expect(replay.res.status).toBe(429);
    const elsewhere = visitor();
    const theirs = await submitForm(elsewhere, submission({ pow_challenge: fresh, pow_solution: solveChallenge(fresh, 8) }));
    expect(theirs.res.status).toBe(303); // not hot there: no challenge needed at all
  });

  it('renders markup and script in every text field inert, on the form and on the case page', async () => {
    const evil = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>';
    const text = ['description', 'location', 'desiredRemedy', 'name', 'postalAddress', 'rep_name', 'rep_relationship', 'rep_authority'];
    const all = Object.fromEntries([...text, 'email', 'phone', 'occurredOn', 'awareOn', 'product', 'preferredLanguage', 'preferredChannel', 'type'].map((f) => [f, evil]));
    const v = visitor();
    const { res } = await submitForm(v, { ...all, consent: '' });
    expect(res.status).toBe(400);
    expect(res.text).not.toContain('<script>alert');
    expect(res.text).not.toContain('<img src=x');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(2)&gt;');
    const ok = await submitForm(v, submission(Object.fromEntries(text.map((f) => [f, `${f} ${evil}`]))));
    expect(ok.res.status).toBe(303);
    const { link } = credentialsOn((await v.follow(ok.res)).text);
    await v.get(link);
    const replied = await v.post('/case/reply', { _csrf: formField((await v.get('/case')).text, '/case/reply', '_csrf'), message: evil });
    expect(replied.status).toBe(303);
    const page = await v.get('/case');
    expect(page.text).not.toContain('<script>alert');
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).toContain('&lt;img src=x onerror=alert(2)&gt;');
  });
});

