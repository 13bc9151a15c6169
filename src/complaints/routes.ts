import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { getCatalogue } from '../catalogue/catalogue.ts';
import { requireActor } from '../server/http/auth.ts';
import { badRequest } from '../shared/errors.ts';
import { createComplaint } from './create-complaint.ts';
import { executeAction } from './execute-action.ts';
import { handlers } from './handlers.ts';
import { actionNames, actions, type ActionName } from './lifecycle.ts';
import { maySeePersonalData, presentComplaint } from './presenter.ts';
import { getAttachment, getComplaint, getComplaintHistory } from './queries/get-complaint.ts';
import { complaintColumns, type ComplaintRow } from '../db/schema.ts';
import type { Actor } from '../identity/roles.ts';
import { listComplaints } from './queries/list-complaints.ts';
import { actionInputs, createComplaintInput, listComplaintsQuery } from './schemas.ts';

/** The operationId of each lifecycle action's endpoint. */
export const actionOperationIds: Record<ActionName, string> = {
  acknowledge: 'acknowledgeComplaint',
  assess: 'assessComplaint',
  assign: 'assignComplaint',
  add_note: 'addNote',
  add_attachment: 'addAttachment',
  add_message: 'recordComplainantMessage',
  add_task: 'addTask',
  complete_task: 'completeTask',
  request_information: 'requestInformation',
  information_received: 'recordInformationReceived',
  link: 'linkComplaint',
  mark_duplicate: 'markDuplicate',
  merge: 'mergeComplaint',
  draft_response: 'draftResponse',
  approve_response: 'approveResponse',
  send_response: 'sendResponse',
  complainant_accepts: 'recordComplainantAcceptance',
  complainant_rejects: 'recordComplainantRejection',
  escalate: 'escalateComplaint',
  reopen: 'reopenComplaint',
  withdraw: 'withdrawComplaint',
  close: 'closeComplaint',
};

export const actionPath = (name: ActionName) => `/api/complaints/:reference/${name.replaceAll('_', '-')}`;

const referenceParams = z.object({
  reference: z.string().min(1).max(40).describe('Complaint reference, e.g. 7K4M-9QX2'),
});
const ifMatch = z.object({ 'if-match': z.string().max(40).optional() }).passthrough();

function expectedVersion(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const value = Number(String(header).replaceAll('"', '').replace(/^W\//, ''));
  if (!Number.isInteger(value) || value < 1)
    throw badRequest('invalid_if_match', 'If-Match must be the complaint version, e.g. "3"');
  return value;
}

async function presentWithComplainant(db: Db, row: ComplaintRow, actor: Actor) {
  const complainant =
    maySeePersonalData(actor) && row.complainant_id
      ? await db
          .selectFrom('complainants')
          .selectAll()
          .where('id', '=', row.complainant_id)
          .executeTakeFirst()
      : undefined;
  return presentComplaint(row, actor, await getCatalogue(db), { complainant: complainant ?? null });
}

export function complaintRoutes(app: FastifyInstance, db: Db) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/complaints', {
    schema: {
      operationId: 'createComplaint',
      tags: ['complaints'],
      summary: 'Record a complaint, suggestion or compliment',
      body: createComplaintInput,
      headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }).passthrough(),
    },
    handler: async (request, reply) => {
      const actor = requireActor(request);
      const key = request.headers['idempotency-key'];
      const body =
        typeof key === 'string' && !request.body.sourceKey
          ? { ...request.body, sourceKey: `idem:${actor.id}:${key}` }
          : request.body;
      const created = await createComplaint(
        db,
        { ...actor, channel: actor.type === 'api_key' ? 'api' : 'web' },
        body,
      );
      // Whoever recorded it sees what they recorded, even when it went to a team outside their own scope.
      // A new complaint is presented from what was just stored; an idempotent replay reads the original back.
      const complaint = created.stored
        ? presentComplaint(created.stored.complaint, actor, await getCatalogue(db), {
            complainant: maySeePersonalData(actor) ? created.stored.complainant : null,
          })
        : await presentWithComplainant(
            db,
            await db
              .selectFrom('complaints')
              .select(complaintColumns)
              .where('id', '=', created.id)
              .executeTakeFirstOrThrow(),
            actor,
          );
      return reply
        .code(created.created ? 201 : 200)
        .header('location', `/api/complaints/${created.reference}`)
        .header('etag', `"${complaint.version}"`)
        .send(complaint);
    },
  });

  r.get('/api/complaints', {
    schema: {
      operationId: 'listComplaints',
      tags: ['complaints'],
      summary: 'List and search complaints (cursor pagination)',
      querystring: listComplaintsQuery,
    },
    handler: async (request) => listComplaints(db, requireActor(request), request.query),
  });

  r.get('/api/complaints/:reference', {
    schema: {
      operationId: 'getComplaint',
      tags: ['complaints'],
      summary: 'Everything about one complaint',
      params: referenceParams,
    },
    handler: async (request, reply) => {
      const complaint = await getComplaint(db, requireActor(request), request.params.reference);
      return reply.header('etag', `"${complaint.version}"`).send(complaint);
    },
  });

  r.get('/api/complaints/:reference/history', {
    schema: {
      operationId: 'getComplaintHistory',
      tags: ['complaints'],
      summary: 'The tamper-evident timeline of one complaint',
      params: referenceParams,
    },
    handler: async (request) => getComplaintHistory(db, requireActor(request), request.params.reference),
  });

  r.get('/api/complaints/:reference/attachments/:attachmentId', {
    schema: {
      operationId: 'downloadAttachment',
      tags: ['complaints'],
      summary: 'Download an attachment (always as a download, never rendered inline)',
      params: referenceParams.extend({ attachmentId: z.uuid() }),
    },
    handler: async (request, reply) => {
      const a = await getAttachment(
        db,
        requireActor(request),
        request.params.reference,
        request.params.attachmentId,
      );
      return reply
        .header('content-type', a.mime)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.filename)}`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('digest', `sha-256=${Buffer.from(a.sha256, 'hex').toString('base64')}`)
        .send(Buffer.from(a.content));
    },
  });

  for (const name of actionNames) {
    const def = actions[name];
    r.post(actionPath(name), {
      bodyLimit: name === 'add_attachment' ? 15 * 1024 * 1024 : 1024 * 1024,
      schema: {
        operationId: actionOperationIds[name],
        tags: ['lifecycle'],
        summary: def.label,
        description: `Allowed from: ${def.from.join(', ')}. Roles: ${def.roles.join(', ')}. Send If-Match: "<version>" to refuse a stale update.`,
        params: referenceParams,
        headers: ifMatch,
        body: actionInputs[name] as z.ZodType,
      },
      handler: async (request, reply) => {
        const actor = requireActor(request);
        const updated = await executeAction(
          db,
          { ...actor, channel: actor.type === 'api_key' ? 'api' : 'web' },
          request.params.reference,
          name,
          request.body as never,
          handlers[name] as never,
          { expectedVersion: expectedVersion(request) },
        );
        return reply
          .header('etag', `"${updated.version}"`)
          .send(await presentWithComplainant(db, updated, actor));
      },
    });
  }
}
