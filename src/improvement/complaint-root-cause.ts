import type { Db } from '../db/client.ts';
import { complaintColumns, type ComplaintRow } from '../db/schema.ts';
import { complaintChain, nextEvent } from '../audit/chain.ts';
import { outboxRow } from '../channels/outbox.ts';
import { canonicalReference } from '../complaints/execute-action.ts';
import type { Actor } from '../identity/roles.ts';
import { conflict, forbidden, notFound } from '../shared/errors.ts';
import { activeRootCause } from './root-causes.ts';

const finished = ['closed', 'withdrawn', 'out_of_scope'];

/**
 * Records or changes a complaint's root cause before closure (IMP-3), so the closing form can prefill it: a manager,
 * a quality manager, or the handler who owns the case. Written under the complaint's row lock with an event in its
 * own history. A finished complaint is changed only by reopening it (AUD-3).
 */
export async function setComplaintRootCause(
  db: Db,
  actor: Actor,
  reference: string,
  rootCause: string | null,
  expectedVersion?: number,
): Promise<ComplaintRow> {
  const ref = canonicalReference(reference);
  return db.transaction().execute(async (tx) => {
    const c = await tx
      .selectFrom('complaints')
      .select(complaintColumns)
      .where('reference', '=', ref)
      .forUpdate()
      .executeTakeFirst();
    if (!c) throw notFound(`Complaint ${ref}`);
    const allowed =
      actor.role === 'manager' ||
      actor.role === 'quality' ||
      (actor.role === 'handler' && actor.id !== null && c.owner_id === actor.id);
    if (!allowed) {
      if (actor.role === 'handler' && !(c.team_id && actor.teamIds.includes(c.team_id)))
        throw notFound(`Complaint ${ref}`);
      throw forbidden(
        'role_not_permitted',
        `Your role (${actor.role}) cannot set the root cause of this complaint`,
      );
    }
    if (finished.includes(c.state))
      throw conflict(
        'invalid_transition',
        `Cannot change a complaint in state "${c.state}"; reopen it first`,
        { state: c.state },
      );
    if (expectedVersion !== undefined && expectedVersion !== c.version)
      throw conflict(
        'version_conflict',
        'The complaint was changed by someone else; reload it and try again',
        { currentVersion: c.version },
      );
    const key = rootCause === null ? null : await activeRootCause(tx, rootCause);
    if (key === c.root_cause) return c;
    const now = new Date();
    const event = nextEvent({
      chain: complaintChain(c.id),
      head: { seq: c.audit_seq, hash: c.audit_head },
      complaintId: c.id,
      action: 'set_root_cause',
      actor,
      at: now,
      data: { before: { root_cause: c.root_cause }, after: { root_cause: key } },
    });
    const updated = await tx
      .updateTable('complaints')
      .set({
        root_cause: key,
        version: c.version + 1,
        audit_seq: event.seq,
        audit_head: event.hash,
        updated_at: now,
      })
      .where('id', '=', c.id)
      .returning(complaintColumns)
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('audit_events')
      .values({ ...event, data: JSON.stringify(event.data) })
      .execute();
    await tx
      .insertInto('outbox')
      .values(
        outboxRow('complaint.set_root_cause', c.id, {
          reference: c.reference,
          action: 'set_root_cause',
          state: c.state,
          eventId: event.id,
          rootCause: key,
        }),
      )
      .execute();
    return updated;
  });
}
