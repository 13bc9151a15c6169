/**
 * Bulk import of historical complaints (API-3): upload a file (the raw body, up to 256 MB) → a run and its job (in one
 * transaction); the worker imports it batch by batch; the run shows its progress, its rejected rows and their lines.
 * Presets (column mappings) are listed, created, changed and removed here; the builtin ones cannot be changed.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { Db, DbOrTx } from '../db/client.ts';
import type { Role } from '../identity/roles.ts';
import { recordSystemEvent } from '../audit/record-system-event.ts';
import { requireActor } from '../server/http/auth.ts';
import { AppError, conflict, notFound, ValidationError } from '../shared/errors.ts';
import { analyseFile, ImportFileError } from './analyse.ts';
import type { ImportRunsTable } from './db-schema.ts';
import { loadPreset, rejectionsCsv } from './import.ts';
import { queueImport } from './jobs.ts';
import { builtinPresets, presetMappingSchema, presetNameSchema, type Preset } from './presets.ts';

/** Who may import (and manage presets). */
export const importRoles: readonly Role[] = ['manager', 'quality', 'admin'];
export const MAX_UPLOAD_BYTES = 256 * 1024 * 1024;
const tags = ['imports'];

const importer = (request: FastifyRequest) => requireActor(request, importRoles);

type RunRow = Omit<Selectable<ImportRunsTable>, 'file'> & {
  job_status?: string | null;
  job_error?: string | null;
};

const runColumns = [
  'import_runs.id',
  'import_runs.preset',
  'import_runs.filename',
  'import_runs.status',
  'import_runs.bytes',
  'import_runs.encoding',
  'import_runs.total',
  'import_runs.processed',
  'import_runs.imported',
  'import_runs.rejected',
  'import_runs.duplicates',
  'import_runs.header',
  'import_runs.job_id',
  'import_runs.error',
  'import_runs.created_by',
  'import_runs.created_at',
  'import_runs.started_at',
  'import_runs.finished_at',
] as const;

function runsQuery(db: DbOrTx) {
  return db
    .selectFrom('import_runs')
    .leftJoin('jobs', 'jobs.id', 'import_runs.job_id')
    .select([...runColumns, 'jobs.status as job_status', 'jobs.last_error as job_error']);
}

export function presentRun(r: RunRow, now = new Date()) {
  // A job that gave up (after its retries) leaves the run failed, with the job's last error.
  const jobFailed = r.job_status === 'failed' && (r.status === 'queued' || r.status === 'running');
  const finishedAt = r.finished_at ?? null;
  const end = finishedAt ?? (r.status === 'running' ? now : null);
  return {
    id: r.id,
    preset: r.preset,
    filename: r.filename,
    status: jobFailed ? ('failed' as const) : r.status,
    bytes: Number(r.bytes),
    total: r.total,
    processed: r.processed,
    imported: r.imported,
    rejected: r.rejected,
    duplicates: r.duplicates,
    encoding: r.encoding,
    headerLine: r.header?.line ?? null,
    createdAt: r.created_at.toISOString(),
    startedAt: r.started_at?.toISOString() ?? null,
    finishedAt: finishedAt?.toISOString() ?? null,
    seconds: r.started_at && end ? Math.round((end.getTime() - r.started_at.getTime()) / 10) / 100 : null,
    error: jobFailed ? (r.job_error ?? 'The import job failed') : r.error,
  };
}

const runSchema = z.object({
  id: z.string(),
  preset: z.string(),
  filename: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  bytes: z.number(),
  total: z.number().nullable(),
  processed: z.number(),
  imported: z.number(),
  rejected: z.number(),
  duplicates: z.number(),
  encoding: z.string().nullable(),
  headerLine: z.number().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  seconds: z.number().nullable(),
  error: z.string().nullable(),
});

const presetOut = z.object({
  name: z.string(),
  builtin: z.boolean(),
  description: z.string(),
  mapping: z.record(z.string(), z.unknown()),
});
const presentPreset = (p: Preset) => ({
  name: p.name,
  builtin: p.builtin,
  description: p.description,
  mapping: p.mapping as Record<string, unknown>,
});

const idParams = z.object({ id: z.uuid() });
const nameParams = z.object({ name: z.string().min(1).max(100) });
const presetInput = z.object({
  name: presetNameSchema,
  description: z.string().trim().max(500).default(''),
  mapping: presetMappingSchema,
});
const presetUpdate = presetInput.omit({ name: true });

async function listPresets(db: Db): Promise<Preset[]> {
  const rows = await db.selectFrom('import_presets').selectAll().orderBy('name').execute();
  const out: Preset[] = [...builtinPresets.values()];
  for (const row of rows) {
    if (builtinPresets.has(row.name)) continue;
    const mapping = presetMappingSchema.safeParse(row.mapping);
    if (mapping.success)
      out.push({ name: row.name, description: row.description, builtin: row.builtin, mapping: mapping.data });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

const fileProblem = (error: ImportFileError) =>
  new AppError(error.code === 'empty_file' ? 400 : 422, error.code, error.message, {
    errors: [{ field: 'body', code: error.code, message: error.message }],
  });

export function importRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // The upload takes the raw body whatever its Content-Type, up to 256 MB: its own context with its own parser.
  app.register(async (child) => {
    child.removeAllContentTypeParsers();
    child.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES },
      (_request, body, done) => done(null, body),
    );
    child.withTypeProvider<ZodTypeProvider>().post('/api/imports', {
      bodyLimit: MAX_UPLOAD_BYTES,
      schema: {
        operationId: 'startImport',
        tags,
        summary:
          'Upload a CSV file to import with a preset (the raw file as the body); the import runs as a job',
        querystring: z.object({
          preset: z.string().min(1).max(100),
          filename: z.string().trim().min(1).max(500).optional(),
        }),
        response: { 202: runSchema },
      },
      handler: async (request, reply) => {
        const actor = importer(request);
        const preset = await loadPreset(db, request.query.preset);
        if (!preset) {
          throw new ValidationError([
            {
              field: 'preset',
              code: 'unknown_preset',
              message: `No import preset "${request.query.preset}"`,
            },
          ]);
        }
        const body = request.body;
        const bytes = body instanceof Uint8Array ? body : new Uint8Array();
        let analysed;
        try {
          analysed = analyseFile(bytes, preset.mapping);
        } catch (error) {
          if (error instanceof ImportFileError) throw fileProblem(error);
          throw error;
        }
        const id = await queueImport(db, actor, preset, {
          filename: request.query.filename ?? 'upload.csv',
          bytes: bytes.length,
          analysed,
        });
        const run = await runsQuery(db).where('import_runs.id', '=', id).executeTakeFirstOrThrow();
        return reply.code(202).header('location', `/api/imports/${id}`).send(presentRun(run));
      },
    });
  });

  r.get('/api/imports', {
    schema: {
      operationId: 'listImports',
      tags,
      summary: 'Import runs, newest first',
      response: { 200: z.object({ items: z.array(runSchema) }) },
    },
    handler: async (request) => {
      importer(request);
      const rows = await runsQuery(db).orderBy('import_runs.created_at', 'desc').limit(200).execute();
      return { items: rows.map((row) => presentRun(row)) };
    },
  });

  r.get('/api/imports/:id', {
    schema: {
      operationId: 'getImport',
      tags,
      summary: 'One import run and its progress',
      params: idParams,
      response: { 200: runSchema },
    },
    handler: async (request) => {
      importer(request);
      const row = await runsQuery(db).where('import_runs.id', '=', request.params.id).executeTakeFirst();
      if (!row) throw notFound(`Import ${request.params.id}`);
      return presentRun(row);
    },
  });

  r.get('/api/imports/:id/rejections', {
    schema: {
      operationId: 'listImportRejections',
      tags,
      summary: 'The rows of a run that were rejected, with their line in the file and the reason',
      params: idParams,
      querystring: z.object({
        offset: z.coerce.number().int().min(0).default(0),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      }),
    },
    handler: async (request) => {
      importer(request);
      const run = await db
        .selectFrom('import_runs')
        .select(['id', 'rejected'])
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!run) throw notFound(`Import ${request.params.id}`);
      const rows = await db
        .selectFrom('import_rejections')
        .select(['line', 'source_id', 'reason'])
        .where('run_id', '=', run.id)
        .orderBy('line')
        .offset(request.query.offset)
        .limit(request.query.limit)
        .execute();
      return {
        total: run.rejected,
        items: rows.map((x) => ({ line: x.line, sourceId: x.source_id, reason: x.reason })),
      };
    },
  });

  r.get('/api/imports/:id/rejections.csv', {
    schema: {
      operationId: 'downloadImportRejections',
      tags,
      summary: 'The rejected rows as CSV (with the rows as they were)',
      params: idParams,
    },
    handler: async (request, reply) => {
      importer(request);
      const run = await db
        .selectFrom('import_runs')
        .select(['id', 'filename'])
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      if (!run) throw notFound(`Import ${request.params.id}`);
      const name = `${run.filename.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_') || 'import'}-rejections.csv`;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send('\ufeff' + (await rejectionsCsv(db, run.id)));
    },
  });

  r.get('/api/import-presets', {
    schema: {
      operationId: 'listImportPresets',
      tags,
      summary: 'Import presets (column mappings)',
      response: { 200: z.object({ items: z.array(presetOut) }) },
    },
    handler: async (request) => {
      importer(request);
      return { items: (await listPresets(db)).map(presentPreset) };
    },
  });

  r.get('/api/import-presets/:name', {
    schema: {
      operationId: 'getImportPreset',
      tags,
      summary: 'One import preset',
      params: nameParams,
      response: { 200: presetOut },
    },
    handler: async (request) => {
      importer(request);
      const preset = await loadPreset(db, request.params.name);
      if (!preset) throw notFound(`Import preset ${request.params.name}`);
      return presentPreset(preset);
    },
  });

  r.post('/api/import-presets', {
    schema: {
      operationId: 'createImportPreset',
      tags,
      summary: 'Save a column mapping as a named preset',
      body: presetInput,
      response: { 201: presetOut },
    },
    handler: async (request, reply) => {
      const actor = importer(request);
      const { name, description, mapping } = request.body;
      if (builtinPresets.has(name)) throw conflict('preset_exists', `The preset "${name}" already exists`);
      const created = await db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('import_presets')
          .values({
            name,
            description,
            mapping: JSON.stringify(mapping),
            builtin: false,
            created_by: actor.type === 'user' ? actor.id : null,
          })
          .onConflict((oc) => oc.column('name').doNothing())
          .returning('name')
          .executeTakeFirst();
        if (row) await recordSystemEvent(tx, actor, 'import_preset.create', { name });
        return row;
      });
      if (!created) throw conflict('preset_exists', `The preset "${name}" already exists`);
      return reply
        .code(201)
        .header('location', `/api/import-presets/${name}`)
        .send(presentPreset({ name, description, builtin: false, mapping }));
    },
  });

  r.put('/api/import-presets/:name', {
    schema: {
      operationId: 'updateImportPreset',
      tags,
      summary: 'Change a saved preset',
      params: nameParams,
      body: presetUpdate,
      response: { 200: presetOut },
    },
    handler: async (request) => {
      const actor = importer(request);
      const name = request.params.name;
      if (builtinPresets.has(name))
        throw conflict('preset_builtin', `The builtin preset "${name}" cannot be changed`);
      const { description, mapping } = request.body;
      const changed = await db.transaction().execute(async (tx) => {
        const row = await tx
          .updateTable('import_presets')
          .set({ description, mapping: JSON.stringify(mapping), updated_at: new Date() })
          .where('name', '=', name)
          .returning('name')
          .executeTakeFirst();
        if (row) await recordSystemEvent(tx, actor, 'import_preset.update', { name });
        return row;
      });
      if (!changed) throw notFound(`Import preset ${name}`);
      return presentPreset({ name, description, builtin: false, mapping });
    },
  });

  r.delete('/api/import-presets/:name', {
    schema: { operationId: 'deleteImportPreset', tags, summary: 'Remove a saved preset', params: nameParams },
    handler: async (request, reply) => {
      const actor = importer(request);
      const name = request.params.name;
      if (builtinPresets.has(name))
        throw conflict('preset_builtin', `The builtin preset "${name}" cannot be removed`);
      const removed = await db.transaction().execute(async (tx) => {
        const row = await tx
          .deleteFrom('import_presets')
          .where('name', '=', name)
          .returning('name')
          .executeTakeFirst();
        if (row) await recordSystemEvent(tx, actor, 'import_preset.delete', { name });
        return row;
      });
      if (!removed) throw notFound(`Import preset ${name}`);
      return reply.code(204).send();
    },
  });
}
