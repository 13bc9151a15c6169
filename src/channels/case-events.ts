import type { Tx } from '../db/client.ts';
import type { ComplaintRow } from '../db/schema.ts';
import { complaintChain, nextEvent } from '../audit/chain.ts';
import type { Actor } from '../identity/roles.ts';
import { outboxRow } from './outbox.ts';

/**
 * Appends an event to a complaint's history for a change that is not a lifecycle action (a flagged duplicate, a
 * message received after closure), under the complaint's row lock, with its outbox row, like `executeAction` does.
 */
export async function appendCaseEvent(
  tx: Tx,
  complaintId: string,
  actor: Actor,
  action: string,
  data: Record<string, unknown>,
  topic: string | null = null,
): Promise<ComplaintRow> {
  const c = await tx.selectFrom('complaints').selectAll().where('id', '=', complaintId).forUpdate().executeTakeFirstOrThrow();
  const now = new Date();
  const event = nextEvent({
    chain: complaintChain(c.id),
    head: { seq: c.audit_seq, hash: c.audit_head },
    complaintId: c.id,
    action,
    actor,
    at: now,
    data,
  });
  const updated = await tx
    .updateTable('complaints')
    .set({ version: c.version + 1, audit_seq: event.seq, audit_head: event.hash, updated_at: now })
    .where('id', '=', c.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx.insertInto('audit_events').values({ ...event, data: JSON.stringify(event.data) }).execute();
  if (topic) await tx.insertInto('outbox').values(outboxRow(topic, c.id, { reference: c.reference, action, state: c.state, eventId: event.id, ...data })).execute();
  return updated;
}
