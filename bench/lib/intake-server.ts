/**
 * The Redress web role for the intake benchmark, in its own process (so the load generator does not share its
 * event loop). Started by bench/intake.ts with an IPC channel:
 *   env BENCH_DATABASE_URL, BENCH_POOL_SIZE, BENCH_TRACE=1 (time queries and pool waits; a little overhead),
 *       BENCH_PROFILE=<file> (a V8 CPU profile of the measurement window, written to that file)
 *   → { type: 'ready', url }
 *   ← { type: 'mark' }    starts a measurement window (CPU, event-loop utilisation, query timings)
 *   ← { type: 'report' }  → { type: 'report', report: ServerReport } for the window
 *   ← { type: 'stop' }    closes the server and the pool, exits 0
 * It exits by itself when the parent goes away.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import pg from 'pg';
import { openPostgres } from '../../src/db/client.ts';
import { buildApp } from '../../src/server/app.ts';

export interface QueryStat {
  label: string;
  count: number;
  totalMs: number;
  maxMs: number;
}

export interface ServerReport {
  wallMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  eventLoopUtilization: number;
  requests: number;
  requestMs: number;
  poolAcquires: number;
  poolWaitMs: number;
  queries: QueryStat[];
}

export type ParentMessage = { type: 'mark' } | { type: 'report' } | { type: 'stop' };
export type ChildMessage = { type: 'ready'; url: string } | { type: 'report'; report: ServerReport };

const url = process.env.BENCH_DATABASE_URL;
const poolSize = Number(process.env.BENCH_POOL_SIZE ?? '20');
const trace = process.env.BENCH_TRACE === '1';
const profileFile = process.env.BENCH_PROFILE || null;
if (!url || !process.send) {
  console.error('intake-server: run by bench/intake.ts (needs BENCH_DATABASE_URL and an IPC channel)');
  process.exit(2);
}
const send = (message: ChildMessage) => process.send?.(message);

// ---- measurement window -------------------------------------------------------------------------------------
let windowStart = performance.now();
let cpuStart = process.cpuUsage();
let eluStart: EventLoopUtilization = performance.eventLoopUtilization();
let requests = 0;
let requestMs = 0;
let poolAcquires = 0;
let poolWaitMs = 0;
const queries = new Map<string, QueryStat>();

// The CPU profile covers the measurement window only (not start-up, not the warm-up).
let profiler: Session | null = null;
async function startProfile() {
  profiler = new Session();
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.setSamplingInterval', { interval: 500 });
  await profiler.post('Profiler.start');
}
async function stopProfile() {
  if (!profiler || !profileFile) return;
  const { profile } = await profiler.post('Profiler.stop');
  writeFileSync(profileFile, JSON.stringify(profile));
  profiler.disconnect();
  profiler = null;
}

function mark() {
  windowStart = performance.now();
  cpuStart = process.cpuUsage();
  eluStart = performance.eventLoopUtilization();
  requests = 0;
  requestMs = 0;
  poolAcquires = 0;
  poolWaitMs = 0;
  queries.clear();
}

function report(): ServerReport {
  const cpu = process.cpuUsage(cpuStart);
  return {
    wallMs: performance.now() - windowStart,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    eventLoopUtilization: performance.eventLoopUtilization(eluStart).utilization,
    requests,
    requestMs,
    poolAcquires,
    poolWaitMs,
    queries: [...queries.values()].sort((a, b) => b.totalMs - a.totalMs),
  };
}

// ---- tracing (only with BENCH_TRACE=1) ------------------------------------------------------------------------
/** "select complaints", "insert complainants+complaints+audit_events+outbox": the statement kind and its tables. */
function labelOf(node: RootOperationNode): string {
  const tables: string[] = [];
  const seen = new Set<unknown>();
  const walk = (value: unknown, depth: number) => {
    if (depth > 40 || value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    const v = value as { kind?: string; table?: { identifier?: { name?: string } } };
    // Column references (l.id) and CTE names (with c as …) name no table of the schema.
    if (v.kind === 'ReferenceNode' || v.kind === 'CommonTableExpressionNameNode') return;
    if (v.kind === 'TableNode' && v.table?.identifier?.name && !tables.includes(v.table.identifier.name)) {
      tables.push(v.table.identifier.name);
    }
    for (const child of Object.values(value)) walk(child, depth + 1);
  };
  walk(node, 0);
  return `${node.kind.replace(/QueryNode$|Node$/, '').toLowerCase()} ${tables.join('+')}`;
}

class QueryTimer implements KyselyPlugin {
  readonly #started = new WeakMap<object, { at: number; label: string }>();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.#started.set(args.queryId, { at: performance.now(), label: labelOf(args.node) });
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const started = this.#started.get(args.queryId);
    if (started) {
      const ms = performance.now() - started.at;
      const stat = queries.get(started.label) ?? { label: started.label, count: 0, totalMs: 0, maxMs: 0 };
      stat.count++;
      stat.totalMs += ms;
      stat.maxMs = Math.max(stat.maxMs, ms);
      queries.set(started.label, stat);
    }
    return args.result;
  }
}

if (trace) {
  // How long a query waits for a pooled connection (Kysely takes one per statement outside a transaction).
  const proto = pg.Pool.prototype as unknown as { connect: (this: pg.Pool) => Promise<pg.PoolClient> };
  const connect = proto.connect;
  proto.connect = async function (this: pg.Pool) {
    const at = performance.now();
    const client = await connect.call(this);
    poolAcquires++;
    poolWaitMs += performance.now() - at;
    return client;
  };
}

// ---- the server -----------------------------------------------------------------------------------------------
const handle = await openPostgres(url, poolSize);
const db = trace ? handle.db.withPlugin(new QueryTimer()) : handle.db;
const app = await buildApp({ db, logLevel: 'silent' });
if (trace) {
  app.addHook('onResponse', async (_request, reply) => {
    requests++;
    requestMs += reply.elapsedTime;
  });
}
const address = await app.listen({ port: 0, host: '127.0.0.1' });

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  try {
    await app.close();
    await handle.close();
  } finally {
    process.exit(code);
  }
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'mark') {
    mark();
    if (profileFile) void startProfile();
  } else if (message.type === 'report') {
    const r = report();
    void stopProfile().finally(() => send({ type: 'report', report: r }));
  } else if (message.type === 'stop') void stop(0);
});
process.on('disconnect', () => void stop(1));
process.on('SIGINT', () => void stop(130));
process.on('SIGTERM', () => void stop(143));
send({ type: 'ready', url: address });
