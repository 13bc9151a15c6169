import { recordMessage } from '../messages.ts';
import type { ActionHandler } from '../execute-action.ts';

/**
 * Ask the complainant for information (LIFE-4). Internal targets may pause while waiting; regulatory clocks never do
 * (the deadline engine reads the awaiting_complainant intervals from the history).
 */
export const requestInformation: ActionHandler<'request_information'> = async ({ tx, complaint, actor, input }) => {
  const messageId = await recordMessage(tx, { complaintId: complaint.id, direction: 'outbound', channel: 'email', body: input.message, authorId: actor.id });
  return {
    state: 'awaiting_complainant',
    data: { messageId },
    notify: [{ topic: 'complainant.information_requested', payload: { messageId } }],
  };
};

/** The complainant answered (recorded by staff here; the portal and inbound e-mail record it too). */
export const informationReceived: ActionHandler<'information_received'> = async ({ tx, complaint, actor, input }) => {
  const messageId = input.message
    ? await recordMessage(tx, { complaintId: complaint.id, direction: 'inbound', channel: actor.channel, body: input.message })
    : null;
  return { state: 'under_investigation', data: { messageId } };
};

/** A message from the complainant at any open stage (portal, e-mail, or recorded by staff from a call). */
export const addMessage: ActionHandler<'add_message'> = async ({ tx, complaint, actor, input }) => {
  const messageId = await recordMessage(tx, {
    complaintId: complaint.id,
    direction: 'inbound',
    channel: actor.channel,
    subject: input.subject ?? null,
    body: input.body,
  });
  return { data: { messageId }, notify: [{ topic: 'staff.message_received', payload: { messageId } }] };
};
