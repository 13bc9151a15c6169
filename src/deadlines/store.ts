/** Reading and writing `complaint_deadlines` and `complaint_pauses` rows (a handful of statements, batched). */
import { sql } from 'kysely';
import type { DbOrTx } from '../db/client.ts';
import type { AuditEvent } from '../audit/chain.ts';
import type { PauseInterval } from './engine.ts';
import type { DeadlineRow } from './tracking.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Inserts or replaces rows (by complaint, milestone and profile) in one statement, whatever their number. */
export async function upsertDeadlineRows(db: DbOrTx, rows: readonly DeadlineRow[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(f: (r: DeadlineRow) => T) => rows.map(f);
  await sql`
    insert into complaint_deadlines (complaint_id, milestone, profile_id, profile_version, calendar_id, calendar_version,
      clock, starts_at, due_at, status, warned_shares, paused_at, paused_ms, next_alert_at, met_at, breached_at, task_id,
      updated_at)
    select u.c, u.m, u.p, u.pv, u.cal, u.cv, u.clk, u.s, u.d, u.st, u.w::smallint[], u.pa, u.pm, u.na, u.ma, u.ba, u.t, u.ua
    from unnest(${col((r) => r.complaint_id)}::uuid[], ${col((r) => r.milestone)}::text[], ${col((r) => r.profile_id)}::text[],
      ${col((r) => r.profile_version)}::int[], ${col((r) => r.calendar_id)}::text[], ${col((r) => r.calendar_version)}::int[],
      ${col((r) => r.clock)}::text[], ${col((r) => iso(r.starts_at))}::timestamptz[], ${col((r) => iso(r.due_at))}::timestamptz[],
      ${col((r) => r.status)}::text[], ${col((r) => `{${r.warned_shares.join(',')}}`)}::text[],
      ${col((r) => iso(r.paused_at))}::timestamptz[], ${col((r) => r.paused_ms)}::bigint[],
      ${col((r) => iso(r.next_alert_at))}::timestamptz[], ${col((r) => iso(r.met_at))}::timestamptz[],
      ${col((r) => iso(r.breached_at))}::timestamptz[], ${col((r) => r.task_id)}::uuid[], ${col((r) => iso(r.updated_at))}::timestamptz[])
      as u(c, m, p, pv, cal, cv, clk, s, d, st, w, pa, pm, na, ma, ba, t, ua)
    on conflict (complaint_id, milestone, profile_id) do update set
      profile_version = excluded.profile_version, calendar_id = excluded.calendar_id,
      calendar_version = excluded.calendar_version, clock = excluded.clock, starts_at = excluded.starts_at,
      due_at = excluded.due_at, status = excluded.status, warned_shares = excluded.warned_shares,
      paused_at = excluded.paused_at, paused_ms = excluded.paused_ms, next_alert_at = excluded.next_alert_at,
      met_at = excluded.met_at, breached_at = excluded.breached_at, task_id = excluded.task_id,
      updated_at = excluded.updated_at`.execute(db);
}

export async function loadDeadlineRows(
  db: DbOrTx,
  complaintIds: readonly string[],
): Promise<Map<string, DeadlineRow[]>> {
  const out = new Map<string, DeadlineRow[]>();
  if (complaintIds.length === 0) return out;
  const rows = await db
    .selectFrom('complaint_deadlines')
    .selectAll()
    .where('complaint_id', '=', sql<string>`any(${[...complaintIds]}::uuid[])`)
    .execute();
  for (const r of rows) {
    const list = out.get(r.complaint_id);
    if (list) list.push(r);
    else out.set(r.complaint_id, [r]);
  }
  return out;
}

export async function loadPauses(
  db: DbOrTx,
  complaintIds: readonly string[],
): Promise<Map<string, PauseInterval[]>> {
  const out = new Map<string, PauseInterval[]>();
  if (complaintIds.length === 0) return out;
  const rows = await db
    .selectFrom('complaint_pauses')
    .selectAll()
    .where('complaint_id', '=', sql<string>`any(${[...complaintIds]}::uuid[])`)
    .orderBy('started_at')
    .execute();
  for (const r of rows) {
    const p = { from: r.started_at, to: r.ended_at };
    const list = out.get(r.complaint_id);
    if (list) list.push(p);
    else out.set(r.complaint_id, [p]);
  }
  return out;
}

/** The start of the complaint's open pause, if it is paused. */
export const openPauseStart = (pauses: readonly PauseInterval[] | undefined): Date | null =>
  pauses?.find((p) => p.to === null)?.from ?? null;

/**
 * Updates rows known to exist (cheaper than INSERT … ON CONFLICT for a batch of recomputed rows). The `= any(ids)`
 * condition makes the planner fetch just these complaints' rows through the index instead of hashing the table.
 */
export async function updateDeadlineRows(db: DbOrTx, rows: readonly DeadlineRow[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(f: (r: DeadlineRow) => T) => rows.map(f);
  await sql`
    update complaint_deadlines d set profile_version = u.pv, calendar_id = u.cal, calendar_version = u.cv, clock = u.clk,
      starts_at = u.s, due_at = u.d, status = u.st, paused_at = u.pa, paused_ms = u.pm, next_alert_at = u.na,
      updated_at = u.ua
    from unnest(${col((r) => r.complaint_id)}::uuid[], ${col((r) => r.milestone)}::text[], ${col((r) => r.profile_id)}::text[],
      ${col((r) => r.profile_version)}::int[], ${col((r) => r.calendar_id)}::text[], ${col((r) => r.calendar_version)}::int[],
      ${col((r) => r.clock)}::text[], ${col((r) => iso(r.starts_at))}::timestamptz[], ${col((r) => iso(r.due_at))}::timestamptz[],
      ${col((r) => r.status)}::text[], ${col((r) => iso(r.paused_at))}::timestamptz[], ${col((r) => r.paused_ms)}::bigint[],
      ${col((r) => iso(r.next_alert_at))}::timestamptz[], ${col((r) => iso(r.updated_at))}::timestamptz[])
      as u(c, m, p, pv, cal, cv, clk, s, d, st, pa, pm, na, ua)
    where d.complaint_id = u.c and d.milestone = u.m and d.profile_id = u.p
      and d.complaint_id = any(${[...new Set(col((r) => r.complaint_id))]}::uuid[])`.execute(db);
}

/** Appends history events in one statement (one JSON parameter, whatever their number). */
export async function insertAuditEvents(db: DbOrTx, events: readonly AuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  await sql`
    insert into audit_events (id, chain, seq, complaint_id, action, actor_type, actor_id, actor_label, channel, at, data, prev_hash, hash)
    select id, chain, seq, complaint_id, action, actor_type, actor_id, actor_label, channel, at, data, prev_hash, hash
    from jsonb_populate_recordset(null::audit_events, ${JSON.stringify(events)}::jsonb)`.execute(db);
}
