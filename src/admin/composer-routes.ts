import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { getCatalogue } from '../catalogue/catalogue.ts';
import { trackingUrl } from '../channels/notifications.ts';
import { renderNotification } from '../channels/templates/render.ts';
import { maySeePersonalData } from '../complaints/presenter.ts';
import { visibleComplaint } from '../complaints/queries/get-complaint.ts';
import { requireActor } from '../server/http/auth.ts';
import { outcomes } from '../shared/vocabulary.ts';
import { assignmentCandidates } from './assignment.ts';

const referenceParams = z.object({ reference: z.string().min(1).max(40) });

/** The response composer's preview (WORK-5) and the ranked assignment candidates (LIFE-3, OBJ-1, MGT-3). */
export function composerRoutes(app: FastifyInstance, db: Db, options: { publicUrl?: string | undefined }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/complaints/:reference/response-preview', {
    schema: {
      operationId: 'previewResponse',
      tags: ['workspace'],
      summary: 'The decision letter exactly as the complainant will receive it (their language and direction), from a draft',
      params: referenceParams,
      body: z.object({
        outcome: z.enum(outcomes).optional(),
        reasons: z.string().max(20_000).optional(),
        remedies: z.array(z.object({ key: z.string().max(100), amount: z.number().nonnegative().optional() })).max(20).default([]),
        message: z.string().max(50_000).optional(),
      }),
    },
    handler: async (request) => {
      const actor = requireActor(request, ['handler', 'manager']);
      const c = await visibleComplaint(db, actor, request.params.reference);
      const person = c.complainant_id ? await db.selectFrom('complainants').selectAll().where('id', '=', c.complainant_id).executeTakeFirst() : undefined;
      const catalogue = await getCatalogue(db);
      const draft = request.body;
      const rendered = renderNotification({
        kind: 'decision',
        language: person?.preferred_language || c.language,
        name: person && !person.anonymous && maySeePersonalData(actor) ? person.name : null,
        reference: c.reference,
        receivedAt: c.received_at,
        dueAt: c.next_due_at,
        trackingUrl: trackingUrl(options.publicUrl ?? 'http://localhost:3000', c.reference),
        // As sent: the message is the letter's body (else the reasons), as src/complaints/commands/response.ts records it.
        message: draft.message?.trim() ? draft.message : (draft.reasons ?? null),
        outcome: draft.outcome ?? null,
        reasons: draft.reasons ?? null,
        remedies: draft.remedies.map((x) => {
          const name = catalogue.remedies.get(x.key)?.name ?? x.key;
          return x.amount !== undefined ? `${name}: ${x.amount}` : name;
        }),
      });
      return { language: rendered.language, dir: rendered.dir, subject: rendered.subject, html: rendered.html, text: rendered.text };
    },
  });

  r.get('/api/complaints/:reference/assignment-candidates', {
    schema: {
      operationId: 'listAssignmentCandidates',
      tags: ['workspace'],
      summary: 'Who could own this complaint, best first (team, language, authorisation, load), with the reasons others are blocked',
      params: referenceParams,
    },
    handler: async (request) => {
      const actor = requireActor(request, ['handler', 'manager']);
      const c = await visibleComplaint(db, actor, request.params.reference);
      return { items: await assignmentCandidates(db, c) };
    },
  });
}
