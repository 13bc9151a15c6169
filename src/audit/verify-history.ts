import type { Db } from '../db/client.ts';
import { verifyAnchors, type AnchorBreak } from './anchors.ts';
import { verifyChain, type AuditEvent, type ChainBreak } from './chain.ts';

export interface VerifyReport {
  chains: number;
  events: number;
  breaks: ChainBreak[];
  anchors: number;
  anchorBreaks: AnchorBreak[];
}

/**
 * Verifies every chain in the history (AUD-2): each event's hash, each link to the previous event, the sequence,
 * and each chain's recorded head (so a removed last event is caught too). Reads in keyset-paginated batches.
 */
export async function verifyHistory(db: Db, batchSize = 5000): Promise<VerifyReport> {
  const heads = new Map<string, { seq: number; hash: string }>();
  const complaintHeads = await db
    .selectFrom('complaints')
    .select(['id', 'audit_seq', 'audit_head'])
    .where('audit_seq', '>', 0)
    .execute();
  for (const c of complaintHeads) heads.set(`complaint:${c.id}`, { seq: c.audit_seq, hash: c.audit_head });
  for (const h of await db.selectFrom('audit_chain_heads').selectAll().execute()) heads.set(h.chain, h);

  const breaks: ChainBreak[] = [];
  const seenChains = new Set<string>();
  let events = 0;
  let current: { chain: string; events: AuditEvent[] } | null = null;
  const finish = () => {
    if (current === null) return;
    seenChains.add(current.chain);
    const broken = verifyChain(current.chain, current.events, heads.get(current.chain) ?? null);
    if (broken) breaks.push(broken);
  };

  let after: { chain: string; seq: number } | null = null;
  for (;;) {
    let q = db.selectFrom('audit_events').selectAll().orderBy('chain').orderBy('seq').limit(batchSize);
    if (after !== null) {
      const { chain, seq } = after;
      q = q.where((eb) => eb.or([eb('chain', '>', chain), eb.and([eb('chain', '=', chain), eb('seq', '>', seq)])]));
    }
    const rows = (await q.execute()) as unknown as AuditEvent[];
    for (const row of rows) {
      if (current === null || current.chain !== row.chain) {
        finish();
        current = { chain: row.chain, events: [] };
      }
      current.events.push(row);
      events++;
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < batchSize) break;
    after = { chain: last.chain, seq: last.seq };
  }
  finish();

  for (const [chain, head] of heads) {
    if (!seenChains.has(chain) && head.seq > 0) breaks.push({ chain, seq: 1, eventId: null, problem: 'missing_events' });
  }
  const anchors = await verifyAnchors(db);
  return { chains: seenChains.size, events, breaks, anchors: anchors.anchors, anchorBreaks: anchors.breaks };
}
