/**
 * The import job: an uploaded file (kept as UTF-8 on its run) is imported one batch per job step. The step reads
 * the next chunk of the file with `substring` (the column is stored uncompressed, so only that chunk is read),
 * imports its complete records and moves the cursor (a byte offset and a line number) in the job's payload — all in
 * the step's transaction, so a crash rolls the batch, the run's counters and the cursor back together and the next
 * worker resumes from the last committed batch.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/client.ts';
import { enqueueJob, type JobHandler, type JobStep } from '../jobs/queue.ts';
import type { Actor } from '../identity/roles.ts';
import type { AnalysedFile } from './analyse.ts';
import type { Preset } from './presets.ts';
import { clearCatalogueCache } from '../catalogue/catalogue.ts';
import { readRecords } from './csv.ts';
import { addToRun, createImporter, DEFAULT_BATCH_SIZE, importBatch, loadPreset } from './import.ts';

export const IMPORT_JOB = 'imports.csv';
const CHUNK_BYTES = 4 * 1024 * 1024;
const MAX_CHUNK_BYTES = 256 * 1024 * 1024;

export interface ImportJobPayload {
  runId: string;
  actor: Pick<Actor, 'type' | 'id' | 'label' | 'channel'>;
  /** Byte offset into the stored UTF-8 file of the next record, and its physical line. */
  offset: number;
  line: number;
  /** Bytes read per step (default 4 MB), times `grow` while a record does not fit in one chunk. */
  chunk?: number;
  grow?: number;
  batch?: number;
}

export const importStep: JobHandler = async ({ db, tx, job, now }): Promise<JobStep> => {
  const payload = job.payload as unknown as ImportJobPayload;
  const run = await tx
    .selectFrom('import_runs')
    .select(['id', 'preset', 'status', 'header', sql<number>`coalesce(octet_length(file), 0)`.as('size')])
    .where('id', '=', payload.runId)
    .forUpdate()
    .executeTakeFirst();
  if (!run || run.status === 'done' || run.status === 'failed') return { done: true };
  const fail = async (error: string): Promise<JobStep> => {
    await tx
      .updateTable('import_runs')
      .set({ status: 'failed', error, finished_at: now, file: null })
      .where('id', '=', run.id)
      .execute();
    return { done: true };
  };
  const preset = await loadPreset(tx, run.preset);
  if (!preset) return fail(`The preset "${run.preset}" no longer exists`);
  if (!run.header) return fail('The file has no header row');
  if (run.status === 'queued') {
    await tx
      .updateTable('import_runs')
      .set({ status: 'running', started_at: now })
      .where('id', '=', run.id)
      .execute();
  }
  const chunkBytes = (payload.chunk ?? CHUNK_BYTES) * (payload.grow ?? 1);
  const chunk = await sql<{ bytes: Uint8Array | null }>`
    select substring(file from ${payload.offset + 1}::int for ${chunkBytes}::int) as bytes from import_runs where id = ${run.id}`.execute(
    tx,
  );
  const bytes = chunk.rows[0]?.bytes ?? new Uint8Array();
  const final = payload.offset + bytes.length >= run.size;
  // A chunk may end inside a character: the decoder keeps that tail back, and only whole records are consumed.
  const text = new TextDecoder('utf-8').decode(bytes, { stream: !final });
  const r = readRecords(text, 0, payload.line, payload.batch ?? DEFAULT_BATCH_SIZE, final);
  if (r.records.length === 0 && !r.done) {
    if (chunkBytes >= MAX_CHUNK_BYTES) return fail('A record is larger than 256 MB');
    return { done: false, payload: { ...payload, grow: (payload.grow ?? 1) * 2 } };
  }
  const actor: Actor = { ...payload.actor, role: 'admin', teamIds: [] };
  const importer = await createImporter(tx, run.id, actor, preset, run.header);
  const counts = await importBatch(tx, importer, r.records, now);
  await addToRun(tx, run.id, counts, r.records.length);
  if (importer.catalogueChanged) clearCatalogueCache(db);
  const offset = payload.offset + Buffer.byteLength(text.slice(0, r.next), 'utf8');
  const progress = {
    processed: r.records.length,
    imported: counts.imported,
    rejected: counts.rejected,
    duplicates: counts.duplicates,
  };
  if (r.done || offset >= run.size) {
    await tx
      .updateTable('import_runs')
      .set({ status: 'done', finished_at: new Date(), file: null })
      .where('id', '=', run.id)
      .execute();
    return { done: true, progress };
  }
  return { done: false, payload: { ...payload, offset, line: r.nextLine, grow: undefined }, progress };
};

/**
 * Records a run for an analysed file and enqueues its job, in one transaction. The file is stored as UTF-8 (whatever
 * it was uploaded in); the job starts at its first data row. `tuning` (chunk and batch sizes) is for tests.
 */
export async function queueImport(
  db: Db,
  actor: Actor,
  preset: Preset,
  input: { filename: string; bytes: number; analysed: AnalysedFile },
  tuning: { chunk?: number; batch?: number } = {},
): Promise<string> {
  const id = randomUUID();
  const { header, text, encoding, total } = input.analysed;
  const utf8 = Buffer.from(text, 'utf8');
  const payload: ImportJobPayload = {
    runId: id,
    actor: { type: actor.type, id: actor.id, label: actor.label, channel: actor.channel },
    offset: Buffer.byteLength(text.slice(0, header.dataOffset), 'utf8'),
    line: header.dataLine,
    ...tuning,
  };
  await db.transaction().execute(async (tx) => {
    const jobId = await enqueueJob(tx, IMPORT_JOB, payload as unknown as Record<string, unknown>, {
      groupId: id,
      createdBy: actor.type === 'user' ? actor.id : null,
    });
    await tx
      .insertInto('import_runs')
      .values({
        id,
        preset: preset.name,
        filename: input.filename.slice(0, 500),
        status: 'queued',
        bytes: input.bytes,
        encoding,
        total,
        header: JSON.stringify(header),
        file: utf8,
        job_id: jobId,
        created_by: actor.type === 'user' ? actor.id : null,
      })
      .execute();
  });
  return id;
}

/** The background jobs of this capability, by kind (merged into the workers' job handlers). */
export const importsJobHandlers: Readonly<Record<string, JobHandler>> = { [IMPORT_JOB]: importStep };
