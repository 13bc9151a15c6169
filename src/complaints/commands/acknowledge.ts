import { recordMessage } from '../messages.ts';
import type { ActionHandler } from '../execute-action.ts';

/** Acknowledge receipt (CHAN-4): the complainant is told the reference, what happens next and how to track. */
export const acknowledgeComplaint: ActionHandler<'acknowledge'> = async ({ tx, complaint, actor, input, now }) => {
  const messageId = input.message
    ? await recordMessage(tx, { complaintId: complaint.id, direction: 'outbound', channel: 'email', body: input.message, authorId: actor.id })
    : undefined;
  return {
    state: 'acknowledged',
    patch: { acknowledged_at: now },
    data: { messageId },
    notify: [{ topic: 'complainant.acknowledged', payload: { messageId } }],
  };
};
