/**
 * Analytics: bulk import of CFPB-format complaints (rows/s against a plain COPY), how soon they are searchable, and the KPI dashboard request over them.
 *
 * npm run bench -- analytics [--rows 1000000] [--part 100000] [--batch 2000] [--concurrency 2] [--kpi-runs 20] [--keep]
 *
 * Against DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) it creates its own database
 * (redress_bench_<random>, dropped at the end, also on failure or Ctrl-C), migrates it and seeds the catalogue. Then:
 *
 *  1. BASELINE COPY: the generated rows (18 CFPB columns with narratives, files of `--part` rows, deterministic by seed)
 *     piped to `psql -c "\copy cfpb_raw from stdin csv header"` into a bare table of 18 text columns: rows/s.
 *  2. IMPORT: the same files through the import path (`importFile`: decoding, header search, parsing, mapping,
 *     catalogue entries, references, search text, one hash-chained history event per complaint, batches of `--batch`
 *     rows in one transaction each, and every trigger the schema has on complaints): rows/s, and
 *     `searchable_after_s`, from the start of the import until a full-text search finds the last row imported.
 *  3. KPIs: `getKpis` (src/analytics/get-kpis.ts) p95 over `--kpi-runs` runs, for the dashboard's opening request
 *     (the last 12 months of the data, by category, monthly: `kpi_p95_ms`) and for every row by product
 *     (`kpi_full_range_p95_ms`). Baselines: the same kind of figures by a plain GROUP BY over the raw rows of the same
 *     range (median of 5).
 *
 * File generation is not timed. The last line is one JSON object:
 * {"bench":"analytics","value":<import rows/s>,"unit":"rows/s","baseline":<COPY rows/s>,"ratio":…,"searchable_after_s":…,
 *  "kpi_p95_ms":…,"kpi_baseline_ms":…, …}
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { migrateToLatest, openPostgres, type DatabaseHandle } from '../src/db/client.ts';
import { seedCatalogue } from '../src/demo/seed.ts';
import { systemActor, type Actor } from '../src/identity/roles.ts';
import { generateCfpb } from '../src/imports/cfpb-generate.ts';
import { importFile, loadPreset } from '../src/imports/import.ts';
import { CFPB_HEADERS } from '../src/imports/presets.ts';
import { toTsQuery } from '../src/search/text.ts';
import {
  createScratchDatabase,
  DEFAULT_DATABASE_URL,
  redactedUrl,
  type ScratchDatabase,
} from './lib/database.ts';

const { values: opts } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    part: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '2' },
    'kpi-runs': { type: 'string', default: '20' },
    keep: { type: 'boolean', default: false },
  },
});
const ROWS = Number(opts.rows);
const PART = Math.min(Number(opts.part), ROWS);
const BATCH = Number(opts.batch);
const CONCURRENCY = Number(opts.concurrency);
const KPI_RUNS = Number(opts['kpi-runs']);
const FIRST_ID = 20_000_000;
const serverUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;

let scratch: ScratchDatabase | null = null;
let handle: DatabaseHandle | null = null;
let cleaning: Promise<void> | null = null;
const cleanup = () =>
  (cleaning ??= (async () => {
    await handle?.close().catch(() => {});
    if (scratch && !opts.keep)
      await scratch
        .drop()
        .catch((e: Error) => console.error(`could not drop ${scratch?.name}: ${e.message}`));
    else if (scratch) console.log(`kept database ${scratch.name}`);
  })());
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

const parts = () => {
  const out: Array<{ index: number; rows: number; firstId: number }> = [];
  for (let done = 0, i = 0; done < ROWS; i++) {
    const rows = Math.min(PART, ROWS - done);
    out.push({ index: i, rows, firstId: FIRST_ID + done });
    done += rows;
  }
  return out;
};
const partFile = (p: { index: number; rows: number; firstId: number }) =>
  generateCfpb({
    rows: p.rows,
    seed: 1000 + p.index,
    firstId: p.firstId,
    narrativeRate: 0.3,
    lineEnding: '\r\n',
  });

function psqlCopy(url: string, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'psql',
      [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', '\\copy cfpb_raw from stdin with (format csv, header true)'],
      {
        stdio: ['pipe', 'ignore', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`psql exited ${code}: ${err.trim()}`)),
    );
    child.stdin.end(Buffer.from(bytes));
  });
}

const percentile = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

try {
  console.log(
    `analytics bench: ${ROWS} rows in files of ${PART}, batches of ${BATCH} (${CONCURRENCY} at once), against ${redactedUrl(serverUrl)}`,
  );
  scratch = await createScratchDatabase(serverUrl, 'redress_bench');
  handle = await openPostgres(scratch.url, Math.max(4, CONCURRENCY + 1));
  const db = handle.db;
  await migrateToLatest(db);
  await seedCatalogue(db);
  const columns = CFPB_HEADERS.map((_, i) => `c${i} text`).join(', ');
  await sql.raw(`create table cfpb_raw (${columns})`).execute(db);

  // 1. COPY baseline.
  let copySeconds = 0;
  for (const p of parts()) {
    const f = partFile(p);
    const t0 = performance.now();
    await psqlCopy(scratch.url, f.bytes);
    copySeconds += (performance.now() - t0) / 1000;
  }
  const copyRate = ROWS / copySeconds;
  console.log(`COPY      ${ROWS} rows in ${round(copySeconds, 2)} s: ${Math.round(copyRate)} rows/s`);

  // 2. Import.
  const preset = (await loadPreset(db, 'cfpb'))!;
  const actor: Actor = { ...systemActor, label: 'bench', channel: 'cli' };
  let importSeconds = 0;
  let imported = 0;
  let lastId = '';
  for (const p of parts()) {
    const f = partFile(p);
    const t0 = performance.now();
    const summary = await importFile(db, actor, {
      preset,
      filename: `part-${p.index}.csv`,
      bytes: f.bytes,
      batchSize: BATCH,
      concurrency: CONCURRENCY,
    });
    const s = (performance.now() - t0) / 1000;
    importSeconds += s;
    imported += summary.imported;
    lastId = f.ids.at(-1)!;
    console.log(
      `  part ${p.index}: ${summary.imported} imported, ${summary.rejected} rejected in ${round(s, 2)} s (${Math.round(p.rows / s)} rows/s)`,
    );
  }
  // Searchable: the last row imported found by full-text search (its complaint id is in its search text).
  const query = toTsQuery(lastId)!;
  const pollStart = performance.now();
  for (;;) {
    const r = await sql<{
      n: number;
    }>`select count(*)::int as n from complaints where search @@ to_tsquery('simple', ${query})`.execute(db);
    if ((r.rows[0]?.n ?? 0) > 0) break;
    if (performance.now() - pollStart > 600_000) throw new Error('the last row never became searchable');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Import time only (generating the files between parts is not part of it), plus the wait for the search.
  const searchableAfterS = importSeconds + (performance.now() - pollStart) / 1000;
  const importRate = imported / importSeconds;
  console.log(
    `IMPORT    ${imported} rows in ${round(importSeconds, 2)} s: ${Math.round(importRate)} rows/s (ratio ${round(importRate / copyRate, 3)} of COPY)`,
  );
  console.log(`SEARCH    the last row is found ${round(searchableAfterS, 2)} s after the import started`);

  // 3. KPIs.
  await sql`analyze`.execute(db);
  let kpiP95: number | null = null;
  let kpiFullP95: number | null = null;
  let kpiNote = '';
  try {
    const mod = (await import('../src/analytics/get-kpis.ts')) as unknown as {
      getKpis?: (db: unknown, q: Record<string, unknown>) => Promise<{ totals: { received: number } }>;
    };
    if (typeof mod.getKpis !== 'function') throw new Error('getKpis is not exported');
    const measure = async (q: Record<string, unknown>) => {
      const times: number[] = [];
      let received = 0;
      for (let i = 0; i < KPI_RUNS + 2; i++) {
        const t0 = performance.now();
        const report = await mod.getKpis!(db, q);
        if (i >= 2) times.push(performance.now() - t0); // two warm-up runs
        received = report.totals.received;
      }
      return { received, p50: round(percentile(times, 50)), p95: round(percentile(times, 95)) };
    };
    // What the dashboard asks when it opens: the last 12 months (the generated data ends in June 2020), by category.
    const dash = await measure({ from: '2019-07-01', to: '2020-06-30', groupBy: 'category', period: 'month' });
    kpiP95 = dash.p95;
    console.log(`KPIS      dashboard request, last 12 months by category (${dash.received} received): p50 ${dash.p50} ms, p95 ${dash.p95} ms`);
    const full = await measure({ from: '2015-01-01', to: '2020-12-31', groupBy: 'product', period: 'month' });
    kpiFullP95 = full.p95;
    console.log(`KPIS      every row, 2015–2020 by product (${full.received} received): p50 ${full.p50} ms, p95 ${full.p95} ms`);
  } catch (error) {
    kpiNote = `getKpis skipped: ${(error as Error).message}`;
    console.log(`KPIS      ${kpiNote}`);
  }
  const plainGroupBy = async (from: string | null) => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await sql`
        select c1 as product, count(*) as received,
          count(*) filter (where c14 like 'Closed%') as closed,
          count(*) filter (where c14 in ('Closed with monetary relief', 'Closed with relief', 'Closed with non-monetary relief')) as upheld,
          count(*) filter (where c15 = 'No') as untimely,
          percentile_cont(0.5) within group (order by c13::date - c0::date) as median_days,
          percentile_cont(0.9) within group (order by c13::date - c0::date) as p90_days
        from cfpb_raw where ${from}::date is null or c0::date >= ${from}::date group by c1`.execute(db);
      times.push(performance.now() - t0);
    }
    return round(percentile(times, 50));
  };
  const kpiBaseline = await plainGroupBy('2019-07-01');
  const kpiFullBaseline = await plainGroupBy(null);
  console.log(`KPI BASE  plain GROUP BY over the raw rows: last 12 months median ${kpiBaseline} ms, every row median ${kpiFullBaseline} ms`);
  const [l1] = loadavg();
  console.log(`load average ${round(l1 ?? 0, 2)} (other processes on the machine depress every figure)`);
  const result = {
    bench: 'analytics',
    rows: ROWS,
    value: Math.round(importRate),
    unit: 'rows/s',
    baseline: Math.round(copyRate),
    ratio: round(importRate / copyRate, 3),
    searchable_after_s: round(searchableAfterS, 2),
    kpi_p95_ms: kpiP95,
    kpi_baseline_ms: kpiBaseline,
    kpi_full_range_p95_ms: kpiFullP95,
    kpi_full_range_baseline_ms: kpiFullBaseline,
    ...(kpiNote ? { note: kpiNote } : {}),
  };
  await cleanup();
  console.log(JSON.stringify(result));
} catch (error) {
  console.error(`analytics bench failed: ${(error as Error).stack ?? error}`);
  await cleanup();
  process.exitCode = 1;
}
