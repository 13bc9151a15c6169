/**
 * The deadline API: profiles, calendars and holidays (read by staff, changed by administrators, versioned), the
 * monitor's settings, a preview of what profiles do, and the jobs a change starts.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { adminRoles, type Actor } from '../identity/roles.ts';
import { requireActor } from '../server/http/auth.ts';
import { forbidden, notFound, ValidationError } from '../shared/errors.ts';
import { getJob, presentJob } from '../jobs/queue.ts';
import {
  addHolidaysInput,
  computeInput,
  configId,
  createCalendarInput,
  createProfileInput,
  importHolidaysInput,
  settingsInput,
  updateCalendarInput,
  updateProfileInput,
} from './admin-schemas.ts';
import {
  addHolidays,
  createCalendar,
  createProfile,
  importHolidays,
  removeHoliday,
  updateCalendar,
  updateProfile,
  updateSettings,
} from './admin.ts';
import { getDeadlineConfig } from './config.ts';
import { computeDueDates, DeadlineError, type DeadlineProfile } from './engine.ts';
import { CalendarError } from './calendar.ts';
import { presentCalendar, presentProfile } from './present.ts';

const idParams = z.object({ id: configId });
const tags = ['deadlines'];

function staff(request: FastifyRequest): Actor {
  const actor = requireActor(request);
  if (actor.type === 'complainant') throw forbidden('role_not_permitted', 'Staff only');
  return actor;
}
const admin = (request: FastifyRequest) => requireActor(request, adminRoles);

export function deadlineRoutes(app: FastifyInstance, db: Db) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  const profileOut = async (id: string) => {
    const entry = (await getDeadlineConfig(db)).profiles.get(id);
    if (!entry) throw notFound(`Deadline profile ${id}`);
    return presentProfile(entry, true);
  };
  const calendarOut = async (id: string) => {
    const entry = (await getDeadlineConfig(db)).calendarEntries.get(id);
    if (!entry) throw notFound(`Calendar ${id}`);
    return presentCalendar(entry);
  };

  r.get('/api/deadlines/profiles', {
    schema: { operationId: 'listDeadlineProfiles', tags, summary: 'Deadline profiles (current versions)' },
    handler: async (request) => {
      staff(request);
      const config = await getDeadlineConfig(db);
      return {
        items: [...config.profiles.values()]
          .sort((a, b) => a.id.localeCompare(b.id))
          .map((e) => presentProfile(e)),
      };
    },
  });

  r.get('/api/deadlines/profiles/:id', {
    schema: {
      operationId: 'getDeadlineProfile',
      tags,
      summary: 'A deadline profile with all its versions',
      params: idParams,
    },
    handler: async (request) => {
      staff(request);
      return profileOut(request.params.id);
    },
  });

  r.post('/api/deadlines/profiles', {
    schema: {
      operationId: 'createDeadlineProfile',
      tags,
      summary: 'Create a deadline profile (version 1)',
      body: createProfileInput,
    },
    handler: async (request, reply) => {
      const created = await createProfile(db, admin(request), request.body);
      return reply
        .code(201)
        .header('location', `/api/deadlines/profiles/${created.id}`)
        .send({ profile: await profileOut(created.id), recompute: null });
    },
  });

  r.put('/api/deadlines/profiles/:id', {
    schema: {
      operationId: 'updateDeadlineProfile',
      tags,
      summary: 'Change a deadline profile: a new version (open complaints keep theirs unless applyToOpen)',
      params: idParams,
      body: updateProfileInput,
    },
    handler: async (request) => {
      const changed = await updateProfile(db, admin(request), request.params.id, request.body);
      return { profile: await profileOut(changed.id), recompute: changed.recompute };
    },
  });

  r.get('/api/deadlines/calendars', {
    schema: { operationId: 'listDeadlineCalendars', tags, summary: 'Business calendars (current versions)' },
    handler: async (request) => {
      staff(request);
      const config = await getDeadlineConfig(db);
      return {
        items: [...config.calendarEntries.values()]
          .sort((a, b) => a.id.localeCompare(b.id))
          .map((e) => ({
            ...presentCalendar(e),
            holidays: undefined,
            holidayCount: e.calendar.holidays.length,
          })),
      };
    },
  });

  r.get('/api/deadlines/calendars/:id', {
    schema: {
      operationId: 'getDeadlineCalendar',
      tags,
      summary: 'A business calendar: working hours, time zone, holidays (current or a given version)',
      params: idParams,
      querystring: z.object({ version: z.coerce.number().int().min(1).optional() }),
    },
    handler: async (request) => {
      staff(request);
      const { id } = request.params;
      if (request.query.version === undefined) return calendarOut(id);
      const v = await db
        .selectFrom('deadline_calendar_versions')
        .selectAll()
        .where('calendar_id', '=', id)
        .where('version', '=', request.query.version)
        .executeTakeFirst();
      if (!v) throw notFound(`Calendar ${id} version ${request.query.version}`);
      return {
        id,
        version: v.version,
        name: v.name,
        timeZone: v.time_zone,
        workingHours: v.working_hours,
        holidays: v.holidays.map((h) => ({ date: h.date, name: h.name ?? null })),
        note: v.note,
        createdAt: v.created_at.toISOString(),
      };
    },
  });

  r.get('/api/deadlines/calendars/:id/versions', {
    schema: {
      operationId: 'listDeadlineCalendarVersions',
      tags,
      summary: 'The versions of a calendar',
      params: idParams,
    },
    handler: async (request) => {
      staff(request);
      const rows = await db
        .selectFrom('deadline_calendar_versions')
        .select(['version', 'note', 'created_at', 'created_by', 'holidays'])
        .where('calendar_id', '=', request.params.id)
        .orderBy('version')
        .execute();
      if (rows.length === 0) throw notFound(`Calendar ${request.params.id}`);
      return {
        items: rows.map((v) => ({
          version: v.version,
          note: v.note,
          createdAt: v.created_at.toISOString(),
          createdBy: v.created_by,
          holidayCount: v.holidays.length,
        })),
      };
    },
  });

  r.post('/api/deadlines/calendars', {
    schema: {
      operationId: 'createDeadlineCalendar',
      tags,
      summary: 'Create a business calendar (version 1)',
      body: createCalendarInput,
    },
    handler: async (request, reply) => {
      const created = await createCalendar(db, admin(request), request.body);
      return reply
        .code(201)
        .header('location', `/api/deadlines/calendars/${created.id}`)
        .send({ calendar: await calendarOut(created.id), recompute: null });
    },
  });

  r.put('/api/deadlines/calendars/:id', {
    schema: {
      operationId: 'updateDeadlineCalendar',
      tags,
      summary: 'Change a calendar: a new version; open complaints on it are recomputed by a job',
      params: idParams,
      body: updateCalendarInput,
    },
    handler: async (request) => {
      const changed = await updateCalendar(db, admin(request), request.params.id, request.body);
      return { calendar: await calendarOut(changed.id), recompute: changed.recompute };
    },
  });

  r.post('/api/deadlines/calendars/:id/holidays', {
    schema: {
      operationId: 'addHolidays',
      tags,
      summary: 'Add public holidays (a new calendar version; recompute job)',
      params: idParams,
      body: addHolidaysInput,
    },
    handler: async (request) => {
      const changed = await addHolidays(db, admin(request), request.params.id, request.body);
      return { calendar: await calendarOut(changed.id), recompute: changed.recompute };
    },
  });

  r.delete('/api/deadlines/calendars/:id/holidays/:date', {
    schema: {
      operationId: 'removeHoliday',
      tags,
      summary: 'Remove a public holiday (a new calendar version; recompute job)',
      params: idParams.extend({ date: z.iso.date() }),
      querystring: z.object({ expectedVersion: z.coerce.number().int().min(1).optional() }),
    },
    handler: async (request) => {
      const changed = await removeHoliday(
        db,
        admin(request),
        request.params.id,
        request.params.date,
        request.query.expectedVersion,
      );
      return { calendar: await calendarOut(changed.id), recompute: changed.recompute };
    },
  });

  r.post('/api/deadlines/calendars/:id/holidays/import', {
    bodyLimit: 3 * 1024 * 1024,
    schema: {
      operationId: 'importHolidays',
      tags,
      summary:
        'Import public holidays from an iCalendar file (merge or replace; a new version; recompute job)',
      params: idParams,
      body: importHolidaysInput,
    },
    handler: async (request) => {
      const changed = await importHolidays(db, admin(request), request.params.id, request.body);
      return {
        calendar: await calendarOut(changed.id),
        imported: changed.imported,
        recompute: changed.recompute,
      };
    },
  });

  r.get('/api/deadlines/settings', {
    schema: {
      operationId: 'getDeadlineSettings',
      tags,
      summary: 'Warning shares, letter task share, default profiles and profile rules',
    },
    handler: async (request) => {
      staff(request);
      return (await getDeadlineConfig(db)).settings;
    },
  });

  r.put('/api/deadlines/settings', {
    schema: {
      operationId: 'updateDeadlineSettings',
      tags,
      summary: 'Change the deadline monitor settings and profile rules',
      body: settingsInput,
    },
    handler: async (request) => updateSettings(db, admin(request), request.body),
  });

  r.post('/api/deadlines/compute', {
    schema: {
      operationId: 'computeDeadlines',
      tags,
      summary: 'What these profiles give for a complaint received at an instant (strictest per milestone)',
      body: computeInput,
    },
    handler: async (request) => {
      staff(request);
      const config = await getDeadlineConfig(db);
      const body = request.body;
      const errors: Array<{ field: string; code: string; message: string }> = [];
      const profiles: DeadlineProfile[] = [];
      body.profiles.forEach((id, i) => {
        const e = config.profiles.get(id);
        const v = e?.versions.find((x) => x.profile.version === e.currentVersion);
        if (!v)
          errors.push({
            field: `profiles.${i}`,
            code: 'unknown_profile',
            message: `No deadline profile "${id}"`,
          });
        else profiles.push(body.calendar ? { ...v.profile, calendarId: body.calendar } : v.profile);
      });
      if (body.calendar && !config.calendars[body.calendar])
        errors.push({
          field: 'calendar',
          code: 'unknown_calendar',
          message: `No calendar "${body.calendar}"`,
        });
      if (errors.length) throw new ValidationError(errors);
      try {
        const milestones = computeDueDates({
          receivedAt: new Date(body.receivedAt),
          profiles,
          calendars: config.calendars,
          context: {
            ...(body.outcome ? { outcome: body.outcome } : {}),
            ...(body.productKind ? { productKind: body.productKind } : {}),
          },
        });
        return {
          milestones: milestones.map((m) => ({
            name: m.name,
            dueAt: m.dueAt.toISOString(),
            profile: m.profileId,
            version: m.profileVersion,
            clock: m.clock,
            rule: m.rule,
          })),
        };
      } catch (error) {
        if (error instanceof DeadlineError || error instanceof CalendarError)
          throw new ValidationError([{ field: 'profiles', code: 'cannot_compute', message: error.message }]);
        throw error;
      }
    },
  });

  r.get('/api/jobs/:id', {
    schema: {
      operationId: 'getJob',
      tags: ['jobs'],
      summary: 'A background job and its progress',
      params: z.object({ id: z.coerce.number().int().min(1) }),
    },
    handler: async (request) => {
      admin(request);
      const job = await getJob(db, request.params.id);
      if (!job) throw notFound(`Job ${request.params.id}`);
      return presentJob(job);
    },
  });

  r.get('/api/jobs', {
    schema: {
      operationId: 'listJobs',
      tags: ['jobs'],
      summary: 'Recent background jobs (optionally of one change)',
      querystring: z.object({
        groupId: z.uuid().optional(),
        status: z.enum(['pending', 'done', 'failed']).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
    },
    handler: async (request) => {
      admin(request);
      let q = db.selectFrom('jobs').selectAll().orderBy('id', 'desc').limit(request.query.limit);
      if (request.query.groupId) q = q.where('group_id', '=', request.query.groupId);
      if (request.query.status) q = q.where('status', '=', request.query.status);
      return { items: (await q.execute()).map(presentJob) };
    },
  });
}
