import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../db/client.ts';
import { actorForApiKey } from '../../identity/api-keys.ts';
import { actorForSession } from '../../identity/sessions.ts';
import type { Actor, Role } from '../../identity/roles.ts';
import { AppError, forbidden } from '../../shared/errors.ts';

export const SESSION_COOKIE = 'redress_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/** Resolves the caller once per request: a Bearer API key, or a session cookie. */
export function installAuthentication(app: FastifyInstance, db: Db, ttlHours: number) {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      request.actor = await actorForApiKey(db, header.slice(7).trim());
      if (!request.actor) throw new AppError(401, 'invalid_api_key', 'This API key is not valid or has been revoked');
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (token) request.actor = await actorForSession(db, token, ttlHours);
  });
}

export function requireActor(request: FastifyRequest, roles?: readonly Role[]): Actor {
  const actor = request.actor;
  if (!actor) throw new AppError(401, 'unauthenticated', 'Sign in or give an API key (Authorization: Bearer …)');
  if (roles && !(roles as readonly string[]).includes(actor.role)) throw forbidden('role_not_permitted', `Your role (${actor.role}) cannot do this`);
  return actor;
}
