import type { Db } from '../db/client.ts';
import { AppError } from '../shared/errors.ts';
import { dummyHash, verifyPassword } from './passwords.ts';
import { digestOf, newSecret } from './tokens.ts';
import { teamIdsOf } from './users.ts';
import type { Actor } from './roles.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

const invalid = () => new AppError(401, 'invalid_credentials', 'The e-mail address or password is not correct');

/**
 * Checks a password and opens a session. The same answer for an unknown e-mail and a wrong password; after
 * five failures in a row the account is locked for 15 minutes (and says so).
 */
export async function login(
  db: Db,
  input: { email: string; password: string },
  ttlHours: number,
): Promise<{ token: string; expiresAt: Date; userId: string }> {
  const email = input.email.trim().toLowerCase();
  const user = await db
    .selectFrom('users')
    .select(['id', 'password_hash', 'failed_logins', 'locked_until', 'active'])
    .where('email', '=', email)
    .executeTakeFirst();
  if (!user || !user.active || !user.password_hash) {
    await verifyPassword(await dummyHash(), input.password);
    throw invalid();
  }
  const now = new Date();
  if (user.locked_until && user.locked_until > now) {
    throw new AppError(423, 'account_locked', 'Too many failed attempts: this account is locked for a while', {
      lockedUntil: user.locked_until.toISOString(),
    });
  }
  if (!(await verifyPassword(user.password_hash, input.password))) {
    const failures = user.failed_logins + 1;
    const lock = failures >= MAX_FAILED_LOGINS;
    await db
      .updateTable('users')
      .set({
        failed_logins: lock ? 0 : failures,
        locked_until: lock ? new Date(now.getTime() + LOCK_MINUTES * 60_000) : null,
      })
      .where('id', '=', user.id)
      .execute();
    throw invalid();
  }
  const token = newSecret();
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000);
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
    await tx.insertInto('sessions').values({ id: digestOf(token), user_id: user.id, expires_at: expiresAt }).execute();
  });
  return { token, expiresAt, userId: user.id };
}

export async function logout(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', digestOf(token)).execute();
}

/** Resolves a session cookie to its user, sliding the expiry forward (at most once a minute). */
export async function actorForSession(db: Db, token: string, ttlHours: number): Promise<Actor | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id as sid', 'sessions.last_seen_at', 'users.id', 'users.name', 'users.role', 'users.active'])
    .where('sessions.id', '=', digestOf(token))
    .where('sessions.expires_at', '>', new Date())
    .executeTakeFirst();
  if (!row || !row.active) return null;
  const now = Date.now();
  if (row.last_seen_at.getTime() < now - 60_000) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(now), expires_at: new Date(now + ttlHours * 3_600_000) })
      .where('id', '=', row.sid)
      .execute();
  }
  return { type: 'user', id: row.id, label: row.name, role: row.role, teamIds: await teamIdsOf(db, row.id), channel: 'web' };
}
