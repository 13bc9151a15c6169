/** What every administrative change of the deadline configuration shares. */
import type { Db, Tx } from '../db/client.ts';
import { conflict } from '../shared/errors.ts';
import { clearDeadlineConfigCache } from './config.ts';

export interface ChangeResult {
  id: string;
  version: number;
  recompute: { groupId: string; jobIds: number[] } | null;
}

export async function bumpRevision(tx: Tx): Promise<void> {
  await tx
    .updateTable('deadline_config')
    .set((eb) => ({ revision: eb('revision', '+', 1) }))
    .where('id', '=', 1)
    .execute();
}

export function checkExpected(current: number, expected: number | undefined) {
  if (expected !== undefined && expected !== current) {
    throw conflict(
      'version_conflict',
      `The current version is ${current}, not ${expected}; reload and try again`,
      { currentVersion: current },
    );
  }
}

/** Runs a change in a transaction, then forgets this process's cached configuration. */
export async function inTx<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const result = await db.transaction().execute(fn);
  clearDeadlineConfigCache(db);
  return result;
}
