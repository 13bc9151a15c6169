import { randomUUID } from 'node:crypto';
import type { ActionHandler } from '../execute-action.ts';

/** Acknowledge receipt (CHAN-4): the complainant is told the reference, what happens next and how to track. */
export const acknowledgeComplaint: ActionHandler<'acknowledge'> = async ({ tx, complaint, actor, input, now }) => {
  let messageId: string | undefined;
  if (input.message) {
    messageId = randomUUID();
    await tx
      .insertInto('messages')
      .values({ id: messageId, complaint_id: complaint.id, direction: 'outbound', channel: 'email', subject: null, body: input.message, author_id: actor.id })
      .execute();
  }
  return {
    state: 'acknowledged',
    patch: { acknowledged_at: now },
    data: { messageId },
    notify: [{ topic: 'complainant.acknowledged', payload: { messageId } }],
  };
};
