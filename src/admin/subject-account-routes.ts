import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { applyAction, canonicalReference } from '../complaints/execute-action.ts';
import { handlers } from '../complaints/handlers.ts';
import { openStates } from '../complaints/lifecycle.ts';
import { roles } from '../identity/roles.ts';
import { requireActor } from '../server/http/auth.ts';
import { AppError, notFound } from '../shared/errors.ts';

/**
 * OBJ-4: a staff member who is the subject of a complaint cannot open its file, but can see that there is one and
 * give their account, which is added to the case as an internal note (in its history like any other).
 */
export function subjectAccountRoutes(app: FastifyInstance, db: Db) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const userOf = (request: Parameters<typeof requireActor>[0]) => {
    const actor = requireActor(request, roles);
    if (actor.type !== 'user' || actor.id === null) throw new AppError(403, 'users_only', 'Only a signed-in staff member can do this');
    return { ...actor, id: actor.id };
  };

  r.get('/api/workspace/about-me', {
    schema: { operationId: 'listComplaintsAboutMe', tags: ['workspace'], summary: 'Open complaints about me: reference and dates only, never the file' },
    handler: async (request) => {
      const actor = userOf(request);
      const rows = await db
        .selectFrom('complaints')
        .select(['id', 'reference', 'received_at'])
        .where('subject_user_id', '=', actor.id)
        .where('state', 'in', [...openStates])
        .orderBy('received_at', 'desc')
        .execute();
      const given = rows.length
        ? await db.selectFrom('notes').select('complaint_id').where('author_id', '=', actor.id).where('complaint_id', 'in', rows.map((x) => x.id)).execute()
        : [];
      return {
        items: rows.map((x) => ({ reference: x.reference, receivedAt: x.received_at.toISOString(), accountGiven: given.some((g) => g.complaint_id === x.id) })),
      };
    },
  });

  r.post('/api/workspace/about-me/:reference/account', {
    schema: {
      operationId: 'giveMyAccount',
      tags: ['workspace'],
      summary: 'Give my account of a complaint about me (added to the case as an internal note)',
      params: z.object({ reference: z.string().min(1).max(40) }),
      body: z.object({ body: z.string().trim().min(1).max(20_000) }),
    },
    handler: async (request, reply) => {
      const actor = userOf(request);
      const ref = canonicalReference(request.params.reference);
      await db.transaction().execute(async (tx) => {
        const complaint = await tx
          .selectFrom('complaints')
          .selectAll()
          .where('reference', '=', ref)
          .where('subject_user_id', '=', actor.id)
          .where('state', 'in', [...openStates])
          .forUpdate()
          .executeTakeFirst();
        if (!complaint) throw notFound(`Complaint ${ref}`);
        await applyAction({
          db,
          tx,
          complaint,
          actor: { ...actor, channel: 'web' },
          name: 'add_note',
          input: { body: `[Account of the staff member concerned]\n${request.body.body}` },
          handler: handlers.add_note,
          now: new Date(),
        });
      });
      return reply.code(201).send({ reference: ref });
    },
  });
}
