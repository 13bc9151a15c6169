import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../db/client.ts';
import { requireActor } from '../server/http/auth.ts';
import { verifyHistory } from './verify-history.ts';

export function auditRoutes(app: FastifyInstance, db: Db) {
  app.withTypeProvider<ZodTypeProvider>().get('/api/audit/verify', {
    schema: { operationId: 'verifyAuditHistory', tags: ['audit'], summary: 'Verify the hash chains of the whole history' },
    handler: async (request) => {
      requireActor(request, ['auditor', 'admin', 'quality']);
      const report = await verifyHistory(db);
      return { intact: report.breaks.length === 0 && report.anchorBreaks.length === 0, ...report };
    },
  });
}
