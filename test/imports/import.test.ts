import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { generateCfpb, type GenerateOptions } from '../../src/imports/cfpb-generate.ts';
import { importFile, loadPreset } from '../../src/imports/import.ts';
import { analyseFile, ImportFileError } from '../../src/imports/analyse.ts';
import { parseCsv } from '../../src/imports/csv.ts';
import { cfpbPreset, presetMappingSchema, type Preset } from '../../src/imports/presets.ts';
import { importStep, queueImport } from '../../src/imports/jobs.ts';
import { drainJobs, runNextJob, type JobHandler } from '../../src/jobs/queue.ts';
import { verifyHistory } from '../../src/audit/verify-history.ts';
import { systemActor, type Actor } from '../../src/identity/roles.ts';

/** The import engine on the real PostgreSQL: every messy case of real exports, line numbers, duplicates, resuming. */
let database: TestDatabase;
let preset: Preset;
const actor: Actor = { ...systemActor, label: 'test import', channel: 'cli' };
let nextId = 10_000_000;

beforeAll(async () => {
  database = await createTestDatabase();
  preset = (await loadPreset(database.db, 'cfpb'))!;
});
afterAll(() => database.drop());

function file(options: Partial<GenerateOptions>) {
  const firstId = nextId;
  nextId += 10_000;
  return generateCfpb({ rows: 60, seed: 5, narrativeRate: 0.6, ...options, firstId });
}

async function importOf(options: Partial<GenerateOptions>) {
  const f = file(options);
  const summary = await importFile(database.db, actor, {
    preset,
    filename: 'x.csv',
    bytes: f.bytes,
    batchSize: 25,
  });
  return { f, summary };
}

async function external(runId: string) {
  const rows = await database.db
    .selectFrom('complaints')
    .select(['external', 'received_at', 'description', 'channel', 'state'])
    .where('import_run_id', '=', runId)
    .execute();
  return rows;
}

describe('messy files', () => {
  const encodings = [
    'utf-8',
    'utf-16le',
    'utf-16be',
    'windows-1252',
    'windows-1250',
    'windows-1256',
    'gb18030',
  ] as const;
  for (const encoding of encodings) {
    it(`imports a ${encoding} file, detecting its encoding`, async () => {
      const { f, summary } = await importOf({ encoding, rows: 80, narrativeRate: 0.9 });
      expect(summary).toMatchObject({ encoding, imported: 80, rejected: 0, duplicates: 0 });
      const rows = await external(summary.runId);
      // The narratives arrive as written (the file's text, decoded right).
      const narratives = rows.filter((r) => r.external!.narrative).map((r) => r.description);
      expect(narratives.length).toBeGreaterThan(40);
      const source = f.text.replaceAll('""', '"').replaceAll('\r\n', '\n');
      for (const n of narratives) expect(source).toContain(n);
    });
  }

  it('finds the header after preamble lines, with CRLF or LF, and a trailing empty line', async () => {
    for (const lineEnding of ['\r\n', '\n'] as const) {
      const { f, summary } = await importOf({ preamble: 5, lineEnding, trailingEmptyLine: true });
      expect(f.headerLine).toBe(6);
      expect(summary).toMatchObject({ imported: 60, rejected: 0 });
    }
  });

  it('reads every date format to the same days', async () => {
    const iso = generateCfpb({ rows: 60, seed: 5, narrativeRate: 0.6 });
    const expected = parseCsv(iso.text)
      .slice(1)
      .map((r) => r.fields[0])
      .sort();
    for (const dateFormat of ['ymd-slash', 'mdy', 'mdy-short', 'dmy-dot'] as const) {
      const { summary } = await importOf({ dateFormat });
      expect(summary.imported).toBe(60);
      const days = (await external(summary.runId))
        .map((r) => r.received_at.toISOString().slice(0, 10))
        .sort();
      expect(days, dateFormat).toEqual(expected);
    }
  });

  it('puts back the leading zeros of ZIP codes and keeps what was written', async () => {
    const { summary } = await importOf({ rows: 200, lostZipZeros: true });
    const rows = await external(summary.runId);
    const zeroStates = rows.filter((r) => ['MA', 'NJ', 'CT'].includes(r.external!.state as string));
    expect(zeroStates.length).toBeGreaterThan(10);
    for (const r of zeroStates) expect(r.external!.zip).toMatch(/^0\d{4}$/);
    expect(zeroStates.some((r) => typeof r.external!.zipAsWritten === 'string')).toBe(true);
  });

  it('rejects bad rows with the line of their first physical line and the reason', async () => {
    const { f, summary } = await importOf({
      rows: 120,
      preamble: 2,
      narrativeRate: 0.8,
      badRows: ['too_many_fields', 'too_few_fields', 'bad_date', 'no_id', 'unterminated_quote'],
    });
    expect(summary).toMatchObject({ imported: 116, rejected: 5 });
    const rejected = await database.db
      .selectFrom('import_rejections')
      .select(['line', 'reason', 'source_id', 'raw'])
      .where('run_id', '=', summary.runId)
      .orderBy('line')
      .execute();
    expect(rejected.map((r) => r.line)).toEqual(f.bad.map((b) => b.line));
    expect(rejected.map((r) => r.reason)).toEqual([
      'expected 18 fields, found 19',
      'expected 18 fields, found 16',
      'Date received "2020-13-45" is not a date',
      'Complaint ID is empty',
      'unterminated quoted field',
    ]);
    // The line is the one an editor shows: the record's raw text starts there.
    const lines = f.text.split(/\r\n|\n/);
    for (const r of rejected.slice(0, 4)) expect(r.raw!.startsWith(lines[r.line - 1]!)).toBe(true);
  });

  it('refuses files it cannot read at all', () => {
    const cases: Array<[Uint8Array, string]> = [
      [new Uint8Array(), 'empty_file'],
      [new TextEncoder().encode('\r\n\r\n  \n'), 'empty_file'],
      [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'not_csv'],
      [new TextEncoder().encode('just some words\nand more words\n'), 'not_csv'],
      [new TextEncoder().encode('a,b,c\n1,2,3\n'), 'header_not_found'],
    ];
    for (const [bytes, code] of cases) {
      expect(() => analyseFile(bytes, cfpbPreset.mapping)).toThrow(ImportFileError);
      try {
        analyseFile(bytes, cfpbPreset.mapping);
      } catch (error) {
        expect((error as ImportFileError).code).toBe(code);
      }
    }
  });
});

describe('duplicates and history', () => {
  it('imports a file twice without importing anything twice, also duplicates inside one file', async () => {
    const f = file({ rows: 50 });
    const first = await importFile(database.db, actor, {
      preset,
      filename: 'a.csv',
      bytes: f.bytes,
      batchSize: 20,
    });
    const second = await importFile(database.db, actor, {
      preset,
      filename: 'a.csv',
      bytes: f.bytes,
      batchSize: 7,
    });
    expect(first).toMatchObject({ imported: 50, duplicates: 0 });
    expect(second).toMatchObject({ imported: 0, duplicates: 50 });
    // The same row twice in one file (and one batch): once imported, once a duplicate.
    const lines = f.text.split('\r\n');
    const doubled = new TextEncoder().encode([lines[0], lines[1], lines[1]].join('\r\n'));
    const third = await importFile(database.db, actor, { preset, filename: 'b.csv', bytes: doubled });
    expect(third).toMatchObject({ imported: 0, duplicates: 2 });
  });

  it('writes one hash-chained import event per complaint, and the history verifies', async () => {
    const { summary } = await importOf({ rows: 30 });
    const events = await database.db
      .selectFrom('audit_events')
      .innerJoin('complaints', 'complaints.id', 'audit_events.complaint_id')
      .select([
        'audit_events.action',
        'audit_events.seq',
        'audit_events.data',
        'complaints.audit_head',
        'audit_events.hash',
      ])
      .where('complaints.import_run_id', '=', summary.runId)
      .execute();
    expect(events).toHaveLength(30);
    for (const e of events) {
      expect(e).toMatchObject({ action: 'import', seq: 1 });
      expect(e.hash).toBe(e.audit_head);
      expect(e.data).toMatchObject({ importRunId: summary.runId, preset: 'cfpb' });
      expect(JSON.stringify(e.data)).not.toContain('XXXX'); // no free text in the history
    }
    const report = await verifyHistory(database.db);
    expect(report.breaks).toEqual([]);
  });
});

describe('concurrent batches', () => {
  it('imports with several batches at once: every row once, every catalogue entry once', async () => {
    const f = file({ rows: 400 });
    // The same id twice, in different batches: one of them is a duplicate whichever commits first.
    const lines = f.text.split('\r\n');
    const bytes = new TextEncoder().encode([...lines.slice(0, -1), lines[5], ''].join('\r\n'));
    const summary = await importFile(database.db, actor, {
      preset,
      filename: 'c.csv',
      bytes,
      batchSize: 15,
      concurrency: 3,
    });
    expect(summary).toMatchObject({ imported: 400, duplicates: 1, rejected: 0 });
    const run = await database.db
      .selectFrom('import_runs')
      .selectAll()
      .where('id', '=', summary.runId)
      .executeTakeFirstOrThrow();
    expect(run).toMatchObject({ status: 'done', processed: 401, imported: 400, duplicates: 1 });
    const dup = await database.db
      .selectFrom('categories')
      .select(['key', (eb) => eb.fn.countAll<number>().as('n')])
      .where('key', 'like', 'cfpb%')
      .groupBy('key')
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    expect(dup).toEqual([]);
  });
});

describe('new catalogue entries from concurrent batches', () => {
  it('creates each category once, and no complaint refers to an entry another batch had not committed', async () => {
    const mapping = presetMappingSchema.parse({
      kind: 'columns',
      keyRoot: 'conc',
      columns: {
        sourceId: 'Id',
        receivedAt: 'Date',
        description: 'Text',
        category: 'Kind',
        subCategory: 'Sub',
        product: 'Product',
      },
    });
    const custom: Preset = { name: 'conc', description: '', builtin: false, mapping };
    const rows = Array.from(
      { length: 300 },
      (_, i) =>
        `c${i},2021-01-${String((i % 28) + 1).padStart(2, '0')},Text ${i},Kind ${i % 7},Sub ${i % 11},Product ${i % 5}`,
    );
    const bytes = new TextEncoder().encode(['Id,Date,Text,Kind,Sub,Product', ...rows].join('\n'));
    const summary = await importFile(database.db, actor, {
      preset: custom,
      filename: 'conc.csv',
      bytes,
      batchSize: 10,
      concurrency: 3,
    });
    expect(summary).toMatchObject({ imported: 300, rejected: 0, duplicates: 0 });
    const categories = await database.db
      .selectFrom('categories')
      .select('key')
      .where('key', 'like', 'conc%')
      .execute();
    const pairs = new Set(rows.map((r) => r.split(',').slice(3, 5).join('/'))).size;
    expect(categories).toHaveLength(1 + 7 + pairs); // the root, each kind, each kind/sub pair
    const products = await database.db
      .selectFrom('products')
      .select('key')
      .where('key', 'like', 'conc.%')
      .execute();
    expect(products).toHaveLength(5);
    const missing = await database.db
      .selectFrom('complaints')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('import_run_id', '=', summary.runId)
      .where((eb) => eb.or([eb('category_id', 'is', null), eb('product_id', 'is', null)]))
      .executeTakeFirstOrThrow();
    expect(Number(missing.n)).toBe(0);
  });
});

describe('the job', () => {
  it('resumes after a crash in the middle of a batch without losing or doubling rows', async () => {
    const f = file({ rows: 100, narrativeRate: 0.9, encoding: 'gb18030' });
    const analysed = analyseFile(f.bytes, cfpbPreset.mapping);
    const runId = await queueImport(
      database.db,
      actor,
      preset,
      { filename: 'crash.csv', bytes: f.bytes.length, analysed },
      { chunk: 2048, batch: 30 },
    );
    let steps = 0;
    const crashing: JobHandler = async (ctx) => {
      const step = await importStep(ctx);
      if (++steps === 2) throw new Error('power cut'); // after the batch was written, before the commit
      return step;
    };
    await runNextJob(database.db, { 'imports.csv': crashing });
    await runNextJob(database.db, { 'imports.csv': crashing });
    const job = await database.db
      .selectFrom('jobs')
      .select(['attempts', 'last_error'])
      .where('group_id', '=', runId)
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ attempts: 1, last_error: 'power cut' });
    await drainJobs(database.db, { 'imports.csv': importStep }, { now: new Date(Date.now() + 600_000) });
    const run = await database.db
      .selectFrom('import_runs')
      .selectAll()
      .where('id', '=', runId)
      .executeTakeFirstOrThrow();
    expect(run).toMatchObject({
      status: 'done',
      imported: 100,
      processed: 100,
      rejected: 0,
      duplicates: 0,
      encoding: 'gb18030',
      file: null,
    });
    const n = await database.db
      .selectFrom('complaints')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('import_run_id', '=', runId)
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(100);
  });

  it('fails the run clearly when its preset has gone', async () => {
    await database.db
      .insertInto('import_presets')
      .values({ name: 'temp', mapping: JSON.stringify({ kind: 'cfpb' }) })
      .execute();
    const temp = (await loadPreset(database.db, 'temp'))!;
    const f = file({ rows: 3 });
    const runId = await queueImport(database.db, actor, temp, {
      filename: 't.csv',
      bytes: f.bytes.length,
      analysed: analyseFile(f.bytes, temp.mapping),
    });
    await database.db.deleteFrom('import_presets').where('name', '=', 'temp').execute();
    await drainJobs(database.db, { 'imports.csv': importStep });
    const run = await database.db
      .selectFrom('import_runs')
      .select(['status', 'error'])
      .where('id', '=', runId)
      .executeTakeFirstOrThrow();
    expect(run).toEqual({ status: 'failed', error: 'The preset "temp" no longer exists' });
  });
});
