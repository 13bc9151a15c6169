import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/client.ts';

/** Root causes, corrective and preventive actions, systemic issues (IMP-3, IMP-4): the HTTP API (registered by buildApp). */
export function improvementRoutes(_app: FastifyInstance, _db: Db): void {}
