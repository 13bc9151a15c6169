import { sql } from 'kysely';
import type { Db } from '../db/client.ts';
import { sha256Hex } from './canonical.ts';
import { GENESIS } from './chain.ts';

/** Events younger than this are left for the next anchor, so a transaction still in flight is never skipped. */
export const ANCHOR_SETTLE_SECONDS = 120;

/** The next root: the previous root followed by the hashes of the anchored events in global order. */
export function nextRoot(previousRoot: string, eventHashes: readonly string[]): string {
  return sha256Hex(`${previousRoot}\n${eventHashes.join('\n')}`);
}

async function hashesBetween(db: Db, fromGid: number, toGid: number): Promise<string[]> {
  const rows = await sql<{ hash: string }>`select hash from audit_events where gid > ${fromGid} and gid <= ${toGid} order by gid`.execute(db);
  return rows.rows.map((r) => r.hash);
}

/**
 * Writes an anchor over the settled events added since the last anchor. Any number of workers may call it:
 * the anchor id is the previous id + 1 and its primary key lets only one of them write it.
 */
export async function writeAnchor(db: Db, now = new Date()): Promise<{ id: number; events: number } | null> {
  const last = await sql<{ id: number; to_gid: number; root: string }>`select id, to_gid, root from audit_anchors order by id desc limit 1`.execute(db);
  const prev = last.rows[0] ?? { id: 0, to_gid: 0, root: GENESIS };
  const settled = await sql<{ max: number | null }>`
    select max(gid)::bigint as max from audit_events
    where gid > ${prev.to_gid} and at < ${new Date(now.getTime() - ANCHOR_SETTLE_SECONDS * 1000)}`.execute(db);
  const toGid = Number(settled.rows[0]?.max ?? 0);
  if (!toGid) return null;
  const hashes = await hashesBetween(db, Number(prev.to_gid), toGid);
  const inserted = await sql`
    insert into audit_anchors (id, at, from_gid, to_gid, events, root)
    values (${prev.id + 1}, ${now}, ${prev.to_gid}, ${toGid}, ${hashes.length}, ${nextRoot(prev.root, hashes)})
    on conflict (id) do nothing`.execute(db);
  return Number(inserted.numAffectedRows ?? 0) > 0 ? { id: prev.id + 1, events: hashes.length } : null;
}

export interface AnchorBreak {
  anchorId: number;
  problem: 'root_mismatch' | 'gap';
}

/** Recomputes every anchor from the events: catches a chain rewritten consistently (hashes and heads) after anchoring. */
export async function verifyAnchors(db: Db): Promise<{ anchors: number; breaks: AnchorBreak[] }> {
  const anchors = await sql<{ id: number; from_gid: number; to_gid: number; root: string }>`
    select id, from_gid, to_gid, root from audit_anchors order by id`.execute(db);
  const breaks: AnchorBreak[] = [];
  let root = GENESIS;
  let expectedFrom = 0;
  for (const a of anchors.rows) {
    if (Number(a.from_gid) !== expectedFrom) breaks.push({ anchorId: a.id, problem: 'gap' });
    root = nextRoot(root, await hashesBetween(db, Number(a.from_gid), Number(a.to_gid)));
    if (root !== a.root) {
      breaks.push({ anchorId: a.id, problem: 'root_mismatch' });
      root = a.root;
    }
    expectedFrom = Number(a.to_gid);
  }
  return { anchors: anchors.rows.length, breaks };
}
