import { randomUUID } from 'node:crypto';
import type { Db, DbOrTx } from '../db/client.ts';
import { recordSystemEvent } from '../audit/record-system-event.ts';
import { badRequest, conflict, ValidationError } from '../shared/errors.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import type { Actor, Role } from './roles.ts';

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  password: string;
  locale?: string | undefined;
  teamKeys?: string[] | undefined;
}

/** Creates a staff user with an argon2id password hash; records it in the system history. */
export async function createUser(db: Db, actor: Actor, input: NewUser): Promise<{ id: string; email: string }> {
  const problem = passwordProblem(input.password);
  if (problem) throw badRequest('weak_password', problem);
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  const id = randomUUID();
  return db.transaction().execute(async (tx) => {
    const exists = await tx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    if (exists) throw conflict('email_taken', `A user with e-mail ${email} already exists`);
    await tx
      .insertInto('users')
      .values({ id, email, name: input.name, role: input.role, password_hash: passwordHash, locale: input.locale ?? 'en' })
      .execute();
    const keys = input.teamKeys ?? [];
    if (keys.length > 0) {
      const teams = await tx.selectFrom('teams').select(['id', 'key']).where('key', 'in', keys).execute();
      const missing = keys.filter((k) => !teams.some((t) => t.key === k));
      if (missing.length > 0) throw badRequest('unknown_team', `Unknown team: ${missing.join(', ')}`);
      await tx
        .insertInto('user_teams')
        .values(teams.map((t) => ({ user_id: id, team_id: t.id })))
        .execute();
    }
    await recordSystemEvent(tx, actor, 'user_created', { userId: id, email, role: input.role, teams: keys });
    return { id, email };
  });
}

export async function teamIdsOf(db: Db, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('user_teams').select('team_id').where('user_id', '=', userId).execute();
  return rows.map((r) => r.team_id);
}

/** Refuses (400, naming the field) an id that is not an active staff member: owners of tasks, actions, issues. */
export async function assertActiveUser(db: DbOrTx, id: string, field = 'ownerId'): Promise<void> {
  const user = await db.selectFrom('users').select('id').where('id', '=', id).where('active', '=', true).executeTakeFirst();
  if (!user) throw new ValidationError([{ field, code: 'unknown_user', message: 'No active staff member with this id' }]);
}
