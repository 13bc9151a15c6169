import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { visibleComplaint } from '../complaints/queries/get-complaint.ts';
import { requireActor } from '../server/http/auth.ts';
import { languages } from '../shared/vocabulary.ts';
import { pageKeys } from './content/defaults.ts';
import { listPortalPages, updatePortalPage } from './content/pages.ts';
import { portalConfig } from './routes.ts';
import { randomCredentials, revokeCredentials, storeCredentials } from './credentials.ts';
import type { PortalOptions } from './context.ts';

/**
 * The portal's part of the JSON API: the public pages an administrator edits (PORT-5), revoking and replacing a
 * complainant's tracking credentials, and the satisfaction survey answers (PORT-4) for the improvement work.
 */
export function portalApiRoutes(app: FastifyInstance, db: Db, options: PortalOptions = {}) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = portalConfig(options);

  r.get('/api/portal/pages', {
    schema: { operationId: 'listPortalPages', tags: ['portal'], summary: 'The public pages of the portal, in every language' },
    handler: async (request) => {
      requireActor(request, ['admin', 'manager', 'quality', 'auditor']);
      return { items: await listPortalPages(db) };
    },
  });

  r.put('/api/portal/pages/:key/:language', {
    schema: {
      operationId: 'updatePortalPage',
      tags: ['portal'],
      summary: 'Edit a public page in one language (paragraphs, ## headings, - lists, **strong**, [text](link))',
      params: z.object({ key: z.enum(pageKeys), language: z.enum(languages) }),
      body: z.object({ title: z.string().trim().min(1).max(200), body: z.string().trim().min(1).max(20_000) }),
    },
    handler: async (request) => {
      const actor = requireActor(request, ['admin']);
      return updatePortalPage(db, actor, { ...request.params, ...request.body });
    },
  });

  r.post('/api/complaints/:reference/portal-access', {
    schema: {
      operationId: 'replacePortalAccess',
      tags: ['portal'],
      summary: "Revoke the complainant's tracking link and secret and send new ones (through the outbox)",
      params: z.object({ reference: z.string().min(1).max(40) }),
    },
    handler: async (request) => {
      const actor = requireActor(request, ['intake', 'handler', 'manager']);
      const complaint = await visibleComplaint(db, actor, request.params.reference);
      const language = complaint.language;
      const revoked = await db.transaction().execute(async (tx) => {
        const n = await revokeCredentials(tx, complaint.id);
        await storeCredentials(tx, complaint, randomCredentials(), { publicUrl: config.publicUrl, language, reason: 'reissued' });
        return n;
      });
      return { reference: complaint.reference, revoked, reissued: true };
    },
  });

  r.get('/api/portal/surveys', {
    schema: {
      operationId: 'listSurveyAnswers',
      tags: ['portal'],
      summary: 'Satisfaction survey answers (1 = very poor … 5 = very good), newest first',
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
    },
    handler: async (request) => {
      requireActor(request, ['quality', 'manager', 'auditor', 'admin']);
      const rows = await db
        .selectFrom('portal_surveys as s')
        .innerJoin('complaints as c', 'c.id', 's.complaint_id')
        .select(['c.reference', 's.closed_at', 's.language', 's.answers', 's.comment', 's.created_at'])
        .orderBy('s.created_at', 'desc')
        .limit(request.query.limit)
        .execute();
      return {
        items: rows.map((s) => ({
          reference: s.reference,
          closedAt: s.closed_at.toISOString(),
          language: s.language,
          answers: s.answers,
          comment: s.comment,
          answeredAt: s.created_at.toISOString(),
        })),
      };
    },
  });
}
