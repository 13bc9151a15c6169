import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buildStaff, type StaffUser } from '../helpers/factories.ts';
import { generateCfpb } from '../../src/imports/cfpb-generate.ts';
import { jobHandlers } from '../../src/jobs/handlers.ts';
import { IMPORT_JOB, importsJobHandlers } from '../../src/imports/jobs.ts';
import { drainJobs, runNextJob } from '../../src/jobs/queue.ts';
import { verifyHistory } from '../../src/audit/verify-history.ts';

/** The import API (API-3): upload → run + job → progress → done; rejections; presets; permissions; bad files. */
let t: TestApp;
let manager: StaffUser;
let quality: StaffUser;
let handler: StaffUser;
let auditor: StaffUser;

beforeAll(async () => {
  t = await startTestApp();
  const db = t.database.db;
  manager = await buildStaff(db, 'manager');
  quality = await buildStaff(db, 'quality');
  handler = await buildStaff(db, 'handler', ['lending']);
  auditor = await buildStaff(db, 'auditor');
});
afterAll(() => t.close());

async function upload(
  as: StaffUser | null,
  body: Uint8Array | string,
  query = 'preset=cfpb&filename=export.csv',
  contentType: string | null = 'text/csv',
) {
  const headers: Record<string, string> = {};
  if (as) headers.cookie = `redress_session=${as.token}`;
  if (contentType) headers['content-type'] = contentType;
  const res = await fetch(`${t.url}/api/imports?${query}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : Buffer.from(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

// Only the import jobs (other capabilities have recurring jobs of their own); the workers run them all.
const drain = () => drainJobs(t.database.db, importsJobHandlers);
it('is one of the jobs the workers run', () => expect(Object.keys(jobHandlers)).toContain(IMPORT_JOB));

describe('upload and job', () => {
  const file = generateCfpb({
    rows: 4500,
    seed: 11,
    firstId: 5_000_000,
    preamble: 2,
    lineEnding: '\n',
    trailingEmptyLine: true,
    lostZipZeros: true,
    badRows: ['too_many_fields', 'bad_date', 'no_id', 'too_few_fields'],
  });
  let runId: string;

  it('takes the file, answers 202 with a queued run, and imports it step by step', async () => {
    const res = await upload(manager, file.bytes);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({
      preset: 'cfpb',
      filename: 'export.csv',
      status: 'queued',
      total: 4500,
      processed: 0,
      encoding: 'utf-8',
      bytes: file.bytes.length,
      headerLine: 3,
    });
    runId = res.body.id;

    await runNextJob(t.database.db, importsJobHandlers);
    const mid = await t.call(manager, 'GET', `/api/imports/${runId}`);
    expect(mid.body).toMatchObject({ status: 'running', processed: 2000 });
    expect(mid.body.imported + mid.body.rejected).toBe(2000);

    await drain();
    const done = await t.call(manager, 'GET', `/api/imports/${runId}`);
    expect(done.body).toMatchObject({
      status: 'done',
      processed: 4500,
      imported: 4496,
      rejected: 4,
      duplicates: 0,
      error: null,
    });
    expect(done.body.seconds).toBeGreaterThanOrEqual(0);
    const list = await t.call(quality, 'GET', '/api/imports');
    expect(list.body.items.map((r: { id: string }) => r.id)).toContain(runId);
    // The file is not kept once the job is done.
    const row = await t.database.db
      .selectFrom('import_runs')
      .select('file')
      .where('id', '=', runId)
      .executeTakeFirstOrThrow();
    expect(row.file).toBeNull();
  });

  it('lists the rejected rows with their line in the file, also as CSV', async () => {
    const res = await t.call(manager, 'GET', `/api/imports/${runId}/rejections?limit=10`);
    expect(res.body.total).toBe(4);
    expect(res.body.items.map((i: { line: number }) => i.line)).toEqual(file.bad.map((b) => b.line));
    expect(res.body.items.map((i: { reason: string }) => i.reason)).toEqual([
      'expected 18 fields, found 19',
      'Date received "2020-13-45" is not a date',
      'Complaint ID is empty',
      'expected 18 fields, found 16',
    ]);
    const page = await t.call(manager, 'GET', `/api/imports/${runId}/rejections?offset=3&limit=1`);
    expect(page.body.items).toHaveLength(1);
    const csv = await fetch(`${t.url}/api/imports/${runId}/rejections.csv`, {
      headers: { cookie: `redress_session=${manager.token}` },
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a BOM, for spreadsheets
    const text = new TextDecoder().decode(bytes);
    expect(text.split('\r\n')[0]).toBe('line,source_id,reason,raw');
    expect(text).toContain(
      `${file.bad[1]!.line},${file.bad[1]!.sourceId},"Date received ""2020-13-45"" is not a date"`,
    );
  });

  it('makes imported complaints findable and countable like others, and keeps the history intact', async () => {
    const id = file.ids[1234]!;
    const found = await t.call(manager, 'GET', `/api/complaints?q=${id}`);
    expect(found.status).toBe(200);
    expect(found.body.items).toHaveLength(1);
    const one = await t.call(manager, 'GET', `/api/complaints/${found.body.items[0].reference}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ type: 'complaint' });
    const history = await t.call(manager, 'GET', `/api/complaints/${found.body.items[0].reference}/history`);
    expect(history.status).toBe(200);
    expect(JSON.stringify(history.body)).toContain('import');

    let fax = 0;
    let cursor: string | null = null;
    do {
      const page: { body: { items: unknown[]; nextCursor: string | null } } = await t.call(
        manager,
        'GET',
        `/api/complaints?channel=fax&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      );
      fax += page.body.items.length;
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(fax).toBe(file.byChannel.Fax);

    const report = await verifyHistory(t.database.db);
    expect(report.breaks).toEqual([]);
    expect(report.events).toBeGreaterThanOrEqual(4496);
  });

  it('imports nothing twice: the same file again gives only duplicates', async () => {
    const res = await upload(quality, file.bytes);
    expect(res.status).toBe(202);
    await drain();
    const again = await t.call(manager, 'GET', `/api/imports/${res.body.id}`);
    expect(again.body).toMatchObject({ status: 'done', imported: 0, duplicates: 4496, rejected: 4 });
    const count = await t.database.db
      .selectFrom('complaints')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('source_key', 'like', 'cfpb:5%')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(4496);
  });

  it('sends no notifications and sets no deadlines for historical complaints', async () => {
    const db = t.database.db;
    const outbox = await db
      .selectFrom('outbox')
      .innerJoin('complaints', 'complaints.id', 'outbox.complaint_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('complaints.import_run_id', 'is not', null)
      .executeTakeFirstOrThrow();
    expect(Number(outbox.n)).toBe(0);
    const deadlines = await db
      .selectFrom('complaint_deadlines')
      .innerJoin('complaints', 'complaints.id', 'complaint_deadlines.complaint_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('complaints.import_run_id', 'is not', null)
      .executeTakeFirstOrThrow();
    expect(Number(deadlines.n)).toBe(0);
  });
});

describe('other encodings and chunk boundaries', () => {
  it('imports a UTF-16 file whose rows straddle the job’s chunks', async () => {
    const file = generateCfpb({
      rows: 300,
      seed: 12,
      firstId: 6_000_000,
      encoding: 'utf-16le',
      narrativeRate: 0.9,
      dateFormat: 'mdy',
    });
    const res = await upload(
      manager,
      file.bytes,
      'preset=cfpb&filename=utf16.csv',
      'application/octet-stream',
    );
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.encoding).toBe('utf-16le');
    // Small chunks and batches: a chunk ends inside records and inside multi-byte characters.
    const payload = { chunk: 1000, batch: 7 };
    const job = await t.database.db
      .selectFrom('jobs')
      .select(['id', 'payload'])
      .where('group_id', '=', res.body.id)
      .executeTakeFirstOrThrow();
    await t.database.db
      .updateTable('jobs')
      .set({ payload: JSON.stringify({ ...job.payload, ...payload }) })
      .where('id', '=', job.id)
      .execute();
    await drain();
    const run = await t.call(manager, 'GET', `/api/imports/${res.body.id}`);
    expect(run.body).toMatchObject({ status: 'done', imported: 300, rejected: 0 });
    const rows = await t.database.db
      .selectFrom('complaints')
      .select(['description', 'external'])
      .where('import_run_id', '=', res.body.id)
      .execute();
    const narratives = new Set(rows.map((r) => r.description));
    // Every narrative came through whole (the file's own text, with its Chinese and Arabic words).
    const original = file.text.replaceAll('""', '"');
    for (const d of narratives)
      if (!d.startsWith('No narrative')) expect(original.includes(d.split('\n')[0]!)).toBe(true);
    expect([...narratives].some((d) => /投诉|شكوى/.test(d))).toBe(true);
  });
});

describe('refusals', () => {
  it('allows managers, quality and admins only', async () => {
    const bytes = generateCfpb({ rows: 2, seed: 1 }).bytes;
    expect((await upload(handler, bytes)).status).toBe(403);
    expect((await upload(auditor, bytes)).status).toBe(403);
    expect((await upload(null, bytes)).status).toBe(401);
    expect((await t.call(handler, 'GET', '/api/imports')).status).toBe(403);
    expect((await t.call(handler, 'GET', '/api/import-presets')).status).toBe(403);
  });

  it('answers clear problems for an unknown preset and files that cannot be imported', async () => {
    const unknown = await upload(manager, generateCfpb({ rows: 2 }).bytes, 'preset=nope');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([
      { field: 'preset', code: 'unknown_preset', message: 'No import preset "nope"' },
    ]);

    const empty = await upload(manager, '', 'preset=cfpb', null);
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('empty_file');

    const pdf = await upload(
      manager,
      Buffer.from('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n'),
      'preset=cfpb',
      'application/pdf',
    );
    expect(pdf.status).toBe(422);
    expect(pdf.body.code).toBe('not_csv');

    const noHeader = await upload(manager, 'Name,Amount\nAlice,3\nBob,4\n', 'preset=cfpb');
    expect(noHeader.status).toBe(422);
    expect(noHeader.body.code).toBe('header_not_found');
    expect(noHeader.body.detail).toContain('Complaint ID');

    const json = await upload(manager, JSON.stringify({ a: 1 }), 'preset=cfpb', 'application/json');
    expect(json.status).toBe(422);

    expect((await t.call(manager, 'GET', '/api/imports/00000000-0000-4000-8000-000000000000')).status).toBe(
      404,
    );
    expect((await t.call(manager, 'GET', '/api/imports/not-a-uuid')).status).toBe(400);
  });

  it('gives localised problem titles', async () => {
    const res = await fetch(`${t.url}/api/imports?preset=nope`, {
      method: 'POST',
      headers: { cookie: `redress_session=${manager.token}`, 'accept-language': 'pl' },
      body: 'x',
    });
    const body = (await res.json()) as { title: string };
    expect(res.status).toBe(400);
    expect(body.title).not.toBe('Some fields are missing or invalid');
  });
});

describe('presets', () => {
  const mapping = {
    kind: 'columns',
    dateOrders: ['dmy'],
    language: 'nl',
    columns: {
      sourceId: 'Nr',
      receivedAt: 'Datum',
      description: 'Omschrijving',
      category: 'Soort',
      channel: 'Kanaal',
    },
    channelMap: { Brief: 'letter', Telefoon: 'phone' },
  };

  it('lists the builtin cfpb preset', async () => {
    const res = await t.call(manager, 'GET', '/api/import-presets');
    expect(res.status).toBe(200);
    expect(res.body.items.find((p: { name: string }) => p.name === 'cfpb')).toMatchObject({
      builtin: true,
      mapping: { kind: 'cfpb' },
    });
  });

  it('saves, uses, changes and removes a column mapping', async () => {
    const created = await t.call(manager, 'POST', '/api/import-presets', {
      name: 'gemeente',
      description: 'Klachten gemeente',
      mapping,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await t.call(manager, 'POST', '/api/import-presets', { name: 'gemeente', mapping })).status).toBe(
      409,
    );

    const csv =
      'Nr,Datum,Omschrijving,Soort,Kanaal,Wijk\r\n1,03.04.2020,De container is niet geleegd,Afval,Brief,Noord\r\n2,31.12.2019,,Parkeren,Telefoon,Zuid\r\n3,32.01.2020,Kapotte lantaarn,Verlichting,Brief,Oost\r\n';
    const up = await upload(manager, csv, 'preset=gemeente&filename=klachten.csv');
    expect(up.status, JSON.stringify(up.body)).toBe(202);
    await drain();
    const run = await t.call(manager, 'GET', `/api/imports/${up.body.id}`);
    expect(run.body).toMatchObject({ status: 'done', imported: 2, rejected: 1 });
    const found = await t.call(
      manager,
      'GET',
      `/api/complaints?q=${encodeURIComponent('container geleegd')}`,
    );
    expect(found.body.items).toHaveLength(1);
    expect(found.body.items[0]).toMatchObject({ channel: 'letter', language: 'nl' });

    const changed = await t.call(quality, 'PUT', '/api/import-presets/gemeente', {
      description: 'Nieuw',
      mapping: { ...mapping, language: 'en' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ description: 'Nieuw', mapping: { language: 'en' } });
    expect((await t.call(manager, 'GET', '/api/import-presets/gemeente')).body.description).toBe('Nieuw');
    expect((await t.call(manager, 'DELETE', '/api/import-presets/gemeente')).status).toBe(204);
    expect((await t.call(manager, 'GET', '/api/import-presets/gemeente')).status).toBe(404);
    expect((await t.call(manager, 'DELETE', '/api/import-presets/gemeente')).status).toBe(404);
  });

  it('refuses bad presets and changes to builtin ones', async () => {
    const bad = await t.call(manager, 'POST', '/api/import-presets', { name: 'Bad Name!', mapping });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('name');
    const noColumns = await t.call(manager, 'POST', '/api/import-presets', {
      name: 'empty',
      mapping: { kind: 'columns' },
    });
    expect(noColumns.status).toBe(400);
    const badChannel = await t.call(manager, 'POST', '/api/import-presets', {
      name: 'chan',
      mapping: { ...mapping, channelMap: { X: 'pigeon' } },
    });
    expect(badChannel.status).toBe(400);
    expect((await t.call(manager, 'PUT', '/api/import-presets/cfpb', { mapping })).status).toBe(409);
    expect((await t.call(manager, 'DELETE', '/api/import-presets/cfpb')).status).toBe(409);
    expect((await t.call(manager, 'POST', '/api/import-presets', { name: 'cfpb', mapping })).status).toBe(
      409,
    );
    expect((await t.call(handler, 'POST', '/api/import-presets', { name: 'mine', mapping })).status).toBe(
      403,
    );
  });
});

describe('OpenAPI', () => {
  it('documents the import operations', async () => {
    const res = await t.call(null, 'GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    const paths = res.body.paths as Record<string, Record<string, { operationId?: string }>>;
    expect(paths['/api/imports']?.post?.operationId).toBe('startImport');
    expect(paths['/api/imports/{id}/rejections']?.get?.operationId).toBe('listImportRejections');
    expect(paths['/api/import-presets']?.post?.operationId).toBe('createImportPreset');
  });
});
