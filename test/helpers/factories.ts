import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/client.ts';
import { digestOf, newSecret } from '../../src/identity/tokens.ts';
import { hashPassword } from '../../src/identity/passwords.ts';
import type { Role } from '../../src/identity/roles.ts';
import type { CreateComplaintInput } from '../../src/complaints/schemas.ts';

export interface StaffUser {
  id: string;
  email: string;
  role: Role;
  password: string;
  /** A session token, usable as the redress_session cookie. */
  token: string;
  teamKeys: string[];
}

let passwordHash: Promise<string> | null = null;
export const FACTORY_PASSWORD = 'correct horse battery staple';

/** A staff user with a live session (no HTTP login needed). */
export async function buildStaff(db: Db, role: Role, teamKeys: string[] = []): Promise<StaffUser> {
  const id = randomUUID();
  const email = `${role}-${randomBytes(4).toString('hex')}@test.example`;
  passwordHash ??= hashPassword(FACTORY_PASSWORD);
  await db.insertInto('users').values({ id, email, name: `${role} ${email.slice(0, 12)}`, role, password_hash: await passwordHash }).execute();
  if (teamKeys.length > 0) {
    const teams = await db.selectFrom('teams').select('id').where('key', 'in', teamKeys).execute();
    await db.insertInto('user_teams').values(teams.map((t) => ({ user_id: id, team_id: t.id }))).execute();
  }
  const token = newSecret();
  await db.insertInto('sessions').values({ id: digestOf(token), user_id: id, expires_at: new Date(Date.now() + 3_600_000) }).execute();
  return { id, email, role, password: FACTORY_PASSWORD, token, teamKeys };
}

/** A valid create request; override any part. */
export function complaintInput(overrides: Partial<CreateComplaintInput> = {}): CreateComplaintInput {
  return {
    type: 'complaint',
    channel: 'phone',
    description: 'I was charged an overdraft fee of £25 although my account was never overdrawn.',
    category: 'fees.overdraft',
    product: 'current-account',
    complainant: { name: 'Alex Example', email: `alex-${randomBytes(3).toString('hex')}@example.com` },
    ...overrides,
  };
}
