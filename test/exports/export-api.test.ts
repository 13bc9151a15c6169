import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buildStaff, complaintInput, type StaffUser } from '../helpers/factories.ts';
import { parseCsv, xlsxRows } from './read-files.ts';

let t: TestApp;
let intake: StaffUser;
let manager: StaffUser;
let quality: StaffUser;
let handler: StaffUser;
let auditor: StaffUser;
const refs: { lending: string[]; payments: string[] } = { lending: [], payments: [] };

async function download(as: StaffUser | null, path: string) {
  const res = await fetch(`${t.url}${path}`, {
    headers: as ? { cookie: `redress_session=${as.token}` } : {},
  });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

beforeAll(async () => {
  t = await startTestApp();
  const db = t.database.db;
  [intake, manager, quality, handler, auditor] = await Promise.all([
    buildStaff(db, 'intake'),
    buildStaff(db, 'manager'),
    buildStaff(db, 'quality'),
    buildStaff(db, 'handler', ['lending']),
    buildStaff(db, 'auditor'),
  ]);
  const teams = new Map(
    (await db.selectFrom('teams').select(['id', 'key']).execute()).map((x) => [x.key, x.id]),
  );
  // 230 complaints: more than one page of the list (200), in two teams
  for (let i = 0; i < 230; i++) {
    const team = i % 3 === 0 ? 'lending' : 'payments';
    const res = await t.call(
      intake,
      'POST',
      '/api/complaints',
      complaintInput({
        description:
          i === 0
            ? '=HYPERLINK("http://evil.example") رسوم مكررة 重复收费, "quoted", line\nbreak'
            : `Complaint number ${i} about a fee charged twice.`,
        complainant: { name: i === 0 ? 'سلمى, "Al" =1' : `Person ${i}`, email: `p${i}@example.com` },
      }),
    );
    expect(res.status).toBe(201);
    await db
      .updateTable('complaints')
      .set({ team_id: teams.get(team)! })
      .where('id', '=', res.body.id)
      .execute();
    refs[team].push(res.body.reference);
  }
}, 120_000);
afterAll(async () => {
  await t.close();
});

describe('GET /api/complaints/export', () => {
  it('exports every matching complaint as CSV (not one page), with personal data for a manager', async () => {
    const res = await download(manager, '/api/complaints/export?format=csv&type=complaint');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="complaints-\d{8}-\d{4}\.csv"$/,
    );
    const body = text(res.bytes);
    expect(body.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(body);
    const header = rows[0]!;
    expect(header).toEqual(
      expect.arrayContaining([
        'Reference',
        'Type',
        'State',
        'Received',
        'Team',
        'Next due',
        'Breached',
        'Complainant',
        'E-mail',
      ]),
    );
    expect(rows).toHaveLength(231);
    const col = (name: string) => header.indexOf(name);
    expect(new Set(rows.slice(1).map((r) => r[col('Reference')]))).toEqual(
      new Set([...refs.lending, ...refs.payments]),
    );
    const first = rows.find((r) => r[col('Reference')] === refs.lending[0])!;
    expect(first[col('Complainant')]).toBe('سلمى, "Al" =1');
    expect(first[col('Team')]).toBe('Lending & Mortgages');
    expect(first[col('Received')]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(res.headers.get('x-total-count')).toBe('230');
  });

  it('applies the list filters and the team scope of a handler; no personal data for quality', async () => {
    const mine = parseCsv(text((await download(handler, '/api/complaints/export')).bytes));
    expect(mine).toHaveLength(refs.lending.length + 1);
    expect(new Set(mine.slice(1).map((r) => r[0]))).toEqual(new Set(refs.lending));
    const q = parseCsv(text((await download(quality, '/api/complaints/export?team=payments')).bytes));
    expect(q).toHaveLength(refs.payments.length + 1);
    expect(q[0]).not.toContain('Complainant');
    expect(q[0]).not.toContain('E-mail');
    expect(text((await download(quality, '/api/complaints/export')).bytes)).not.toContain('example.com');
    const none = parseCsv(text((await download(manager, '/api/complaints/export?type=compliment')).bytes));
    expect(none).toHaveLength(1);
  });

  it('exports Excel with real dates, numbers and the text intact', async () => {
    const res = await download(
      auditor,
      `/api/complaints/export?format=xlsx&team=lending&timeZone=Asia/Tehran`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers.get('content-disposition')).toMatch(/\.xlsx"$/);
    const rows = xlsxRows(res.bytes);
    expect(rows).toHaveLength(refs.lending.length + 1);
    const header = rows[0]!;
    const received = rows[1]![header.indexOf('Received')]!;
    expect(Number(received)).toBeGreaterThan(46000); // an Excel serial date, not text
    expect(rows.some((r) => r.includes('Lending & Mortgages'))).toBe(true);
  });

  it('guards formula injection in CSV cells', async () => {
    const rows = parseCsv(text((await download(manager, `/api/complaints/export?q=HYPERLINK`)).bytes));
    // the description is not exported; the complainant's name starts with text, not a formula
    expect(rows.length).toBeGreaterThanOrEqual(1);
    const body = text((await download(manager, '/api/complaints/export')).bytes);
    expect(body).not.toMatch(/(^|,)=/m);
  });

  it('refuses bad input with problems, and anonymous callers', async () => {
    const bad = await t.call(manager, 'GET', '/api/complaints/export?format=pdf');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toContain('format');
    expect((await t.call(manager, 'GET', '/api/complaints/export?team=nope')).status).toBe(400);
    const tz = await t.call(manager, 'GET', '/api/complaints/export?timeZone=Mars/Olympus');
    expect(tz.status).toBe(400);
    expect(tz.body.errors[0].field).toBe('querystring.timeZone');
    expect((await t.call(null, 'GET', '/api/complaints/export')).status).toBe(401);
  });
});

describe('/api/reports/schedules', () => {
  const input = {
    name: 'Weekly complaints',
    kind: 'complaints',
    format: 'csv',
    recipients: ['board@example.org', 'quality@example.org'],
    frequency: 'weekly',
    timeOfDay: '08:30',
    weekday: 1,
    timeZone: 'Europe/London',
  };

  it('creates, lists, changes, pauses and deletes a schedule (manager, quality, admin only)', async () => {
    const created = await t.call(manager, 'POST', '/api/reports/schedules', input);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const s = created.body;
    expect(s).toMatchObject({
      kind: 'complaints',
      format: 'csv',
      frequency: 'weekly',
      active: true,
      timeZone: 'Europe/London',
    });
    expect(new Date(s.nextRunAt).getTime()).toBeGreaterThan(Date.now());
    const job = await t.database.db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'report.run')
      .where('group_id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(new Date(job.available_at).toISOString()).toBe(s.nextRunAt);

    expect(
      (await t.call(quality, 'GET', '/api/reports/schedules')).body.items.map((x: any) => x.id),
    ).toContain(s.id);
    expect((await t.call(handler, 'GET', '/api/reports/schedules')).status).toBe(403);
    expect((await t.call(auditor, 'POST', '/api/reports/schedules', input)).status).toBe(403);

    const paused = await t.call(quality, 'PUT', `/api/reports/schedules/${s.id}`, {
      ...input,
      active: false,
    });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ active: false, nextRunAt: null, version: 2 });
    const resumed = await t.call(quality, 'PUT', `/api/reports/schedules/${s.id}`, {
      ...input,
      frequency: 'daily',
    });
    expect(resumed.body.active).toBe(true);
    expect(new Date(resumed.body.nextRunAt).getTime() - Date.now()).toBeLessThanOrEqual(
      86_400_000 + 3_600_000,
    );

    expect((await t.call(manager, 'DELETE', `/api/reports/schedules/${s.id}`)).status).toBe(204);
    expect((await t.call(manager, 'DELETE', `/api/reports/schedules/${s.id}`)).status).toBe(404);
    expect((await t.call(manager, 'GET', `/api/reports/schedules/${s.id}`)).status).toBe(404);
  });

  it('names the bad field', async () => {
    const badMail = await t.call(manager, 'POST', '/api/reports/schedules', {
      ...input,
      recipients: ['not-an-address'],
    });
    expect(badMail.status).toBe(400);
    expect(badMail.body.errors[0].field).toBe('recipients.0');
    const none = await t.call(manager, 'POST', '/api/reports/schedules', { ...input, recipients: [] });
    expect(none.body.errors[0].field).toBe('recipients');
    const tz = await t.call(manager, 'POST', '/api/reports/schedules', {
      ...input,
      timeZone: 'Nowhere/City',
    });
    expect(tz.status).toBe(400);
    expect(tz.body.errors[0].field).toBe('timeZone');
    const time = await t.call(manager, 'POST', '/api/reports/schedules', { ...input, timeOfDay: '25:00' });
    expect(time.body.errors[0].field).toBe('timeOfDay');
    const kind = await t.call(manager, 'POST', '/api/reports/schedules', { ...input, kind: 'everything' });
    expect(kind.body.errors[0].field).toBe('kind');
    const cat = await t.call(manager, 'POST', '/api/reports/schedules', {
      ...input,
      kind: 'kpis',
      parameters: { category: 'nope' },
    });
    expect(cat.status).toBe(400);
    expect(cat.body.errors[0]).toMatchObject({ field: 'parameters.category', code: 'unknown_key' });
    const extra = await t.call(manager, 'POST', '/api/reports/schedules', {
      ...input,
      parameters: { sql: 'drop table' },
    });
    expect(extra.status).toBe(400);
    expect((await t.call(manager, 'POST', '/api/reports/schedules/not-a-uuid/run')).status).toBe(400);
    expect(
      (await t.call(manager, 'POST', '/api/reports/schedules/00000000-0000-4000-8000-000000000000/run'))
        .status,
    ).toBe(404);
  });

  it('runs a report now: one outbox row with the file attached, listed in the runs, no personal data', async () => {
    const s = (
      await t.call(manager, 'POST', '/api/reports/schedules', { ...input, parameters: { window: 'all' } })
    ).body;
    const run = await t.call(manager, 'POST', `/api/reports/schedules/${s.id}/run`);
    expect(run.status, JSON.stringify(run.body)).toBe(202);
    expect(run.body.rows).toBe(230);
    const row = await t.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', run.body.outboxId)
      .executeTakeFirstOrThrow();
    expect(row.topic).toBe('report.scheduled');
    const payload = row.payload as any;
    expect(payload.to).toEqual(input.recipients);
    const csv = Buffer.from(payload.attachments[0].contentBase64, 'base64').toString('utf8');
    expect(parseCsv(csv)).toHaveLength(231);
    expect(csv).not.toContain('example.com');
    const runs = await t.call(manager, 'GET', `/api/reports/schedules/${s.id}/runs`);
    expect(runs.body.items).toHaveLength(1);
    expect(runs.body.items[0]).toMatchObject({ trigger: 'manual', rows: 230, delivery: 'pending' });
    // administrators see the file by name and size, not its content
    const admin = await buildStaff(t.database.db, 'admin');
    const detail = await t.call(admin, 'GET', `/api/admin/outbox/${row.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.payload.attachments[0]).toEqual({
      filename: run.body.filename,
      contentType: 'text/csv; charset=utf-8',
      bytes: run.body.bytes,
    });
  });
});
