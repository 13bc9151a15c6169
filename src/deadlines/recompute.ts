/**
 * Recomputing open complaints after a change of calendar, holiday list or profile (TIME-6), in batches, by jobs.
 *
 * A change enqueues `RECOMPUTE_PARTITIONS` jobs, so that several workers share the work: for a calendar, one per
 * range of milestone start instants (about as many milestones each); for a profile, one per range of complaint ids. Each step takes the next batch of complaints with running milestones on the changed calendar (for a change
 * of holidays only, those whose counting window contains a changed date), or of the changed profile, locks them
 * (the same row lock actions and the monitor take first), recomputes their milestones in memory with the current
 * configuration, writes only what changed — the milestone rows and `next_due_at` — records what moved in one event
 * on the job's own history chain, and stores its cursor with the job, all in one transaction.
 *
 * A complaint keeps the profile version it has; a profile job with `toVersion` moves open complaints to the new
 * version on purpose (an administrator chose "apply to open complaints").
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../db/client.ts';
import type { ComplaintRow } from '../db/schema.ts';
import { recordSystemEvent } from '../audit/record-system-event.ts';
import { getCatalogue } from '../catalogue/catalogue.ts';
import type { JobHandler } from '../jobs/queue.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { getDeadlineConfig, RECOMPUTE_SETTLE_MS } from './config.ts';
import { monitorActor } from './monitor.ts';
import {
  loadDeadlineRows,
  loadPauses,
  openPauseStart,
  updateDeadlineRows,
  upsertDeadlineRows,
} from './store.ts';
import { computeRows, nextDueAt, reconcile, type DeadlineRow, type PinnedProfile } from './tracking.ts';

export const RECOMPUTE_JOB = 'deadlines.recompute';
export const RECOMPUTE_PARTITIONS = 4;
export const RECOMPUTE_BATCH = 1000;
/** The history chain of one recompute job (listed in `audit_chain_heads` like the system chain). */
export const recomputeChain = (jobId: number) => `deadline-recompute:${jobId}`;

export interface RecomputePayload {
  reason: string;
  calendarId?: string;
  profileId?: string;
  /** Move open complaints of `profileId` to this version. */
  toVersion?: number;
  /** Only holidays changed: the local dates added or removed (a milestone is affected only if one is in its window). */
  dates?: string[];
  /** Profile jobs: the complaint id range of this job, [from, to); `to` null = no upper bound. */
  from?: string;
  to?: string | null;
  /** Calendar jobs: the range of milestone start instants of this job, [fromAt, toAt); null = unbounded. */
  fromAt?: string | null;
  toAt?: string | null;
  /** Where the next batch starts (exclusive). */
  after?: Cursor | null;
  batch?: number;
}

const FINAL: readonly string[] = ['closed', 'withdrawn', 'out_of_scope'];

interface Cursor {
  /** starts_at of the last row (calendar jobs), null for profile jobs (which walk complaint ids). */
  at: string | null;
  id: string;
}

type LockedComplaint = Pick<
  ComplaintRow,
  | 'id'
  | 'state'
  | 'received_at'
  | 'acknowledged_at'
  | 'sent_at'
  | 'escalation_level'
  | 'response'
  | 'product_id'
  | 'deadline_profiles'
  | 'next_due_at'
>;

/** Profile jobs: ranges of complaint ids. */
function idPartitions(n: number): Array<{ from: string; to: string | null }> {
  const bounds = Array.from(
    { length: n },
    (_, i) =>
      Math.floor((i * 0x100000000) / n)
        .toString(16)
        .padStart(8, '0') + '-0000-0000-0000-000000000000',
  );
  return bounds.map((from, i) => ({ from, to: bounds[i + 1] ?? null }));
}

/** Calendar jobs: ranges of milestone start instants holding about as many running milestones each. */
async function timePartitions(
  tx: DbOrTx,
  calendarId: string,
  n: number,
): Promise<Array<{ fromAt: string | null; toAt: string | null }>> {
  const fractions = Array.from({ length: n - 1 }, (_, i) => (i + 1) / n);
  const { rows } = await sql<{ q: Date[] | null }>`
    select percentile_disc(${fractions}::float8[]) within group (order by starts_at) as q
    from complaint_deadlines where calendar_id = ${calendarId} and status in ('pending', 'at_risk')`.execute(
    tx,
  );
  const cuts = [...new Set((rows[0]?.q ?? []).map((d) => new Date(d).toISOString()))];
  const bounds: Array<string | null> = [null, ...cuts, null];
  return bounds.slice(0, -1).map((fromAt, i) => ({ fromAt, toAt: bounds[i + 1] ?? null }));
}

/** Enqueues the recompute jobs of a change (in the change's transaction). Returns the group id and the job ids. */
export async function enqueueRecompute(
  tx: DbOrTx,
  change: { reason: string; calendarId?: string; profileId?: string; toVersion?: number; dates?: string[] },
  options: { createdBy?: string | null; delayMs?: number; partitions?: number; batch?: number } = {},
): Promise<{ groupId: string; jobIds: number[] }> {
  const groupId = randomUUID();
  const jobIds: number[] = [];
  const n = options.partitions ?? RECOMPUTE_PARTITIONS;
  const ranges: Array<Partial<Pick<RecomputePayload, 'from' | 'to' | 'fromAt' | 'toAt'>>> =
    change.calendarId !== undefined ? await timePartitions(tx, change.calendarId, n) : idPartitions(n);
  for (const range of ranges) {
    const payload: RecomputePayload = {
      ...change,
      ...range,
      after: null,
      ...(options.batch ? { batch: options.batch } : {}),
    };
    jobIds.push(
      await enqueueJob(tx, RECOMPUTE_JOB, payload as unknown as Record<string, unknown>, {
        groupId,
        createdBy: options.createdBy ?? null,
        delayMs: options.delayMs ?? RECOMPUTE_SETTLE_MS,
      }),
    );
  }
  return { groupId, jobIds };
}

/**
 * The next complaints of the job. A calendar job walks its calendar's running milestones in the order of their
 * start (receipt) — the order complaints were written in, so a batch touches neighbouring pages of the tables rather
 * than pages all over them; a profile job walks complaint ids. Returns the complaint ids and the cursor after them.
 */
async function nextBatch(
  tx: Tx,
  p: RecomputePayload,
  limit: number,
): Promise<{ ids: string[]; cursor: Cursor | null }> {
  if (p.calendarId === undefined) {
    const range = sql`and complaint_id >= ${p.from ?? '00000000-0000-0000-0000-000000000000'}::uuid ${p.to ? sql`and complaint_id < ${p.to}::uuid` : sql``}`;
    const rows = await sql<{ complaint_id: string }>`
      select distinct complaint_id from complaint_deadlines
      where profile_id = ${p.profileId ?? ''} and status in ('pending', 'at_risk') ${range}
        ${p.after ? sql`and complaint_id > ${p.after.id}::uuid` : sql``}
      order by complaint_id limit ${limit}`.execute(tx);
    const ids = rows.rows.map((r) => r.complaint_id);
    return { ids, cursor: ids.length ? { at: null, id: ids[ids.length - 1]! } : null };
  }
  const dates = p.dates?.length ? [...p.dates].sort() : null;
  // A day of slack on each side: local dates in any time zone against UTC instants.
  const window = dates
    ? sql`and due_at >= ${dates[0]}::date - 2 and starts_at < ${dates[dates.length - 1]}::date + 2`
    : sql``;
  const after = p.after?.at
    ? sql`and (starts_at, complaint_id) > (${p.after.at}::timestamptz, ${p.after.id}::uuid)`
    : sql``;
  const range = sql`${p.fromAt ? sql`and starts_at >= ${p.fromAt}::timestamptz` : sql``} ${p.toAt ? sql`and starts_at < ${p.toAt}::timestamptz` : sql``}`;
  const rows = await sql<{ complaint_id: string; starts_at: Date }>`
    select complaint_id, starts_at from complaint_deadlines
    where calendar_id = ${p.calendarId} and status in ('pending', 'at_risk') ${window} ${range} ${after}
    order by starts_at, complaint_id limit ${Math.round(limit * 2.5)}`.execute(tx);
  const last = rows.rows.at(-1);
  return {
    ids: [...new Set(rows.rows.map((r) => r.complaint_id))],
    cursor: last ? { at: last.starts_at.toISOString(), id: last.complaint_id } : null,
  };
}

/**
 * The changes of a batch, grouped by milestone, profile and shift (a new holiday moves most of them by one day):
 * `{ milestone, profile, shiftSeconds, complaints }`; `shiftSeconds` null with `to` null: cancelled; with `from`
 * null: added (its due instant in `to` per complaint).
 */
export function groupChanges(
  changes: ReadonlyArray<{
    complaintId: string;
    milestone: string;
    profile: string;
    from: string | null;
    to: string | null;
  }>,
) {
  const groups = new Map<
    string,
    {
      milestone: string;
      profile: string;
      shiftSeconds: number | null;
      complaints: string[];
      kind: 'moved' | 'added' | 'cancelled';
    }
  >();
  for (const c of changes) {
    const kind = c.from === null ? 'added' : c.to === null ? 'cancelled' : 'moved';
    const shiftSeconds =
      kind === 'moved' ? Math.round((Date.parse(c.to!) - Date.parse(c.from!)) / 1000) : null;
    const key = `${c.milestone}|${c.profile}|${kind}|${shiftSeconds}`;
    let g = groups.get(key);
    if (!g)
      groups.set(
        key,
        (g = { milestone: c.milestone, profile: c.profile, shiftSeconds, complaints: [], kind }),
      );
    g.complaints.push(kind === 'added' ? `${c.complaintId}@${c.to}` : c.complaintId);
  }
  return [...groups.values()];
}

/** One batch of a recompute job. */
export const recomputeStep: JobHandler = async ({ db, tx, job, now }) => {
  const p = job.payload as unknown as RecomputePayload;
  const limit = p.batch ?? RECOMPUTE_BATCH;
  const { ids, cursor } = await nextBatch(tx, p, limit);
  if (ids.length === 0 || !cursor) return { done: true };
  const locked = await sql<LockedComplaint>`
    select id, state, received_at, acknowledged_at, sent_at, escalation_level, response, product_id, deadline_profiles,
      next_due_at
    from complaints where id = any(${ids}::uuid[]) order by id for update`.execute(tx);
  const config = await getDeadlineConfig(db, tx, { maxAgeMs: 0 });
  const catalogue = await getCatalogue(db, false, tx);
  const [rowsBy, pausesBy] = await Promise.all([loadDeadlineRows(tx, ids), loadPauses(tx, ids)]);

  const changed: DeadlineRow[] = [];
  const inserted: DeadlineRow[] = [];
  const changes: Array<{
    complaintId: string;
    milestone: string;
    profile: string;
    from: string | null;
    to: string | null;
  }> = [];
  const updates: Array<{ id: string; due: Date | null; profiles: string | null }> = [];
  for (const c of locked.rows) {
    if (FINAL.includes(c.state)) continue;
    let pins = (c.deadline_profiles ?? []) as PinnedProfile[];
    let repinned = false;
    if (p.profileId && p.toVersion !== undefined) {
      pins = pins.map((x) =>
        x.id === p.profileId && x.version !== p.toVersion
          ? ((repinned = true), { ...x, version: p.toVersion! })
          : x,
      );
    }
    const existing = rowsBy.get(c.id) ?? [];
    const pauses = pausesBy.get(c.id) ?? [];
    const outcome = c.response?.outcome;
    const productKind = c.product_id ? catalogue.byId.get(c.product_id)?.key : undefined;
    const lastUpdate = new Map(
      existing.filter((r) => r.milestone === 'update').map((r) => [r.profile_id, r.starts_at]),
    );
    const computed = computeRows(
      config,
      pins,
      c.received_at,
      { ...(outcome ? { outcome } : {}), ...(productKind ? { productKind } : {}) },
      pauses,
      lastUpdate,
    );
    const result = reconcile(c, existing, computed, config, now, openPauseStart(pauses));
    if (result.changed.length === 0 && !repinned) continue;
    for (const r of result.changed) (result.inserted.has(r) ? inserted : changed).push(r);
    for (const x of result.changes) changes.push({ complaintId: c.id, ...x });
    const due = nextDueAt(result.rows);
    if (!repinned && (due?.getTime() ?? null) === (c.next_due_at?.getTime() ?? null)) continue;
    updates.push({ id: c.id, due, profiles: repinned ? JSON.stringify(pins) : null });
  }

  await updateDeadlineRows(tx, changed);
  await upsertDeadlineRows(tx, inserted);
  if (updates.length) {
    await sql`
      update complaints c set next_due_at = u.due, deadline_profiles = coalesce(u.profiles::jsonb, c.deadline_profiles)
      from unnest(${updates.map((u) => u.id)}::uuid[], ${updates.map((u) => u.due?.toISOString() ?? null)}::timestamptz[],
                  ${updates.map((u) => u.profiles)}::text[]) as u(id, due, profiles)
      where c.id = u.id and c.id = any(${updates.map((u) => u.id)}::uuid[])`.execute(tx);
  }
  if (changes.length || updates.length) {
    // What moved, complaint by complaint, on this job's own history chain (tamper-evident like every chain; one
    // event per batch rather than one per complaint, so that a calendar change over 100,000 complaints stays cheap).
    const calendar = p.calendarId
      ? { id: p.calendarId, version: config.calendarEntries.get(p.calendarId)?.currentVersion ?? null }
      : null;
    await recordSystemEvent(
      tx,
      monitorActor,
      'deadlines_recomputed',
      {
        jobId: job.id,
        groupId: job.group_id,
        reason: p.reason,
        ...(calendar ? { calendar } : {}),
        ...(p.profileId ? { profile: { id: p.profileId, version: p.toVersion ?? null } } : {}),
        complaints: ids.length,
        changedComplaints: new Set(changes.map((x) => x.complaintId)).size,
        changes: groupChanges(changes),
      },
      recomputeChain(job.id),
    );
  }
  return {
    done: false,
    payload: { ...p, after: cursor } as unknown as Record<string, unknown>,
    progress: {
      complaints: ids.length,
      changed: new Set(changes.map((x) => x.complaintId)).size,
      rows: changed.length + inserted.length,
    },
  };
};
