import { randomBytes, randomUUID } from 'node:crypto';
import type { Db, Tx } from '../db/client.ts';
import { sha256Hex } from '../audit/canonical.ts';
import { outboxRow } from '../channels/outbox.ts';
import { REFERENCE_ALPHABET, parseReference } from '../complaints/reference.ts';
import { hmac } from './security.ts';

/**
 * Tracking credentials (PORT-1, PORT-2): a private link token (256 bits) and a secret to type beside the reference
 * (28 Crockford symbols, 140 bits). Only their SHA-256 digests are stored; either can be revoked. The first pair
 * of a web submission is derived (HMAC under the server key) from the form's random submission id, so a double
 * click or a resubmission shows the very same credentials instead of creating a second pair.
 */
export interface Credentials {
  link: string;
  secret: string;
}

const SECRET_SYMBOLS = 28;

function symbolsOf(bytes: Uint8Array, count: number): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < count) {
      out += REFERENCE_ALPHABET.charAt((acc >> (bits - 5)) & 31);
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}

export const randomCredentials = (): Credentials => ({
  link: randomBytes(32).toString('base64url'),
  secret: symbolsOf(randomBytes(18), SECRET_SYMBOLS),
});

export const derivedCredentials = (key: Buffer, submissionId: string): Credentials => ({
  link: hmac(key, `link|${submissionId}`).toString('base64url'),
  secret: symbolsOf(hmac(key, `secret|${submissionId}`), SECRET_SYMBOLS),
});

/** As a person reads it: groups of four. */
export const displaySecret = (secret: string) => secret.match(/.{1,4}/g)?.join('-') ?? secret;

/** What a person may type: spaces, dashes, lower case, and the reading aids O→0, I/L→1. */
export function normaliseSecret(input: string): string {
  return input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-\u2010-\u2015\u2212]/gu, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1')
    .slice(0, 64);
}

const digest = (kind: 'link' | 'secret', value: string) => sha256Hex(`redress-portal-${kind}:${value}`);

export const trackingPath = (link: string) => `/t/${link}`;

/**
 * Stores the credentials of a complaint and, in the same transaction, the outbox row that sends the tracking link
 * to the complainant (topic `complainant.portal_link`). Returns false when these credentials were already stored.
 */
export async function storeCredentials(
  tx: Tx,
  complaint: { id: string; reference: string },
  credentials: Credentials,
  mail: { publicUrl: string; language: string; reason: 'submitted' | 'reissued' },
): Promise<boolean> {
  const inserted = await tx
    .insertInto('portal_tokens')
    .values([
      { id: randomUUID(), complaint_id: complaint.id, kind: 'link', digest: digest('link', credentials.link) },
      { id: randomUUID(), complaint_id: complaint.id, kind: 'secret', digest: digest('secret', credentials.secret) },
    ])
    .onConflict((oc) => oc.column('digest').doNothing())
    .returning('id')
    .execute();
  if (inserted.length === 0) return false;
  await tx
    .insertInto('outbox')
    .values(
      outboxRow('complainant.portal_link', complaint.id, {
        reference: complaint.reference,
        language: mail.language,
        reason: mail.reason,
        trackingUrl: new URL(trackingPath(credentials.link), mail.publicUrl).toString(),
        trackingPath: trackingPath(credentials.link),
        // On screen at submission; by e-mail only when staff replaced lost or exposed credentials.
        ...(mail.reason === 'reissued' ? { secret: displaySecret(credentials.secret) } : {}),
      }),
    )
    .execute();
  return true;
}

export interface Access {
  tokenId: string;
  complaintId: string;
  reference: string;
}

export async function accessByLink(db: Db, link: string): Promise<Access | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(link)) return null;
  const row = await db
    .selectFrom('portal_tokens as t')
    .innerJoin('complaints as c', 'c.id', 't.complaint_id')
    .select(['t.id as tokenId', 'c.id as complaintId', 'c.reference'])
    .where('t.digest', '=', digest('link', link))
    .where('t.kind', '=', 'link')
    .where('t.revoked_at', 'is', null)
    .executeTakeFirst();
  return row ?? null;
}

/**
 * Reference + secret. A malformed reference, an unknown one and a wrong secret all give null after the same single
 * query, so the answer (and its timing) never tells which of the two was wrong.
 */
export async function accessBySecret(db: Db, reference: string, secret: string): Promise<Access | null> {
  const parsed = parseReference(reference);
  const ref = parsed.ok ? parsed.reference : '-';
  const row = await db
    .selectFrom('portal_tokens as t')
    .innerJoin('complaints as c', 'c.id', 't.complaint_id')
    .select(['t.id as tokenId', 'c.id as complaintId', 'c.reference'])
    .where('t.digest', '=', digest('secret', normaliseSecret(secret)))
    .where('t.kind', '=', 'secret')
    .where('c.reference', '=', ref)
    .where('t.revoked_at', 'is', null)
    .executeTakeFirst();
  return row ?? null;
}

/** Revokes every credential and session of a complaint (the old link and secret stop working at once). */
export async function revokeCredentials(tx: Tx, complaintId: string, now = new Date()): Promise<number> {
  const revoked = await tx
    .updateTable('portal_tokens')
    .set({ revoked_at: now })
    .where('complaint_id', '=', complaintId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  await tx.deleteFrom('portal_sessions').where('complaint_id', '=', complaintId).execute();
  return Number(revoked.numUpdatedRows);
}

// ---- Portal sessions: after a successful look-up the browser holds a session, never the credential itself ----

export const SESSION_COOKIE = 'redress_portal';
const SESSION_MS = 2 * 3_600_000;

export async function openSession(db: Db, access: Access, now = new Date()): Promise<{ cookie: string; expiresAt: Date }> {
  const cookie = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_MS);
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('portal_sessions').where('expires_at', '<', now).execute();
    await tx
      .insertInto('portal_sessions')
      .values({ id: sha256Hex(cookie), complaint_id: access.complaintId, token_id: access.tokenId, expires_at: expiresAt })
      .execute();
    await tx.updateTable('portal_tokens').set({ last_used_at: now }).where('id', '=', access.tokenId).execute();
  });
  return { cookie, expiresAt };
}

export async function sessionAccess(db: Db, cookie: string | undefined, now = new Date()): Promise<Access | null> {
  if (!cookie || cookie.length > 100) return null;
  const row = await db
    .selectFrom('portal_sessions as s')
    .innerJoin('portal_tokens as t', 't.id', 's.token_id')
    .innerJoin('complaints as c', 'c.id', 's.complaint_id')
    .select(['t.id as tokenId', 'c.id as complaintId', 'c.reference'])
    .where('s.id', '=', sha256Hex(cookie))
    .where('s.expires_at', '>', now)
    .where('t.revoked_at', 'is', null)
    .executeTakeFirst();
  return row ?? null;
}

export async function closeSession(db: Db, cookie: string | undefined): Promise<void> {
  if (cookie) await db.deleteFrom('portal_sessions').where('id', '=', sha256Hex(cookie)).execute();
}
