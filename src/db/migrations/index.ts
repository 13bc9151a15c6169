import type { Migration } from 'kysely';
import * as m0001 from './0001-initial.ts';

/** Forward-only migrations, in order. Add a file, then add it here. */
export const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
};
