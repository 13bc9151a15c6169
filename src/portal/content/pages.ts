import type { Db } from '../../db/client.ts';
import { recordSystemEvent } from '../../audit/record-system-event.ts';
import { sha256Hex } from '../../audit/canonical.ts';
import type { Actor } from '../../identity/roles.ts';
import type { Language } from '../../shared/vocabulary.ts';
import { defaultPages, type PageKey } from './defaults.ts';

export interface PortalPage {
  key: string;
  language: string;
  title: string;
  body: string;
  version: number;
  updatedAt: string;
}

const TTL_MS = 10_000;
const cache = new WeakMap<Db, { at: number; pages: Promise<Map<string, PortalPage>> }>();

async function load(db: Db): Promise<Map<string, PortalPage>> {
  const rows = await db.selectFrom('portal_pages').selectAll().execute();
  return new Map(
    rows.map((r) => [
      `${r.key}|${r.language}`,
      { key: r.key, language: r.language, title: r.title, body: r.body, version: r.version, updatedAt: r.updated_at.toISOString() },
    ]),
  );
}

function pages(db: Db): Promise<Map<string, PortalPage>> {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.pages;
  const fresh = load(db);
  cache.set(db, { at: Date.now(), pages: fresh });
  fresh.catch(() => cache.delete(db));
  return fresh;
}

/** A public page in this language: the administrator's text, else the shipped default (cached 10 s per process). */
export async function portalPage(db: Db, key: PageKey, lang: Language): Promise<{ title: string; body: string }> {
  const found = (await pages(db)).get(`${key}|${lang}`);
  return found ?? defaultPages[lang][key];
}

export async function listPortalPages(db: Db): Promise<PortalPage[]> {
  return [...(await load(db)).values()].sort((a, b) => a.key.localeCompare(b.key) || a.language.localeCompare(b.language));
}

/** An administrator's edit (PORT-5): versioned, recorded on the system history (a digest of the text, not the text). */
export async function updatePortalPage(
  db: Db,
  actor: Actor,
  page: { key: PageKey; language: Language; title: string; body: string },
): Promise<PortalPage> {
  const saved = await db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('portal_pages')
      .values({ key: page.key, language: page.language, title: page.title, body: page.body, updated_by: actor.label })
      .onConflict((oc) =>
        oc.columns(['key', 'language']).doUpdateSet((eb) => ({
          title: page.title,
          body: page.body,
          version: eb('portal_pages.version', '+', 1),
          updated_at: new Date(),
          updated_by: actor.label,
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordSystemEvent(tx, actor, 'portal_page_updated', {
      key: page.key,
      language: page.language,
      version: row.version,
      titleSha256: sha256Hex(page.title),
      bodySha256: sha256Hex(page.body),
    });
    return row;
  });
  cache.delete(db);
  return {
    key: saved.key,
    language: saved.language,
    title: saved.title,
    body: saved.body,
    version: saved.version,
    updatedAt: saved.updated_at.toISOString(),
  };
}
