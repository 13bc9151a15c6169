import { recordMessage } from '../messages.ts';
import { getCatalogue } from '../../catalogue/catalogue.ts';
import { getSetting } from '../../admin/settings.ts';
import { conflict, ValidationError, type FieldError } from '../../shared/errors.ts';
import { approvalRequired } from '../lifecycle.ts';
import type { ActionHandler } from '../execute-action.ts';

/**
 * Draft the response (LIFE-5): outcome, reasons, remedies from the catalogue. Whether a second person must
 * approve it is decided now by the configured rule (OBJ-3) and recorded on the case.
 */
export const draftResponse: ActionHandler<'draft_response'> = async ({ db, tx, complaint, actor, input }) => {
  if (complaint.owner_id === null) throw conflict('owner_required', 'Assign the complaint to a named owner before drafting a response');
  const catalogue = await getCatalogue(db, false, tx);
  const errors: FieldError[] = [];
  let remedyTotal = 0;
  input.remedies.forEach((r, i) => {
    const remedy = catalogue.remedies.get(r.key);
    if (!remedy) errors.push({ field: `remedies.${i}.key`, code: 'unknown_remedy', message: `No remedy "${r.key}"` });
    else if (remedy.monetary && r.amount === undefined)
      errors.push({ field: `remedies.${i}.amount`, code: 'required', message: `"${remedy.name}" needs an amount` });
    remedyTotal += r.amount ?? 0;
  });
  if (errors.length > 0) throw new ValidationError(errors);
  const rule = await getSetting(tx, 'approval_rule');
  const limit = await getSetting(tx, 'handler_remedy_limit');
  const required =
    approvalRequired(rule, { outcome: input.outcome, remedyTotal }, { severity: complaint.severity, subjectUserId: complaint.subject_user_id }) || (actor.role === 'handler' && remedyTotal > limit);
  return {
    state: 'response_drafted',
    patch: {
      response: JSON.stringify(input),
      drafted_by: actor.id,
      approval_required: required,
      approved_by: null,
      approved_at: null,
    },
    data: { outcome: input.outcome, remedies: input.remedies.map((r) => ({ key: r.key, amount: r.amount ?? null })), approvalRequired: required },
  };
};

/** Four-eyes approval (OBJ-3): a second, independent person (the machine's guard refuses the drafter). */
export const approveResponse: ActionHandler<'approve_response'> = async ({ actor, input, now }) => ({
  state: 'response_approved',
  patch: { approved_by: actor.id, approved_at: now },
  data: { comment: input.comment ?? null },
});

/** Send the decision to the complainant (LIFE-6): recorded as a message, delivered through the outbox. */
export const sendResponse: ActionHandler<'send_response'> = async ({ tx, complaint, actor, input, now }) => {
  const draft = complaint.response;
  if (!draft) throw conflict('no_draft', 'There is no drafted response to send');
  const messageId = await recordMessage(tx, {
    complaintId: complaint.id,
    direction: 'outbound',
    channel: input.channel ?? 'email',
    body: draft.message ?? draft.reasons,
    authorId: actor.id,
  });
  return {
    state: 'response_sent',
    patch: { sent_at: now, complainant_decision: null },
    data: { messageId, outcome: draft.outcome },
    notify: [{ topic: 'complainant.decision', payload: { messageId, outcome: draft.outcome } }],
  };
};

export const complainantAccepts: ActionHandler<'complainant_accepts'> = async ({ input }) => ({
  patch: { complainant_decision: 'accepted' },
  data: { comment: input.comment ?? null },
});

export const complainantRejects: ActionHandler<'complainant_rejects'> = async ({ input }) => ({
  patch: { complainant_decision: 'rejected' },
  data: { reason: input.reason ?? null },
});
