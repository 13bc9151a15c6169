/**
 * The analytics API over the real PostgreSQL (IMP-1, IMP-2, IMP-5): a hand-computed fixture of complaints written
 * straight into `complaints` (as the bulk import does; the triggers keep the facts), figures checked against hand
 * arithmetic and against the pure formulas over the same rows; permissions, bad input, exports, denominators.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buildStaff, complaintInput, type StaffUser } from '../helpers/factories.ts';
import { computeKpis, type ComplaintFact, type Outcome } from '../../src/analytics/formulas.ts';
import { defaultCalendar } from '../../src/deadlines/preset-calendars.ts';
import { buildFixture } from './fixture.ts';
import { clearDeadlineConfigCache } from '../../src/deadlines/config.ts';

let t: TestApp;
const staff: Record<string, StaffUser> = {};
let ids: Record<string, string> = {};
const at = (s: string) => new Date(s);

beforeAll(async () => {
  t = await startTestApp();
  for (const role of ['manager', 'quality', 'auditor', 'admin', 'handler', 'intake'] as const)
    staff[role] = await buildStaff(t.database.db, role);
  ids = await buildFixture(t.database.db);
});
afterAll(() => t.close());

const march = 'from=2026-03-01&to=2026-03-31';

describe('KPIs of a hand-computed month', () => {
  it('totals equal the hand-computed figures', async () => {
    const res = await t.call(staff.manager!, 'GET', `/api/analytics/kpis?${march}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const k = res.body.totals;
    expect(res.body).toMatchObject({
      from: '2026-03-01',
      to: '2026-03-31',
      groupBy: 'none',
      period: 'month',
      timeZone: 'UTC',
    });
    expect(k.received).toBe(4); // A B C G (F merged, E in February, H in April)
    expect(k.closed).toBe(3); // A B E
    expect(k.open).toBe(3); // C D G
    expect(k.backlog).toEqual({ '0-7': 1, '8-28': 1, '29-56': 0, '57+': 1 });
    expect(k.acknowledge.count).toBe(2);
    expect(k.acknowledge.medianHours).toBeCloseTo(35, 6);
    expect(k.acknowledge.p90Hours).toBeCloseTo(59.8, 6);
    expect(k.acknowledge.medianBusinessHours).toBeCloseTo(3, 6);
    expect(k.acknowledge.p90BusinessHours).toBeCloseTo(3.8, 6);
    expect(k.resolve.count).toBe(3);
    expect(k.resolve.medianDays).toBeCloseTo(13 + 20 / 24, 6);
    expect(k.resolve.p90Days).toBeCloseTo(13 + 20 / 24 + 0.8 * (33 - 13 - 20 / 24), 6);
    expect(k.resolve.medianBusinessDays).toBe(10);
    expect(k.resolve.p90BusinessDays).toBeCloseTo(20.4, 6);
    expect(k.withinTarget.due).toBe(3);
    expect(k.withinTarget.met).toBe(2);
    expect(k.withinTarget.pct).toBeCloseTo(200 / 3, 6);
    expect(k.breaches).toBe(1);
    expect(k.reopenRate).toBeCloseTo(1 / 3, 9); // first closed: A B E; reopened: E
    expect(k.escalationRate).toBe(0.25);
    expect(k.upholdRate).toBeCloseTo(2 / 3, 9); // upheld + partly upheld / decided
    expect(k.redressPaid).toBe(150);
    expect(k.satisfaction).toEqual({ responses: 2, mean: 3.5 });
    expect(k.customers).toBeNull();
    expect(k.per1000Customers).toBeNull();
  });

  it('the SQL equals the pure formulas over the same rows', async () => {
    const facts = await t.database.db.selectFrom('analytics_facts').selectAll().execute();
    const rows: ComplaintFact[] = facts.map((f) => ({
      receivedAt: f.received_at,
      acknowledgedAt: f.acknowledged_at,
      closedAt: f.closed_at,
      firstClosedAt: f.first_closed_at,
      reopens: f.reopens,
      escalated: f.escalated,
      outcome: f.outcome as Outcome | null,
      redress: Number(f.redress),
      targetDue: f.target_due,
      targetMet: f.target_met,
      breaches: f.breaches,
      merged: f.merged,
    }));
    const surveys = [
      { overall: 5, speed: 4 },
      { overall: 2, speed: 3 },
    ];
    for (const [from, to, start, end] of [
      ['2026-03-01', '2026-03-31', '2026-03-01', '2026-04-01'],
      ['2026-01-01', '2026-12-31', '2026-01-01', '2027-01-01'],
      ['2026-03-05', '2026-03-06', '2026-03-05', '2026-03-07'],
    ] as const) {
      const res = await t.call(staff.quality!, 'GET', `/api/analytics/kpis?from=${from}&to=${to}`);
      const s = surveys.filter(
        (_, i) =>
          [at('2026-03-05T10:00:00Z'), at('2026-03-21T10:00:00Z')][i]! >= at(`${start}T00:00:00Z`) &&
          [at('2026-03-05T10:00:00Z'), at('2026-03-21T10:00:00Z')][i]! < at(`${end}T00:00:00Z`),
      );
      const expected = computeKpis(
        rows,
        { from: at(`${start}T00:00:00Z`), to: at(`${end}T00:00:00Z`) },
        defaultCalendar,
        { surveys: s },
      );
      const got = res.body.totals;
      for (const [key, value] of Object.entries(expected)) {
        if (typeof value === 'number') expect(got[key], `${from} ${key}`).toBeCloseTo(value, 6);
        else expect(got[key], `${from} ${key}`).toEqual(value === null ? null : expect.anything());
      }
      expect(got.backlog).toEqual(expected.backlog);
      expect(got.withinTarget).toEqual(expected.withinTarget);
      expect(got.counts).toEqual(expected.counts);
      for (const part of ['acknowledge', 'resolve'] as const)
        for (const [key, value] of Object.entries(expected[part]))
          if (value === null) expect(got[part][key]).toBeNull();
          else expect(got[part][key], `${from} ${part}.${key}`).toBeCloseTo(value, 6);
      expect(got.satisfaction).toEqual(expected.satisfaction);
    }
  });

  it('an empty period has zeros and null rates; every period of the range is listed', async () => {
    const res = await t.call(
      staff.auditor!,
      'GET',
      '/api/analytics/kpis?from=2026-01-01&to=2026-03-31&groupBy=period&period=month',
    );
    expect(res.status).toBe(200);
    expect(res.body.groups.map((g: { key: string; label: string }) => [g.key, g.label])).toEqual([
      ['2026-01-01', '2026-01'],
      ['2026-02-01', '2026-02'],
      ['2026-03-01', '2026-03'],
    ]);
    const [jan, feb, mar] = res.body.groups.map((g: { kpis: unknown }) => g.kpis);
    expect(jan.received).toBe(1); // D
    expect(jan.open).toBe(1);
    expect(feb.received).toBe(1); // E
    expect(feb.open).toBe(2); // D E (E closed in March)
    expect(feb.upholdRate).toBeNull();
    expect(feb.acknowledge.medianHours).toBeNull();
    expect(mar.received).toBe(4);
    expect(mar.open).toBe(3);
    expect(res.body.totals.received).toBe(6);
    const empty = await t.call(staff.admin!, 'GET', '/api/analytics/kpis?from=2020-01-01&to=2020-01-31');
    expect(empty.body.totals).toMatchObject({
      received: 0,
      closed: 0,
      open: 0,
      reopenRate: null,
      escalationRate: null,
      upholdRate: null,
      redressPaid: 0,
    });
  });

  it('groups by channel, category (top level) and week, with labels', async () => {
    const ch = await t.call(staff.manager!, 'GET', `/api/analytics/kpis?${march}&groupBy=channel`);
    const byKey = Object.fromEntries(
      ch.body.groups.map((g: { key: string; kpis: { received: number; closed: number } }) => [g.key, g.kpis]),
    );
    expect(byKey.phone.received).toBe(2); // A C
    expect(byKey.email.received).toBe(1);
    expect(byKey.web.received).toBe(1);
    expect(byKey.web.closed).toBe(1); // E
    const cat = await t.call(staff.manager!, 'GET', `/api/analytics/kpis?${march}&groupBy=category`);
    expect(cat.body.groups).toHaveLength(1);
    expect(cat.body.groups[0]).toMatchObject({ key: 'fees' });
    expect(cat.body.groups[0].kpis.received).toBe(4);
    const wk = await t.call(staff.manager!, 'GET', `/api/analytics/kpis?${march}&groupBy=period&period=week`);
    expect(wk.body.groups[0]).toMatchObject({ key: '2026-02-23', label: '2026-W09' });
    expect(wk.body.groups.map((g: { kpis: { received: number } }) => g.kpis.received)).toEqual([
      0, 2, 1, 0, 0, 1,
    ]);
    const filtered = await t.call(staff.manager!, 'GET', `/api/analytics/kpis?${march}&channel=email`);
    expect(filtered.body.totals.received).toBe(1);
    const handler = await t.call(staff.manager!, 'GET', `/api/analytics/kpis?${march}&groupBy=handler`);
    expect(handler.body.groups).toEqual([expect.objectContaining({ key: 'none', label: 'none' })]);
    const lang = await t.call(
      staff.manager!,
      'GET',
      `/api/analytics/kpis?${march}&groupBy=language&type=suggestion`,
    );
    expect(lang.body.groups).toEqual([]);
    expect(lang.body.totals.received).toBe(0);
    const byCategory = await t.call(staff.manager!, 'GET', `/api/analytics/kpis?${march}&category=fees`);
    expect(byCategory.body.totals.received).toBe(4);
  });
});

describe('permissions and bad input', () => {
  it('handler and intake get 403, anonymous 401', async () => {
    expect((await t.call(staff.handler!, 'GET', `/api/analytics/kpis?${march}`)).status).toBe(403);
    expect((await t.call(staff.intake!, 'GET', `/api/analytics/fca-return?${march}`)).status).toBe(403);
    expect((await t.call(staff.handler!, 'GET', `/api/analytics/pareto?${march}`)).status).toBe(403);
    expect((await t.call(null, 'GET', `/api/analytics/kpis?${march}`)).status).toBe(401);
  });

  it.each([
    ['from=2026-02-30&to=2026-03-01', 'from'],
    ['from=2026-03-01&to=yesterday', 'to'],
    ['to=2026-03-01', 'from'],
    ['from=2026-03-02&to=2026-03-01', 'to'],
    ['from=2010-01-01&to=2026-03-01', 'to'],
    ['from=1999-12-01&to=2000-01-05', 'from'],
    [`${march}&category=nope`, 'category'],
    [`${march}&groupBy=colour`, 'groupBy'],
    [`${march}&period=decade`, 'period'],
  ])('%s → 400 naming %s', async (query, field) => {
    const res = await t.call(staff.manager!, 'GET', `/api/analytics/kpis?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(res.body.errors)).toContain(field);
  });
});

describe('exports, Pareto, control chart, FCA return, customers', () => {
  it('KPIs and the FCA return as CSV and XLSX', async () => {
    const csv = await t.call(
      staff.manager!,
      'GET',
      `/api/analytics/kpis?${march}&groupBy=channel&format=csv`,
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(String(csv.body)).toContain('Received');
    expect(String(csv.body)).toContain('Total');
    const xlsx = await fetch(`${t.url}/api/analytics/fca-return?${march}&format=xlsx`, {
      headers: { cookie: `redress_session=${staff.auditor!.token}` },
    });
    expect(xlsx.status).toBe(200);
    const bytes = new Uint8Array(await xlsx.arrayBuffer());
    expect(String.fromCharCode(bytes[0]!, bytes[1]!)).toBe('PK');
  });

  it('Pareto of channels: sorted, ties by key, cumulative to 100', async () => {
    const res = await t.call(staff.quality!, 'GET', `/api/analytics/pareto?${march}&dimension=channel`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(4);
    expect(res.body.items).toEqual([
      { key: 'phone', label: 'phone', count: 2, pct: 50, cumulativePct: 50 },
      { key: 'email', label: 'email', count: 1, pct: 25, cumulativePct: 75 },
      { key: 'web', label: 'web', count: 1, pct: 25, cumulativePct: 100 },
    ]);
    const cats = await t.call(staff.quality!, 'GET', `/api/analytics/pareto?${march}&dimension=category`);
    expect(cats.body.items[0]).toMatchObject({ key: 'fees.overdraft', count: 4 });
  });

  it('control chart of upheld by month', async () => {
    const res = await t.call(
      staff.quality!,
      'GET',
      '/api/analytics/control-chart?metric=upheld&period=month&from=2026-01-01&to=2026-03-31',
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.chart).toBe('p');
    expect(res.body.centre).toBeCloseTo(2 / 3, 9);
    expect(res.body.points.map((p: { n: number; x: number }) => [p.n, p.x])).toEqual([
      [0, 0],
      [0, 0],
      [3, 2],
    ]);
    expect(res.body.points[2]).toMatchObject({ value: 2 / 3, ucl: 1, lcl: 0, unusual: false });
    const bad = await t.call(
      staff.quality!,
      'GET',
      '/api/analytics/control-chart?metric=mood&from=2026-01-01&to=2026-03-31',
    );
    expect(bad.status).toBe(400);
  });

  it('FCA return bands, upheld, redress and outstanding', async () => {
    const res = await t.call(staff.manager!, 'GET', `/api/analytics/fca-return?${march}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.totals).toEqual({
      received: 4,
      closed: 3,
      closedWithin3BusinessDays: 1,
      closedAfter3DaysWithin8Weeks: 2,
      closedAfter8Weeks: 0,
      upheld: 2,
      upheldPct: (2 / 3) * 100,
      redressPaid: 150,
      outstandingAtStart: 2,
      outstandingAtEnd: 3,
    });
    expect(res.body.byProduct).toHaveLength(1);
    expect(res.body.byProduct[0]).toMatchObject({ key: 'current-account' });
  });

  it('customer counts: quality sets them, managers may not, unknown products refused, per 1,000 computed', async () => {
    const initial = await t.call(staff.manager!, 'GET', '/api/analytics/customers');
    expect(initial.status).toBe(200);
    expect(
      initial.body.items.find((i: { product: string }) => i.product === 'current-account'),
    ).toMatchObject({ customers: null });
    expect((await t.call(staff.manager!, 'PUT', '/api/analytics/customers', { items: [] })).status).toBe(403);
    const bad = await t.call(staff.quality!, 'PUT', '/api/analytics/customers', {
      items: [{ product: 'nope', validFrom: '2026-01-01', customers: 5 }],
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toContain('items.0.product');
    const ok = await t.call(staff.quality!, 'PUT', '/api/analytics/customers', {
      items: [
        { product: 'current-account', validFrom: '2026-01-01', customers: 2000 },
        { product: 'current-account', validFrom: '2026-03-15', customers: 4000 },
      ],
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const k = await t.call(staff.manager!, 'GET', `/api/analytics/kpis?${march}&groupBy=product`);
    expect(k.body.totals.customers).toBe(4000);
    expect(k.body.totals.per1000Customers).toBe(1);
    expect(k.body.groups[0]).toMatchObject({ key: 'current-account' });
    expect(k.body.groups[0].kpis.per1000Customers).toBe(1);
    const feb = await t.call(staff.manager!, 'GET', '/api/analytics/kpis?from=2026-02-01&to=2026-02-28');
    expect(feb.body.totals.customers).toBe(2000);
    expect(feb.body.totals.per1000Customers).toBe(0.5);
    const u = await t.call(
      staff.quality!,
      'GET',
      '/api/analytics/control-chart?metric=complaints_per_1000&period=month&from=2026-01-01&to=2026-03-31',
    );
    expect(u.body.chart).toBe('u');
    expect(u.body.points.map((p: { n: number; x: number }) => [p.n, p.x])).toEqual([
      [2, 1],
      [2, 1],
      [4, 4],
    ]);
    expect(u.body.centre).toBeCloseTo(6 / 8, 9);
  });
});

describe('the default business calendar', () => {
  it('a new holiday recomputes the business durations of every fact', async () => {
    const before = await t.call(staff.manager!, 'GET', `/api/analytics/kpis?${march}`);
    expect(before.body.totals.resolve.p90BusinessDays).toBeCloseTo(20.4, 6);
    const res = await t.call(staff.admin!, 'POST', '/api/deadlines/calendars/default/holidays', {
      holidays: [{ date: '2026-03-03' }],
    });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    clearDeadlineConfigCache(t.database.db);
    // A: Mon 2 → Wed 4 March is now 1 business day; E (20 Feb → 25 Mar) 22; B unchanged (10).
    const after = await t.call(staff.manager!, 'GET', `/api/analytics/kpis?${march}`);
    expect(after.body.totals.resolve.medianBusinessDays).toBe(10);
    expect(after.body.totals.resolve.p90BusinessDays).toBeCloseTo(19.6, 6);
    const fca = await t.call(staff.manager!, 'GET', `/api/analytics/fca-return?${march}`);
    expect(fca.body.totals.closedWithin3BusinessDays).toBe(1);
    await t.call(staff.admin!, 'DELETE', '/api/deadlines/calendars/default/holidays/2026-03-03');
    clearDeadlineConfigCache(t.database.db);
    const back = await t.call(staff.manager!, 'GET', `/api/analytics/kpis?${march}`);
    expect(back.body.totals.resolve.p90BusinessDays).toBeCloseTo(20.4, 6);
  });
});

describe('the facts follow the real commands', () => {
  it('reopen keeps the first closure and counts it; merge is flagged; the sent outcome survives', async () => {
    const fact = (name: string) =>
      t.database.db
        .selectFrom('analytics_facts')
        .selectAll()
        .where('complaint_id', '=', ids[name]!)
        .executeTakeFirstOrThrow();
    const e = await fact('E');
    expect(e.reopens).toBe(1);
    expect(e.first_closed_at!.toISOString()).toBe('2026-03-05T10:00:00.000Z');
    expect(e.closed_at!.toISOString()).toBe('2026-03-25T10:00:00.000Z');
    expect(e.outcome).toBe('partly_upheld');
    expect((await fact('F')).merged).toBe(true);
    // An escalation sets the response aside: the outcome of the sent response stays on the fact.
    await t.database.db
      .updateTable('complaints')
      .set({ response: null, escalation_level: 1, state: 'escalated' })
      .where('id', '=', ids.A!)
      .execute();
    const a = await fact('A');
    expect(a).toMatchObject({ outcome: 'upheld', escalated: true });
    expect(Number(a.redress)).toBe(100);
    await t.database.db
      .updateTable('complaints')
      .set({ response: null, escalation_level: 0, state: 'closed' })
      .where('id', '=', ids.A!)
      .execute();
  });

  it('a complaint created and acknowledged through the API has its fact, and a note does not rewrite it', async () => {
    const created = await t.call(staff.intake!, 'POST', '/api/complaints', complaintInput());
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const ref = created.body.reference as string;
    const row = await t.database.db
      .selectFrom('complaints')
      .select('id')
      .where('reference', '=', ref)
      .executeTakeFirstOrThrow();
    const before = await t.database.db
      .selectFrom('analytics_facts')
      .selectAll()
      .where('complaint_id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(before.acknowledged_at).toBeNull();
    const ack = await t.call(staff.manager!, 'POST', `/api/complaints/${ref}/acknowledge`, {});
    expect(ack.status, JSON.stringify(ack.body)).toBeLessThan(300);
    const after = await t.database.db
      .selectFrom('analytics_facts')
      .selectAll()
      .where('complaint_id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(after.acknowledged_at).not.toBeNull();
    expect(Number(after.ack_ms)).toBeGreaterThanOrEqual(0);
    const { rows } = await sql<{
      n: string;
    }>`select count(*) as n from analytics_facts f join complaints c on c.id = f.complaint_id`.execute(
      t.database.db,
    );
    const { rows: all } = await sql<{ n: string }>`select count(*) as n from complaints`.execute(
      t.database.db,
    );
    expect(rows[0]!.n).toBe(all[0]!.n);
  });
});
