import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateReference } from '../../src/complaints/reference.ts';
import { buildStaff, type StaffUser } from '../helpers/factories.ts';
import { api, credentialsOn, formField, startPortalApp, submitForm, Visitor, type PortalApp } from './helpers.ts';

let t: PortalApp;
let intake: StaffUser;
let address = 0;
const visitor = () => new Visitor(t.url, { 'x-forwarded-for': `203.0.113.${++address}` });

beforeAll(async () => {
  t = await startPortalApp({ limits: { trackPerAddress: 12, trackPerReference: 5 } });
  intake = await buildStaff(t.database.db, 'intake');
});
afterAll(() => t.close());

async function newComplaint() {
  const v = visitor();
  const { res } = await submitForm(v);
  return credentialsOn((await v.follow(res)).text);
}

async function track(v: Visitor, reference: string, secret: string) {
  const form = await v.get('/track');
  return v.post('/track', { _csrf: formField(form.text, '/track', '_csrf'), reference, secret });
}

describe('tracking (PORT-2)', () => {
  it('opens the case with the reference and the secret, typed loosely', async () => {
    const { reference, secret } = await newComplaint();
    const v = visitor();
    const res = await track(v, ` ${reference.toLowerCase().replace('-', '')} `, secret.toLowerCase().replaceAll('-', ' '));
    expect(res.status).toBe(303);
    expect(res.location).toBe('/case');
    const page = await v.follow(res);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Your complaint \u2066${reference}\u2069`);
    expect(page.text).toMatch(/<li class="stage current" aria-current="step">[^]*?Received[^]*?\(current stage\)/);
    expect(page.text).toContain('Step 1 of 6: Received.');
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('opens the case with the private link, which does not stay in the address bar', async () => {
    const { reference, link } = await newComplaint();
    const v = visitor();
    const res = await v.get(link);
    expect(res.status).toBe(303);
    expect(res.location).toBe('/case');
    expect((await v.follow(res)).text).toContain(reference);
  });

  it('gives the same answer for a wrong reference and a wrong secret', async () => {
    const { reference, secret } = await newComplaint();
    const other = await newComplaint();
    const v = visitor();
    let unknown = generateReference();
    while (unknown === reference) unknown = generateReference();
    const wrongReference = await track(v, unknown, secret);
    const wrongSecret = await track(v, reference, other.secret);
    const malformed = await track(v, 'NOT-A-REF', secret);
    const strip = (html: string) => html.replace(/id="f-reference" name="reference" type="text" value="[^"]*"/, 'REF');
    expect(wrongReference.status).toBe(400);
    expect(wrongSecret.status).toBe(400);
    expect(malformed.status).toBe(400);
    expect(strip(wrongSecret.text)).toBe(strip(wrongReference.text));
    expect(strip(malformed.text)).toBe(strip(wrongReference.text));
    expect(wrongSecret.text).toContain('We could not find a complaint with this reference and secret.');
    expect(wrongSecret.text).not.toContain(other.secret); // a secret is never echoed
  });

  it('limits attempts per reference, even from many addresses, and per address', async () => {
    const { reference, secret } = await newComplaint();
    for (let i = 0; i < 5; i++) expect((await track(visitor(), reference, 'WRONG-SECRET')).status).toBe(400);
    const blocked = await track(visitor(), reference, secret);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(blocked.text).toContain('Too many attempts');

    const v = visitor();
    for (let i = 0; i < 12; i++) expect((await track(v, generateReference(), 'WRONG')).status).toBe(400);
    const fresh = await newComplaint();
    expect((await track(v, fresh.reference, fresh.secret)).status).toBe(429);
    expect((await track(visitor(), fresh.reference, fresh.secret)).status).toBe(303);
  });

  it('refuses a look-up without its CSRF token', async () => {
    const { reference, secret } = await newComplaint();
    const v = visitor();
    await v.get('/track');
    const res = await v.post('/track', { reference, secret });
    expect(res.status).toBe(403);
    expect(v.cookies.has('redress_portal')).toBe(false);
  });

  it('sends a visitor without a session back to /track, and lets one leave', async () => {
    const v = visitor();
    const res = await v.get('/case');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/track');
    expect((await v.follow(res)).text).toContain('please enter your reference and secret again');
    const { link } = await newComplaint();
    const w = visitor();
    const page = await w.follow(await w.get(link));
    const out = await w.post('/case/signout', { _csrf: formField(page.text, '/case/signout', '_csrf') });
    expect(out.location).toBe('/track');
    expect((await w.get('/case')).status).toBe(303);
  });

  it('revokes the link, the secret and open sessions, and sends new ones through the outbox', async () => {
    const { reference, secret, link } = await newComplaint();
    const v = visitor();
    await v.follow(await v.get(link));
    const handler = await buildStaff(t.database.db, 'handler');
    const denied = await api(t.url, handler, 'POST', `/api/complaints/${reference}/portal-access`);
    expect(denied.status).toBe(404); // not in the handler's team
    const res = await api(t.url, intake, 'POST', `/api/complaints/${reference}/portal-access`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ reference, revoked: 2, reissued: true });
    expect((await v.get('/case')).status).toBe(303);
    const old = await visitor().get(link);
    expect(old.status).toBe(404);
    expect(old.text).toContain('This link does not work');
    expect((await track(visitor(), reference, secret)).status).toBe(400);
    const mails = await t.database.db.selectFrom('outbox').select('payload').where('topic', '=', 'complainant.portal_link').execute();
    const reissued = mails.map((m) => m.payload as Record<string, string>).find((p) => p.reference === reference && p.reason === 'reissued');
    expect(reissued?.trackingPath).toMatch(/^\/t\//);
    expect((await visitor().get(reissued!.trackingPath!)).status).toBe(303);
    expect((await track(visitor(), reference, reissued!.secret!)).status).toBe(303);
  });
});
