import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { languages } from '../../src/shared/vocabulary.ts';
import { buildStaff } from '../helpers/factories.ts';
import { Writable } from 'node:stream';
import { buildApp } from '../../src/server/app.ts';
import { credentialsOn, formField, startPortalApp, submission, submitForm, Visitor, type PortalApp } from './helpers.ts';

let t: PortalApp;
beforeAll(async () => {
  t = await startPortalApp();
});
afterAll(() => t.close());

const pages = ['/', '/policy', '/process', '/commitments', '/escalation', '/submit', '/track'];

describe('public pages (PORT-5) in every language (I18N-1)', () => {
  it.each(languages)('%s: every page answers 200 with lang, dir and the switcher', async (lang) => {
    const v = new Visitor(t.url);
    for (const path of pages) {
      const res = await v.get(`${path}?lang=${lang}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.text).toContain(`<html lang="${lang}" dir="${lang === 'ar' || lang === 'fa' ? 'rtl' : 'ltr'}">`);
      for (const other of languages) expect(res.text).toContain(`hreflang="${other}"`);
      expect(res.text).not.toMatch(/[a-z]+\.[a-z_]+\.[a-z_]+<\/|>\s*(nav|submit|track|case|errors)\.[a-z_.]+\s*</); // no raw message keys
    }
  });

  it('remembers the language chosen with ?lang= in a cookie, over Accept-Language', async () => {
    const v = new Visitor(t.url, { 'accept-language': 'nl-NL,nl;q=0.9' });
    expect((await v.get('/')).text).toContain('<html lang="nl"');
    await v.get('/?lang=fa');
    expect(v.cookies.get('redress_lang')).toBe('fa');
    expect((await v.get('/policy')).text).toContain('<html lang="fa" dir="rtl">');
  });

  it('picks the language from Accept-Language', async () => {
    const v = new Visitor(t.url, { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' });
    const res = await v.get('/');
    expect(res.text).toContain('<html lang="zh"');
    expect(res.text).toContain('投诉');
  });

  it('draws the process as an ordered list with a text for every step', async () => {
    const res = await new Visitor(t.url).get('/process?lang=en');
    expect(res.text).toMatch(/<ol class="stage-list explained">/);
    expect(res.text.match(/class="stage todo"/g)).toHaveLength(6);
    expect(res.text).toContain('Preparing our answer');
  });

  it('sends a strict Content-Security-Policy and no inline script or style', async () => {
    const res = await new Visitor(t.url).get('/submit', { 'accept-encoding': 'gzip' });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.text).not.toMatch(/\sstyle=|\son[a-z]+=/);
    // nothing from another origin
    expect(res.text).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('serves its JavaScript as a file, gzip under the 80 KB budget, cached by content hash', async () => {
    const v = new Visitor(t.url);
    const html = (await v.get('/submit')).text;
    const src = html.match(/<script src="([^"]+)"/)?.[1];
    expect(src).toMatch(/^\/portal\/assets\/portal\.js\?v=[0-9a-f]{12}$/);
    const res = await v.get(src!, { 'accept-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('immutable');
  });

  it('answers an unknown page with an HTML 404 in the language, and the API with a problem document', async () => {
    const html = await new Visitor(t.url).get('/no-such-page?lang=pl');
    expect(html.status).toBe(404);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.text).toContain('Nie znaleziono strony');
    const api = await new Visitor(t.url).get('/api/no-such-thing');
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  it('lets an administrator edit a page through the API, renders it inert, and records it', async () => {
    const admin = await buildStaff(t.database.db, 'admin');
    const handler = await buildStaff(t.database.db, 'handler');
    const put = (who: { token: string }, body: unknown) =>
      fetch(`${t.url}/api/portal/pages/policy/en`, { method: 'PUT', headers: { cookie: `redress_session=${who.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put(handler, { title: 'x', body: 'y' })).status).toBe(403);
    const res = await put(admin, { title: 'Our policy <b>', body: '## Fair\n- We listen <script>alert(1)</script>\n\n[evil](javascript:alert(1)) and [ok](/track)' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { version: number }).version).toBe(2);
    const page = await new Visitor(t.url).get('/policy?lang=en');
    expect(page.text).toContain('Our policy &lt;b&gt;');
    expect(page.text).toContain('<h2>Fair</h2>');
    expect(page.text).toContain('We listen &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain('href="javascript:');
    expect(page.text).toContain('<a href="/track">ok</a>');
    // the other languages keep their own text
    expect((await new Visitor(t.url).get('/policy?lang=nl')).text).toContain('Ons klachtenbeleid');
    const list = await fetch(`${t.url}/api/portal/pages`, { headers: { cookie: `redress_session=${admin.token}` } });
    expect(((await list.json()) as { items: unknown[] }).items).toHaveLength(7 * 6);
    const events = await t.database.db.selectFrom('audit_events').select('action').where('action', '=', 'portal_page_updated').execute();
    expect(events).toHaveLength(1);
  });

  it('answers bad requests with an HTML page, never a 500: wrong media type, oversized body, broken multipart', async () => {
    const v = new Visitor(t.url);
    const csrf = formField((await v.get('/track')).text, '/track', '_csrf');
    const text = await v.request('POST', '/track', new URLSearchParams({ _csrf: csrf }), { 'content-type': 'text/plain' });
    expect(text.status).toBe(403); // not a form: no CSRF token in it
    const json = await v.request('POST', '/track', new URLSearchParams({ _csrf: csrf }), { 'content-type': 'application/xml' });
    expect(json.status).toBe(415);
    expect(json.headers.get('content-type')).toMatch(/^text\/html/);
    expect(text.headers.get('content-type')).toMatch(/^text\/html/);
    const huge = await v.request('POST', '/track', new URLSearchParams({ _csrf: csrf, reference: 'x'.repeat(2 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    expect(huge.text).toContain('What you sent is too large');
    const broken = await v.request('POST', '/submit', new URLSearchParams({ a: 'b' }), { 'content-type': 'multipart/form-data; boundary=xyz' });
    expect(broken.status).toBeGreaterThanOrEqual(400);
    expect(broken.status).toBeLessThan(500);
    expect(broken.headers.get('content-type')).toMatch(/^text\/html/);
  });
});

describe('logs (PRIV-5)', () => {
  it('never hold a tracking token, a secret or what the complainant wrote', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const app = await buildApp({ db: t.database.db, logLevel: 'trace', logStream: stream });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const v = new Visitor(url);
      const fields = submission({ description: 'Quixotic overcharge at Zebulon branch', name: 'Zebulon Quixote' });
      const { res } = await submitForm(v, fields);
      const { secret, link } = credentialsOn((await v.follow(res)).text);
      await v.get(link);
      const csrf = formField((await v.get('/track')).text, '/track', '_csrf');
      await v.post('/track', { _csrf: csrf, reference: '7K4M-9QX2', secret });
    } finally {
      await app.close();
    }
    const log = lines.join('');
    expect(log).toContain('/t/…');
    const token = lines.join('').match(/\/t\/[A-Za-z0-9_-]{20,}/);
    expect(token).toBeNull();
    for (const secret of ['Quixotic', 'Zebulon', '@example.com']) expect(log).not.toContain(secret);
  });
});

