import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { getCatalogue } from '../catalogue/catalogue.ts';
import { factsOf } from '../complaints/execute-action.ts';
import { checkAction } from '../complaints/lifecycle.ts';
import { presentComplaintSummary } from '../complaints/presenter.ts';
import { requireActor } from '../server/http/auth.ts';
import { AppError } from '../shared/errors.ts';
import { languages } from '../shared/vocabulary.ts';

const staffRoles = ['intake', 'handler', 'manager', 'quality', 'auditor', 'admin'] as const;

/** What the staff workspace (/app) reads about its user and colleagues, and the approval queue (WORK-1, OBJ-3). */
export function workspaceRoutes(app: FastifyInstance, db: Db) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  const requireUser = (request: Parameters<typeof requireActor>[0]) => {
    const actor = requireActor(request, staffRoles);
    if (actor.type !== 'user' || actor.id === null) throw new AppError(403, 'users_only', 'Only a signed-in staff member has a workspace');
    return { ...actor, id: actor.id };
  };

  r.get('/api/workspace/me', {
    schema: { operationId: 'getWorkspaceProfile', tags: ['workspace'], summary: 'The signed-in staff member: role, teams (keys) and language' },
    handler: async (request) => {
      const actor = requireUser(request);
      const user = await db.selectFrom('users').select(['id', 'email', 'name', 'role', 'locale']).where('id', '=', actor.id).executeTakeFirstOrThrow();
      const teams = await db
        .selectFrom('user_teams')
        .innerJoin('teams', 'teams.id', 'user_teams.team_id')
        .select(['teams.key', 'teams.name'])
        .where('user_teams.user_id', '=', actor.id)
        .orderBy('teams.name')
        .execute();
      return { ...user, teams };
    },
  });

  r.put('/api/workspace/me/locale', {
    schema: {
      operationId: 'setMyLanguage',
      tags: ['workspace'],
      summary: 'Remember the language of the signed-in staff member',
      body: z.object({ locale: z.enum(languages) }),
    },
    handler: async (request, reply) => {
      const actor = requireUser(request);
      await db.updateTable('users').set({ locale: request.body.locale }).where('id', '=', actor.id).execute();
      return reply.code(204).send();
    },
  });

  r.get('/api/workspace/staff', {
    schema: { operationId: 'listStaffDirectory', tags: ['workspace'], summary: 'Colleagues (names, roles, teams) for owner names and pickers' },
    handler: async (request) => {
      requireActor(request, staffRoles);
      const [users, teams] = await Promise.all([
        db.selectFrom('users').select(['id', 'email', 'name', 'role', 'locale', 'active']).orderBy('name').execute(),
        db.selectFrom('user_teams').innerJoin('teams', 'teams.id', 'user_teams.team_id').select(['user_id', 'teams.key']).execute(),
      ]);
      return { items: users.map((u) => ({ ...u, teams: teams.filter((t) => t.user_id === u.id).map((t) => t.key) })) };
    },
  });

  r.get('/api/workspace/approvals', {
    schema: {
      operationId: 'listAwaitingMyApproval',
      tags: ['workspace'],
      summary: 'Drafted responses that need a second person and that this user may approve (four eyes)',
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(100), cursor: z.string().max(200).optional() }),
    },
    handler: async (request) => {
      const actor = requireActor(request, staffRoles);
      const rows = await db
        .selectFrom('complaints')
        .selectAll()
        .where('state', '=', 'response_drafted')
        .where('approval_required', '=', true)
        .orderBy('received_at')
        .limit(500)
        .execute();
      const catalogue = await getCatalogue(db);
      const mine = rows.filter((c) => checkAction('approve_response', factsOf(c), actor) === null).slice(0, request.query.limit);
      return { items: mine.map((c) => presentComplaintSummary(c, catalogue)), nextCursor: null };
    },
  });
}
