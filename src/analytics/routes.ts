import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/client.ts';

/** KPIs, trends, regulator returns and scheduled reports (IMP-1, IMP-2, IMP-5): the HTTP API (registered by buildApp). */
export function analyticsRoutes(_app: FastifyInstance, _db: Db): void {}
