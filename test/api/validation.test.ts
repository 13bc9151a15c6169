import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_ALPHABET } from '../../src/complaints/reference.ts';
import { startTestApp, type TestApp, type TestResponse } from '../helpers/app.ts';
import { buildStaff, complaintInput, type StaffUser } from '../helpers/factories.ts';

/* Bad input on every field (INT-8, API-1): a 400 problem document naming the field, never a 500. */

let t: TestApp;
let manager: StaffUser;

beforeAll(async () => {
  t = await startTestApp();
  manager = await buildStaff(t.database.db, 'manager', ['payments']);
});
afterAll(() => t.close());

interface FieldError {
  field: string;
  code: string;
  message: string;
}

function expectValidationProblem(res: TestResponse, ...fields: string[]) {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body.code).toBe('validation_failed');
  expect(res.body.status).toBe(400);
  expect(Array.isArray(res.body.errors)).toBe(true);
  const named = (res.body.errors as FieldError[]).map((e) => e.field);
  for (const field of fields) expect(named, JSON.stringify(res.body.errors)).toContain(field);
  for (const e of res.body.errors as FieldError[]) {
    expect(typeof e.message).toBe('string');
    expect(e.message.length).toBeGreaterThan(0);
  }
}

const today = () => new Date().toISOString().slice(0, 10);
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000);
const create = (body: unknown, headers?: Record<string, string>) => t.call(manager, 'POST', '/api/complaints', body, headers);

/** A valid request with one field replaced (or removed, with `undefined`), at a dotted path. */
function withField(path: string, value: unknown): Record<string, unknown> {
  const body = structuredClone(complaintInput({ category: 'payments.fraud' })) as Record<string, any>;
  const parts = path.split('.');
  let target = body;
  for (const p of parts.slice(0, -1)) target = (target[p] ??= {});
  const last = parts.at(-1)!;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return body;
}

const representative = { name: 'Sam Carer', relationship: 'daughter', authorityEvidence: 'Signed letter of authority' };

describe('POST /api/complaints: every field', () => {
  // [field named in the errors, path in the body, bad value]
  const cases: Array<[string, string, unknown]> = [
    ['type', 'type', undefined],
    ['type', 'type', 'grievance'],
    ['type', 'type', 42],
    ['channel', 'channel', undefined],
    ['channel', 'channel', 'carrier-pigeon'],
    ['description', 'description', undefined],
    ['description', 'description', ''],
    ['description', 'description', '    '],
    ['description', 'description', 'x'.repeat(20_001)],
    ['description', 'description', ['a list']],
    ['language', 'language', 'de'],
    ['receivedAt', 'receivedAt', 'yesterday'],
    ['receivedAt', 'receivedAt', '2024-01-15'],
    ['receivedAt', 'receivedAt', '2024-01-15T10:00:00'], // no offset
    ['receivedAt', 'receivedAt', inDays(2).toISOString()], // in the future
    ['occurredOn', 'occurredOn', '2024-13-01'],
    ['occurredOn', 'occurredOn', '15/01/2024'],
    ['occurredOn', 'occurredOn', inDays(3).toISOString().slice(0, 10)], // in the future
    ['awareOn', 'awareOn', '2024-02-30'],
    ['awareOn', 'awareOn', inDays(3).toISOString().slice(0, 10)],
    ['product', 'product', ''],
    ['product', 'product', 'p'.repeat(101)],
    ['category', 'category', ''],
    ['category', 'category', 7],
    ['location', 'location', ''],
    ['location', 'location', 'l'.repeat(201)],
    ['desiredRemedy', 'desiredRemedy', 'r'.repeat(5001)],
    ['desiredRemedy', 'desiredRemedy', '  '],
    ['severity', 'severity', 'urgent'],
    ['complainant', 'complainant', undefined],
    ['complainant', 'complainant', 'Alex'],
    ['complainant.name', 'complainant.name', undefined],
    ['complainant.name', 'complainant.name', ''],
    ['complainant.name', 'complainant.name', 'n'.repeat(201)],
    ['complainant.email', 'complainant.email', 'not-an-email'],
    ['complainant.email', 'complainant.email', undefined], // no way to reach them at all
    ['complainant.phone', 'complainant.phone', 'call me'],
    ['complainant.preferredLanguage', 'complainant.preferredLanguage', 'klingon'],
    ['complainant.preferredChannel', 'complainant.preferredChannel', 'pigeon'],
    ['complainant.postalAddress', 'complainant.postalAddress', ''],
    ['complainant.anonymous', 'complainant.anonymous', 'yes'],
    ['representative', 'representative', 'my daughter'],
    ['representative.name', 'representative', { ...representative, name: undefined }],
    ['representative.relationship', 'representative', { ...representative, relationship: '' }],
    ['representative.authorityEvidence', 'representative', { ...representative, authorityEvidence: undefined }],
    ['representative.email', 'representative', { ...representative, email: 'nope' }],
    ['representative.phone', 'representative', { ...representative, phone: 'abc' }],
    ['subjectUserId', 'subjectUserId', 'not-a-uuid'],
    ['sourceKey', 'sourceKey', ''],
    ['sourceKey', 'sourceKey', 's'.repeat(201)],
  ];

  it.each(cases)('%s: %s = %j → 400 naming the field', async (field, path, value) => {
    const res = await create(withField(path, value));
    expectValidationProblem(res, field);
  });

  it('awareOn before occurredOn is refused on awareOn', async () => {
    const res = await create({ ...withField('occurredOn', '2024-03-10'), awareOn: '2024-03-01' });
    expectValidationProblem(res, 'awareOn');
  });

  it('the minimal request is valid: type, channel, description, complainant name and e-mail', async () => {
    const res = await create({ type: 'suggestion', channel: 'web', description: 'Open on Saturdays.', complainant: { name: 'A', email: 'a@example.com' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it('an anonymous complaint needs neither name nor contact; a phone number or a postal address is contact enough', async () => {
    expect((await create(withField('complainant', { anonymous: true }))).status).toBe(201);
    expect((await create(withField('complainant', { name: 'B', phone: '+44 20 7946 0000' }))).status).toBe(201);
    expect((await create(withField('complainant', { name: 'C', postalAddress: '1 High Street, Leeds' }))).status).toBe(201);
    expect((await create({ ...withField('receivedAt', '2024-01-15T10:00:00+01:00'), occurredOn: '2024-01-10', awareOn: today() })).status).toBe(201);
  });

  it('an unknown category, product or staff member → 400 naming each field', async () => {
    const res = await create({ ...withField('category', 'fees.nonexistent'), product: 'spaceship', subjectUserId: randomUUID() });
    expectValidationProblem(res, 'category', 'product', 'subjectUserId');
    expect((res.body.errors as FieldError[]).find((e) => e.field === 'category')!.code).toBe('unknown_category');
  });

  it('several bad fields are reported together', async () => {
    const res = await create({
      type: 'grievance',
      channel: 'carrier-pigeon',
      description: '',
      severity: 'urgent',
      occurredOn: 'yesterday',
      complainant: { name: 'X', email: 'bad', phone: 'bad' },
    });
    expectValidationProblem(res, 'type', 'channel', 'description', 'severity', 'occurredOn', 'complainant.email', 'complainant.phone');
  });

  it('a body that is not an object, or empty, is a 400 problem', async () => {
    for (const body of [[], 'text', 42, null]) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});

describe('actions: bad input', () => {
  let ref: string;
  beforeAll(async () => {
    const res = await create(complaintInput({ category: 'payments.fraud' }));
    ref = res.body.reference;
  });
  const act = (action: string, body: unknown) => t.call(manager, 'POST', `/api/complaints/${ref}/${action}`, body);

  const cases: Array<[string, unknown, string[]]> = [
    ['assess', { impact: 'huge', urgency: 'low' }, ['impact']],
    ['assess', { impact: 'high' }, ['urgency']],
    ['assess', { urgency: 'high' }, ['impact']],
    ['assess', { inScope: false }, ['scopeReason']],
    ['assess', { severity: 'meh', complexity: 'trivial', immediateAction: 'yes' }, ['severity', 'complexity', 'immediateAction']],
    ['assign', {}, ['ownerId']],
    ['assign', { ownerId: 'bob' }, ['ownerId']],
    ['add-note', { body: '' }, ['body']],
    ['add-note', {}, ['body']],
    ['add-task', { title: 'x', dueAt: 'tomorrow' }, ['dueAt']],
    ['add-task', { title: 'x', ownerId: 'me' }, ['ownerId']],
    ['complete-task', { taskId: 'first' }, ['taskId']],
    ['request-information', { message: ' ' }, ['message']],
    ['link', { other: '' }, ['other']],
    ['merge', {}, ['into']],
    ['draft-response', { outcome: 'maybe', reasons: '' }, ['outcome', 'reasons']],
    ['draft-response', { outcome: 'upheld', reasons: 'x', remedies: [{ key: 'refund', amount: -5 }] }, ['remedies.0.amount']],
    ['draft-response', { outcome: 'upheld', reasons: 'x', remedies: 'refund' }, ['remedies']],
    ['escalate', { level: 'galaxy' }, ['level', 'reason']],
    ['reopen', {}, ['reason']],
    ['close', { reason: 'bored' }, ['reason']],
    ['send-response', { channel: 'carrier-pigeon' }, ['channel']],
    ['add-attachment', { filename: '', contentBase64: '' }, ['filename', 'contentBase64']],
  ];

  it.each(cases)('%s %j → 400 naming %j', async (action, body, fields) => {
    const res = await act(action, body);
    expectValidationProblem(res, ...fields);
  });

  it('the complaint was not changed by any of them', async () => {
    const res = await t.call(manager, 'GET', `/api/complaints/${ref}`);
    expect(res.body.version).toBe(1);
    expect(res.body.state).toBe('received');
  });
});

describe('malformed requests', () => {
  const raw = (path: string, body: string | Buffer, contentType: string, headers: Record<string, string> = {}) =>
    fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { cookie: `redress_session=${manager.token}`, 'content-type': contentType, ...headers },
      body,
    });

  it('malformed JSON → 400 malformed_json', async () => {
    for (const body of ['{"type": "complaint",', '{type: complaint}', "{'a': 1}"]) {
      const res = await raw('/api/complaints', body, 'application/json');
      expect(res.status, body).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(((await res.json()) as { code: string }).code).toBe('malformed_json');
    }
  });

  it('a wrong content type → 415 or 400, never 500', async () => {
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'image/png']) {
      const res = await raw('/api/complaints', 'type=complaint&channel=web', type);
      expect([400, 415], type).toContain(res.status);
      expect(res.headers.get('content-type'), type).toContain('application/problem+json');
    }
  });

  it('a body over the limit → 413', async () => {
    const big = JSON.stringify({ ...complaintInput(), description: 'x'.repeat(1_100_000) });
    const res = await raw('/api/complaints', big, 'application/json');
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as { code: string }).code).toBe('payload_too_large');
  });

  it('an unknown route → 404 problem', async () => {
    for (const [method, path] of [
      ['GET', '/api/nothing-here'],
      ['POST', '/api/complaints/7K4M-9QX2/fly-to-the-moon'],
      ['DELETE', '/api/complaints'],
    ] as const) {
      const res = await t.call(manager, method, path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('not_found');
    }
  });
});

describe('localised problems (I18N-1)', () => {
  const bad = () => withField('type', 'grievance');

  it('Accept-Language: ar localises the title and zod’s messages', async () => {
    const en = await create(bad());
    const ar = await create(bad(), { 'accept-language': 'ar' });
    expectValidationProblem(ar, 'type');
    expect(ar.body.title).toBe('بعض الحقول مفقودة أو غير صالحة');
    const message = (ar.body.errors as FieldError[]).find((e) => e.field === 'type')!.message;
    expect(message).toMatch(/\p{Script=Arabic}/u);
    expect(message).not.toBe((en.body.errors as FieldError[]).find((e) => e.field === 'type')!.message);
  });

  it('?lang=pl wins, and localises too', async () => {
    const res = await t.call(manager, 'POST', '/api/complaints?lang=pl', bad(), { 'accept-language': 'ar' });
    expectValidationProblem(res, 'type');
    expect(res.body.title).toBe('Niektóre pola są puste lub nieprawidłowe');
    const message = (res.body.errors as FieldError[]).find((e) => e.field === 'type')!.message;
    expect(message).not.toMatch(/\p{Script=Arabic}/u);
    expect(message).toMatch(/nieprawidł|Nieprawidł|oczekiwano|Oczekiwano/u);
  });

  it('Accept-Language with weights and regions picks the best supported language', async () => {
    const res = await create(bad(), { 'accept-language': 'de-CH, fa-IR;q=0.8, en;q=0.5' });
    expect(res.body.title).toBe('برخی از فیلدها خالی یا نامعتبر هستند');
  });

  it('other problems are localised too (not found)', async () => {
    const res = await t.call(manager, 'GET', '/api/complaints/0000-0000', undefined, { 'accept-language': 'zh-CN' });
    expect(res.status).toBe(404);
    expect(res.body.title).toBe('未找到');
  });
});

describe('references as typed by a person (INT-3)', () => {
  let refs: string[];
  beforeAll(async () => {
    refs = [];
    for (let i = 0; i < 3; i++) refs.push((await create(complaintInput({ category: 'payments.fraud' }))).body.reference);
  });

  it('a real reference is found however it is typed (lower case, no dash, spaces)', async () => {
    const ref = refs[0]!;
    for (const typed of [ref, ref.toLowerCase(), ref.replace('-', ''), ` ${ref.slice(0, 4)} ${ref.slice(5)} `]) {
      const res = await t.call(manager, 'GET', `/api/complaints/${encodeURIComponent(typed)}`);
      expect(res.status, typed).toBe(200);
      expect(res.body.reference).toBe(ref);
    }
  });

  it('every single-character typo → 404 reference_check_failed, never another complaint', async () => {
    const ref = refs[0]!;
    const symbols = ref.replace('-', '');
    let tried = 0;
    for (let i = 0; i < symbols.length; i++) {
      for (const c of REFERENCE_ALPHABET) {
        if (c === symbols[i]) continue;
        const typo = `${symbols.slice(0, i)}${c}${symbols.slice(i + 1)}`;
        const display = `${typo.slice(0, 4)}-${typo.slice(4)}`;
        const res = await t.call(manager, 'GET', `/api/complaints/${display}`);
        expect(res.status, display).toBe(404);
        expect(res.body.code, display).toBe('reference_check_failed');
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        tried++;
      }
    }
    expect(tried).toBe(8 * 31);
  });

  it('adjacent transpositions are caught too, also on actions', async () => {
    const ref = refs[1]!;
    const s = ref.replace('-', '');
    for (let i = 0; i + 1 < s.length; i++) {
      if (s[i] === s[i + 1]) continue;
      const swapped = `${s.slice(0, i)}${s[i + 1]}${s[i]}${s.slice(i + 2)}`;
      const res = await t.call(manager, 'POST', `/api/complaints/${swapped}/add-note`, { body: 'x' });
      expect(res.status, swapped).toBe(404);
      expect(res.body.code).toBe('reference_check_failed');
    }
    expect((await t.call(manager, 'GET', `/api/complaints/${ref}`)).body.version).toBe(1);
  });

  it('a malformed reference → 404 reference_malformed', async () => {
    for (const bad of ['ABC', 'UUUU-UUUU', '123456789', '7K4M-9QX', '!!!!-!!!!']) {
      const res = await t.call(manager, 'GET', `/api/complaints/${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(404);
      expect(res.body.code, bad).toBe('reference_malformed');
    }
    const action = await t.call(manager, 'POST', '/api/complaints/nope/acknowledge', {});
    expect(action.status).toBe(404);
    expect(action.body.code).toBe('reference_malformed');
  });

  it('a well-formed reference of no complaint → 404 not_found', async () => {
    const res = await t.call(manager, 'GET', '/api/complaints/0000-0000');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });
});

describe('optimistic concurrency (If-Match)', () => {
  it('a stale version → 409 version_conflict; the current one → 200; nonsense → 400', async () => {
    const created = await create(complaintInput({ category: 'payments.fraud' }));
    const ref = created.body.reference;
    expect(created.headers.get('etag')).toBe('"1"');
    const first = await t.call(manager, 'POST', `/api/complaints/${ref}/add-note`, { body: 'first' }, { 'if-match': '"1"' });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"2"');
    const stale = await t.call(manager, 'POST', `/api/complaints/${ref}/add-note`, { body: 'stale' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(409);
    expect(stale.headers.get('content-type')).toContain('application/problem+json');
    expect(stale.body.code).toBe('version_conflict');
    expect(stale.body.currentVersion).toBe(2);
    const current = await t.call(manager, 'POST', `/api/complaints/${ref}/add-note`, { body: 'current' }, { 'if-match': 'W/"2"' });
    expect(current.status).toBe(200);
    const nonsense = await t.call(manager, 'POST', `/api/complaints/${ref}/add-note`, { body: 'x' }, { 'if-match': '"abc"' });
    expect(nonsense.status).toBe(400);
    expect(nonsense.body.code).toBe('invalid_if_match');
    const full = await t.call(manager, 'GET', `/api/complaints/${ref}`);
    expect(full.body.notes.map((n: { body: string }) => n.body)).toEqual(['first', 'current']);
  });
});

describe('idempotency: sourceKey and Idempotency-Key', () => {
  it('the same sourceKey twice creates one complaint; the second answer is 200 with the same reference', async () => {
    const body = complaintInput({ sourceKey: `crm-${randomUUID()}` });
    const first = await create(body);
    const second = await create(body);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.reference).toBe(first.body.reference);
    const rows = await t.database.db.selectFrom('complaints').select('id').where('source_key', '=', body.sourceKey!).execute();
    expect(rows).toHaveLength(1);
  });

  it('the same Idempotency-Key header twice creates one complaint', async () => {
    const key = randomUUID();
    const first = await create(complaintInput(), { 'idempotency-key': key });
    const second = await create(complaintInput(), { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.reference).toBe(first.body.reference);
    const other = await create(complaintInput(), { 'idempotency-key': randomUUID() });
    expect(other.status).toBe(201);
    expect(other.body.reference).not.toBe(first.body.reference);
  });

  it('the same key sent concurrently still creates one complaint', async () => {
    const body = complaintInput({ sourceKey: `race-${randomUUID()}` });
    const results = await Promise.all(Array.from({ length: 6 }, () => create(body)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.reference)).size).toBe(1);
  });

  it('an Idempotency-Key over 200 characters → 400', async () => {
    const res = await create(complaintInput(), { 'idempotency-key': 'k'.repeat(201) });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
