import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db/client.ts';
import type { Actor } from '../../identity/roles.ts';
import { badRequest, conflict, notFound } from '../../shared/errors.ts';
import { canonicalReference, type ActionHandler } from '../execute-action.ts';
import { canSee, finalStates, type State } from '../lifecycle.ts';

async function otherComplaint(tx: Tx, actor: Actor, reference: string, selfId: string) {
  const ref = canonicalReference(reference);
  const other = await tx
    .selectFrom('complaints')
    .select(['id', 'reference', 'state', 'team_id', 'owner_id', 'subject_user_id'])
    .where('reference', '=', ref)
    .executeTakeFirst();
  if (!other || !canSee({ teamId: other.team_id, ownerId: other.owner_id, subjectUserId: other.subject_user_id }, actor)) {
    throw notFound(`Complaint ${ref}`);
  }
  if (other.id === selfId) throw badRequest('same_complaint', 'A complaint cannot be linked to itself');
  return other;
}

async function addLink(tx: Tx, complaintId: string, otherId: string, kind: 'related' | 'duplicate', actor: Actor) {
  const existing = await tx
    .selectFrom('complaint_links')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('complaint_id', '=', complaintId), eb('other_id', '=', otherId)]),
        eb.and([eb('complaint_id', '=', otherId), eb('other_id', '=', complaintId)]),
      ]),
    )
    .where('kind', '=', kind)
    .executeTakeFirst();
  if (existing) throw conflict('already_linked', 'These complaints are already linked');
  const id = randomUUID();
  await tx.insertInto('complaint_links').values({ id, complaint_id: complaintId, other_id: otherId, kind, created_by: actor.id }).execute();
  return id;
}

/** Link two related complaints (LIFE-4). */
export const linkComplaint: ActionHandler<'link'> = async ({ tx, complaint, actor, input }) => {
  const other = await otherComplaint(tx, actor, input.other, complaint.id);
  const linkId = await addLink(tx, complaint.id, other.id, 'related', actor);
  return { data: { linkId, other: other.reference } };
};

/** Flag a likely duplicate for review (INT-7): it stays open until merged, never silently dropped. */
export const markDuplicate: ActionHandler<'mark_duplicate'> = async ({ tx, complaint, actor, input }) => {
  const other = await otherComplaint(tx, actor, input.of, complaint.id);
  const linkId = await addLink(tx, complaint.id, other.id, 'duplicate', actor);
  return { data: { linkId, duplicateOf: other.reference } };
};

/** Merge this complaint into another open one: this one closes as merged and points at the survivor. */
export const mergeComplaint: ActionHandler<'merge'> = async ({ tx, complaint, actor, input, now }) => {
  const other = await otherComplaint(tx, actor, input.into, complaint.id);
  if (finalStates.includes(other.state as State)) throw conflict('target_closed', `Complaint ${other.reference} is no longer open`);
  const existing = await tx
    .selectFrom('complaint_links')
    .select('id')
    .where('complaint_id', '=', complaint.id)
    .where('other_id', '=', other.id)
    .where('kind', '=', 'duplicate')
    .executeTakeFirst();
  const linkId = existing?.id ?? (await addLink(tx, complaint.id, other.id, 'duplicate', actor));
  return {
    state: 'closed',
    patch: { merged_into_id: other.id, closed_at: now, closure_reason: 'merged' },
    data: { linkId, mergedInto: other.reference, reason: input.reason ?? null },
  };
};
