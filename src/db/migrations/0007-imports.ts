import { sql, type Kysely } from 'kysely';

/** Bulk import (API-3): the source's own fields kept on each imported complaint, and the run it came from. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
alter table complaints add column external jsonb;
alter table complaints add column import_run_id uuid;
`,
    )
    .execute(db);
}
