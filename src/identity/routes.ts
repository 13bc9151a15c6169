import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { RateLimiter } from '../server/http/rate-limit.ts';
import { requireActor, SESSION_COOKIE } from '../server/http/auth.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { languages } from '../shared/vocabulary.ts';
import { createApiKey, revokeApiKey } from './api-keys.ts';
import { adminRoles, roles } from './roles.ts';
import { login, logout } from './sessions.ts';
import { createUser } from './users.ts';

export function identityRoutes(app: FastifyInstance, db: Db, options: { sessionTtlHours: number; cookieSecure: boolean }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const loginLimiter = new RateLimiter(20, 5 * 60_000);

  r.post('/api/auth/login', {
    schema: {
      operationId: 'login',
      tags: ['identity'],
      summary: 'Sign in with e-mail and password; sets a session cookie',
      body: z.object({ email: z.string().trim().min(3).max(254), password: z.string().min(1).max(512) }),
    },
    handler: async (request, reply) => {
      const wait = loginLimiter.hit(request.ip);
      if (wait > 0) throw new AppError(429, 'rate_limited', `Too many sign-in attempts; try again in ${wait} s`, { retryAfter: wait });
      const session = await login(db, request.body, options.sessionTtlHours);
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: options.cookieSecure,
        expires: session.expiresAt,
      });
      const user = await db.selectFrom('users').select(['id', 'email', 'name', 'role', 'locale']).where('id', '=', session.userId).executeTakeFirstOrThrow();
      return { user, expiresAt: session.expiresAt.toISOString() };
    },
  });

  r.post('/api/auth/logout', {
    schema: { operationId: 'logout', tags: ['identity'], summary: 'End the session' },
    handler: async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await logout(db, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  });

  r.get('/api/me', {
    schema: { operationId: 'getMe', tags: ['identity'], summary: 'Who am I' },
    handler: async (request) => {
      const actor = requireActor(request);
      return { type: actor.type, id: actor.id, name: actor.label, role: actor.role, teamIds: actor.teamIds };
    },
  });

  r.get('/api/users', {
    schema: { operationId: 'listUsers', tags: ['administration'], summary: 'Staff users' },
    handler: async (request) => {
      requireActor(request, ['admin', 'manager', 'auditor']);
      const users = await db.selectFrom('users').select(['id', 'email', 'name', 'role', 'locale', 'active', 'created_at']).orderBy('email').execute();
      const teams = await db.selectFrom('user_teams').innerJoin('teams', 'teams.id', 'user_teams.team_id').select(['user_id', 'teams.key']).execute();
      return {
        items: users.map((u) => ({ ...u, created_at: undefined, createdAt: u.created_at.toISOString(), teams: teams.filter((t) => t.user_id === u.id).map((t) => t.key) })),
      };
    },
  });

  r.post('/api/users', {
    schema: {
      operationId: 'createUser',
      tags: ['administration'],
      summary: 'Create a staff user',
      body: z.object({
        email: z.email().max(254),
        name: z.string().trim().min(1).max(200),
        role: z.enum(roles),
        password: z.string().min(12).max(512),
        locale: z.enum(languages).optional(),
        teams: z.array(z.string().min(1).max(100)).max(50).optional(),
      }),
    },
    handler: async (request, reply) => {
      const actor = requireActor(request, adminRoles);
      const created = await createUser(db, actor, { ...request.body, teamKeys: request.body.teams });
      return reply.code(201).send(created);
    },
  });

  r.post('/api/api-keys', {
    schema: {
      operationId: 'createApiKey',
      tags: ['administration'],
      summary: 'Create an API key; the key is shown once',
      body: z.object({
        name: z.string().trim().min(1).max(100),
        role: z.enum(roles),
        teams: z.array(z.string().min(1).max(100)).max(50).optional().describe('Keys of the teams the key acts for'),
      }),
    },
    handler: async (request, reply) => reply.code(201).send(await createApiKey(db, requireActor(request, adminRoles), request.body)),
  });

  r.delete('/api/api-keys/:id', {
    schema: { operationId: 'revokeApiKey', tags: ['administration'], summary: 'Revoke an API key', params: z.object({ id: z.uuid() }) },
    handler: async (request, reply) => {
      if (!(await revokeApiKey(db, requireActor(request, adminRoles), request.params.id))) throw notFound('API key');
      return reply.code(204).send();
    },
  });
}
