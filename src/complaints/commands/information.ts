import { randomUUID } from 'node:crypto';
import type { ActionHandler } from '../execute-action.ts';

/**
 * Ask the complainant for information (LIFE-4). Internal targets may pause while waiting; regulatory clocks never do
 * (the deadline engine reads the awaiting_complainant intervals from the history).
 */
export const requestInformation: ActionHandler<'request_information'> = async ({ tx, complaint, actor, input }) => {
  const messageId = randomUUID();
  await tx
    .insertInto('messages')
    .values({ id: messageId, complaint_id: complaint.id, direction: 'outbound', channel: 'email', subject: null, body: input.message, author_id: actor.id })
    .execute();
  return {
    state: 'awaiting_complainant',
    data: { messageId },
    notify: [{ topic: 'complainant.information_requested', payload: { messageId } }],
  };
};

/** The complainant answered (recorded by staff here; the portal and inbound e-mail record it too). */
export const informationReceived: ActionHandler<'information_received'> = async ({ tx, complaint, actor, input }) => {
  let messageId: string | null = null;
  if (input.message) {
    messageId = randomUUID();
    await tx
      .insertInto('messages')
      .values({ id: messageId, complaint_id: complaint.id, direction: 'inbound', channel: actor.channel, subject: null, body: input.message, author_id: null })
      .execute();
  }
  return { state: 'under_investigation', data: { messageId } };
};
