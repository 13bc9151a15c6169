import type { Kysely } from 'kysely';

/** (Filled in by the feature that owns it.) */
export async function up(_db: Kysely<unknown>): Promise<void> {}
