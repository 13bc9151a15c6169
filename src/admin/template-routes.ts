import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { recordSystemEvent } from '../audit/record-system-event.ts';
import { adminRoles } from '../identity/roles.ts';
import { requireActor } from '../server/http/auth.ts';
import { conflict, notFound } from '../shared/errors.ts';
import { languages } from '../shared/vocabulary.ts';

const key = z.string().trim().min(1).max(100).regex(/^[a-z0-9][a-z0-9.-]*$/, 'must be lower-case letters, digits, dots and dashes, e.g. decision-upheld');
const present = (t: { id: string; key: string; language: string; name: string; body: string; active: boolean; updated_at: Date }) => ({
  id: t.id,
  key: t.key,
  language: t.language,
  name: t.name,
  body: t.body,
  active: t.active,
  updatedAt: t.updated_at.toISOString(),
});

/** Response templates per language with placeholders (WORK-5, LIFE-6): read by the composer, kept by administrators. */
export function templateRoutes(app: FastifyInstance, db: Db) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/response-templates', {
    schema: {
      operationId: 'listResponseTemplates',
      tags: ['workspace'],
      summary: 'Response templates (active ones unless all=true), optionally in one language',
      querystring: z.object({ language: z.enum(languages).optional(), all: z.enum(['true', 'false']).optional() }),
    },
    handler: async (request) => {
      requireActor(request, ['handler', 'manager', 'admin', 'quality', 'auditor']);
      let q = db.selectFrom('response_templates').selectAll().orderBy('key').orderBy('language');
      if (request.query.language) q = q.where('language', '=', request.query.language);
      if (request.query.all !== 'true') q = q.where('active', '=', true);
      return { items: (await q.execute()).map(present) };
    },
  });

  r.post('/api/admin/response-templates', {
    schema: {
      operationId: 'createResponseTemplate',
      tags: ['administration'],
      summary: 'Add a response template in one language',
      body: z.object({ key, language: z.enum(languages), name: z.string().trim().min(1).max(200), body: z.string().trim().min(1).max(50_000) }),
    },
    handler: async (request, reply) => {
      const actor = requireActor(request, adminRoles);
      const id = randomUUID();
      const row = await db.transaction().execute(async (tx) => {
        const exists = await tx.selectFrom('response_templates').select('id').where('key', '=', request.body.key).where('language', '=', request.body.language).executeTakeFirst();
        if (exists) throw conflict('template_exists', `A template "${request.body.key}" in ${request.body.language} already exists`);
        const inserted = await tx.insertInto('response_templates').values({ id, ...request.body }).returningAll().executeTakeFirstOrThrow();
        await recordSystemEvent(tx, actor, 'template_created', { templateId: id, key: request.body.key, language: request.body.language });
        return inserted;
      });
      return reply.code(201).send(present(row));
    },
  });

  r.put('/api/admin/response-templates/:id', {
    schema: {
      operationId: 'updateResponseTemplate',
      tags: ['administration'],
      summary: 'Change a response template (name, text, active)',
      params: z.object({ id: z.uuid() }),
      body: z.object({ name: z.string().trim().min(1).max(200), body: z.string().trim().min(1).max(50_000), active: z.boolean().default(true) }),
    },
    handler: async (request) => {
      const actor = requireActor(request, adminRoles);
      const row = await db.transaction().execute(async (tx) => {
        const updated = await tx
          .updateTable('response_templates')
          .set({ ...request.body, updated_at: new Date() })
          .where('id', '=', request.params.id)
          .returningAll()
          .executeTakeFirst();
        if (!updated) throw notFound('Template');
        await recordSystemEvent(tx, actor, 'template_updated', { templateId: updated.id, active: updated.active });
        return updated;
      });
      return present(row);
    },
  });
}
