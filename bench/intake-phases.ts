/**
 * Where the time of one complaint creation goes: the CPU phases in the application, the command alone, the whole route.
 *
 * npm run bench -- intake-phases [--seconds 5] [--concurrency 50] [--pool 16] [--bodies 600]
 *
 * In one process, no sockets (bench/intake.ts measures the whole thing over HTTP):
 *  1. CPU phases, per request body, one at a time: JSON parse, zod validation, the search document, the first
 *     audit event (canonical JSON + SHA-256).
 *  2. One complaint at a time (latency, no contention): `createComplaint` alone; the whole route
 *     (`POST /api/complaints` through `app.inject`: authentication, validation, the command, whatever the route
 *     reads back, presentation, JSON).
 *  3. Throughput at `--concurrency` in flight over a pool of `--pool`: the same two, with the CPU of this process
 *     and of PostgreSQL per complaint, so the route's own cost (beyond the command) is visible.
 * The last line is one JSON object with the figures.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sha256Hex } from '../src/audit/canonical.ts';
import { complaintChain, GENESIS, nextEvent } from '../src/audit/chain.ts';
import { createComplaint } from '../src/complaints/create-complaint.ts';
import { generateReference } from '../src/complaints/reference.ts';
import { createComplaintInput, type CreateComplaintInput } from '../src/complaints/schemas.ts';
import { openPostgres, type DatabaseHandle } from '../src/db/client.ts';
import { buildApp } from '../src/server/app.ts';
import type { Actor } from '../src/identity/roles.ts';
import { searchDocument } from '../src/search/text.ts';
import { complaintBodies } from './lib/complaint-bodies.ts';
import { cpuShare, cpuSnapshot } from './lib/cpu-sampler.ts';
import { backendPids, DEFAULT_DATABASE_URL, type ScratchDatabase } from './lib/database.ts';
import { prepareIntakeDatabase } from './lib/setup.ts';

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '50' },
    pool: { type: 'string', default: '16' },
    bodies: { type: 'string', default: '600' },
  },
  strict: true,
});
const seconds = Number(opts.seconds);
const concurrency = Number(opts.concurrency);
const poolSize = Number(opts.pool);
const serverUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const log = (line = '') => process.stdout.write(`${line}\n`);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Mean microseconds of `fn` over every item, after one warm-up pass; repeated until ~1 s has passed. */
function timeEach<T>(items: readonly T[], fn: (item: T, i: number) => unknown): number {
  items.forEach(fn);
  let calls = 0;
  const started = performance.now();
  do {
    items.forEach((item, i) => fn(item, i));
    calls += items.length;
  } while (performance.now() - started < 1000);
  return ((performance.now() - started) * 1000) / calls;
}

let scratch: ScratchDatabase | null = null;
let handle: DatabaseHandle | null = null;

async function main(): Promise<Record<string, number>> {
  const prepared = await prepareIntakeDatabase(serverUrl, (s, h) => {
    scratch = s;
    handle = h;
    log(`Created database ${s.name}.`);
  });
  const intake: Actor = { type: 'api_key', id: prepared.apiKey.id, label: 'api-key:bench-intake', role: 'intake', teamIds: [], channel: 'api' };
  const bodies = complaintBodies(Number(opts.bodies));
  const texts = bodies.map((b) => JSON.stringify(b));
  const inputs = texts.map((t) => createComplaintInput.parse(JSON.parse(t)));
  const figures: Record<string, number> = {};

  // 1. CPU phases.
  log('\n1. CPU phases in the application, per complaint (one at a time, µs):');
  const phases: Array<[string, string, () => number]> = [
    ['json_parse_us', 'JSON.parse of the request body', () => timeEach(texts, (t) => JSON.parse(t))],
    ['zod_us', 'zod createComplaintInput.parse', () => timeEach(texts, (t) => createComplaintInput.parse(JSON.parse(t)))],
    ['search_document_us', 'searchDocument(reference, description, remedy, location)', () =>
      timeEach(inputs, (b) => searchDocument('7K4M-9QX2', b.description, b.desiredRemedy, b.location))],
    ['description_sha256_us', 'sha256 of the description', () => timeEach(inputs, (b) => sha256Hex(b.description))],
    ['audit_event_us', 'nextEvent (canonical JSON + SHA-256 of the first event)', () =>
      timeEach(inputs, (b) =>
        nextEvent({
          chain: complaintChain('0c6f2b8e-2d55-4a0e-9a57-1f1f3b7f2a10'),
          head: { seq: 0, hash: GENESIS },
          complaintId: '0c6f2b8e-2d55-4a0e-9a57-1f1f3b7f2a10',
          action: 'create',
          actor: intake,
          at: new Date(),
          data: { after: { reference: generateReference(), type: b.type, channel: b.channel, state: 'received' }, descriptionSha256: sha256Hex(b.description) },
        }),
      )],
  ];
  for (const [key, label, run] of phases) {
    figures[key] = run();
    log(`   ${fmt(figures[key], 1).padStart(8)}  ${label}`);
  }

  // 2. Latency, one at a time.
  const db = prepared.handle.db;
  let next = 0;
  const nextInput = (): CreateComplaintInput => inputs[next++ % inputs.length]!;
  const sequential = async (n: number, fn: () => Promise<unknown>) => {
    for (let i = 0; i < 20; i++) await fn();
    const started = performance.now();
    for (let i = 0; i < n; i++) await fn();
    return (performance.now() - started) / n;
  };
  log('\n2. One at a time (ms, latency including the round trips):');
  figures.create_ms = await sequential(300, () => createComplaint(db, intake, nextInput()));
  log(`   ${fmt(figures.create_ms, 2).padStart(8)}  createComplaint (one statement: complainant + complaint + event + outbox …)`);
  const headers = { authorization: `Bearer ${prepared.apiKey.key}`, 'content-type': 'application/json' };
  const post = async (app: Awaited<ReturnType<typeof buildApp>>) => {
    const res = await app.inject({ method: 'POST', url: '/api/complaints', headers, payload: texts[next++ % texts.length]! });
    if (res.statusCode !== 201) throw new Error(`POST /api/complaints answered ${res.statusCode}: ${res.body.slice(0, 500)}`);
  };
  const app = await buildApp({ db, logLevel: 'silent' });
  try {
    figures.route_ms = await sequential(300, () => post(app));
  } finally {
    await app.close();
  }
  log(`   ${fmt(figures.route_ms, 2).padStart(8)}  POST /api/complaints through app.inject (the whole route, no sockets)`);

  // 3. Throughput under concurrency.
  const measured = await openPostgres(prepared.scratch.url, poolSize);
  try {
    const run = async (label: string, key: string, fn: () => Promise<unknown>) => {
      const drive = async (durationS: number) => {
        let stop = false;
        let done = 0;
        const timer = setTimeout(() => (stop = true), durationS * 1000);
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (!stop) {
              await fn();
              if (!stop) done++;
            }
          }),
        );
        clearTimeout(timer);
        return done;
      };
      await drive(1);
      const cpu0 = process.cpuUsage();
      const snap0 = cpuSnapshot([process.pid]);
      const done = await drive(seconds);
      const cpu = process.cpuUsage(cpu0);
      const snap1 = cpuSnapshot([process.pid]);
      const share = cpuShare(snap0, snap1, availableParallelism(), await backendPids(prepared.scratch.url));
      const perSecond = done / seconds;
      const nodeMs = (cpu.user + cpu.system) / 1000 / done;
      const pgMs = share ? (share.postgresOurs * seconds * 1000) / done : NaN;
      figures[`${key}_per_s`] = perSecond;
      figures[`${key}_node_cpu_ms`] = nodeMs;
      figures[`${key}_pg_cpu_ms`] = pgMs;
      log(`   ${fmt(perSecond).padStart(6)}/s  ${label}: CPU per complaint: this process ${fmt(nodeMs, 3)} ms, PostgreSQL backends ${fmt(pgMs, 3)} ms` +
        (share ? ` (machine busy ${fmt(share.machineBusy * 100)}%, other postgres processes ${fmt(share.postgresOther, 2)} cores)` : ''));
    };
    log(`\n3. Throughput, ${concurrency} in flight, pool ${poolSize}, ${seconds} s each (no sockets):`);
    const mdb = measured.db;
    await run('createComplaint alone', 'create', () => createComplaint(mdb, intake, nextInput()));
    const app = await buildApp({ db: mdb, logLevel: 'silent' });
    try {
      await run('POST /api/complaints (app.inject, whole route)', 'route', () => post(app));
    } finally {
      await app.close();
    }
  } finally {
    await measured.close();
  }
  return figures;
}

async function cleanup() {
  const h: DatabaseHandle | null = handle;
  const s: ScratchDatabase | null = scratch;
  handle = null;
  scratch = null;
  await h?.close().catch(() => undefined);
  if (s) await s.drop().then(() => log(`Dropped database ${s.name}.`), (e: unknown) => console.error(`Could not drop ${s.name}: ${String(e)}`));
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void cleanup().finally(() => process.exit(130)));

let exitCode = 0;
let figures: Record<string, number> | null = null;
try {
  figures = await main();
} catch (error) {
  exitCode = 1;
  console.error(`\nintake-phases failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  await cleanup();
}
if (figures) log(JSON.stringify({ bench: 'intake-phases', ...Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, round(v, 3)])) }));
process.exit(exitCode);
