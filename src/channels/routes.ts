import type { FastifyInstance } from 'fastify';
import { summariseAttachments } from './email/staff-mail.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { recordSystemEvent } from '../audit/record-system-event.ts';
import { executeAction } from '../complaints/execute-action.ts';
import { handlers } from '../complaints/handlers.ts';
import { canSee } from '../complaints/lifecycle.ts';
import { adminRoles, type Role } from '../identity/roles.ts';
import { requireActor } from '../server/http/auth.ts';
import { AppError, conflict, notFound } from '../shared/errors.ts';
import { appendCaseEvent } from './case-events.ts';
import type { SmsProvider } from './sms/provider.ts';

export interface ChannelRouteOptions {
  publicUrl: string;
  /** The SMS provider whose delivery-status callbacks are accepted (null: callbacks are refused). */
  sms: SmsProvider | null;
}

const caseWorkers: readonly Role[] = ['intake', 'handler', 'manager'];
const limit = z.coerce.number().int().min(1).max(200).default(50);

const encodeCursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | null {
  if (!cursor) return null;
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new AppError(400, 'invalid_cursor', 'The cursor is not valid');
  }
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Payload fields that are credentials (the portal's private link and secret): never shown, even to administrators. */
const SECRET_FIELDS = new Set(['secret', 'trackingUrl', 'trackingPath', 'token', 'link']);
const redactPayload = (payload: unknown) =>
  payload && typeof payload === 'object'
    ? summariseAttachments(Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? '[redacted]' : v])))
    : payload;

/**
 * Administration of the channels (CHAN-3): the outbox with its delivery log, dead letters and their retry; every
 * inbound e-mail with its outcome, quarantined and rejected ones with their raw source; the likely duplicates (INT-7);
 * and the SMS provider's delivery-status callback (signature checked).
 */
export function channelRoutes(app: FastifyInstance, db: Db, options: ChannelRouteOptions) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/admin/outbox', {
    schema: {
      operationId: 'listOutboxMessages',
      tags: ['channels'],
      summary: 'Notifications in the outbox, newest first; status=dead lists the dead letters',
      querystring: z.object({
        status: z.enum(['pending', 'sent', 'dead']).optional(),
        topic: z.string().min(1).max(100).optional(),
        inDoubt: z.enum(['true', 'false']).optional().describe('Only messages whose delivery is in doubt (the worker stopped after handing them over)'),
        limit,
        cursor: z.string().max(200).optional(),
      }),
    },
    handler: async (request) => {
      requireActor(request, adminRoles);
      const q = request.query;
      const after = decodeCursor(q.cursor, z.number().int());
      let query = db
        .selectFrom('outbox as o')
        .leftJoin('complaints as c', 'c.id', 'o.complaint_id')
        .select(['o.id', 'o.topic', 'o.status', 'o.attempts', 'o.channel', 'o.message_id', 'o.available_at', 'o.last_error', 'o.sent_at', 'o.created_at', 'c.reference'])
        .orderBy('o.id', 'desc')
        .limit(q.limit + 1);
      if (q.status) query = query.where('o.status', '=', q.status);
      if (q.topic) query = query.where('o.topic', '=', q.topic);
      if (q.inDoubt === 'true') query = query.where('o.last_error', 'like', 'in doubt:%');
      if (after !== null) query = query.where('o.id', '<', after);
      const rows = await query.execute();
      const page = rows.slice(0, q.limit);
      return {
        items: page.map((o) => ({
          id: o.id,
          topic: o.topic,
          reference: o.reference ?? null,
          status: o.status,
          attempts: o.attempts,
          channel: o.channel,
          messageId: o.message_id,
          availableAt: iso(o.available_at),
          lastError: o.last_error,
          sentAt: iso(o.sent_at),
          createdAt: iso(o.created_at),
        })),
        nextCursor: rows.length > q.limit ? encodeCursor(page.at(-1)!.id) : null,
      };
    },
  });

  r.get('/api/admin/outbox/:id', {
    schema: {
      operationId: 'getOutboxMessage',
      tags: ['channels'],
      summary: 'One notification with every delivery attempt',
      params: z.object({ id: z.coerce.number().int().positive() }),
    },
    handler: async (request) => {
      requireActor(request, adminRoles);
      const o = await db
        .selectFrom('outbox as o')
        .leftJoin('complaints as c', 'c.id', 'o.complaint_id')
        .selectAll('o')
        .select('c.reference')
        .where('o.id', '=', request.params.id)
        .executeTakeFirst();
      if (!o) throw notFound('Outbox message');
      const attempts = await db.selectFrom('delivery_attempts').selectAll().where('outbox_id', '=', o.id).orderBy('started_at').execute();
      return {
        id: o.id,
        topic: o.topic,
        reference: o.reference ?? null,
        status: o.status,
        attempts: o.attempts,
        channel: o.channel,
        messageId: o.message_id,
        payload: redactPayload(o.payload),
        availableAt: iso(o.available_at),
        lastError: o.last_error,
        sentAt: iso(o.sent_at),
        createdAt: iso(o.created_at),
        requeuedAt: iso(o.requeued_at),
        deliveryAttempts: attempts.map((a) => ({
          id: a.id,
          attempt: a.attempt,
          worker: a.worker,
          channel: a.channel,
          outcome: a.outcome,
          startedAt: iso(a.started_at),
          finishedAt: iso(a.finished_at),
          durationMs: a.duration_ms,
          response: a.response,
          error: a.error,
          providerMessageId: a.provider_message_id,
          providerStatus: a.provider_status,
          providerStatusAt: iso(a.provider_status_at),
        })),
      };
    },
  });

  r.post('/api/admin/outbox/:id/retry', {
    schema: {
      operationId: 'retryOutboxMessage',
      tags: ['channels'],
      summary: 'Send a dead letter again (or, with resend, a message whose delivery is in doubt)',
      params: z.object({ id: z.coerce.number().int().positive() }),
      body: z.object({ resend: z.boolean().default(false).describe('Also requeue a message marked sent (e.g. in doubt): it goes out again with the same Message-ID') }).default({ resend: false }),
    },
    handler: async (request) => {
      const actor = requireActor(request, adminRoles);
      const allowed: Array<'dead' | 'sent'> = request.body.resend ? ['dead', 'sent'] : ['dead'];
      return db.transaction().execute(async (tx) => {
        const o = await tx.selectFrom('outbox').select(['id', 'status', 'topic']).where('id', '=', request.params.id).forUpdate().executeTakeFirst();
        if (!o) throw notFound('Outbox message');
        if (!allowed.includes(o.status as 'dead' | 'sent')) {
          throw conflict('not_retryable', o.status === 'pending' ? 'This message is still waiting to be delivered' : 'This message was sent; give resend: true to send it again', { status: o.status });
        }
        const now = new Date();
        await tx
          .updateTable('outbox')
          .set({ status: 'pending', attempts: 0, available_at: now, last_error: null, claimed_by: null, requeued_at: now, sent_at: null })
          .where('id', '=', o.id)
          .execute();
        await recordSystemEvent(tx, actor, 'outbox_retry', { outboxId: o.id, topic: o.topic, previousStatus: o.status });
        return { id: o.id, status: 'pending' as const, previousStatus: o.status };
      });
    },
  });

  const inboundItem = (i: {
    id: string;
    received_at: Date;
    source: string;
    mailbox: string | null;
    size: number;
    outcome: string;
    reason: string | null;
    reference: string | null;
    has_raw: boolean;
  }) => ({
    id: i.id,
    receivedAt: iso(i.received_at),
    source: i.source,
    mailbox: i.mailbox,
    size: i.size,
    outcome: i.outcome,
    reason: i.reason,
    reference: i.reference,
    rawKept: i.has_raw,
  });

  r.get('/api/admin/inbound-messages', {
    schema: {
      operationId: 'listInboundMessages',
      tags: ['channels'],
      summary: 'Every inbound e-mail and what became of it (complaint, reply, rejected, quarantined), newest first',
      querystring: z.object({ outcome: z.enum(['complaint', 'reply', 'rejected', 'quarantined']).optional(), limit, cursor: z.string().max(300).optional() }),
    },
    handler: async (request) => {
      requireActor(request, adminRoles);
      const q = request.query;
      const after = decodeCursor(q.cursor, z.object({ at: z.string(), id: z.uuid() }));
      let query = db
        .selectFrom('inbound_messages as i')
        .leftJoin('complaints as c', 'c.id', 'i.complaint_id')
        .select((eb) => ['i.id', 'i.received_at', 'i.source', 'i.mailbox', 'i.size', 'i.outcome', 'i.reason', 'c.reference', eb('i.raw', 'is not', null).as('has_raw')])
        .orderBy('i.received_at', 'desc')
        .orderBy('i.id', 'desc')
        .limit(q.limit + 1);
      if (q.outcome) query = query.where('i.outcome', '=', q.outcome);
      if (after) {
        const at = new Date(after.at);
        query = query.where((eb) => eb.or([eb('i.received_at', '<', at), eb.and([eb('i.received_at', '=', at), eb('i.id', '<', after.id)])]));
      }
      const rows = await query.execute();
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return {
        items: page.map((i) => inboundItem({ ...i, reference: i.reference ?? null, has_raw: Boolean(i.has_raw) })),
        nextCursor: rows.length > q.limit && last ? encodeCursor({ at: last.received_at.toISOString(), id: last.id }) : null,
      };
    },
  });

  r.get('/api/admin/inbound-messages/:id', {
    schema: {
      operationId: 'getInboundMessage',
      tags: ['channels'],
      summary: 'One inbound e-mail: outcome, reason and processing details (no message content)',
      params: z.object({ id: z.uuid() }),
    },
    handler: async (request) => {
      requireActor(request, adminRoles);
      const i = await db
        .selectFrom('inbound_messages as i')
        .leftJoin('complaints as c', 'c.id', 'i.complaint_id')
        .select((eb) => ['i.id', 'i.received_at', 'i.source', 'i.mailbox', 'i.size', 'i.outcome', 'i.reason', 'i.details', 'i.raw_sha256', 'i.message_row_id', 'c.reference', eb('i.raw', 'is not', null).as('has_raw')])
        .where('i.id', '=', request.params.id)
        .executeTakeFirst();
      if (!i) throw notFound('Inbound message');
      return { ...inboundItem({ ...i, reference: i.reference ?? null, has_raw: Boolean(i.has_raw) }), sha256: i.raw_sha256, messageRowId: i.message_row_id, details: i.details };
    },
  });

  r.get('/api/admin/inbound-messages/:id/raw', {
    schema: {
      operationId: 'downloadInboundMessageRaw',
      tags: ['channels'],
      summary: 'The raw source of a quarantined or rejected e-mail (as a download; the access is recorded)',
      params: z.object({ id: z.uuid() }),
    },
    handler: async (request, reply) => {
      const actor = requireActor(request, adminRoles);
      const i = await db.selectFrom('inbound_messages').select(['id', 'raw', 'outcome']).where('id', '=', request.params.id).executeTakeFirst();
      if (!i) throw notFound('Inbound message');
      if (!i.raw) throw notFound('Raw source of this message (kept only for rejected and quarantined messages)');
      await db.transaction().execute((tx) => recordSystemEvent(tx, actor, 'inbound_raw_downloaded', { inboundId: i.id, outcome: i.outcome }));
      return reply
        .header('content-type', 'message/rfc822')
        .header('content-disposition', `attachment; filename="${i.id}.eml"`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(Buffer.from(i.raw));
    },
  });

  r.get('/api/duplicate-candidates', {
    schema: {
      operationId: 'listDuplicateCandidates',
      tags: ['channels'],
      summary: 'Complaints flagged as likely duplicates of a recent complaint from the same person (INT-7)',
      querystring: z.object({ status: z.enum(['open', 'confirmed', 'dismissed']).default('open'), limit }),
    },
    handler: async (request) => {
      const actor = requireActor(request, [...caseWorkers, 'quality', 'auditor', 'admin']);
      const rows = await db
        .selectFrom('duplicate_candidates as d')
        .innerJoin('complaints as c', 'c.id', 'd.complaint_id')
        .innerJoin('complaints as o', 'o.id', 'd.candidate_id')
        .select(['d.id', 'd.score', 'd.status', 'd.created_at', 'd.decided_at', 'c.reference', 'c.team_id', 'c.owner_id', 'c.subject_user_id', 'o.reference as duplicate_of'])
        .where('d.status', '=', request.query.status)
        .orderBy('d.created_at', 'desc')
        .limit(request.query.limit)
        .execute();
      return {
        items: rows
          .filter((d) => canSee({ teamId: d.team_id, ownerId: d.owner_id, subjectUserId: d.subject_user_id }, actor))
          .map((d) => ({ id: d.id, reference: d.reference, duplicateOf: d.duplicate_of, score: d.score, status: d.status, createdAt: iso(d.created_at), decidedAt: iso(d.decided_at) })),
      };
    },
  });

  const decide = async (id: string, request: Parameters<typeof requireActor>[0], confirm: boolean) => {
    const actor = requireActor(request, ['handler', 'manager']);
    const d = await db
      .selectFrom('duplicate_candidates as d')
      .innerJoin('complaints as c', 'c.id', 'd.complaint_id')
      .innerJoin('complaints as o', 'o.id', 'd.candidate_id')
      .select(['d.id', 'd.status', 'd.complaint_id', 'c.reference', 'c.team_id', 'c.owner_id', 'c.subject_user_id', 'o.reference as duplicate_of'])
      .where('d.id', '=', id)
      .executeTakeFirst();
    if (!d || !canSee({ teamId: d.team_id, ownerId: d.owner_id, subjectUserId: d.subject_user_id }, actor)) throw notFound('Duplicate candidate');
    if (d.status !== 'open') throw conflict('already_decided', `This flag was already ${d.status}`);
    if (confirm) {
      // The link is made by the lifecycle action (its own history event); merging stays a separate, deliberate step.
      await executeAction(db, { ...actor, channel: actor.type === 'api_key' ? 'api' : 'web' }, d.reference, 'mark_duplicate', { of: d.duplicate_of }, handlers.mark_duplicate).catch(
        (error: unknown) => {
          if ((error as AppError).code !== 'already_linked') throw error;
        },
      );
    }
    await db.transaction().execute(async (tx) => {
      await tx.updateTable('duplicate_candidates').set({ status: confirm ? 'confirmed' : 'dismissed', decided_at: new Date(), decided_by: actor.id }).where('id', '=', d.id).execute();
      if (!confirm) {
        await appendCaseEvent(tx, d.complaint_id, { ...actor, channel: actor.type === 'api_key' ? 'api' : 'web' }, 'duplicate_dismissed', { candidateId: d.id, duplicateOf: d.duplicate_of });
      }
    });
    return { id: d.id, status: confirm ? 'confirmed' : 'dismissed', reference: d.reference, duplicateOf: d.duplicate_of };
  };

  r.post('/api/duplicate-candidates/:id/confirm', {
    schema: {
      operationId: 'confirmDuplicateCandidate',
      tags: ['channels'],
      summary: 'Confirm a likely duplicate: links the two complaints as duplicates (merge them with mergeComplaint)',
      params: z.object({ id: z.uuid() }),
    },
    handler: async (request) => decide(request.params.id, request, true),
  });

  r.post('/api/duplicate-candidates/:id/dismiss', {
    schema: {
      operationId: 'dismissDuplicateCandidate',
      tags: ['channels'],
      summary: 'Dismiss a likely duplicate (recorded in the complaint history)',
      params: z.object({ id: z.uuid() }),
    },
    handler: async (request) => decide(request.params.id, request, false),
  });

  // The provider's delivery-status callback: form-encoded, authenticated by its signature (not by a session).
  app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    scope.withTypeProvider<ZodTypeProvider>().post('/api/channels/sms/status', {
      schema: {
        operationId: 'smsDeliveryStatus',
        tags: ['channels'],
        summary: 'Delivery-status callback of the SMS provider (Twilio-style, X-Twilio-Signature checked)',
        security: [],
        body: z.record(z.string(), z.string()),
      },
      handler: async (request, reply) => {
        const params = request.body;
        const url = `${options.publicUrl.replace(/\/$/, '')}/api/channels/sms/status`;
        const signature = request.headers['x-twilio-signature'];
        if (!options.sms || !options.sms.verifyCallback(url, params, typeof signature === 'string' ? signature : undefined)) {
          throw new AppError(403, 'invalid_signature', 'The callback signature does not match');
        }
        const sid = params.MessageSid ?? params.SmsSid;
        const status = (params.MessageStatus ?? params.SmsStatus ?? '').slice(0, 40);
        if (!sid || !status) throw new AppError(400, 'invalid_callback', 'MessageSid and MessageStatus are required');
        const updated = await db
          .updateTable('delivery_attempts')
          .set({ provider_status: status, provider_status_at: new Date() })
          .where('provider_message_id', '=', sid)
          .where('channel', 'like', 'sms:%')
          .returning('outbox_id')
          .executeTakeFirst();
        if (updated && (status === 'failed' || status === 'undelivered')) {
          await db
            .updateTable('outbox')
            .set({ last_error: `SMS ${status}${params.ErrorCode ? ` (provider code ${params.ErrorCode.slice(0, 10)})` : ''}` })
            .where('id', '=', updated.outbox_id)
            .execute();
        }
        return reply.code(204).send();
      },
    });
  });
}
