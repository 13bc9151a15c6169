import { sql, type Kysely } from 'kysely';

/** An API key acts for teams (PRIV-1 team scope): a handler-role integration sees the complaints of its teams. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`alter table api_keys add column team_ids uuid[] not null default '{}';`).execute(db);
}
