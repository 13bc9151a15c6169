import type { Updateable } from 'kysely';
import type { ComplaintsTable } from '../../db/schema.ts';
import { findInCatalogue } from '../../catalogue/catalogue.ts';
import { badRequest, conflict, forbidden, ValidationError } from '../../shared/errors.ts';
import type { ActionHandler } from '../execute-action.ts';
import { assignmentBlocks } from '../../admin/assignment.ts';

/**
 * Assign or reassign to a team and/or a named owner (LIFE-3) with the conflict-of-interest rules of OBJ-1:
 * never the person the complaint is about, never someone who already decided on it when it has been escalated,
 * never someone who declared a relationship with the complainant; and (MGT-3) only someone authorised for the
 * category where authorisations are kept. A handler may only take a case for themselves (attesting no conflict);
 * a manager assigns anyone else. Every caller (API, bulk, CLI, demo seeding) goes through these rules.
 */
export const assignComplaint: ActionHandler<'assign'> = async ({ db, tx, complaint, actor, input, now }) => {
  const patch: Updateable<ComplaintsTable> = {};
  if (input.team !== undefined) {
    const team = await findInCatalogue(db, 'teams', input.team, tx);
    if (!team) throw new ValidationError([{ field: 'team', code: 'unknown_team', message: `No team "${input.team}"` }]);
    patch.team_id = team.id;
  }
  if (input.ownerId !== undefined) {
    if (actor.role === 'handler' && input.ownerId !== actor.id) {
      throw forbidden('handler_can_only_take', 'A handler can assign a complaint only to themselves');
    }
    const owner = await tx.selectFrom('users').select(['id', 'role', 'active']).where('id', '=', input.ownerId).executeTakeFirst();
    if (!owner || !owner.active) throw new ValidationError([{ field: 'ownerId', code: 'unknown_user', message: 'No such active staff member' }]);
    if (!['handler', 'manager'].includes(owner.role)) {
      throw new ValidationError([{ field: 'ownerId', code: 'not_a_case_worker', message: 'Only handlers and managers can own complaints' }]);
    }
    if (owner.id === complaint.subject_user_id) {
      throw conflict('conflict_of_interest', 'This complaint is about that staff member: they cannot handle it', { rule: 'subject' });
    }
    if (complaint.decision_makers.includes(owner.id)) {
      throw conflict('conflict_of_interest', 'An escalated complaint needs a reviewer independent of every earlier decision maker', {
        rule: 'earlier_decision_maker',
      });
    }
    const blocks = await assignmentBlocks(db, complaint, owner.id, now, tx);
    if (blocks.includes('declared_relationship')) {
      throw conflict('conflict_of_interest', 'That staff member has declared a relationship with the complainant: they cannot handle it', {
        rule: 'declared_relationship',
      });
    }
    if (blocks.includes('not_authorised')) {
      throw conflict('not_authorised_for_category', 'That staff member holds no current authorisation for this category of complaint', {
        rule: 'not_authorised',
      });
    }
    if (owner.id === actor.id && input.attestNoConflict !== true) {
      throw badRequest('attestation_required', 'Confirm that you have no conflict of interest (attestNoConflict: true)');
    }
    if (complaint.owner_id !== null && complaint.owner_id !== owner.id && !input.reason) {
      throw new ValidationError([{ field: 'reason', code: 'required', message: 'A reassignment needs a reason' }]);
    }
    patch.owner_id = owner.id;
  }
  const state = ['assessed', 'reopened'].includes(complaint.state) && (patch.owner_id ?? complaint.owner_id) ? 'under_investigation' : undefined;
  return {
    ...(state ? { state } : {}),
    patch,
    data: { reason: input.reason ?? null, attestedNoConflict: input.attestNoConflict ?? false },
    notify: patch.owner_id ? [{ topic: 'staff.assigned', payload: { ownerId: patch.owner_id } }] : [],
  };
};
