import type { Db } from '../db/client.ts';

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

async function loadCatalogue(db: Db): Promise<Catalogue> {
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
 * every intake). `fresh` forces a reload, used when a key is not found before refusing it.
 */
export async function getCatalogue(db: Db, fresh = false): Promise<Catalogue> {
  const hit = cached.get(db);
  if (!fresh && hit && Date.now() - hit.at < TTL_MS) return hit.value;
  const value = loadCatalogue(db);
  cached.set(db, { at: Date.now(), value });
  value.catch(() => cached.delete(db));
  return value;
}

/** Looks a key up, reloading once if it is not there (a category added a moment ago by another process). */
export async function findInCatalogue<K extends 'categories' | 'products' | 'remedies' | 'teams'>(
  db: Db,
  kind: K,
  key: string,
): Promise<Catalogue[K] extends Map<string, infer V> ? V | undefined : never> {
  let found = (await getCatalogue(db))[kind].get(key);
  if (found === undefined) found = (await getCatalogue(db, true))[kind].get(key);
  return found as never;
}
