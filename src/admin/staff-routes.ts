import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { recordSystemEvent } from '../audit/record-system-event.ts';
import { canonicalReference } from '../complaints/execute-action.ts';
import { actionNames, actions } from '../complaints/lifecycle.ts';
import { adminRoles, personalDataRoles, roles, unscopedReadRoles } from '../identity/roles.ts';
import { requireActor } from '../server/http/auth.ts';
import { AppError, notFound, ValidationError } from '../shared/errors.ts';
import { languages } from '../shared/vocabulary.ts';

const isoDate = z.iso.date();

/**
 * Administration of staff (users, roles, teams), their training and authorisation records (MGT-3), and the
 * declarations of a relationship with a complainant that block assignment (OBJ-1).
 */
export function staffAdminRoutes(app: FastifyInstance, db: Db) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.patch('/api/admin/users/:id', {
    schema: {
      operationId: 'updateUser',
      tags: ['administration'],
      summary: 'Change a staff user: name, role, teams, language, active (deactivation ends their sessions)',
      params: z.object({ id: z.uuid() }),
      body: z.object({
        name: z.string().trim().min(1).max(200).optional(),
        role: z.enum(roles).optional(),
        locale: z.enum(languages).optional(),
        active: z.boolean().optional(),
        teams: z.array(z.string().min(1).max(100)).max(50).optional(),
      }),
    },
    handler: async (request) => {
      const actor = requireActor(request, adminRoles);
      const { teams, ...fields } = request.body;
      if (actor.id === request.params.id && (fields.active === false || (fields.role !== undefined && fields.role !== 'admin'))) {
        throw new AppError(409, 'cannot_demote_self', 'You cannot deactivate yourself or remove your own administrator role');
      }
      await db.transaction().execute(async (tx) => {
        const user = await tx.selectFrom('users').select('id').where('id', '=', request.params.id).executeTakeFirst();
        if (!user) throw notFound('User');
        if (Object.keys(fields).length > 0) await tx.updateTable('users').set(fields).where('id', '=', user.id).execute();
        if (fields.active === false) await tx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
        if (teams !== undefined) {
          const rows = teams.length > 0 ? await tx.selectFrom('teams').select(['id', 'key']).where('key', 'in', teams).execute() : [];
          const missing = teams.filter((k) => !rows.some((t) => t.key === k));
          if (missing.length > 0) throw new ValidationError([{ field: 'teams', code: 'unknown_team', message: `Unknown team: ${missing.join(', ')}` }]);
          await tx.deleteFrom('user_teams').where('user_id', '=', user.id).execute();
          if (rows.length > 0) await tx.insertInto('user_teams').values(rows.map((t) => ({ user_id: user.id, team_id: t.id }))).execute();
        }
        await recordSystemEvent(tx, actor, 'user_updated', { userId: user.id, ...fields, ...(teams ? { teams } : {}) });
      });
      return { id: request.params.id, ...request.body };
    },
  });

  r.get('/api/admin/roles', {
    schema: { operationId: 'getRoleMatrix', tags: ['administration'], summary: 'What each role may do: lifecycle actions, personal data, scope (from the state machine)' },
    handler: async (request) => {
      requireActor(request);
      return {
        roles: roles.map((role) => ({
          role,
          actions: actionNames.filter((a) => actions[a].roles.includes(role)),
          personalData: personalDataRoles.includes(role),
          allTeams: unscopedReadRoles.includes(role),
          administers: adminRoles.includes(role),
        })),
      };
    },
  });

  r.get('/api/admin/competences', {
    schema: { operationId: 'listCompetences', tags: ['administration'], summary: 'Training and authorisation records', querystring: z.object({ userId: z.uuid().optional() }) },
    handler: async (request) => {
      requireActor(request, ['admin', 'manager', 'auditor', 'quality']);
      let q = db
        .selectFrom('staff_competences as s')
        .leftJoin('categories as c', 'c.id', 's.category_id')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .select(['s.id', 's.user_id', 'u.name as user_name', 's.kind', 'c.key as category', 'c.name as category_name', 's.title', 's.valid_from', 's.valid_until', 's.created_at'])
        .orderBy('u.name')
        .orderBy('s.created_at');
      if (request.query.userId) q = q.where('s.user_id', '=', request.query.userId);
      const rows = await q.execute();
      return {
        items: rows.map((x) => ({
          id: x.id,
          userId: x.user_id,
          userName: x.user_name,
          kind: x.kind,
          category: x.category,
          categoryName: x.category_name,
          title: x.title,
          validFrom: String(x.valid_from).slice(0, 10),
          validUntil: x.valid_until ? String(x.valid_until).slice(0, 10) : null,
        })),
      };
    },
  });

  r.post('/api/admin/competences', {
    schema: {
      operationId: 'recordCompetence',
      tags: ['administration'],
      summary: 'Record training, or an authorisation for a category (assignment then requires it for that category)',
      body: z.object({
        userId: z.uuid(),
        kind: z.enum(['training', 'authorisation']),
        category: z.string().min(1).max(100).optional(),
        title: z.string().trim().min(1).max(300),
        validFrom: isoDate.optional(),
        validUntil: isoDate.optional(),
      }),
    },
    handler: async (request, reply) => {
      const actor = requireActor(request, adminRoles);
      const b = request.body;
      const errors = [];
      if (b.kind === 'authorisation' && !b.category) errors.push({ field: 'category', code: 'required', message: 'An authorisation is for a category' });
      if (b.validFrom && b.validUntil && b.validUntil < b.validFrom) errors.push({ field: 'validUntil', code: 'before_start', message: 'cannot be before the start date' });
      const category = b.category ? await db.selectFrom('categories').select('id').where('key', '=', b.category).executeTakeFirst() : null;
      if (b.category && !category) errors.push({ field: 'category', code: 'unknown_category', message: `No category "${b.category}"` });
      if (!(await db.selectFrom('users').select('id').where('id', '=', b.userId).executeTakeFirst())) errors.push({ field: 'userId', code: 'unknown_user', message: 'No such user' });
      if (errors.length > 0) throw new ValidationError(errors);
      const id = randomUUID();
      await db.transaction().execute(async (tx) => {
        await tx
          .insertInto('staff_competences')
          .values({ id, user_id: b.userId, kind: b.kind, category_id: category?.id ?? null, title: b.title, valid_from: b.validFrom ?? new Date().toISOString().slice(0, 10), valid_until: b.validUntil ?? null })
          .execute();
        await recordSystemEvent(tx, actor, 'competence_recorded', { competenceId: id, userId: b.userId, kind: b.kind, category: b.category ?? null });
      });
      return reply.code(201).send({ id });
    },
  });

  r.delete('/api/admin/competences/:id', {
    schema: { operationId: 'deleteCompetence', tags: ['administration'], summary: 'Remove a training or authorisation record', params: z.object({ id: z.uuid() }) },
    handler: async (request, reply) => {
      const actor = requireActor(request, adminRoles);
      await db.transaction().execute(async (tx) => {
        const res = await tx.deleteFrom('staff_competences').where('id', '=', request.params.id).executeTakeFirst();
        if (Number(res.numDeletedRows) === 0) throw notFound('Record');
        await recordSystemEvent(tx, actor, 'competence_removed', { competenceId: request.params.id });
      });
      return reply.code(204).send();
    },
  });

  r.get('/api/workspace/declarations', {
    schema: { operationId: 'listConflictDeclarations', tags: ['workspace'], summary: 'Declared relationships with complainants (mine; every one for administrators and managers)' },
    handler: async (request) => {
      const actor = requireActor(request, roles);
      let q = db
        .selectFrom('conflict_declarations as d')
        .innerJoin('users as u', 'u.id', 'd.user_id')
        .select(['d.id', 'd.user_id', 'u.name', 'd.relationship', 'd.complainant_id', 'd.complainant_email', 'd.created_at'])
        .orderBy('d.created_at', 'desc');
      if (!['admin', 'manager'].includes(actor.role)) q = q.where('d.user_id', '=', actor.id ?? '00000000-0000-0000-0000-000000000000');
      const rows = await q.execute();
      return { items: rows.map((x) => ({ id: x.id, userId: x.user_id, userName: x.name, relationship: x.relationship, byComplaint: x.complainant_id !== null, email: x.complainant_email, createdAt: x.created_at.toISOString() })) };
    },
  });

  r.post('/api/workspace/declarations', {
    schema: {
      operationId: 'declareRelationship',
      tags: ['workspace'],
      summary: 'Declare a relationship with a complainant (by a complaint reference or their e-mail): assignment to you is then blocked',
      body: z.object({
        userId: z.uuid().optional().describe('Administrators may record it for someone else'),
        reference: z.string().min(1).max(40).optional(),
        email: z.email().max(254).optional(),
        relationship: z.string().trim().min(1).max(500),
      }),
    },
    handler: async (request, reply) => {
      const actor = requireActor(request, roles);
      const b = request.body;
      const userId = b.userId && adminRoles.includes(actor.role as never) ? b.userId : actor.id;
      if (!userId) throw new AppError(403, 'users_only', 'Only a staff member can declare a relationship');
      if (!b.reference && !b.email) throw new ValidationError([{ field: 'reference', code: 'required', message: 'give a complaint reference or the complainant\'s e-mail' }]);
      let complainantId: string | null = null;
      if (b.reference) {
        // Declaring needs no access to the file: the reference is enough (and nothing about the case is returned).
        const c = await db.selectFrom('complaints').select('complainant_id').where('reference', '=', canonicalReference(b.reference)).executeTakeFirst();
        if (!c?.complainant_id) throw new ValidationError([{ field: 'reference', code: 'unknown_reference', message: 'No complaint with this reference' }]);
        complainantId = c.complainant_id;
      }
      const id = randomUUID();
      await db.transaction().execute(async (tx) => {
        await tx
          .insertInto('conflict_declarations')
          .values({ id, user_id: userId, complainant_id: complainantId, complainant_email: b.email?.toLowerCase() ?? null, relationship: b.relationship })
          .execute();
        await recordSystemEvent(tx, actor, 'conflict_declared', { declarationId: id, userId });
      });
      return reply.code(201).send({ id });
    },
  });
}
