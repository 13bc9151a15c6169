import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/client.ts';
import type { Actor } from '../identity/roles.ts';
import { canonicalReference, factsOf } from '../complaints/execute-action.ts';
import { canSee } from '../complaints/lifecycle.ts';
import { conflict } from '../shared/errors.ts';
import { assignmentBlocks, type AssignmentBlock } from './assignment.ts';

const conflictRules: readonly AssignmentBlock[] = ['subject', 'earlier_decision_maker', 'declared_relationship'];

const messages: Partial<Record<AssignmentBlock, string>> = {
  subject: 'This complaint is about that staff member: they cannot handle it',
  earlier_decision_maker: 'An escalated complaint needs a reviewer independent of every earlier decision maker',
  declared_relationship: 'That staff member has declared a relationship with the complainant: they cannot handle it',
  not_authorised: 'That staff member holds no current authorisation for this category of complaint',
};

/**
 * Refuses an assignment that a conflict of interest (OBJ-1: a declared relationship with the complainant, besides
 * the subject and earlier decision makers that the command itself refuses) or missing competence (MGT-3) forbids.
 * Silent when the actor cannot see the complaint: the command then answers 404 as for any unknown reference.
 */
export async function assertAssignable(db: Db, actor: Actor, reference: string, ownerId: string): Promise<void> {
  let ref: string;
  try {
    ref = canonicalReference(reference);
  } catch {
    return;
  }
  const c = await db.selectFrom('complaints').selectAll().where('reference', '=', ref).executeTakeFirst();
  if (!c || !canSee(factsOf(c), actor)) return;
  const blocks = await assignmentBlocks(db, c, ownerId);
  const rule = blocks.find((b) => conflictRules.includes(b)) ?? blocks.find((b) => b === 'not_authorised');
  if (!rule) return;
  if (rule === 'not_authorised') throw conflict('not_authorised_for_category', messages[rule]!, { rule });
  throw conflict('conflict_of_interest', messages[rule]!, { rule });
}

/** Applies `assertAssignable` to the assign action of the API (POST /api/complaints/:reference/assign). */
export function installAssignmentGuard(app: FastifyInstance, db: Db) {
  app.addHook('preHandler', async (request) => {
    if (request.method !== 'POST' || request.routeOptions.url !== '/api/complaints/:reference/assign' || !request.actor) return;
    const ownerId = (request.body as { ownerId?: unknown } | undefined)?.ownerId;
    if (typeof ownerId !== 'string') return;
    await assertAssignable(db, request.actor, (request.params as { reference: string }).reference, ownerId);
  });
}
