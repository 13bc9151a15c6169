import { randomUUID } from 'node:crypto';
import type { Tx } from '../db/client.ts';

/** Records a message to or from the complainant on a case; returns its id (kept in the history event). */
export async function recordMessage(
  tx: Tx,
  m: { complaintId: string; direction: 'inbound' | 'outbound'; channel: string; body: string; subject?: string | null; authorId?: string | null },
): Promise<string> {
  const id = randomUUID();
  await tx
    .insertInto('messages')
    .values({
      id,
      complaint_id: m.complaintId,
      direction: m.direction,
      channel: m.channel,
      subject: m.subject ?? null,
      body: m.body,
      author_id: m.authorId ?? null,
    })
    .execute();
  return id;
}
