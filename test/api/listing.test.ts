import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buildStaff, complaintInput, type StaffUser } from '../helpers/factories.ts';
import type { CreateComplaintInput } from '../../src/complaints/schemas.ts';

/* GET /api/complaints (WORK-1, API-1): filters, sorting, cursor pagination and full-text search in every script. */

interface Item {
  id: string;
  reference: string;
  state: string;
  type: string;
  channel: string;
  receivedAt: string;
  ownerId: string | null;
  team: { key: string } | null;
  category: { key: string } | null;
}

let t: TestApp;
let manager: StaffUser;
let handler: StaffUser;
let subject: StaffUser;

/** Complaints by a name given in this file. */
const refs = new Map<string, string>();

const BASE = Date.parse('2025-03-01T09:00:00Z');
const at = (minutes: number) => new Date(BASE + minutes * 60_000).toISOString();

async function add(name: string, overrides: Partial<CreateComplaintInput>): Promise<string> {
  const res = await t.call(manager, 'POST', '/api/complaints', complaintInput(overrides));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  refs.set(name, res.body.reference);
  return res.body.reference;
}
const act = async (ref: string, action: string, body: unknown = {}) => {
  const res = await t.call(manager, 'POST', `/api/complaints/${ref}/${action}`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
};

async function list(query: string, as: StaffUser = manager): Promise<{ items: Item[]; nextCursor: string | null }> {
  const res = await t.call(as, 'GET', `/api/complaints${query ? `?${query}` : ''}`);
  expect(res.status, `${query}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
}
/** Every item of a query, page after page. */
async function all(query: string, as: StaffUser = manager, limit = 7): Promise<Item[]> {
  const out: Item[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const q: string = `${query}${query ? '&' : ''}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await list(q, as);
    expect(res.items.length).toBeLessThanOrEqual(limit);
    out.push(...res.items);
    cursor = res.nextCursor;
    if (!cursor) return out;
  }
  throw new Error('pagination does not end');
}
const refsOf = (items: Item[]) => items.map((i) => i.reference).sort();
const named = (...names: string[]) => names.map((n) => refs.get(n)!).sort();

const texts = {
  en: 'My credit card was charged twice for the same purchase at the supermarket.',
  pl: 'Reklamacja dotycząca opłaty za kartę kredytową pobranej dwukrotnie w Łodzi.',
  ar: 'تم خصم الرسوم من حسابي مرتين دون إذن مني.',
  fa: 'کارت بانکی من دو بار شارژ شد و هیچ پاسخی دریافت نکردم.',
  zh: '我的信用卡被重复扣费了，银行一直没有回复我。',
  nl: 'De bank heeft twee keer kosten in rekening gebracht voor mijn spaarrekening.',
  unrelated: 'The mortgage valuation report arrived late and the surveyor never called back.',
};

beforeAll(async () => {
  t = await startTestApp();
  const db = t.database.db;
  manager = await buildStaff(db, 'manager', ['payments']);
  handler = await buildStaff(db, 'handler', ['payments']);
  subject = await buildStaff(db, 'manager', []);

  // 25 complaints: distinct receipt times (a few deliberately equal, to test the cursor's tie-break)
  const minutes = [0, 10, 20, 30, 30, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200, 210, 220];
  const categories = ['fees', 'fees.overdraft', 'fees.account', 'payments.fraud', 'payments.transfer', 'energy.billing', 'lending.arrears', 'digital.app'];
  const channels = ['phone', 'letter', 'email', 'in_person', 'web'] as const;
  for (let i = 0; i < minutes.length; i++) {
    await add(`c${i}`, {
      receivedAt: at(minutes[i]!),
      category: categories[i % categories.length]!,
      channel: channels[i % channels.length]!,
      type: i % 10 === 9 ? 'suggestion' : 'complaint',
      description: `Routine complaint number ${i} about a fee.`,
    });
  }
  // multilingual complaints for full-text search
  for (const [lang, description] of Object.entries(texts)) {
    await add(`text-${lang}`, { description, receivedAt: at(-1000), category: 'payments.fraud', channel: 'email' });
  }
  // a complaint about a staff member: never listed for them
  await add('about-subject', { subjectUserId: subject.id, receivedAt: at(-2000), category: 'service.staff', description: 'The branch manager was rude.' });

  // states and owners
  await act(refs.get('c3')!, 'acknowledge');
  await act(refs.get('c4')!, 'acknowledge');
  await act(refs.get('c5')!, 'withdraw');
  await act(refs.get('c11')!, 'assess', { impact: 'low', urgency: 'low' });
  await act(refs.get('c11')!, 'assign', { ownerId: manager.id, attestNoConflict: true });
  await act(refs.get('c13')!, 'assign', { ownerId: handler.id }); // an energy complaint, owned by a payments handler
});
afterAll(() => t.close());

describe('filters', () => {
  it('lists everything for a manager, newest first by default', async () => {
    const items = await all('', manager, 50);
    expect(items).toHaveLength(refs.size);
    const times = items.map((i) => Date.parse(i.receivedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('state: one value, and repeated values', async () => {
    expect(refsOf(await all('state=acknowledged'))).toEqual(named('c3', 'c4'));
    expect(refsOf(await all('state=withdrawn'))).toEqual(named('c5'));
    expect(refsOf(await all('state=acknowledged&state=withdrawn&state=under_investigation'))).toEqual(named('c3', 'c4', 'c5', 'c11'));
    const received = await all('state=received', manager, 100);
    expect(received.every((i) => i.state === 'received')).toBe(true);
    expect(received).toHaveLength(refs.size - 4);
  });

  it('an unknown state → 400 problem', async () => {
    const res = await t.call(manager, 'GET', '/api/complaints?state=sleeping');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.code).toBe('validation_failed');
  });

  it('type and channel', async () => {
    expect(refsOf(await all('type=suggestion'))).toEqual(named('c9', 'c19'));
    const letters = await all('channel=letter');
    expect(refsOf(letters)).toEqual(named('c1', 'c6', 'c11', 'c16', 'c21'));
    const emailSuggestions = await all('channel=email&type=complaint');
    expect(emailSuggestions.every((i) => i.channel === 'email' && i.type === 'complaint')).toBe(true);
  });

  it('team, and an unknown team → 400', async () => {
    const energy = await all('team=energy');
    expect(refsOf(energy)).toEqual(named('c5', 'c13', 'c21'));
    expect(energy.every((i) => i.team?.key === 'energy')).toBe(true);
    const res = await t.call(manager, 'GET', '/api/complaints?team=martians');
    expect(res.status).toBe(400);
  });

  it('owner: me, none, and a user id', async () => {
    expect(refsOf(await all('owner=me'))).toEqual(named('c11'));
    expect(refsOf(await all(`owner=${handler.id}`))).toEqual(named('c13'));
    const none = await all('owner=none', manager, 100);
    expect(none).toHaveLength(refs.size - 2);
    expect(none.every((i) => i.ownerId === null)).toBe(true);
    expect(refsOf(await all('owner=me', handler))).toEqual(named('c13'));
  });

  it('category includes its sub-categories', async () => {
    // fees (c0, c8, c16, c24), fees.overdraft (c1, c9, c17), fees.account (c2, c10, c18)
    expect(refsOf(await all('category=fees'))).toEqual(named('c0', 'c8', 'c16', 'c24', 'c1', 'c9', 'c17', 'c2', 'c10', 'c18'));
    expect(refsOf(await all('category=fees.overdraft'))).toEqual(named('c1', 'c9', 'c17'));
    const unknown = await t.call(manager, 'GET', '/api/complaints?category=nothing');
    expect(unknown.status).toBe(400);
  });

  it('receivedFrom (inclusive) and receivedTo (exclusive)', async () => {
    expect(refsOf(await all(`receivedFrom=${encodeURIComponent(at(200))}`))).toEqual(named('c22', 'c23', 'c24'));
    expect(refsOf(await all(`receivedFrom=${encodeURIComponent(at(30))}&receivedTo=${encodeURIComponent(at(50))}`))).toEqual(
      named('c3', 'c4', 'c5', 'c6'),
    );
    const bad = await t.call(manager, 'GET', '/api/complaints?receivedFrom=last-week');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toMatch(/receivedFrom/);
  });

  it('filters combine', async () => {
    const items = await all(`category=fees&channel=phone&receivedTo=${encodeURIComponent(at(100))}`);
    // fees and its sub-categories, by phone, before minute 100: c0 (fees, minute 0) and c10 (fees.account, minute 80)
    expect(refsOf(items)).toEqual(named('c0', 'c10'));
  });
});

describe('sorting and cursor pagination', () => {
  it('received_asc and received_desc are exact reverses, ties broken consistently', async () => {
    const asc = await all('sort=received_asc', manager, 100);
    const desc = await all('sort=received_desc', manager, 100);
    expect(asc.map((i) => i.id)).toEqual([...desc.map((i) => i.id)].reverse());
    const times = asc.map((i) => Date.parse(i.receivedAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('an unknown sort → 400', async () => {
    expect((await t.call(manager, 'GET', '/api/complaints?sort=random')).status).toBe(400);
  });

  for (const sort of ['received_desc', 'received_asc']) {
    it(`walks every item exactly once across pages of 7 (${sort})`, async () => {
      const everything = await all(`sort=${sort}`, manager, 200);
      const paged = await all(`sort=${sort}`, manager, 7);
      expect(paged.map((i) => i.id)).toEqual(everything.map((i) => i.id));
      expect(new Set(paged.map((i) => i.id)).size).toBe(paged.length);
      expect(paged.length).toBe(refs.size);
      expect(paged.length).toBeGreaterThanOrEqual(25);
    });
  }

  it('pages of 1 over the tied receipt times still see each complaint once', async () => {
    const filter = `receivedFrom=${encodeURIComponent(at(30))}&receivedTo=${encodeURIComponent(at(31))}`;
    const items = await all(filter, manager, 1);
    expect(refsOf(items)).toEqual(named('c3', 'c4', 'c5'));
  });

  it('the last page has no cursor', async () => {
    const res = await list(`limit=200`);
    expect(res.nextCursor).toBeNull();
    const first = await list('limit=7');
    expect(first.items).toHaveLength(7);
    expect(typeof first.nextCursor).toBe('string');
  });

  it('due_asc lists complaints with a due date, soonest first, page by page', async () => {
    const db = t.database.db;
    // Every complaint gets deadlines at receipt; give only these five a due date, so the order is known.
    await db.updateTable('complaints').set({ next_due_at: null }).execute();
    const due: Array<[string, number]> = [['c0', 5], ['c1', 1], ['c2', 3], ['c3', 2], ['c4', 4]];
    for (const [name, days] of due) {
      await db.updateTable('complaints').set({ next_due_at: new Date(BASE + days * 86_400_000) }).where('reference', '=', refs.get(name)!).execute();
    }
    const items = await all('sort=due_asc', manager, 2);
    expect(items.map((i) => i.reference)).toEqual(['c1', 'c3', 'c2', 'c4', 'c0'].map((n) => refs.get(n)));
    const soon = await all(`dueBefore=${encodeURIComponent(new Date(BASE + 3.5 * 86_400_000).toISOString())}`);
    expect(refsOf(soon)).toEqual(named('c1', 'c2', 'c3'));
  });

  it('an invalid cursor → 400 invalid_cursor', async () => {
    for (const cursor of ['garbage!!', Buffer.from('"just a string"').toString('base64url'), Buffer.from('["not a date","x"]').toString('base64url')]) {
      const res = await t.call(manager, 'GET', `/api/complaints?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status, cursor).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('invalid_cursor');
    }
  });

  it('a cursor whose id is not a UUID → 400 invalid_cursor (not 500)', async () => {
    const cursor = Buffer.from(JSON.stringify([at(30), 'not-a-uuid'])).toString('base64url');
    const res = await t.call(manager, 'GET', `/api/complaints?cursor=${cursor}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_cursor');
  });
});

describe('full-text search (I18N-2)', () => {
  const search = async (q: string) => refsOf(await all(`q=${encodeURIComponent(q)}`));

  it.each([
    ['en', 'credit card'],
    ['en', 'CHARGED supermarket'],
    ['pl', 'opłaty'],
    ['pl', 'oplaty'], // without diacritics
    ['pl', 'kredytowa lodzi'],
    ['ar', 'الرسوم'],
    ['ar', 'رسوم'],
    ['fa', 'کارت بانکی'],
    ['fa', 'شارژ'],
    ['zh', '扣费'], // two characters inside a sentence without spaces
    ['zh', '信用卡'],
    ['zh', '回复'],
    ['nl', 'spaarrekening'],
  ])('%s: %s', async (lang, q) => {
    const found = await search(q);
    expect(found).toContain(refs.get(`text-${lang}`));
    expect(found).not.toContain(refs.get('text-unrelated'));
  });

  it('finds by the reference too', async () => {
    expect(await search(refs.get('text-zh')!)).toEqual(named('text-zh'));
  });

  it('does not find unrelated complaints', async () => {
    expect(await search('mortgage surveyor')).toEqual(named('text-unrelated'));
    expect(await search('扣款')).toEqual([]);
    expect(await search('helicopter')).toEqual([]);
    expect(await search('تحويل')).toEqual([]);
    expect(await search('!!!')).toEqual([]);
  });

  it('combines with filters and pages', async () => {
    const items = await all(`q=${encodeURIComponent('fee')}&category=fees`, manager, 3);
    expect(refsOf(items)).toEqual(named('c0', 'c8', 'c16', 'c24', 'c1', 'c9', 'c17', 'c2', 'c10', 'c18'));
  });

  it('hostile queries are harmless', async () => {
    for (const q of ["'); drop table complaints; --", 'a & b | !c', ':*', '\\']) {
      const res = await t.call(manager, 'GET', `/api/complaints?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
    }
    expect((await list('limit=200')).items.length).toBe(refs.size);
  });
});

describe('scope in lists', () => {
  it('a handler only sees their team’s complaints (and those they own)', async () => {
    const items = await all('', handler, 50);
    const everything = await all('', manager, 50);
    const expected = everything.filter((i) => i.team?.key === 'payments' || i.ownerId === handler.id);
    expect(refsOf(items)).toEqual(refsOf(expected));
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThan(everything.length);
    // the energy complaint they own is there; another energy one is not
    expect(refsOf(items)).toContain(refs.get('c13'));
    expect(refsOf(items)).not.toContain(refs.get('c21'));
  });

  it('a handler’s search and filters stay within their scope', async () => {
    expect(refsOf(await all('team=energy', handler))).toEqual(named('c13'));
    expect(refsOf(await all('team=lending', handler))).toEqual([]);
  });

  it('nobody lists a complaint about themselves', async () => {
    const mine = await all('', subject, 100);
    expect(refsOf(mine)).not.toContain(refs.get('about-subject'));
    expect(mine).toHaveLength(refs.size - 1);
    expect(refsOf(await all('', manager, 100))).toContain(refs.get('about-subject'));
  });

  it('limit bounds: 0 and 201 → 400', async () => {
    expect((await t.call(manager, 'GET', '/api/complaints?limit=0')).status).toBe(400);
    expect((await t.call(manager, 'GET', '/api/complaints?limit=201')).status).toBe(400);
  });
});

describe('GET /api/openapi.json', () => {
  it('is OpenAPI 3.1 with an operationId on every operation', async () => {
    const res = await t.call(null, 'GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(String(doc.openapi)).toMatch(/^3\.1/);
    const ids: string[] = [];
    const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { operationId?: string }>>)) {
      for (const method of methods) {
        const op = item[method];
        if (!op) continue;
        expect(op.operationId, `${method.toUpperCase()} ${path}`).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
        ids.push(op.operationId!);
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['createComplaint', 'getComplaint', 'listComplaints']));
    expect(doc.paths['/api/complaints'].post.operationId).toBe('createComplaint');
    expect(doc.paths['/api/complaints'].get.operationId).toBe('listComplaints');
    expect(doc.paths['/api/complaints/{reference}'].get.operationId).toBe('getComplaint');
    const params = (doc.paths['/api/complaints'].get.parameters as Array<{ name: string }>).map((p) => p.name);
    expect(params).toEqual(expect.arrayContaining(['state', 'channel', 'team', 'owner', 'category', 'receivedFrom', 'receivedTo', 'dueBefore', 'sort', 'q', 'limit', 'cursor']));
  });
});
