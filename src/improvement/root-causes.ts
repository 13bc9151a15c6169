import type { DbOrTx } from '../db/client.ts';
import { AppError } from '../shared/errors.ts';

/** IMP-3: the outcomes after which closure needs a root cause. */
export function rootCauseRequired(outcome: string | null | undefined): boolean {
  return outcome === 'upheld' || outcome === 'partly_upheld';
}

/** The key itself when it names an active root cause; a 422 problem naming the field otherwise. */
export async function activeRootCause(db: DbOrTx, key: string): Promise<string> {
  const row = await db
    .selectFrom('root_causes')
    .select(['key', 'active'])
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row || !row.active) {
    throw new AppError(
      422,
      'root_cause_unknown',
      `"${key}" is not an active root cause (see GET /api/improvement/root-causes)`,
      {
        field: 'rootCause',
      },
    );
  }
  return row.key;
}

export interface RootCause {
  key: string;
  parent: string | null;
  name: string;
  label: string;
  names: Record<string, string>;
  active: boolean;
}

/** Every root cause, parents before their children, labelled in `lang` where a translation exists. */
export async function listRootCauses(db: DbOrTx, lang: string): Promise<RootCause[]> {
  const rows = await db.selectFrom('root_causes').selectAll().orderBy('sort').orderBy('key').execute();
  const out: RootCause[] = [];
  const add = (parent: string | null) => {
    for (const r of rows.filter((x) => x.parent_key === parent)) {
      out.push({
        key: r.key,
        parent: r.parent_key,
        name: r.name,
        label: r.names[lang] ?? r.name,
        names: r.names,
        active: r.active,
      });
      add(r.key);
    }
  };
  add(null);
  return out;
}

/** Labels by key in `lang` (for lists and reports). */
export async function rootCauseLabels(db: DbOrTx, lang: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('root_causes').select(['key', 'name', 'names']).execute();
  return new Map(rows.map((r) => [r.key, r.names[lang] ?? r.name]));
}
