import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/client.ts';

/** Bulk import of historical complaints (API-3) and exports: the HTTP API (registered by buildApp). */
export function importRoutes(_app: FastifyInstance, _db: Db): void {}
