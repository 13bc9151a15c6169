import { buildApp } from '../../src/server/app.ts';
import type { PortalOptions } from '../../src/portal/context.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import type { FastifyInstance } from 'fastify';

export interface PortalApp {
  url: string;
  app: FastifyInstance;
  database: TestDatabase;
  close(): Promise<void>;
}

/** A real HTTP server with the portal, on this test file's own database. */
export async function startPortalApp(portal: PortalOptions = {}): Promise<PortalApp> {
  const database = await createTestDatabase();
  const app = await buildApp({ db: database.db, logLevel: 'silent', portal: { timeZone: 'Europe/London', ...portal } });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    app,
    database,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

export interface Page {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

/** A visitor: keeps cookies like a browser, never follows redirects by itself. */
export class Visitor {
  readonly cookies = new Map<string, string>();
  constructor(
    readonly base: string,
    readonly headers: Record<string, string> = {},
  ) {}

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim()) || (/^expires=/i.test(a.trim()) && Date.parse(a.trim().slice(8)) < Date.now()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  }

  async request(method: string, path: string, body?: URLSearchParams | FormData, headers: Record<string, string> = {}): Promise<Page> {
    const res = await fetch(new URL(path, this.base), { method, body: body ?? null, redirect: 'manual', headers: { ...this.headers, ...this.cookieHeader(), ...headers } });
    this.remember(res);
    return { status: res.status, headers: res.headers, text: await res.text(), location: res.headers.get('location') };
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request('GET', path, undefined, headers);
  }

  /** Posts a form, urlencoded (fields only) or multipart (when it has files). */
  post(path: string, fields: Record<string, string | string[]>, files: Array<{ name: string; filename: string; content: Uint8Array | string; type?: string }> = [], headers: Record<string, string> = {}) {
    if (files.length === 0) {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) for (const value of Array.isArray(v) ? v : [v]) body.append(k, value);
      return this.request('POST', path, body, { 'content-type': 'application/x-www-form-urlencoded', ...headers });
    }
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) for (const value of Array.isArray(v) ? v : [v]) body.append(k, value);
    for (const f of files) body.append(f.name, new Blob([f.content], { type: f.type ?? 'application/octet-stream' }), f.filename);
    return this.request('POST', path, body, headers);
  }

  /** Follows one redirect, if there is one. */
  async follow(page: Page): Promise<Page> {
    return page.location ? this.get(page.location) : page;
  }
}

const decode = (s: string) => s.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

/** The value of a hidden field of the form posting to `action` (the first form when several match). */
export function formField(html: string, action: string, name: string): string {
  const form = html.match(new RegExp(`<form[^>]*action="${action.replace(/[/]/g, '\\/')}"[\\s\\S]*?</form>`))?.[0];
  if (!form) throw new Error(`no form posting to ${action}`);
  const value = form.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1];
  if (value === undefined) throw new Error(`no field ${name} in the form posting to ${action}`);
  return decode(value);
}

/** What the confirmation page shows: the reference, the secret and the private link. */
export function credentialsOn(html: string) {
  const reference = html.match(/<p class="reference" dir="ltr">([^<]+)<\/p>/)?.[1];
  const secret = html.match(/<dd dir="ltr" class="code">([0-9A-Z]{4}(?:-[0-9A-Z]{4}){6})<\/dd>/)?.[1];
  const link = html.match(/href="(\/t\/[A-Za-z0-9_-]+)"/)?.[1];
  if (!reference || !secret || !link) throw new Error('no credentials on the page');
  return { reference, secret, link };
}

/** A complete valid submission (all the fields a person fills in). */
export function submission(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    type: 'complaint',
    description: 'My card was charged twice for the same purchase on 3 March.',
    occurredOn: '2026-03-03',
    product: 'debit-card',
    location: 'Online shop',
    desiredRemedy: 'Refund the second charge.',
    name: 'Ada Lovelace',
    email: `ada-${Math.random().toString(36).slice(2, 8)}@example.com`,
    phone: '',
    postalAddress: '',
    preferredLanguage: 'en',
    preferredChannel: 'email',
    consent: 'yes',
    ...overrides,
  };
}

/** Opens /submit and sends the form; returns the response to the POST (usually a 303 to /submit/done). */
export async function submitForm(v: Visitor, fields: Record<string, string | string[]> = submission(), files: Parameters<Visitor['post']>[2] = []) {
  const form = await v.get('/submit');
  const csrf = formField(form.text, '/submit', '_csrf');
  const submissionId = formField(form.text, '/submit', 'submissionId');
  const res = await v.post('/submit', { _csrf: csrf, submissionId, ...fields }, files);
  return { form, res, submissionId, csrf };
}

export const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89]);

/** Calls the JSON API as a staff user (session cookie). */
export async function api(base: string, who: { token: string }, method: string, path: string, body?: unknown) {
  const res = await fetch(new URL(path, base), {
    method,
    headers: { cookie: `redress_session=${who.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Staff move a complaint through the lifecycle (each step must succeed). */
export async function staffSteps(base: string, who: { token: string; id: string }, reference: string, steps: Array<[string, Record<string, unknown>?]>) {
  let last: any = null;
  for (const [action, body] of steps) {
    const res = await api(base, who, 'POST', `/api/complaints/${reference}/${action}`, body ?? {});
    if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
    last = res.body;
  }
  return last;
}

/** From received to a response sent to the complainant, by one manager (upheld: no second approver needed). */
export const toResponseSent = (managerId: string): Array<[string, Record<string, unknown>?]> => [
  ['acknowledge', {}],
  ['assess', { category: 'payments.fraud' }],
  ['assign', { ownerId: managerId, attestNoConflict: true }],
  ['draft-response', { outcome: 'upheld', reasons: 'We charged you twice by mistake.', remedies: [{ key: 'refund', amount: 42.5 }], message: 'We are sorry: we refund the second charge of £42.50.' }],
  ['send-response', {}],
];
