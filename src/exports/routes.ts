/**
 * Exports (API-3): any filtered complaints list as CSV or XLSX, and scheduled reports e-mailed as files.
 *
 *   GET  /api/complaints/export?format=csv|xlsx&<the filters of GET /api/complaints>
 *   GET/POST /api/reports/schedules, GET/PUT/DELETE /api/reports/schedules/:id, POST …/:id/run, GET …/:id/runs
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import type { Actor, Role } from '../identity/roles.ts';
import { requireActor } from '../server/http/auth.ts';
import { forbidden, notFound, ValidationError } from '../shared/errors.ts';
import { languages } from '../shared/vocabulary.ts';
import { recordSystemEvent } from '../audit/record-system-event.ts';
import { getDeadlineConfig } from '../deadlines/config.ts';
import { getCatalogue } from '../catalogue/catalogue.ts';
import { organisationCalendar } from '../analytics/business-calendar.ts';
import { Readable } from 'node:stream';
import { listComplaintsQuery } from '../complaints/schemas.ts';
import { complaintsTable } from './complaints-table.ts';
import { enqueueNextRun, recurrenceOf, runReportNow, type ScheduleRow } from './reports.ts';
import { isValidTimeZone, nextRunAfter } from './schedule.ts';
import { CSV_CONTENT_TYPE, csvChunks, toXlsx, XLSX_CONTENT_TYPE } from './tabular.ts';

export const reportRoles: readonly Role[] = ['manager', 'quality', 'admin'];
const tags = ['exports'];

const exportQuery = listComplaintsQuery.omit({ limit: true, cursor: true }).extend({
  format: z.enum(['csv', 'xlsx']).default('csv'),
  timeZone: z
    .string()
    .max(64)
    .optional()
    .describe('IANA zone for dates and times (default: the organisation’s)'),
});

const scheduleInput = z.object({
  name: z.string().trim().min(1).max(120),
  kind: z.enum(['kpis', 'fca_return', 'complaints']),
  format: z.enum(['csv', 'xlsx']).default('xlsx'),
  recipients: z.array(z.email().max(254)).min(1).max(20),
  frequency: z.enum(['daily', 'weekly', 'monthly']),
  timeOfDay: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM')
    .default('07:00'),
  weekday: z.number().int().min(1).max(7).default(1),
  dayOfMonth: z.number().int().min(1).max(28).default(1),
  timeZone: z.string().max(64).optional(),
  language: z.enum(languages).default('en'),
  active: z.boolean().default(true),
  parameters: z
    .object({
      groupBy: z
        .enum(['none', 'period', 'category', 'product', 'channel', 'team', 'handler', 'language'])
        .optional(),
      period: z.enum(['day', 'week', 'month', 'quarter']).optional(),
      category: z.string().max(100).optional(),
      product: z.string().max(100).optional(),
      channel: z.string().max(40).optional(),
      team: z.string().max(100).optional(),
      type: z.string().max(40).optional(),
      window: z
        .enum(['period', 'all'])
        .optional()
        .describe('complaints: received in the period (default) or all'),
      filters: listComplaintsQuery
        .omit({ limit: true, cursor: true, q: true, sort: true })
        .partial()
        .optional(),
    })
    .strict()
    .default({}),
});
const idParams = z.object({ id: z.uuid() });

function staff(request: FastifyRequest): Actor {
  const actor = requireActor(request);
  if (actor.type === 'complainant') throw forbidden('role_not_permitted', 'Staff only');
  return actor;
}

const fileStamp = (d: Date) => d.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');

export function presentSchedule(s: ScheduleRow) {
  return {
    id: s.id,
    name: s.name,
    kind: s.kind,
    format: s.format,
    recipients: s.recipients,
    frequency: s.frequency,
    timeOfDay: s.time_of_day,
    weekday: s.weekday,
    dayOfMonth: s.day_of_month,
    timeZone: s.time_zone,
    language: s.language,
    parameters: s.parameters,
    active: s.active,
    nextRunAt: s.active ? s.next_run_at.toISOString() : null,
    lastRunAt: s.last_run_at?.toISOString() ?? null,
    createdBy: s.created_by,
    createdAt: s.created_at.toISOString(),
    updatedAt: s.updated_at.toISOString(),
    version: s.version,
  };
}

async function organisationZone(db: Db): Promise<string> {
  const zone = organisationCalendar(await getDeadlineConfig(db)).calendar.timeZone;
  return isValidTimeZone(zone) ? zone : 'UTC';
}

export function exportRoutes(app: FastifyInstance, db: Db) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/complaints/export', {
    schema: {
      operationId: 'exportComplaints',
      tags,
      summary: 'Every complaint matching the list filters, as CSV or Excel (same visibility as the list)',
      querystring: exportQuery,
    },
    handler: async (request, reply) => {
      const actor = staff(request);
      const { format, timeZone: tz, ...filter } = request.query;
      if (tz !== undefined && !isValidTimeZone(tz))
        throw new ValidationError([
          { field: 'querystring.timeZone', code: 'invalid_time_zone', message: 'Not an IANA time zone' },
        ]);
      const timeZone = tz ?? (await organisationZone(db));
      const table = await complaintsTable(db, actor, filter);
      const name = `complaints-${fileStamp(new Date())}.${format}`;
      reply
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .header('x-total-count', String(table.rows.length));
      if (format === 'xlsx')
        return reply.type(XLSX_CONTENT_TYPE).send(Buffer.from(toXlsx([table], { timeZone })));
      const chunks = csvChunks(table, { timeZone });
      return reply.type(CSV_CONTENT_TYPE).send(
        Readable.from(
          (function* () {
            for (const c of chunks) yield Buffer.from(c, 'utf8');
          })(),
        ),
      );
    },
  });

  r.get('/api/reports/schedules', {
    schema: { operationId: 'listReportSchedules', tags, summary: 'Scheduled reports' },
    handler: async (request) => {
      requireActor(request, reportRoles);
      const rows = await db.selectFrom('report_schedules').selectAll().orderBy('created_at').execute();
      return { items: rows.map(presentSchedule) };
    },
  });

  r.get('/api/reports/schedules/:id', {
    schema: { operationId: 'getReportSchedule', tags, summary: 'One scheduled report', params: idParams },
    handler: async (request) => {
      requireActor(request, reportRoles);
      const s = await db
        .selectFrom('report_schedules')
        .selectAll()
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!s) throw notFound('Report schedule');
      return presentSchedule(s);
    },
  });

  const validate = async (body: z.infer<typeof scheduleInput>) => {
    const timeZone = body.timeZone ?? (await organisationZone(db));
    if (!isValidTimeZone(timeZone))
      throw new ValidationError([
        {
          field: 'timeZone',
          code: 'invalid_time_zone',
          message: 'Not an IANA time zone, e.g. Europe/London',
        },
      ]);
    // Catalogue keys in the parameters must exist now (a scheduled run must not fail on a typo every day).
    const catalogue = await getCatalogue(db, true);
    const p = body.parameters;
    const checks: Array<[string, string | undefined, Map<string, unknown>]> = [
      ['parameters.category', p.category ?? p.filters?.category, catalogue.categories],
      ['parameters.product', p.product, catalogue.products],
      ['parameters.team', p.team ?? p.filters?.team, catalogue.teams],
    ];
    const unknown = checks.filter(([, key, map]) => key !== undefined && !map.has(key));
    if (unknown.length)
      throw new ValidationError(
        unknown.map(([field, key]) => ({
          field,
          code: 'unknown_key',
          message: `No such key "${key}" in the catalogue`,
        })),
      );
    return timeZone;
  };

  r.post('/api/reports/schedules', {
    schema: { operationId: 'createReportSchedule', tags, summary: 'Schedule a report', body: scheduleInput },
    handler: async (request, reply) => {
      const actor = requireActor(request, reportRoles);
      const b = request.body;
      const timeZone = await validate(b);
      const id = randomUUID();
      const next = nextRunAfter({ ...b, timeZone }, new Date());
      const created = await db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('report_schedules')
          .values({
            id,
            name: b.name,
            kind: b.kind,
            format: b.format,
            recipients: JSON.stringify(b.recipients),
            frequency: b.frequency,
            time_of_day: b.timeOfDay,
            weekday: b.weekday,
            day_of_month: b.dayOfMonth,
            time_zone: timeZone,
            language: b.language,
            parameters: JSON.stringify(b.parameters),
            active: b.active,
            next_run_at: next,
            created_by: actor.id,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        if (row.active) await enqueueNextRun(tx, row);
        await recordSystemEvent(tx, actor, 'report_schedule_created', {
          scheduleId: id,
          kind: b.kind,
          format: b.format,
          frequency: b.frequency,
          recipients: b.recipients.length,
        });
        return row;
      });
      return reply
        .code(201)
        .header('location', `/api/reports/schedules/${id}`)
        .send(presentSchedule(created));
    },
  });

  r.put('/api/reports/schedules/:id', {
    schema: {
      operationId: 'updateReportSchedule',
      tags,
      summary: 'Change, pause or resume a scheduled report (the whole schedule)',
      params: idParams,
      body: scheduleInput,
    },
    handler: async (request) => {
      const actor = requireActor(request, reportRoles);
      const b = request.body;
      const timeZone = await validate(b);
      const updated = await db.transaction().execute(async (tx) => {
        const s = await tx
          .selectFrom('report_schedules')
          .selectAll()
          .where('id', '=', request.params.id)
          .forUpdate()
          .executeTakeFirst();
        if (!s) throw notFound('Report schedule');
        const recurrence = {
          frequency: b.frequency,
          timeOfDay: b.timeOfDay,
          weekday: b.weekday,
          dayOfMonth: b.dayOfMonth,
          timeZone,
        };
        const same = JSON.stringify(recurrence) === JSON.stringify(recurrenceOf(s));
        const resumed = b.active && !s.active;
        const next =
          same && !resumed && s.next_run_at > new Date()
            ? s.next_run_at
            : nextRunAfter(recurrence, new Date());
        const row = await tx
          .updateTable('report_schedules')
          .set((eb) => ({
            name: b.name,
            kind: b.kind,
            format: b.format,
            recipients: JSON.stringify(b.recipients),
            frequency: b.frequency,
            time_of_day: b.timeOfDay,
            weekday: b.weekday,
            day_of_month: b.dayOfMonth,
            time_zone: timeZone,
            language: b.language,
            parameters: JSON.stringify(b.parameters),
            active: b.active,
            next_run_at: next,
            updated_at: new Date(),
            version: eb('version', '+', 1),
          }))
          .where('id', '=', s.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        if (row.active && row.next_run_at.getTime() !== s.next_run_at.getTime())
          await enqueueNextRun(tx, row);
        else if (row.active && resumed) await enqueueNextRun(tx, row);
        await recordSystemEvent(tx, actor, 'report_schedule_updated', {
          scheduleId: s.id,
          active: row.active,
        });
        return row;
      });
      return presentSchedule(updated);
    },
  });

  r.delete('/api/reports/schedules/:id', {
    schema: {
      operationId: 'deleteReportSchedule',
      tags,
      summary: 'Delete a scheduled report',
      params: idParams,
    },
    handler: async (request, reply) => {
      const actor = requireActor(request, reportRoles);
      await db.transaction().execute(async (tx) => {
        const gone = await tx
          .deleteFrom('report_schedules')
          .where('id', '=', request.params.id)
          .returning('id')
          .executeTakeFirst();
        if (!gone) throw notFound('Report schedule');
        await recordSystemEvent(tx, actor, 'report_schedule_deleted', { scheduleId: gone.id });
      });
      return reply.code(204).send();
    },
  });

  r.post('/api/reports/schedules/:id/run', {
    schema: {
      operationId: 'runReportSchedule',
      tags,
      summary: 'Build the report now (for the period before now) and e-mail it',
      params: idParams,
    },
    handler: async (request, reply) => {
      const actor = requireActor(request, reportRoles);
      const run = await runReportNow(db, actor, request.params.id);
      if (!run) throw notFound('Report schedule');
      return reply.code(202).send(run);
    },
  });

  r.get('/api/reports/schedules/:id/runs', {
    schema: {
      operationId: 'listReportRuns',
      tags,
      summary: 'The runs of a scheduled report (latest first)',
      params: idParams,
    },
    handler: async (request) => {
      requireActor(request, reportRoles);
      const runs = await db
        .selectFrom('report_runs as r')
        .leftJoin('outbox as o', 'o.id', 'r.outbox_id')
        .select([
          'r.id',
          'r.trigger',
          'r.scheduled_for',
          'r.period_from',
          'r.period_to',
          'r.filename',
          'r.rows',
          'r.bytes',
          'r.created_at',
          'o.status',
          'o.last_error',
        ])
        .where('r.schedule_id', '=', request.params.id)
        .orderBy('r.created_at', 'desc')
        .limit(50)
        .execute();
      return {
        items: runs.map((x) => ({
          id: x.id,
          trigger: x.trigger,
          scheduledFor: x.scheduled_for?.toISOString() ?? null,
          periodFrom: x.period_from,
          periodTo: x.period_to,
          filename: x.filename,
          rows: x.rows,
          bytes: x.bytes,
          createdAt: x.created_at.toISOString(),
          delivery: x.status ?? null,
          lastError: x.last_error ?? null,
        })),
      };
    },
  });
}
