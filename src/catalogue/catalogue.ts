import type { Db, DbOrTx } from '../db/client.ts';

export interface CatalogueEntry {
  id: string;
  key: string;
  name: string;
}
export interface Category extends CatalogueEntry {
  parentId: string | null;
  teamId: string | null;
}
export interface Remedy extends CatalogueEntry {
  monetary: boolean;
}

export interface Catalogue {
  categories: Map<string, Category>;
  products: Map<string, CatalogueEntry>;
  remedies: Map<string, Remedy>;
  teams: Map<string, CatalogueEntry>;
  byId: Map<string, CatalogueEntry>;
}

const TTL_MS = 30_000;
const cached = new WeakMap<Db, { at: number; value: Promise<Catalogue> }>();

async function loadCatalogue(db: DbOrTx): Promise<Catalogue> {
  const [categories, products, remedies, teams] = await Promise.all([
    db.selectFrom('categories').selectAll().where('active', '=', true).execute(),
    db.selectFrom('products').selectAll().where('active', '=', true).execute(),
    db.selectFrom('remedies').selectAll().where('active', '=', true).execute(),
    db.selectFrom('teams').selectAll().execute(),
  ]);
  const c: Catalogue = {
    categories: new Map(
      categories.map((r) => [r.key, { id: r.id, key: r.key, name: r.name, parentId: r.parent_id, teamId: r.team_id }]),
    ),
    products: new Map(products.map((r) => [r.key, { id: r.id, key: r.key, name: r.name }])),
    remedies: new Map(remedies.map((r) => [r.key, { id: r.id, key: r.key, name: r.name, monetary: r.monetary }])),
    teams: new Map(teams.map((r) => [r.key, { id: r.id, key: r.key, name: r.name }])),
    byId: new Map(),
  };
  for (const m of [c.categories, c.products, c.remedies, c.teams]) for (const e of m.values()) c.byId.set(e.id, e);
  return c;
}

/**
 * The categories, products, remedies and teams, cached per database for 30 s (they change rarely and are read on
 * every intake). `fresh` forces a reload, used when a key is not found before refusing it. Inside a transaction,
 * pass it as `reader`: the embedded database has a single connection, which the transaction holds.
 */
export async function getCatalogue(db: Db, fresh = false, reader: DbOrTx = db): Promise<Catalogue> {
  const hit = cached.get(db);
  if (!fresh && hit && Date.now() - hit.at < TTL_MS) return hit.value;
  const value = loadCatalogue(reader);
  cached.set(db, { at: Date.now(), value });
  value.catch(() => cached.delete(db));
  return value;
}

/** Looks a key up, reloading once if it is not there (a category added a moment ago by another process). */
export async function findInCatalogue<K extends 'categories' | 'products' | 'remedies' | 'teams'>(
  db: Db,
  kind: K,
  key: string,
  reader: DbOrTx = db,
): Promise<Catalogue[K] extends Map<string, infer V> ? V | undefined : never> {
  let found = (await getCatalogue(db, false, reader))[kind].get(key);
  if (found === undefined) found = (await getCatalogue(db, true, reader))[kind].get(key);
  return found as never;
}

/** Forgets the cached catalogue (after an administrator changes it, and in tests). */
export function clearCatalogueCache(db: Db): void {
  cached.delete(db);
}
