/**
 * Scheduled reports (API-3): a schedule builds a file (KPIs, the FCA complaints return, or a complaints list) and
 * e-mails it through the outbox. A due run — its run row, its outbox row and the advance of `next_run_at` — is one
 * transaction under the schedule's row lock, checked against the instant it was due, so a run happens once however
 * many workers race for it (and the unique (schedule_id, scheduled_for) refuses a second one regardless).
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db, Tx } from '../db/client.ts';
import type { Actor } from '../identity/roles.ts';
import { outboxRow } from '../channels/outbox.ts';
import { REPORT_TOPIC, staffMail } from '../channels/email/staff-mail.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { AppError, ValidationError } from '../shared/errors.ts';
import { getKpis, kpiTables, type KpiQuery } from '../analytics/get-kpis.ts';
import { fcaReturn, fcaTables } from '../analytics/fca-return.ts';
import { complaintsTable, type ComplaintsFilter } from './complaints-table.ts';
import type { ReportSchedulesTable } from './db-schema.ts';
import { nextRunAfter, periodInstants, reportPeriod, type Recurrence } from './schedule.ts';
import { CSV_CONTENT_TYPE, toCsv, toXlsx, XLSX_CONTENT_TYPE, type Table } from './tabular.ts';

export type ScheduleRow = Selectable<ReportSchedulesTable>;
export const REPORT_JOB = 'report.run';

/** Who a scheduled complaints list is built as: every team, no personal data (recipients are plain addresses). */
export const reportActor: Actor = {
  type: 'system',
  id: null,
  label: 'scheduled report',
  role: 'quality',
  teamIds: [],
  channel: 'worker',
};

export const recurrenceOf = (s: ScheduleRow): Recurrence => ({
  frequency: s.frequency,
  timeOfDay: s.time_of_day,
  weekday: s.weekday,
  dayOfMonth: s.day_of_month,
  timeZone: s.time_zone,
});

export interface BuiltReport {
  filename: string;
  contentType: string;
  content: Uint8Array;
  rows: number;
  period: { from: string; to: string };
}

const slug = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[^\w-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .toLowerCase() || 'report';

/** Builds the schedule's file for the period before `at` (read through `tx`). */
export async function buildReport(tx: Tx, s: ScheduleRow, at: Date): Promise<BuiltReport> {
  const period = reportPeriod(s.frequency, at, s.time_zone);
  const p = s.parameters;
  let tables: Table[];
  if (s.kind === 'kpis') {
    const q: KpiQuery = {
      from: period.from,
      to: period.to,
      groupBy: (p.groupBy as KpiQuery['groupBy']) ?? 'category',
      period: (p.period as KpiQuery['period']) ?? undefined,
      category: p.category as string | undefined,
      product: p.product as string | undefined,
      channel: p.channel as string | undefined,
      team: p.team as string | undefined,
      type: p.type as string | undefined,
      language: s.language,
    };
    tables = kpiTables(await getKpis(tx, q));
  } else if (s.kind === 'fca_return') {
    tables = fcaTables(await fcaReturn(tx, { ...period, language: s.language }));
  } else {
    const { start, end } = periodInstants(period, s.time_zone);
    const filter = {
      ...((p.filters as ComplaintsFilter | undefined) ?? {}),
      sort: 'received_asc',
    } as ComplaintsFilter;
    if (p.window !== 'all') {
      filter.receivedFrom = start.toISOString();
      filter.receivedTo = end.toISOString();
    }
    tables = [await complaintsTable(tx, reportActor, filter, { personalData: false, now: at })];
  }
  const rows = tables.reduce((n, t) => n + t.rows.length, 0);
  const base = `${slug(s.name)}-${period.from}-${period.to}`;
  if (s.format === 'xlsx') {
    return {
      filename: `${base}.xlsx`,
      contentType: XLSX_CONTENT_TYPE,
      content: toXlsx(tables, { timeZone: s.time_zone, rightToLeft: ['ar', 'fa'].includes(s.language) }),
      rows,
      period,
    };
  }
  // One CSV per table would need several attachments; reports with several tables are joined with a blank line.
  const csv = tables
    .map((t, i) =>
      i === 0 ? toCsv(t, { timeZone: s.time_zone }) : toCsv(t, { timeZone: s.time_zone }).slice(1),
    )
    .join('\r\n');
  return {
    filename: `${base}.csv`,
    contentType: CSV_CONTENT_TYPE,
    content: Buffer.from(csv, 'utf8'),
    rows,
    period,
  };
}

const kindLabel: Record<ScheduleRow['kind'], string> = {
  kpis: 'Complaint KPIs',
  fca_return: 'FCA complaints return',
  complaints: 'Complaints list',
};

/** Writes the run row and the e-mail's outbox row (the caller holds the schedule's row lock in `tx`). */
async function recordRun(
  tx: Tx,
  s: ScheduleRow,
  built: BuiltReport,
  run: { trigger: 'schedule' | 'manual'; scheduledFor: Date | null; by: string | null },
) {
  const payload = staffMail({
    to: s.recipients,
    subject: `${s.name} — ${kindLabel[s.kind]} ${built.period.from} – ${built.period.to}`,
    text:
      `${kindLabel[s.kind]} for ${built.period.from} to ${built.period.to} (${s.time_zone}), ${built.rows} rows.\n` +
      `Attached: ${built.filename}\n\nThis report is sent by Redress on schedule "${s.name}" (${s.frequency}). ` +
      'An administrator can pause or change it in the staff workspace (Import & reports).\n',
    language: s.language,
    attachments: [{ filename: built.filename, contentType: built.contentType, content: built.content }],
  });
  const outbox = await tx
    .insertInto('outbox')
    .values(outboxRow(REPORT_TOPIC, null, { ...payload, scheduleId: s.id }))
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = randomUUID();
  await tx
    .insertInto('report_runs')
    .values({
      id,
      schedule_id: s.id,
      trigger: run.trigger,
      scheduled_for: run.scheduledFor,
      period_from: built.period.from,
      period_to: built.period.to,
      filename: built.filename,
      rows: built.rows,
      bytes: built.content.length,
      outbox_id: Number(outbox.id),
      created_by: run.by,
    })
    .execute();
  return { id, outboxId: Number(outbox.id) };
}

/** Enqueues the job that runs the schedule at its next run (a stale one does nothing, see runDueReport). */
export async function enqueueNextRun(tx: Tx, s: Pick<ScheduleRow, 'id' | 'next_run_at'>): Promise<void> {
  await enqueueJob(
    tx,
    REPORT_JOB,
    { scheduleId: s.id, runAt: s.next_run_at.toISOString() },
    { groupId: s.id, delayMs: Math.max(0, s.next_run_at.getTime() - Date.now()) },
  );
}

/**
 * The job: runs the schedule if it is still due at the instant the job was made for (paused, changed or already run
 * → nothing), then advances `next_run_at` and enqueues the next job — all in the job's transaction.
 */
export async function runDueReport(tx: Tx, scheduleId: string, runAt: string, now: Date) {
  const s = await tx
    .selectFrom('report_schedules')
    .selectAll()
    .where('id', '=', scheduleId)
    .forUpdate()
    .executeTakeFirst();
  if (!s || !s.active || s.next_run_at.toISOString() !== runAt) return { ran: false as const };
  if (s.next_run_at.getTime() > now.getTime())
    return { ran: false as const, retryInMs: s.next_run_at.getTime() - now.getTime() };
  const already = await tx
    .selectFrom('report_runs')
    .select('id')
    .where('schedule_id', '=', s.id)
    .where('scheduled_for', '=', s.next_run_at)
    .executeTakeFirst();
  let run: { id: string; outboxId: number } | null = null;
  let refused: string | null = null;
  if (!already) {
    try {
      const built = await buildReport(tx, s, s.next_run_at);
      run = await recordRun(tx, s, built, { trigger: 'schedule', scheduledFor: s.next_run_at, by: null });
    } catch (error) {
      // A refusal decided in the application (a catalogue key since removed, a range the analytics refuse) will not
      // change on retry: skip this run and keep the schedule going. Database errors propagate (the job retries).
      if (!(error instanceof AppError)) throw error;
      refused =
        error instanceof ValidationError
          ? error.errors.map((e) => `${e.field}: ${e.message}`).join('; ')
          : error.message;
    }
  }
  // A schedule that was off for a while runs once for the latest missed instant, not once per missed instant.
  const next = nextRunAfter(recurrenceOf(s), now);
  await tx
    .updateTable('report_schedules')
    .set({ next_run_at: next, last_run_at: now })
    .where('id', '=', s.id)
    .execute();
  await enqueueNextRun(tx, { id: s.id, next_run_at: next });
  return { ran: run !== null, run, refused };
}

/** "Run now": builds the report for the period before now and sends it; the schedule's next run is unchanged. */
export async function runReportNow(db: Db, actor: Actor, scheduleId: string, now = new Date()) {
  return db.transaction().execute(async (tx) => {
    const s = await tx
      .selectFrom('report_schedules')
      .selectAll()
      .where('id', '=', scheduleId)
      .forUpdate()
      .executeTakeFirst();
    if (!s) return null;
    const built = await buildReport(tx, s, now);
    const run = await recordRun(tx, s, built, { trigger: 'manual', scheduledFor: null, by: actor.id });
    await tx.updateTable('report_schedules').set({ last_run_at: now }).where('id', '=', s.id).execute();
    return {
      ...run,
      filename: built.filename,
      rows: built.rows,
      bytes: built.content.length,
      period: built.period,
    };
  });
}
