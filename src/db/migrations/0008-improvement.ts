import { sql, type Kysely } from 'kysely';

/** Learning from complaints (IMP-3, IMP-4): the root cause recorded on a complaint. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
alter table complaints add column root_cause text;
`,
    )
    .execute(db);
}
