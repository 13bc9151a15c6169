import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type DatabaseHandle } from '../../src/db/client.ts';
import { createNotificationDeliverer } from '../../src/channels/notifications.ts';
import { closeSlot, createSlot, processBatch, type Slot } from '../../src/channels/outbox-worker.ts';
import { exportsJobHandlers } from '../../src/exports/jobs.ts';
import { runNextJob } from '../../src/jobs/queue.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buildStaff, complaintInput, type StaffUser } from '../helpers/factories.ts';
import { silentLog, startSmtpSink, type SmtpSink } from '../channels/helpers.ts';
import { parseCsv, unzipText, xlsxRows } from './read-files.ts';

let t: TestApp;
let sink: SmtpSink;
let slot: Slot;
let second: DatabaseHandle;
let manager: StaffUser;
let intake: StaffUser;

async function deliver() {
  while (
    (await processBatch(t.database.db, slot, {
      worker: 'w',
      batchSize: 20,
      leaseSeconds: 30,
      log: silentLog,
    })) > 0
  );
}

beforeAll(async () => {
  t = await startTestApp();
  sink = await startSmtpSink();
  const db = t.database.db;
  slot = await createSlot(
    db,
    createNotificationDeliverer(db, {
      publicUrl: 'https://redress.example',
      mailFrom: 'Redress <reports@redress.example>',
      smtpUrl: sink.url,
      sms: null,
      log: silentLog,
    }),
    t.database.url,
  );
  second = await openPostgres(t.database.url, 4);
  [manager, intake] = await Promise.all([buildStaff(db, 'manager'), buildStaff(db, 'intake')]);
  for (let i = 0; i < 12; i++) {
    const r = await t.call(
      intake,
      'POST',
      '/api/complaints',
      complaintInput({ description: i === 0 ? 'شكوى عن رسوم 重复收费' : `Complaint ${i} about fees` }),
    );
    expect(r.status).toBe(201);
  }
  // the complaints were received "yesterday" so that a daily report covers them
  await db
    .updateTable('complaints')
    .set({ received_at: new Date(Date.now() - 86_400_000) })
    .execute();
  await sink.close().catch(() => {}); // replaced below so that only report e-mails count
  sink = await startSmtpSink();
  await closeSlot(slot);
  slot = await createSlot(
    db,
    createNotificationDeliverer(db, {
      publicUrl: 'https://redress.example',
      mailFrom: 'Redress <reports@redress.example>',
      smtpUrl: sink.url,
      sms: null,
      log: silentLog,
    }),
    t.database.url,
  );
  await deliver(); // the acknowledgements of the complaints
  sink.mails.length = 0;
  sink.counts.clear();
}, 60_000);
afterAll(async () => {
  await closeSlot(slot);
  await sink.close();
  await second.close();
  await t.close();
});

async function schedule(body: Record<string, unknown>) {
  const res = await t.call(manager, 'POST', '/api/reports/schedules', {
    name: 'Daily complaints',
    kind: 'complaints',
    recipients: ['head.of.complaints@example.org', 'board@example.org'],
    frequency: 'daily',
    timeOfDay: '07:00',
    timeZone: 'UTC',
    ...body,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; nextRunAt: string };
}

/** Makes the schedule due now: its next run (and its job) moved to a minute ago. */
async function makeDue(id: string) {
  const db = t.database.db;
  const due = new Date(Date.now() - 60_000);
  const s = await db
    .selectFrom('report_schedules')
    .select('next_run_at')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  await db.updateTable('report_schedules').set({ next_run_at: due }).where('id', '=', id).execute();
  await db
    .updateTable('jobs')
    .set({ available_at: due, payload: JSON.stringify({ scheduleId: id, runAt: due.toISOString() }) })
    .where('group_id', '=', id)
    .where('status', '=', 'pending')
    .execute();
  return { due, previous: s.next_run_at };
}

describe('scheduled reports e-mailed through the outbox', () => {
  it('a due schedule sends one e-mail with a parseable CSV, exactly once with two workers racing', async () => {
    const s = await schedule({ format: 'csv' });
    const { due } = await makeDue(s.id);
    // a duplicate job for the same due instant (as a retried or re-enqueued job would be)
    await t.database.db
      .insertInto('jobs')
      .values({
        kind: 'report.run',
        group_id: s.id,
        payload: JSON.stringify({ scheduleId: s.id, runAt: due.toISOString() }),
        available_at: due,
      })
      .execute();
    const worker = async (db: typeof t.database.db) => {
      let n = 0;
      while ((await runNextJob(db, exportsJobHandlers)) !== null) n++;
      return n;
    };
    const [a, b] = await Promise.all([worker(t.database.db), worker(second.db)]);
    expect(a + b).toBe(2);
    const runs = await t.database.db
      .selectFrom('report_runs')
      .selectAll()
      .where('schedule_id', '=', s.id)
      .execute();
    expect(runs).toHaveLength(1);
    expect(runs[0]!.scheduled_for!.toISOString()).toBe(due.toISOString());
    expect(runs[0]!.rows).toBe(12);
    const after = await t.database.db
      .selectFrom('report_schedules')
      .selectAll()
      .where('id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(after.next_run_at.getTime()).toBeGreaterThan(Date.now());
    expect(after.next_run_at.toISOString()).toMatch(/T07:00:00\.000Z$/);
    const pending = await t.database.db
      .selectFrom('jobs')
      .selectAll()
      .where('group_id', '=', s.id)
      .where('status', '=', 'pending')
      .execute();
    expect(pending).toHaveLength(1);
    expect((pending[0]!.payload as any).runAt).toBe(after.next_run_at.toISOString());

    await deliver();
    await sink.waitFor(1);
    expect(sink.mails).toHaveLength(1);
    const mail = sink.mails[0]!;
    expect(mail.to.sort()).toEqual(['board@example.org', 'head.of.complaints@example.org']);
    const parsed = await simpleParser(mail.raw);
    expect(parsed.subject).toContain('Daily complaints');
    expect(parsed.text).toContain('12 rows');
    expect(parsed.attachments).toHaveLength(1);
    const file = parsed.attachments[0]!;
    expect(file.filename).toMatch(/^daily-complaints-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(file.contentType).toBe('text/csv');
    const rows = parseCsv(file.content.toString('utf8'));
    expect(rows).toHaveLength(13);
    expect(rows[0]).toContain('Reference');
    const outbox = await t.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', runs[0]!.outbox_id!)
      .executeTakeFirstOrThrow();
    expect(outbox.status).toBe('sent');
    expect(mail.messageId).toBe(outbox.message_id);

    // running the jobs again sends nothing more
    expect(await runNextJob(t.database.db, exportsJobHandlers)).toBeNull();
    await deliver();
    expect(sink.mails).toHaveLength(1);
  });

  it('a paused or changed schedule does not run at the old instant', async () => {
    const s = await schedule({ format: 'csv', name: 'Paused' });
    await makeDue(s.id);
    await t.database.db
      .updateTable('report_schedules')
      .set({ active: false })
      .where('id', '=', s.id)
      .execute();
    while ((await runNextJob(t.database.db, exportsJobHandlers)) !== null);
    expect(
      await t.database.db.selectFrom('report_runs').select('id').where('schedule_id', '=', s.id).execute(),
    ).toHaveLength(0);
  });

  it('a run the analytics refuse (a category removed since) is skipped; the schedule goes on', async () => {
    const s = await schedule({ kind: 'kpis', name: 'Refused', parameters: { category: 'fees' } });
    await t.database.db
      .updateTable('report_schedules')
      .set({ parameters: JSON.stringify({ category: 'gone-since' }) })
      .where('id', '=', s.id)
      .execute();
    await makeDue(s.id);
    while ((await runNextJob(t.database.db, exportsJobHandlers)) !== null);
    expect(
      await t.database.db.selectFrom('report_runs').select('id').where('schedule_id', '=', s.id).execute(),
    ).toHaveLength(0);
    const after = await t.database.db
      .selectFrom('report_schedules')
      .select('next_run_at')
      .where('id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(after.next_run_at.getTime()).toBeGreaterThan(Date.now());
    const job = await t.database.db
      .selectFrom('jobs')
      .selectAll()
      .where('group_id', '=', s.id)
      .where('status', '=', 'done')
      .executeTakeFirstOrThrow();
    expect((job.payload as any).refused).toContain('gone-since');
  });

  it('sends an Excel workbook (run now), and the KPI report', async () => {
    sink.mails.length = 0;
    const s = await schedule({
      format: 'xlsx',
      name: 'Complaints workbook',
      language: 'ar',
      parameters: { window: 'all' },
    });
    const run = await t.call(manager, 'POST', `/api/reports/schedules/${s.id}/run`);
    expect(run.status).toBe(202);
    const kpi = await schedule({
      format: 'xlsx',
      name: 'KPIs by category',
      kind: 'kpis',
      frequency: 'monthly',
      parameters: { groupBy: 'category' },
    });
    const kpiRun = await t.call(manager, 'POST', `/api/reports/schedules/${kpi.id}/run`);
    expect(kpiRun.status, JSON.stringify(kpiRun.body)).toBe(202);
    await deliver();
    await sink.waitFor(2);
    const byName = new Map<string, Awaited<ReturnType<typeof simpleParser>>>();
    for (const m of sink.mails) {
      const p = await simpleParser(m.raw);
      byName.set(p.subject!.split(' — ')[0]!, p);
    }
    const wb = byName.get('Complaints workbook')!.attachments[0]!;
    expect(wb.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(wb.filename).toMatch(/\.xlsx$/);
    const rows = xlsxRows(wb.content);
    expect(rows).toHaveLength(13);
    expect(unzipText(wb.content).get('xl/worksheets/sheet1.xml')).toContain('rightToLeft="1"');
    expect(rows[0]).toContain('Reference');
    const k = byName.get('KPIs by category')!.attachments[0]!;
    const kRows = xlsxRows(k.content);
    expect(kRows[0]![0]).toBe('Category');
    expect(kRows.at(-1)![0]).toBe('Total');
  });

  it('a payload that is not a valid report e-mail becomes a dead letter, not a crash', async () => {
    const row = await t.database.db
      .insertInto('outbox')
      .values({
        topic: 'report.scheduled',
        complaint_id: null,
        payload: JSON.stringify({ to: ['x'] }),
        message_id: '<bad-report@redress>',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await deliver();
    const after = await t.database.db
      .selectFrom('outbox')
      .select(['status', 'last_error'])
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe('dead');
    expect(after.last_error).toContain('invalid report e-mail payload');
  });
});
