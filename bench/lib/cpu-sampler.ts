import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * Where the machine's CPU went during a window, from /proc (Linux; null elsewhere): the whole machine, the
 * PostgreSQL processes (split into the backends of the benchmark's database and the rest), and the processes given
 * by pid. Jiffies are 1/100 s on Linux.
 */
export interface CpuSnapshot {
  at: number;
  totalJiffies: number;
  idleJiffies: number;
  /** Every postgres process: pid → jiffies. */
  postgres: Map<number, number>;
  pids: Map<number, number>;
  /** Nanoseconds each pid's main thread spent runnable but waiting for a CPU (/proc/<pid>/schedstat). */
  waits: Map<number, number>;
}

export interface CpuShare {
  cores: number;
  /** Busy share of the whole machine, 0…1 (1 = every core busy). */
  machineBusy: number;
  /** In cores (1.0 = one core fully busy): the backends serving the benchmark's database. */
  postgresOurs: number;
  /** In cores: every other postgres process (WAL writer, checkpointer, autovacuum, other databases). */
  postgresOther: number;
  pids: Map<number, number>;
  /** Share of the window each pid's main thread was ready to run but had no CPU (preempted, e.g. by PostgreSQL). */
  waiting: Map<number, number>;
}

const TICKS = 100;

function processJiffies(pid: number | string): { comm: string; jiffies: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    return { comm, jiffies: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

export function cpuSnapshot(pids: number[]): CpuSnapshot | null {
  if (!existsSync('/proc/stat')) return null;
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const totalJiffies = values.slice(0, 8).reduce((a, b) => a + b, 0);
  const idleJiffies = (values[3] ?? 0) + (values[4] ?? 0);
  const postgres = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const p = processJiffies(entry);
    if (p && (p.comm === 'postgres' || p.comm === 'postmaster')) postgres.set(Number(entry), p.jiffies);
  }
  const own = new Map<number, number>();
  const waits = new Map<number, number>();
  for (const pid of pids) {
    own.set(pid, processJiffies(pid)?.jiffies ?? 0);
    try {
      waits.set(pid, Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]));
    } catch {
      // no schedstat (kernel without CONFIG_SCHEDSTATS)
    }
  }
  return { at: Date.now(), totalJiffies, idleJiffies, postgres, pids: own, waits };
}

/** `ourBackends`: pids of the backends connected to the benchmark's database (from pg_stat_activity). */
export function cpuShare(from: CpuSnapshot | null, to: CpuSnapshot | null, cores: number, ourBackends: ReadonlySet<number> = new Set()): CpuShare | null {
  if (!from || !to) return null;
  const seconds = (to.at - from.at) / 1000;
  const total = to.totalJiffies - from.totalJiffies;
  const pids = new Map<number, number>();
  for (const [pid, j] of to.pids) pids.set(pid, (j - (from.pids.get(pid) ?? 0)) / TICKS / seconds);
  const waiting = new Map<number, number>();
  for (const [pid, ns] of to.waits) {
    const before = from.waits.get(pid);
    if (before !== undefined) waiting.set(pid, (ns - before) / 1e9 / seconds);
  }
  // Processes that ended during the window are lost; those that started in it count whole.
  let ours = 0;
  let other = 0;
  for (const [pid, j] of to.postgres) {
    const delta = Math.max(0, j - (from.postgres.get(pid) ?? 0));
    if (ourBackends.has(pid)) ours += delta;
    else other += delta;
  }
  return {
    cores,
    machineBusy: total > 0 ? 1 - (to.idleJiffies - from.idleJiffies) / total : 0,
    postgresOurs: ours / TICKS / seconds,
    postgresOther: other / TICKS / seconds,
    pids,
    waiting,
  };
}
