import { randomUUID } from 'node:crypto';

/**
 * An outbox row (CHAN-3), written in the same transaction as the change that causes it. The Message-ID is fixed
 * when the row is written, so a crash between sending and marking can never yield a second, different message.
 */
export function outboxRow(topic: string, complaintId: string | null, payload: Record<string, unknown>) {
  return {
    topic,
    complaint_id: complaintId,
    payload: JSON.stringify({ ...payload, complaintId }),
    message_id: `<${randomUUID()}@redress>`,
  };
}
