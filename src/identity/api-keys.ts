import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { badRequest } from '../shared/errors.ts';
import { recordSystemEvent } from '../audit/record-system-event.ts';
import { digestOf, newSecret } from './tokens.ts';
import type { Actor, Role } from './roles.ts';

export interface CreatedApiKey {
  id: string;
  name: string;
  role: Role;
  teams: string[];
  key: string;
}

/**
 * Creates an API key (API-1). The key is returned once; only its SHA-256 digest is kept. Like a user, a key acts
 * for teams (by key): a handler-role integration sees and works the complaints of those teams only.
 */
export async function createApiKey(db: Db, actor: Actor, input: { name: string; role: Role; teams?: string[] | undefined }): Promise<CreatedApiKey> {
  const id = randomUUID();
  const prefix = newSecret().slice(0, 8);
  const key = `rdk_${prefix}_${newSecret()}`;
  const keys = [...new Set(input.teams ?? [])];
  await db.transaction().execute(async (tx) => {
    const teams = keys.length > 0 ? await tx.selectFrom('teams').select(['id', 'key']).where('key', 'in', keys).execute() : [];
    const missing = keys.filter((k) => !teams.some((t) => t.key === k));
    if (missing.length > 0) throw badRequest('unknown_team', `Unknown team: ${missing.join(', ')}`);
    await tx
      .insertInto('api_keys')
      .values({ id, name: input.name, role: input.role, digest: digestOf(key), prefix, team_ids: teams.map((t) => t.id) })
      .execute();
    await recordSystemEvent(tx, actor, 'api_key_created', { apiKeyId: id, name: input.name, role: input.role, prefix, teams: keys });
  });
  return { id, name: input.name, role: input.role, teams: keys, key };
}

export async function revokeApiKey(db: Db, actor: Actor, id: string): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const res = await tx
      .updateTable('api_keys')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) return false;
    await recordSystemEvent(tx, actor, 'api_key_revoked', { apiKeyId: id });
    return true;
  });
}

const CACHE_MS = 10_000;
const cache = new Map<string, { actor: Actor | null; until: number }>();
const lastTouched = new Map<string, number>();

/**
 * Resolves a bearer key to an actor: one indexed look-up by digest (cached for 10 s, so a revocation takes
 * effect within 10 s), never a slow hash per request.
 */
export async function actorForApiKey(db: Db, key: string): Promise<Actor | null> {
  const digest = digestOf(key);
  const now = Date.now();
  const hit = cache.get(digest);
  if (hit && hit.until > now) return hit.actor;
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'name', 'role', 'team_ids'])
    .where('digest', '=', digest)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  const actor: Actor | null = row
    ? { type: 'api_key', id: row.id, label: `api-key:${row.name}`, role: row.role, teamIds: row.team_ids, channel: 'api' }
    : null;
  if (cache.size > 10_000) cache.clear();
  cache.set(digest, { actor, until: now + CACHE_MS });
  if (row && (lastTouched.get(row.id) ?? 0) < now - 60_000) {
    lastTouched.set(row.id, now);
    await db.updateTable('api_keys').set({ last_used_at: new Date() }).where('id', '=', row.id).execute();
  }
  return actor;
}

export function clearApiKeyCache(): void {
  cache.clear();
}
