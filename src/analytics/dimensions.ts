/**
 * The dimensions of the analytics (categories, products, teams, handlers, root causes) with their labels in the
 * requester's language: a catalogue entry's `names[language]` when the table has such a column and a translation,
 * else its `name`. Channel and language keys are returned as keys (the staff app translates them).
 */
import { sql } from 'kysely';
import type { DbOrTx } from '../db/client.ts';

interface Entry {
  id: string;
  key: string;
  name: string;
  parentId: string | null;
}

export interface Dimensions {
  categoriesById: Map<string, Entry>;
  productsById: Map<string, Entry>;
  productsByKey: Map<string, Entry>;
  teamsById: Map<string, Entry>;
  teamsByKey: Map<string, Entry>;
  usersById: Map<string, string>;
  rootCauses: Map<string, string>;
  /** Parallel arrays: every category id and the id of its top-level ancestor. */
  categoryIds: string[];
  categoryTops: string[];
  /** The ids of a category (by key) and all its descendants, or null when there is no such category. */
  categoryWithDescendants(key: string): string[] | null;
  label(kind: string, key: string): string;
  /** The public key of a grouped id: catalogue key for categories, products and teams; the id otherwise. */
  keyOf(kind: string, id: string): string;
}

type Raw = { row: Record<string, unknown> };
const nameIn = (row: Record<string, unknown>, language: string | undefined): string => {
  const names = row.names as Record<string, unknown> | null | undefined;
  const t = language && names && typeof names === 'object' ? names[language] : undefined;
  const name = row.name ?? row.key;
  return typeof t === 'string' && t ? t : typeof name === 'string' ? name : '';
};

async function rows(
  db: DbOrTx,
  table: 'categories' | 'products' | 'teams',
  language: string | undefined,
): Promise<Entry[]> {
  const r = await sql<Raw>`select to_jsonb(t) as row from ${sql.table(table)} t`.execute(db);
  return r.rows.map(({ row }) => ({
    id: String(row.id),
    key: String(row.key),
    name: nameIn(row, language),
    parentId: (row.parent_id as string | null | undefined) ?? null,
  }));
}

export async function loadDimensions(db: DbOrTx, language?: string): Promise<Dimensions> {
  const [categories, products, teams, users, causes] = await Promise.all([
    rows(db, 'categories', language),
    rows(db, 'products', language),
    rows(db, 'teams', language),
    sql<{ id: string; name: string }>`select id, name from users`.execute(db),
    // The root-cause taxonomy may not be installed; never run a failing statement (it would abort a transaction).
    sql<{ t: string | null }>`select to_regclass('root_causes')::text as t`
      .execute(db)
      .then((r) =>
        r.rows[0]?.t
          ? sql<Raw>`select to_jsonb(r) as row from root_causes r`.execute(db)
          : { rows: [] as Raw[] },
      ),
  ]);
  const categoriesById = new Map(categories.map((c) => [c.id, c]));
  const top = (id: string): string => {
    let c = categoriesById.get(id);
    for (let guard = 0; c?.parentId && guard < 50; guard++) c = categoriesById.get(c.parentId) ?? c;
    return c?.id ?? id;
  };
  const byKey = (m: Entry[]) => new Map(m.map((e) => [e.key, e]));
  const byId = (m: Entry[]) => new Map(m.map((e) => [e.id, e]));
  const usersById = new Map(users.rows.map((u) => [u.id, u.name]));
  const rootCauses = new Map(causes.rows.map(({ row }) => [String(row.key), nameIn(row, language)]));
  const categoryKeys = byKey(categories);
  return {
    categoriesById,
    productsById: byId(products),
    productsByKey: byKey(products),
    teamsById: byId(teams),
    teamsByKey: byKey(teams),
    usersById,
    rootCauses,
    categoryIds: categories.map((c) => c.id),
    categoryTops: categories.map((c) => top(c.id)),
    categoryWithDescendants(key) {
      const root = categoryKeys.get(key);
      if (!root) return null;
      return categories.filter((c) => top(c.id) === root.id || isUnder(c.id, root.id)).map((c) => c.id);
      function isUnder(id: string, ancestor: string): boolean {
        let c = categoriesById.get(id);
        for (let guard = 0; c && guard < 50; guard++) {
          if (c.id === ancestor) return true;
          c = c.parentId ? categoriesById.get(c.parentId) : undefined;
        }
        return false;
      }
    },
    keyOf(kind, id) {
      const m =
        kind === 'category'
          ? categoriesById
          : kind === 'product'
            ? byId(products)
            : kind === 'team'
              ? byId(teams)
              : null;
      return m?.get(id)?.key ?? id;
    },
    label(kind, key) {
      if (key === 'none') return 'none';
      switch (kind) {
        case 'category':
          return categoriesById.get(key)?.name ?? key;
        case 'product':
          return byId(products).get(key)?.name ?? key;
        case 'team':
          return byId(teams).get(key)?.name ?? key;
        case 'handler':
          return usersById.get(key) ?? key;
        case 'root_cause':
          return rootCauses.get(key) ?? key;
        default:
          return key;
      }
    },
  };
}
