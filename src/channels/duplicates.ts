import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/client.ts';
import type { Actor } from '../identity/roles.ts';
import { searchDocument } from '../search/text.ts';
import { appendCaseEvent } from './case-events.ts';

/**
 * Duplicate detection (INT-7, I18N-2). A new complaint is compared with the recent complaints of the same person
 * (same e-mail address or same phone number) by the terms the search uses — NFKC, case and diacritics folded, Arabic
 * and Persian letters unified, Chinese segmented with character bigrams — as the mean of the Dice coefficients of the
 * term sets and of the consecutive-term (bigram) sets. A likely duplicate is flagged for review (a
 * `duplicate_candidates` row and a history event); nothing is merged or dropped automatically.
 */
export const DUPLICATE_THRESHOLD = 0.55;

export const detector: Actor = { type: 'system', id: null, label: 'duplicate detection', role: 'intake', teamIds: [], channel: 'worker' };

function termSets(text: string): { terms: Set<string>; pairs: Set<string> } {
  const terms = searchDocument(text).split(' ').filter(Boolean);
  const pairs = new Set<string>();
  for (let i = 1; i < terms.length; i++) pairs.add(`${terms[i - 1]} ${terms[i]}`);
  return { terms: new Set(terms), pairs };
}

function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return (2 * shared) / (a.size + b.size);
}

/** Similarity of two complaint texts, 0…1, in any of the supported languages. */
export function similarity(a: string, b: string): number {
  const x = termSets(a);
  const y = termSets(b);
  if (x.terms.size < 3 || y.terms.size < 3) return dice(x.terms, y.terms) === 1 ? 1 : 0;
  return (dice(x.terms, y.terms) + dice(x.pairs, y.pairs)) / 2;
}

/**
 * Flags the likely duplicates of one or more complaints among the same person's complaints received in the
 * `windowDays` before each. Idempotent (a pair is flagged once). Returns the number of new flags.
 */
export async function detectDuplicates(db: Db, complaintIds: string | string[], options: { windowDays?: number; threshold?: number } = {}): Promise<number> {
  const ids = typeof complaintIds === 'string' ? [complaintIds] : complaintIds;
  const windowDays = options.windowDays ?? 30;
  const threshold = options.threshold ?? DUPLICATE_THRESHOLD;
  if (windowDays <= 0 || ids.length === 0) return 0;
  // One round trip: each complaint's own text and contact, and the same person's recent complaints (by e-mail address
  // or by phone number, each through its index).
  const digits = sql`regexp_replace(coalesce(p.phone, ''), '[^0-9]', '', 'g')`;
  const rows = await sql<{ subject_id: string; id: string; reference: string; description: string; subject_description: string }>`
    with s as (
      select c.id, c.received_at, c.description, lower(p.email) as email, ${digits} as phone
      from complaints c join complainants p on p.id = c.complainant_id where c.id in (${sql.join(ids)})
    ), same as (
      select s.id as sid, p.id as pid from s join complainants p on s.email is not null and lower(p.email) = s.email
      union
      select s.id as sid, p.id as pid from s join complainants p on length(s.phone) >= 6 and p.phone is not null and ${digits} = s.phone
    )
    select s.id as subject_id, c.id, c.reference, c.description, s.description as subject_description
    from s
    join same on same.sid = s.id
    join complaints c on c.complainant_id = same.pid
    where c.id <> s.id
      and c.received_at >= s.received_at - make_interval(days => ${windowDays})
      and c.received_at <= s.received_at
      and c.merged_into_id is null
    order by c.received_at desc`.execute(db);
  let flagged = 0;
  for (const c of rows.rows) {
    const score = similarity(c.subject_description, c.description);
    if (score < threshold) continue;
    if (await flag(db, c.subject_id, c.id, c.reference, score)) flagged++;
  }
  return flagged;
}

async function flag(db: Db, complaintId: string, candidateId: string, candidateReference: string, score: number): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    await tx.selectFrom('complaints').select('id').where('id', '=', complaintId).forUpdate().executeTakeFirstOrThrow();
    const rounded = Math.round(score * 1000) / 1000;
    const inserted = await tx
      .insertInto('duplicate_candidates')
      .values({ id: randomUUID(), complaint_id: complaintId, candidate_id: candidateId, score: rounded })
      .onConflict((oc) => oc.columns(['complaint_id', 'candidate_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return false;
    await appendCaseEvent(tx, complaintId, detector, 'duplicate_suspected', { candidateId: inserted.id, duplicateOf: candidateReference, score: rounded }, 'complaint.duplicate_suspected');
    return true;
  });
}
