import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { AuditEventsTable } from '../db/schema.ts';
import type { Actor } from '../identity/roles.ts';
import { canonicalJson, sha256Hex } from './canonical.ts';

/** The hash every chain starts from. */
export const GENESIS = '0'.repeat(64);

export const complaintChain = (complaintId: string) => `complaint:${complaintId}`;
export const SYSTEM_CHAIN = 'system';

/** An event as stored (the global order `gid` is assigned by the database and is not part of the hash). */
export type AuditEvent = Omit<Selectable<AuditEventsTable>, 'gid'>;

/** The SHA-256 over an event's canonical content, including the previous event's hash (AUD-2). */
export function hashEvent(e: Omit<AuditEvent, 'hash'>): string {
  return sha256Hex(
    canonicalJson({
      id: e.id,
      chain: e.chain,
      seq: e.seq,
      complaintId: e.complaint_id,
      action: e.action,
      actorType: e.actor_type,
      actorId: e.actor_id,
      actorLabel: e.actor_label,
      channel: e.channel,
      at: new Date(e.at).toISOString(),
      data: e.data,
      prevHash: e.prev_hash,
    }),
  );
}

/** Builds the next event of a chain, given the chain's head (seq and hash of its last event). */
export function nextEvent(input: {
  chain: string;
  head: { seq: number; hash: string };
  complaintId: string | null;
  action: string;
  actor: Actor;
  at: Date;
  data: Record<string, unknown>;
}): AuditEvent {
  const base = {
    id: randomUUID(),
    chain: input.chain,
    seq: input.head.seq + 1,
    complaint_id: input.complaintId,
    action: input.action,
    actor_type: input.actor.type,
    actor_id: input.actor.id,
    actor_label: input.actor.label,
    channel: input.actor.channel,
    at: new Date(Math.floor(input.at.getTime())),
    // A JSON round trip now, so the hash covers exactly what the database will store and give back.
    data: JSON.parse(canonicalJson(input.data)) as Record<string, unknown>,
    prev_hash: input.head.hash || GENESIS,
  };
  return { ...base, hash: hashEvent(base) };
}

export interface ChainBreak {
  chain: string;
  seq: number;
  eventId: string | null;
  problem: 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap' | 'head_mismatch' | 'missing_events';
}

/**
 * Checks one chain's events (in seq order) against each other and against the recorded head.
 * Returns the first broken link, or null.
 */
export function verifyChain(
  chain: string,
  events: readonly AuditEvent[],
  head: { seq: number; hash: string } | null,
): ChainBreak | null {
  let prevHash = GENESIS;
  let expectedSeq = 1;
  for (const e of events) {
    if (e.seq !== expectedSeq) return { chain, seq: expectedSeq, eventId: e.id, problem: 'sequence_gap' };
    if (e.prev_hash !== prevHash) return { chain, seq: e.seq, eventId: e.id, problem: 'prev_hash_mismatch' };
    if (hashEvent(e) !== e.hash) return { chain, seq: e.seq, eventId: e.id, problem: 'hash_mismatch' };
    prevHash = e.hash;
    expectedSeq++;
  }
  if (head !== null) {
    const last = events.at(-1);
    if (head.seq > 0 && last === undefined) return { chain, seq: 1, eventId: null, problem: 'missing_events' };
    if (last !== undefined && (last.seq !== head.seq || last.hash !== head.hash)) {
      return { chain, seq: Math.min(last.seq, head.seq), eventId: last.id, problem: 'head_mismatch' };
    }
  }
  return null;
}
