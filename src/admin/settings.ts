import type { DbOrTx } from '../db/client.ts';
import { defaultApprovalRule, type ApprovalRule } from '../complaints/lifecycle.ts';

/** Organisation settings with their defaults; stored as JSON rows in `settings`. */
export interface Settings {
  approval_rule: ApprovalRule;
  reopen_window_days: number;
  allow_anonymous: boolean;
  handler_remedy_limit: number;
}

export const defaultSettings: Settings = {
  approval_rule: defaultApprovalRule,
  reopen_window_days: 56,
  allow_anonymous: true,
  handler_remedy_limit: 500,
};

export async function getSetting<K extends keyof Settings>(db: DbOrTx, key: K): Promise<Settings[K]> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row ? (row.value as Settings[K]) : defaultSettings[key];
}

export async function putSetting<K extends keyof Settings>(db: DbOrTx, key: K, value: Settings[K]): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) }))
    .execute();
}
