import type { Migration } from 'kysely';
import * as m0001 from './0001-initial.ts';
import * as m0005 from './0005-audit-anchors.ts';

/** Forward-only migrations, in order. Add a file, then add it here. */
export const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0005-audit-anchors': m0005,
};
