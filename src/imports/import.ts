/**
 * The import command (API-3, INT-1): rows of a CSV export become complaints in batches, each batch one transaction
 * and a handful of statements — catalogue entries it needs, one multi-row INSERT … SELECT FROM unnest(…) of the
 * complaints together with their first history event (action `import`, hash-chained like `create`), the rejected rows
 * — so a batch of thousands of rows costs a few round trips. `source_key` = `<preset>:<source id>` with ON CONFLICT
 * DO NOTHING: importing a file again imports nothing twice and counts the rows as duplicates.
 *
 * Historical complaints send no notifications (no outbox rows) and get no deadlines (see README.md).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, DbOrTx, Tx } from '../db/client.ts';
import { complaintChain, GENESIS, nextEvent, type AuditEvent } from '../audit/chain.ts';
import { sha256Hex } from '../audit/canonical.ts';
import { clearCatalogueCache } from '../catalogue/catalogue.ts';
import type { Actor } from '../identity/roles.ts';
import { searchDocument } from '../search/text.ts';
import { generateReference } from '../complaints/reference.ts';
import { csvLine, readRecords, type CsvRecord } from './csv.ts';
import { analyseFile, type AnalysedFile, type HeaderInfo } from './analyse.ts';
import {
  builtinPresets,
  matchHeader,
  presetMappingSchema,
  mapRecord,
  type MappedComplaint,
  type Preset,
  type RowContext,
} from './presets.ts';

export const DEFAULT_BATCH_SIZE = 2000;
const MAX_RAW_CHARS = 10_000;

/** A preset by name: a builtin one, or one saved in `import_presets`; undefined when there is none. */
export async function loadPreset(db: DbOrTx, name: string): Promise<Preset | undefined> {
  const builtin = builtinPresets.get(name);
  if (builtin) return builtin;
  const row = await db.selectFrom('import_presets').selectAll().where('name', '=', name).executeTakeFirst();
  if (!row) return undefined;
  const mapping = presetMappingSchema.safeParse(row.mapping);
  if (!mapping.success) return undefined;
  return { name: row.name, description: row.description, builtin: row.builtin, mapping: mapping.data };
}

/** What a batch did, and the catalogue entries its transaction created (see `commitCreated`). */
export interface BatchResult extends BatchCounts {
  created: Ids;
}

/** Once a batch has committed, the entries it created are known to every later batch. */
export function commitCreated(imp: Importer, created: Ids): void {
  for (const kind of ['categories', 'products', 'remedies'] as const)
    for (const [k, v] of created[kind]) imp.ids[kind].set(k, v);
}

export interface BatchCounts {
  imported: number;
  rejected: number;
  duplicates: number;
}

export interface Importer {
  runId: string;
  actor: Actor;
  preset: Preset;
  ctx: RowContext;
  /** Catalogue ids by key (categories, products and remedies of this source), filled as entries are created. */
  ids: { categories: Map<string, string>; products: Map<string, string>; remedies: Map<string, string> };
  catalogueChanged: boolean;
}

/** Sets up the import of a run's rows (reads the catalogue entries under the preset's key root once). */
export async function createImporter(
  db: DbOrTx,
  runId: string,
  actor: Actor,
  preset: Preset,
  header: Pick<HeaderInfo, 'fields'>,
): Promise<Importer> {
  const index = matchHeader(header.fields, preset.mapping);
  if (!index) throw new Error('the header does not match the preset');
  const root = preset.mapping.keyRoot ?? preset.name;
  const load = async (table: 'categories' | 'products' | 'remedies', prefix: string) =>
    new Map(
      (
        await db
          .selectFrom(table)
          .select(['id', 'key'])
          .where((eb) => eb.or([eb('key', '=', prefix), eb('key', 'like', `${prefix}.%`)]))
          .execute()
      ).map((r) => [r.key, r.id] as const),
    );
  return {
    runId,
    actor,
    preset,
    ctx: { header: index, fieldCount: header.fields.length, preset },
    ids: {
      categories: await load('categories', root),
      products: await load('products', root),
      remedies: await load('remedies', 'cfpb'),
    },
    catalogueChanged: false,
  };
}

/** Creates the categories, products and remedies the rows refer to and that do not exist yet. */
type Ids = Importer['ids'];
const emptyIds = (): Ids => ({ categories: new Map(), products: new Map(), remedies: new Map() });

/** An id known to be committed (the importer's) or created by this batch's own transaction (`local`). */
const idOf = (imp: Importer, local: Ids, kind: keyof Ids, key: string) =>
  local[kind].get(key) ?? imp.ids[kind].get(key);

/**
 * Creates the categories, products and remedies the rows refer to and that do not exist yet. Their ids go to `local`
 * until the batch commits: a concurrent batch must not refer to entries another transaction has not committed (it
 * inserts them too, waits for that transaction, and then finds them).
 */
async function ensureCatalogue(
  tx: Tx,
  imp: Importer,
  local: Ids,
  rows: readonly MappedComplaint[],
): Promise<void> {
  const categories = new Map<string, { key: string; name: string; parent: string | null; depth: number }>();
  const products = new Map<string, string>();
  const remedies = new Map<string, { name: string; monetary: boolean }>();
  for (const r of rows) {
    r.categoryPath.forEach((c, depth) => {
      if (!idOf(imp, local, 'categories', c.key) && !categories.has(c.key)) {
        categories.set(c.key, {
          key: c.key,
          name: c.name,
          parent: depth > 0 ? r.categoryPath[depth - 1]!.key : null,
          depth,
        });
      }
    });
    if (r.product && !idOf(imp, local, 'products', r.product.key))
      products.set(r.product.key, r.product.name);
    if (r.remedy && !idOf(imp, local, 'remedies', r.remedy.key)) remedies.set(r.remedy.key, r.remedy);
  }
  if (categories.size > 0) {
    // Parents before children: one statement per depth.
    const byDepth = [...categories.values()].sort((a, b) => a.depth - b.depth);
    for (let depth = 0; depth <= (byDepth.at(-1)?.depth ?? 0); depth++) {
      // In key order, so that concurrent batches creating the same entries lock them in the same order.
      const level = byDepth.filter((c) => c.depth === depth).sort((a, b) => (a.key < b.key ? -1 : 1));
      if (level.length === 0) continue;
      await tx
        .insertInto('categories')
        .values(
          level.map((c) => ({
            id: randomUUID(),
            key: c.key,
            name: c.name,
            parent_id: c.parent ? (idOf(imp, local, 'categories', c.parent) ?? null) : null,
          })),
        )
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      const found = await tx
        .selectFrom('categories')
        .select(['id', 'key'])
        .where(
          'key',
          'in',
          level.map((c) => c.key),
        )
        .execute();
      for (const f of found) local.categories.set(f.key, f.id);
    }
    imp.catalogueChanged = true;
  }
  if (products.size > 0) {
    await tx
      .insertInto('products')
      .values([...products].sort().map(([key, name]) => ({ id: randomUUID(), key, name })))
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    for (const f of await tx
      .selectFrom('products')
      .select(['id', 'key'])
      .where('key', 'in', [...products.keys()])
      .execute()) {
      local.products.set(f.key, f.id);
    }
    imp.catalogueChanged = true;
  }
  if (remedies.size > 0) {
    await tx
      .insertInto('remedies')
      .values(
        [...remedies]
          .sort()
          .map(([key, r]) => ({ id: randomUUID(), key, name: r.name, monetary: r.monetary })),
      )
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    for (const f of await tx
      .selectFrom('remedies')
      .select(['id', 'key'])
      .where('key', 'in', [...remedies.keys()])
      .execute()) {
      local.remedies.set(f.key, f.id);
    }
    imp.catalogueChanged = true;
  }
}

interface Prepared {
  row: MappedComplaint;
  id: string;
  sourceKey: string;
  reference: string;
  event: AuditEvent;
}

function prepare(imp: Importer, row: MappedComplaint, now: Date, id = randomUUID()): Prepared {
  const reference = generateReference();
  const category = row.categoryPath.at(-1)?.key ?? null;
  const event = nextEvent({
    chain: complaintChain(id),
    head: { seq: 0, hash: GENESIS },
    complaintId: id,
    action: 'import',
    actor: imp.actor,
    at: now,
    data: {
      after: {
        reference,
        type: 'complaint',
        channel: row.channel,
        state: row.state,
        receivedAt: row.receivedAt.toISOString(),
        acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
        closedAt: row.closedAt?.toISOString() ?? null,
        language: row.language,
        category,
        product: row.product?.key ?? null,
        outcome: row.outcome,
        remedy: row.remedy?.key ?? null,
      },
      descriptionSha256: sha256Hex(row.description),
      importRunId: imp.runId,
      preset: imp.preset.name,
      sourceKey: `${imp.preset.name}:${row.sourceId}`,
      line: row.line,
    },
  });
  return { row, id, sourceKey: `${imp.preset.name}:${row.sourceId}`, reference, event };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * One multi-row statement: the complaints (skipping existing source keys) and, for those inserted, their events.
 * `fast` skips existing source keys with an index probe and no ON CONFLICT clause (a speculative insertion checked
 * against every unique index costs about as much as the rest of the insert); it fails with a unique violation in the
 * rare case of a reference collision or a concurrent import of the same rows, and the caller falls back to `safe`.
 */
async function insertPrepared(
  tx: Tx,
  imp: Importer,
  local: Ids,
  items: readonly Prepared[],
  mode: 'fast' | 'safe',
): Promise<Set<string>> {
  const c = {
    id: [] as string[],
    reference: [] as string[],
    channel: [] as string[],
    state: [] as string[],
    language: [] as string[],
    description: [] as string[],
    product: [] as Array<string | null>,
    category: [] as Array<string | null>,
    received: [] as string[],
    acknowledged: [] as Array<string | null>,
    response: [] as Array<string | null>,
    sent: [] as Array<string | null>,
    closed: [] as Array<string | null>,
    closure: [] as Array<string | null>,
    sourceKey: [] as string[],
    external: [] as string[],
    head: [] as string[],
    search: [] as string[],
  };
  const e = {
    id: [] as string[],
    chain: [] as string[],
    at: [] as string[],
    data: [] as string[],
    hash: [] as string[],
  };
  for (const p of items) {
    const r = p.row;
    c.id.push(p.id);
    c.reference.push(p.reference);
    c.channel.push(r.channel);
    c.state.push(r.state);
    c.language.push(r.language);
    c.description.push(r.description);
    c.product.push(r.product ? (idOf(imp, local, 'products', r.product.key) ?? null) : null);
    c.category.push(
      r.categoryPath.length ? (idOf(imp, local, 'categories', r.categoryPath.at(-1)!.key) ?? null) : null,
    );
    c.received.push(r.receivedAt.toISOString());
    c.acknowledged.push(iso(r.acknowledgedAt));
    c.response.push(
      r.outcome
        ? JSON.stringify({
            outcome: r.outcome,
            reasons: r.reasons ?? '',
            remedies: r.remedy ? [{ key: r.remedy.key }] : [],
          })
        : null,
    );
    c.sent.push(iso(r.sentAt));
    c.closed.push(iso(r.closedAt));
    c.closure.push(r.closureReason);
    c.sourceKey.push(p.sourceKey);
    c.external.push(JSON.stringify(r.external));
    c.head.push(p.event.hash);
    c.search.push(searchDocument(p.reference, r.description, ...r.searchParts));
    e.id.push(p.event.id);
    e.chain.push(p.event.chain);
    e.at.push(new Date(p.event.at).toISOString());
    e.data.push(JSON.stringify(p.event.data));
    e.hash.push(p.event.hash);
  }
  const actor = imp.actor;
  const result = await sql<{ source_key: string }>`
    with k as (
      insert into complaints (id, reference, type, channel, state, language, description, product_id, category_id,
        received_at, acknowledged_at, response, sent_at, closed_at, closure_reason, source_key, external, import_run_id,
        created_by, audit_seq, audit_head, search_text)
      select u.id, u.reference, 'complaint', u.channel, u.state, u.language, u.description, u.product_id, u.category_id,
        u.received_at, u.acknowledged_at, u.response::jsonb, u.sent_at, u.closed_at, u.closure_reason, u.source_key,
        u.external::jsonb, ${imp.runId}::uuid, ${actor.id}::uuid, 1, u.audit_head, u.search_text
      from unnest(${c.id}::uuid[], ${c.reference}::text[], ${c.channel}::text[], ${c.state}::text[], ${c.language}::text[],
        ${c.description}::text[], ${c.product}::uuid[], ${c.category}::uuid[], ${c.received}::timestamptz[],
        ${c.acknowledged}::timestamptz[], ${c.response}::text[], ${c.sent}::timestamptz[], ${c.closed}::timestamptz[],
        ${c.closure}::text[], ${c.sourceKey}::text[], ${c.external}::text[], ${c.head}::text[], ${c.search}::text[])
        as u(id, reference, channel, state, language, description, product_id, category_id, received_at, acknowledged_at,
          response, sent_at, closed_at, closure_reason, source_key, external, audit_head, search_text)
      ${mode === 'fast' ? sql`where not exists (select 1 from complaints x where x.source_key = u.source_key)` : sql`on conflict do nothing`}
      returning id, source_key
    ), e as (
      insert into audit_events (id, chain, seq, complaint_id, action, actor_type, actor_id, actor_label, channel, at, data, prev_hash, hash)
      select v.id, v.chain, 1, k.id, 'import', ${actor.type}, ${actor.id}::uuid, ${actor.label}, ${actor.channel}, v.at,
        v.data::jsonb, ${GENESIS}, v.hash
      from unnest(${e.id}::uuid[], ${c.id}::uuid[], ${e.chain}::text[], ${e.at}::timestamptz[], ${e.data}::text[], ${e.hash}::text[])
        as v(id, complaint_id, chain, at, data, hash)
      join k on k.id = v.complaint_id
    )
    select source_key from k`.execute(tx);
  return new Set(result.rows.map((r) => r.source_key));
}

/** Imports one batch of records inside the caller's transaction; returns what became of them. */
export async function importBatch(
  tx: Tx,
  imp: Importer,
  records: readonly CsvRecord[],
  now = new Date(),
): Promise<BatchResult> {
  const counts: BatchCounts = { imported: 0, rejected: 0, duplicates: 0 };
  const local = emptyIds();
  const rejections: Array<{ line: number; sourceId: string | null; reason: string; raw: string }> = [];
  const rows: MappedComplaint[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    const mapped = mapRecord(record, imp.ctx);
    if (!mapped.ok) {
      rejections.push({
        line: mapped.line,
        sourceId: mapped.sourceId,
        reason: mapped.reason,
        raw: record.raw.slice(0, MAX_RAW_CHARS),
      });
      continue;
    }
    if (seen.has(mapped.complaint.sourceId)) {
      counts.duplicates++;
      continue;
    }
    seen.add(mapped.complaint.sourceId);
    rows.push(mapped.complaint);
  }
  if (rows.length > 0) {
    await ensureCatalogue(tx, imp, local, rows);
    let pending = rows.map((r) => prepare(imp, r, now));
    // The fast statement first; a unique violation (reference collision, the same rows imported concurrently) rolls
    // it back to the savepoint and the rows go through the safe loop below.
    await sql`savepoint import_batch`.execute(tx);
    try {
      const inserted = await insertPrepared(tx, imp, local, pending, 'fast');
      await sql`release savepoint import_batch`.execute(tx);
      counts.imported += inserted.size;
      counts.duplicates += pending.length - inserted.size; // not inserted: the source key exists
      pending = [];
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') throw error;
      await sql`rollback to savepoint import_batch`.execute(tx);
    }
    for (let attempt = 0; pending.length > 0; attempt++) {
      const inserted = await insertPrepared(tx, imp, local, pending, 'safe');
      counts.imported += inserted.size;
      const missed = pending.filter((p) => !inserted.has(p.sourceKey));
      if (missed.length === 0) break;
      // Not inserted: the source key exists (a duplicate), or — rarely — the random reference was taken: retry those.
      const existing = new Set(
        (
          await tx
            .selectFrom('complaints')
            .select('source_key')
            .where(
              'source_key',
              'in',
              missed.map((p) => p.sourceKey),
            )
            .execute()
        ).map((r) => r.source_key),
      );
      counts.duplicates += missed.filter((p) => existing.has(p.sourceKey)).length;
      pending = missed.filter((p) => !existing.has(p.sourceKey)).map((p) => prepare(imp, p.row, now));
      if (attempt >= 5 && pending.length > 0) throw new Error('could not find free references');
    }
  }
  if (rejections.length > 0) {
    counts.rejected = rejections.length;
    await sql`
      insert into import_rejections (run_id, line, source_id, reason, raw)
      select ${imp.runId}::uuid, u.line, u.source_id, u.reason, u.raw
      from unnest(${rejections.map((r) => r.line)}::int[], ${rejections.map((r) => r.sourceId)}::text[],
        ${rejections.map((r) => r.reason)}::text[], ${rejections.map((r) => r.raw)}::text[]) as u(line, source_id, reason, raw)
      on conflict do nothing`.execute(tx);
  }
  return { ...counts, created: local };
}

export interface RunSummary {
  runId: string;
  imported: number;
  rejected: number;
  duplicates: number;
  total: number;
  encoding: string;
  seconds: number;
}

/**
 * Imports a whole file now (the CLI and the benchmark): analyses it, records a run, and imports its rows batch by
 * batch, each batch one transaction that also advances the run's counters. Throws ImportFileError for a file that
 * cannot be imported at all.
 */
export async function importFile(
  db: Db,
  actor: Actor,
  input: {
    preset: Preset;
    filename: string;
    bytes: Uint8Array;
    batchSize?: number | undefined;
    concurrency?: number | undefined;
  },
  onProgress: (p: { processed: number; total: number; imported: number }) => void = () => {},
): Promise<RunSummary> {
  const started = Date.now();
  const analysed: AnalysedFile = analyseFile(input.bytes, input.preset.mapping);
  const runId = randomUUID();
  await db
    .insertInto('import_runs')
    .values({
      id: runId,
      preset: input.preset.name,
      filename: input.filename.slice(0, 500),
      status: 'running',
      bytes: input.bytes.length,
      encoding: analysed.encoding,
      total: analysed.total,
      header: JSON.stringify(analysed.header),
      created_by: actor.type === 'user' ? actor.id : null,
      started_at: new Date(started),
    })
    .execute();
  const totals = { imported: 0, rejected: 0, duplicates: 0, processed: 0 };
  try {
    const imp = await createImporter(db, runId, actor, input.preset, analysed.header);
    let pos = analysed.header.dataOffset;
    let line = analysed.header.dataLine;
    const batchSize = input.batchSize ?? DEFAULT_BATCH_SIZE;
    // Up to `concurrency` batches at once, each its own transaction on its own connection: while the database writes
    // one batch, the next one is being prepared here (or written by another backend).
    const inflight = new Set<Promise<void>>();
    const failed: { error: Error | null } = { error: null };
    for (;;) {
      const r = readRecords(analysed.text, pos, line, batchSize, true);
      if (r.records.length === 0) break;
      const batch = retryOnDeadlock(() =>
        db.transaction().execute(async (tx) => {
          const counts = await importBatch(tx, imp, r.records);
          await addToRun(tx, runId, counts, r.records.length);
          return counts;
        }),
      )
        .then((counts) => {
          commitCreated(imp, counts.created);
          totals.imported += counts.imported;
          totals.rejected += counts.rejected;
          totals.duplicates += counts.duplicates;
          totals.processed += r.records.length;
          onProgress({ processed: totals.processed, total: analysed.total, imported: totals.imported });
        })
        .catch((error: unknown) => {
          failed.error ??= error instanceof Error ? error : new Error(String(error));
        })
        .finally(() => inflight.delete(batch));
      inflight.add(batch);
      if (inflight.size >= Math.max(1, input.concurrency ?? 1)) await Promise.race(inflight);
      if (failed.error) break;
      pos = r.next;
      line = r.nextLine;
      if (r.done) break;
    }
    await Promise.all(inflight);
    if (failed.error) throw failed.error;
    if (imp.catalogueChanged) clearCatalogueCache(db);
    await db
      .updateTable('import_runs')
      .set({ status: 'done', finished_at: new Date() })
      .where('id', '=', runId)
      .execute();
  } catch (error) {
    await db
      .updateTable('import_runs')
      .set({ status: 'failed', finished_at: new Date(), error: (error as Error).message.slice(0, 1000) })
      .where('id', '=', runId)
      .execute();
    throw error;
  }
  return {
    runId,
    imported: totals.imported,
    rejected: totals.rejected,
    duplicates: totals.duplicates,
    total: analysed.total,
    encoding: analysed.encoding,
    seconds: (Date.now() - started) / 1000,
  };
}

/**
 * Concurrent batches of one file can wait on each other's source keys (the same id twice in a file): in the rare
 * case they wait in a cycle, PostgreSQL aborts one of them, which is then run again.
 */
async function retryOnDeadlock<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= 3 || (code !== '40P01' && code !== '40001')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
    }
  }
}

/** Adds a batch's counts to its run (in the batch's transaction). */
export async function addToRun(tx: Tx, runId: string, counts: BatchCounts, processed: number): Promise<void> {
  await tx
    .updateTable('import_runs')
    .set((eb) => ({
      processed: eb('processed', '+', processed),
      imported: eb('imported', '+', counts.imported),
      rejected: eb('rejected', '+', counts.rejected),
      duplicates: eb('duplicates', '+', counts.duplicates),
    }))
    .where('id', '=', runId)
    .execute();
}

/** The rejected rows of a run as CSV (line, source id, reason, the row as it was). */
export async function rejectionsCsv(db: DbOrTx, runId: string): Promise<string> {
  const rows = await db
    .selectFrom('import_rejections')
    .select(['line', 'source_id', 'reason', 'raw'])
    .where('run_id', '=', runId)
    .orderBy('line')
    .execute();
  return (
    ['line,source_id,reason,raw', ...rows.map((r) => csvLine([r.line, r.source_id, r.reason, r.raw]))].join(
      '\r\n',
    ) + '\r\n'
  );
}
