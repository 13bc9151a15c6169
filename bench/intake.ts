/**
 * Complaints created through POST /api/complaints (50 connections) beside plain single-row INSERTs (16 connections).
 *
 * npm run bench -- intake [--seconds 20] [--warmup 3] [--connections 50] [--pool 20] [--baseline-connections 16]
 *                         [--bodies 600] [--trace] [--profile] [--skip-baseline]
 *
 * Against DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) it creates its own database
 * (redress_bench_<random>, dropped at the end, also on failure or Ctrl-C), migrates it, seeds the catalogue and
 * creates an intake API key. Then, in this order and for the same duration:
 *
 *  1. BASELINE: single-row INSERTs of the same complaint rows (description, search text, tsvector, the same
 *     indexes: a `like complaints including all` copy of the table) over 16 `pg` connections, no application.
 *  2. THE APPLICATION: the real app (`buildApp`) in a CHILD process (web role, its own event loop and CPU, as in
 *     production; the load generator runs here), driven by autocannon with varied complaint bodies (six languages,
 *     500–1,500 characters) rotated through `setupRequest`. Only 201 responses count. `--pool 8,16,32` runs the
 *     application phase once per pool size (a fresh server each time) and keeps the best.
 *
 * `--trace` times every query and pool wait inside the server (some overhead); `--profile` writes a V8 CPU profile
 * of the server to bench/.profiles/ and prints where its time went. The last line is one JSON object:
 * {"bench":"intake","value":…,"unit":"complaints/s","p50_ms":…,"p99_ms":…,"baseline":…,"ratio":…}
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon, { type AutocannonResult } from 'autocannon';
import { sql } from 'kysely';
import pg from 'pg';
import type { Catalogue } from '../src/catalogue/catalogue.ts';
import { generateReference } from '../src/complaints/reference.ts';
import type { DatabaseHandle } from '../src/db/client.ts';
import { searchDocument } from '../src/search/text.ts';
import { complaintBodies, type ComplaintBody } from './lib/complaint-bodies.ts';
import { cpuShare, cpuSnapshot, type CpuShare } from './lib/cpu-sampler.ts';
import { summariseProfile } from './lib/cpu-profile.ts';
import { backendPids, DEFAULT_DATABASE_URL, redactedUrl, type ScratchDatabase } from './lib/database.ts';
import { prepareIntakeDatabase } from './lib/setup.ts';
import type { ChildMessage, ParentMessage, ServerReport } from './lib/intake-server.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const TARGET = { value: 1500, p99: 100, ratio: 0.5 };

// ---- options ----------------------------------------------------------------------------------------------------
const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    // The same default as `redress serve`: DATABASE_POOL_SIZE, else openPostgres's 20.
    pool: { type: 'string', default: process.env.DATABASE_POOL_SIZE || '20' },
    'baseline-connections': { type: 'string', default: '16' },
    bodies: { type: 'string', default: '600' },
    trace: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'skip-baseline': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (opts.help) {
  console.log('npm run bench -- intake [--seconds 20] [--warmup 3] [--connections 50] [--pool 20|4,8,16 (default $DATABASE_POOL_SIZE or 20)]');
  console.log('                        [--baseline-connections 16] [--bodies 600] [--trace] [--profile] [--skip-baseline]');
  process.exit(0);
}
function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got "${value}"`);
  return n;
}
const seconds = positive('seconds', opts.seconds);
const warmupSeconds = Number(opts.warmup) >= 0 ? Number(opts.warmup) : 3;
const connections = Math.round(positive('connections', opts.connections));
const pools = opts.pool.split(',').map((p) => Math.round(positive('pool', p)));
const baselineConnections = Math.round(positive('baseline-connections', opts['baseline-connections']));
const bodyCount = Math.round(positive('bodies', opts.bodies));
const serverUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;

// ---- small helpers ----------------------------------------------------------------------------------------------
const fmt = (n: number, digits = 0) => n.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
const log = (line = '') => process.stdout.write(`${line}\n`);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Where the cores went; "other" is everything else on the machine (other developers' tests depress the figures). */
function describeCpu(share: CpuShare | null, parts: Array<[string, number | undefined]>): string {
  if (!share) return '';
  const known = parts.filter(([, pid]) => pid !== undefined).map(([label, pid]) => [label, share.pids.get(pid!) ?? 0] as const);
  const busy = share.machineBusy * share.cores;
  const other = Math.max(0, busy - share.postgresOurs - share.postgresOther - known.reduce((a, [, v]) => a + v, 0));
  const items = known.map(([label, v]) => `${label} ${fmt(v, 2)}`);
  const warning = other + share.postgresOther > 0.4 ? '  ← other work on the machine: figures are depressed' : '';
  return (
    `CPU, in cores of ${share.cores}: PostgreSQL backends of this database ${fmt(share.postgresOurs, 2)} · other postgres processes ${fmt(share.postgresOther, 2)}` +
    ` · ${items.join(' · ')} · other processes ${fmt(other, 2)} · idle ${fmt(share.cores - busy, 2)}${warning}`
  );
}

async function checkpoint(db: DatabaseHandle['db']) {
  // Start each phase with the WAL checkpointed, so a checkpoint is less likely to land in one phase only.
  await sql`checkpoint`.execute(db).catch(() => undefined);
}

// ---- 1. baseline: plain INSERTs -----------------------------------------------------------------------------------
interface BaselineRow {
  type: string;
  channel: string;
  language: string;
  description: string;
  occurredOn: string;
  productId: string | null;
  location: string | null;
  desiredRemedy: string | null;
  categoryId: string | null;
  severity: string;
  teamId: string | null;
  /** The search text without the reference (prepended per row, as `searchDocument(reference, …)` would). */
  searchRest: string;
}

function baselineRows(bodies: ComplaintBody[], catalogue: Catalogue): BaselineRow[] {
  return bodies.map((b) => {
    const category = catalogue.categories.get(b.category);
    return {
      type: b.type,
      channel: b.channel,
      language: b.language,
      description: b.description,
      occurredOn: b.occurredOn,
      productId: catalogue.products.get(b.product)?.id ?? null,
      location: b.location ?? null,
      desiredRemedy: b.desiredRemedy ?? null,
      categoryId: category?.id ?? null,
      severity: b.severity,
      teamId: category?.teamId ?? null,
      searchRest: searchDocument(b.description, b.desiredRemedy, b.location),
    };
  });
}

const BASELINE_TABLE = 'bench_baseline_complaints';
const BASELINE_INSERT = `insert into ${BASELINE_TABLE}
  (id, reference, type, channel, state, language, description, occurred_on, product_id, location, desired_remedy,
   category_id, severity, team_id, complainant_id, received_at, created_by, audit_seq, audit_head, search_text)
  values ($1, $2, $3, $4, 'received', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1, $17, $18)`;

interface BaselineResult {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  cpu: CpuShare | null;
}

async function runBaseline(url: string, rows: BaselineRow[], createdBy: string): Promise<BaselineResult> {
  const clients = await Promise.all(
    Array.from({ length: baselineConnections }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return client;
    }),
  );
  let next = 0;
  const insertOne = async (client: pg.Client) => {
    const r = rows[next++ % rows.length]!;
    const reference = generateReference();
    await client.query(BASELINE_INSERT, [
      randomUUID(),
      reference,
      r.type,
      r.channel,
      r.language,
      r.description,
      r.occurredOn,
      r.productId,
      r.location,
      r.desiredRemedy,
      r.categoryId,
      r.severity,
      r.teamId,
      randomUUID(),
      new Date(),
      createdBy,
      randomUUID().replaceAll('-', '') + randomUUID().replaceAll('-', ''),
      `${reference.toLowerCase().replace('-', ' ')} ${r.searchRest}`,
    ]);
  };
  const drive = async (durationS: number, latencies: number[] | null) => {
    let stop = false;
    let done = 0;
    let errors = 0;
    const started = performance.now();
    const timer = setTimeout(() => (stop = true), durationS * 1000);
    await Promise.all(
      clients.map(async (client) => {
        while (!stop) {
          const at = performance.now();
          try {
            await insertOne(client);
            if (stop) break; // finished after the window closed: not counted
            done++;
            latencies?.push(performance.now() - at);
          } catch (error) {
            errors++;
            if (errors > 100) {
              stop = true;
              throw error;
            }
          }
        }
      }),
    );
    clearTimeout(timer);
    return { done, errors, elapsed: (performance.now() - started) / 1000 };
  };
  try {
    if (warmupSeconds > 0) await drive(Math.min(warmupSeconds, 2), null);
    const latencies: number[] = [];
    const before = cpuSnapshot([process.pid]);
    const { done, errors, elapsed } = await drive(seconds, latencies);
    const after = cpuSnapshot([process.pid]);
    const cpu = cpuShare(before, after, availableParallelism(), await backendPids(url));
    latencies.sort((a, b) => a - b);
    // Counted up to the moment the window closed (in-flight inserts finishing later are not counted).
    const window = Math.min(elapsed, seconds);
    return { rows: done, seconds: window, rowsPerSecond: done / window, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors, cpu };
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}

// ---- 2. the application in a child process ---------------------------------------------------------------------------
let server: ChildProcess | null = null;

function waitFor<T extends ChildMessage['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`the server did not answer "${type}" within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: ChildMessage) => {
      if (message.type === type) done(null, message as Extract<ChildMessage, { type: T }>);
    };
    const onExit = (code: number | null) => done(new Error(`the server exited (code ${code}) before "${type}"`));
    function done(error: Error | null, message?: Extract<ChildMessage, { type: T }>) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message!);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

const tell = (child: ChildProcess, message: ParentMessage) => child.send(message);

async function startServer(url: string, poolSize: number, profileFile: string | null): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'lib', 'intake-server.ts')], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      ...process.env,
      BENCH_DATABASE_URL: url,
      BENCH_POOL_SIZE: String(poolSize),
      BENCH_TRACE: opts.trace ? '1' : '0',
      BENCH_PROFILE: profileFile ?? '',
    },
  });
  server = child;
  const ready = await waitFor(child, 'ready', 60_000);
  return { child, url: ready.url };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) tell(child, { type: 'stop' });
  else child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
  if (server === child) server = null;
}

interface AppResult {
  pool: number;
  created: number;
  complaintsPerSecond: number;
  p50: number;
  p99: number;
  result: AutocannonResult;
  server: ServerReport;
  cpu: CpuShare | null;
  serverPid: number | undefined;
  profileFile: string | null;
}

function load(url: string, headers: Record<string, string>, bodies: Buffer[], durationS: number) {
  let next = 0;
  return autocannon({
    url,
    connections,
    duration: durationS,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/api/complaints',
        headers,
        // One shared counter: the connections rotate through every body between them.
        setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length]! }),
      },
    ],
  });
}

async function runApplication(url: string, apiKey: string, bodies: ComplaintBody[], poolSize: number, profileDir: string | null): Promise<AppResult> {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const profileFile = profileDir ? join(profileDir, `intake-server-pool${poolSize}-${stamp}.cpuprofile`) : null;
  const { child, url: base } = await startServer(url, poolSize, profileFile);
  try {
    const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
    // One request first: a wrong body or key must fail loudly, not be measured as fast 400s.
    const probe = await fetch(`${base}/api/complaints`, { method: 'POST', headers, body: JSON.stringify(bodies[0]) });
    if (probe.status !== 201) throw new Error(`POST /api/complaints answered ${probe.status}: ${(await probe.text()).slice(0, 2000)}`);
    await probe.arrayBuffer().catch(() => undefined);

    const buffers = bodies.map((b) => Buffer.from(JSON.stringify(b)));
    if (warmupSeconds > 0) await load(base, headers, buffers, warmupSeconds);
    tell(child, { type: 'mark' });
    const before = cpuSnapshot([process.pid, child.pid!]);
    const result = await load(base, headers, buffers, seconds);
    const after = cpuSnapshot([process.pid, child.pid!]);
    const cpu = cpuShare(before, after, availableParallelism(), await backendPids(url));
    tell(child, { type: 'report' });
    const report = (await waitFor(child, 'report', 10_000)).report;
    const created = result.statusCodeStats['201']?.count ?? 0;
    return {
      pool: poolSize,
      created,
      complaintsPerSecond: created / result.duration,
      p50: result.latency.p50,
      p99: result.latency.p99,
      result,
      server: report,
      cpu,
      serverPid: child.pid,
      profileFile,
    };
  } finally {
    await stopServer(child);
  }
}

function printApplication(r: AppResult) {
  const res = r.result;
  const codes = Object.entries(res.statusCodeStats)
    .map(([code, s]) => `${code}×${fmt(s.count)}`)
    .join(' ');
  const non201 = res.latency.totalCount - r.created;
  log(`  pool ${r.pool}: ${fmt(r.complaintsPerSecond)} complaints/s (${fmt(r.created)} × 201 in ${fmt(res.duration, 2)} s)`);
  log(`    latency ms: p50 ${fmt(res.latency.p50, 1)} · p90 ${fmt(res.latency.p90, 1)} · p99 ${fmt(res.latency.p99, 1)} · max ${fmt(res.latency.max, 1)}`);
  log(`    responses: ${codes || 'none'} · non-201 ${fmt(non201)} (non-2xx ${fmt(res.non2xx)}) · errors ${res.errors} · timeouts ${res.timeouts}`);
  const s = r.server;
  log(
    `    server process: CPU ${fmt((s.cpuUserMs + s.cpuSystemMs) / s.wallMs, 2)} cores (user ${fmt(s.cpuUserMs / 1000, 1)} s, sys ${fmt(s.cpuSystemMs / 1000, 1)} s)` +
      ` · event loop ${fmt(s.eventLoopUtilization * 100)}% busy`,
  );
  if (r.created > 0) {
    const perComplaint = (cores: number) => fmt((cores * res.duration * 1000) / r.created, 3);
    log(
      `    CPU per complaint: server ${fmt((s.cpuUserMs + s.cpuSystemMs) / r.created, 3)} ms` +
        (r.cpu ? ` · PostgreSQL backends ${perComplaint(r.cpu.postgresOurs)} ms · autocannon ${perComplaint(r.cpu.pids.get(process.pid) ?? 0)} ms` : ''),
    );
  }
  const cpuLine = describeCpu(r.cpu, [['server', r.serverPid], ['autocannon', process.pid]]);
  if (cpuLine) log(`    ${cpuLine}`);
  const waiting = r.serverPid === undefined ? undefined : r.cpu?.waiting.get(r.serverPid);
  if (waiting !== undefined) log(`    server event loop ready to run but waiting for a core (preempted): ${fmt(waiting * 100)}% of the time`);
  if (opts.trace && s.requests > 0) {
    log(`    traced: ${fmt(s.requests)} requests, mean ${fmt(s.requestMs / s.requests, 2)} ms in the server; pool: ${fmt(s.poolAcquires)} acquires, mean wait ${fmt(s.poolWaitMs / Math.max(1, s.poolAcquires), 2)} ms`);
    log(`    queries per request (time incl. pool wait, per request):`);
    for (const q of s.queries) {
      log(`      ${fmt(q.count / s.requests, 2).padStart(5)} × ${q.label.padEnd(60)} mean ${fmt(q.totalMs / q.count, 2).padStart(6)} ms · ${fmt(q.totalMs / s.requests, 2).padStart(6)} ms/request · max ${fmt(q.maxMs, 1)}`);
    }
  }
}

function printProfile(r: AppResult) {
  if (!r.profileFile || !existsSync(r.profileFile)) {
    log('  (no CPU profile was written)');
    return;
  }
  const file = r.profileFile;
  const summary = summariseProfile(file, root, {
    limit: 30,
    inclusive: ['createComplaint', 'getComplaint', 'searchDocument', 'nextEvent', 'presentComplaint', 'actorForApiKey'],
  });
  log(`\n  CPU profile of the server, pool ${r.pool}, measurement window only: ${relative(root, file)} (${fmt(summary.totalMs / 1000, 1)} s sampled; open it in Chrome DevTools)`);
  log('  self time by area:');
  for (const a of summary.areas.slice(0, 20)) log(`    ${(fmt(a.share * 100, 1) + '%').padStart(6)}  ${a.area}`);
  log('  self time by function:');
  for (const f of summary.functions) log(`    ${(fmt(f.share * 100, 1) + '%').padStart(6)}  ${f.name}  ${f.where}`);
  log('  inclusive time:');
  for (const f of summary.inclusive) log(`    ${(fmt(f.share * 100, 1) + '%').padStart(6)}  ${f.name}`);
}

// ---- main ---------------------------------------------------------------------------------------------------------
let scratch: ScratchDatabase | null = null;
let handle: DatabaseHandle | null = null;
let cleaning: Promise<void> | null = null;

function cleanup(): Promise<void> {
  return (cleaning ??= (async () => {
    if (server) await stopServer(server).catch(() => server?.kill('SIGKILL'));
    await handle?.close().catch(() => undefined);
    if (scratch) {
      await scratch.drop().then(
        () => log(`Dropped database ${scratch!.name}.`),
        (error: unknown) => console.error(`Could not drop database ${scratch!.name}: ${String(error)}`),
      );
    }
  })());
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping and cleaning up …`);
    void cleanup().finally(() => process.exit(130));
  });
}

async function main(): Promise<string> {
  log(`Intake benchmark against ${redactedUrl(serverUrl)} — ${availableParallelism()} cores, Node ${process.version}`);
  log(`  ${fmt(seconds)} s per phase (+ ${fmt(warmupSeconds)} s warm-up), ${connections} HTTP connections, server pool ${pools.join(' / ')}, baseline ${baselineConnections} connections`);
  const prepared = await prepareIntakeDatabase(serverUrl, (s, h) => {
    scratch = s;
    handle = h;
    log(`Created database ${s.name}.`);
  });
  const { scratch: created, handle: { db }, apiKey: key, catalogue } = prepared;
  const bodies = complaintBodies(bodyCount);
  const lengths = bodies.map((b) => b.description.length);
  log(
    `  ${fmt(bodies.length)} request bodies in ${new Set(bodies.map((b) => b.language)).size} languages, descriptions ${fmt(Math.min(...lengths))}–${fmt(Math.max(...lengths))} characters` +
      ` (mean ${fmt(lengths.reduce((a, b) => a + b, 0) / lengths.length)}), JSON mean ${fmt(bodies.reduce((a, b) => a + Buffer.byteLength(JSON.stringify(b)), 0) / bodies.length)} bytes`,
  );

  // 1. Baseline.
  let baseline: BaselineResult | null = null;
  if (!opts['skip-baseline']) {
    await sql.raw(`create table ${BASELINE_TABLE} (like complaints including all)`).execute(db);
    await checkpoint(db);
    log(`\nBaseline: single-row INSERTs into ${BASELINE_TABLE} (same columns, tsvector and indexes), ${baselineConnections} pg connections`);
    baseline = await runBaseline(created.url, baselineRows(bodies, catalogue), key.id);
    log(`  ${fmt(baseline.rowsPerSecond)} rows/s (${fmt(baseline.rows)} rows in ${fmt(baseline.seconds, 2)} s) · latency ms p50 ${fmt(baseline.p50, 2)} · p99 ${fmt(baseline.p99, 2)} · errors ${baseline.errors}`);
    const cpuLine = describeCpu(baseline.cpu, [['pg driver', process.pid]]);
    if (cpuLine) log(`  ${cpuLine}`);
    if (baseline.cpu && baseline.rows > 0) log(`  CPU per row: PostgreSQL backends ${fmt((baseline.cpu.postgresOurs * baseline.seconds * 1000) / baseline.rows, 3)} ms`);
    await sql.raw(`drop table ${BASELINE_TABLE}`).execute(db);
  }

  // 2. The application, once per pool size.
  const profileDir = opts.profile ? join(here, '.profiles') : null;
  if (profileDir) {
    mkdirSync(profileDir, { recursive: true });
    writeFileSync(join(profileDir, '.gitignore'), '*\n');
  }
  log(`\nApplication: POST /api/complaints, ${connections} connections, server in a child process (web role, logLevel silent)${opts.trace ? ', traced' : ''}`);
  const results: AppResult[] = [];
  for (const pool of pools) {
    await checkpoint(db);
    const r = await runApplication(created.url, key.key, bodies, pool, profileDir);
    results.push(r);
    printApplication(r);
  }
  const best = results.reduce((a, b) => (b.complaintsPerSecond > a.complaintsPerSecond ? b : a));
  const counts = await sql<{ complaints: number; events: number; outbox: number }>`
    select (select count(*) from complaints)::int as complaints,
           (select count(*) from audit_events where complaint_id is not null)::int as events,
           (select count(*) from outbox)::int as outbox`.execute(db);
  const c = counts.rows[0]!;
  log(`  in the database: ${fmt(c.complaints)} complaints, ${fmt(c.events)} complaint events, ${fmt(c.outbox)} outbox rows (warm-ups and probes included)`);
  if (profileDir) for (const r of results) printProfile(r);

  // Summary.
  const value = best.complaintsPerSecond;
  const ratio = baseline ? value / baseline.rowsPerSecond : null;
  log(`\nResult${pools.length > 1 ? ` (best pool: ${best.pool})` : ''}: ${fmt(value)} complaints/s, p50 ${fmt(best.p50, 1)} ms, p99 ${fmt(best.p99, 1)} ms` +
    (baseline ? `; baseline ${fmt(baseline.rowsPerSecond)} inserts/s; ratio ${fmt(ratio!, 3)}` : '; no baseline'));
  const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
  log(`  targets: ≥ ${fmt(TARGET.value)} complaints/s ${mark(value >= TARGET.value)} · p99 ≤ ${TARGET.p99} ms ${mark(best.p99 <= TARGET.p99)}` +
    (ratio === null ? '' : ` · ratio ≥ ${TARGET.ratio} ${mark(ratio >= TARGET.ratio)}`));
  return JSON.stringify({
    bench: 'intake',
    value: round(value, 1),
    unit: 'complaints/s',
    p50_ms: round(best.p50, 2),
    p99_ms: round(best.p99, 2),
    baseline: baseline ? round(baseline.rowsPerSecond, 1) : null,
    ratio: ratio === null ? null : round(ratio, 3),
  });
}

let exitCode = 0;
let json: string | null = null;
try {
  json = await main();
} catch (error) {
  exitCode = 1;
  console.error(`\nIntake benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  await cleanup();
}
if (json) log(json);
process.exit(exitCode);
