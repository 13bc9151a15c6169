import type { Tx } from '../db/client.ts';
import type { Actor } from '../identity/roles.ts';
import { nextEvent, SYSTEM_CHAIN } from './chain.ts';

/** Appends an event to the system chain (users, keys, settings), holding the chain head's row lock. */
export async function recordSystemEvent(
  tx: Tx,
  actor: Actor,
  action: string,
  data: Record<string, unknown>,
  chain = SYSTEM_CHAIN,
): Promise<void> {
  await tx
    .insertInto('audit_chain_heads')
    .values({ chain, seq: 0, hash: '' })
    .onConflict((oc) => oc.column('chain').doNothing())
    .execute();
  const head = await tx
    .selectFrom('audit_chain_heads')
    .select(['seq', 'hash'])
    .where('chain', '=', chain)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const event = nextEvent({ chain, head, complaintId: null, action, actor, at: new Date(), data });
  await tx.insertInto('audit_events').values(event).execute();
  await tx.updateTable('audit_chain_heads').set({ seq: event.seq, hash: event.hash }).where('chain', '=', chain).execute();
}
