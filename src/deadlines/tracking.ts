/**
 * The deadlines of one complaint as rows (`complaint_deadlines`): computing them from the pinned profile versions,
 * reconciling them with what is stored, alert points, the next due instant. Pure: no I/O.
 *
 * One row per milestone per profile: each profile's clock is tracked on its own (a regulatory clock never pauses
 * even when an internal target on the same milestone is paused), and "the strictest wins" is what the complaint
 * shows and what `complaints.next_due_at` indexes: the earliest due instant among its open rows.
 */
import type { Selectable } from 'kysely';
import type { ComplaintDeadlinesTable, DeadlineStatus } from '../db/schema.ts';
import {
  computeDueDates,
  type ComputeContext,
  type ComputedMilestone,
  type MilestoneName,
  type Outcome,
  type PauseInterval,
} from './engine.ts';
import type { DeadlineConfig, ProfileVersion } from './config.ts';
import { toPercent, type EscalationRule } from './settings.ts';

export type DeadlineRow = Selectable<ComplaintDeadlinesTable>;
export interface PinnedProfile {
  id: string;
  version: number;
  /** How it was chosen: by hand (request), by a rule, or the organisation default. */
  by?: 'hand' | 'rule' | 'default' | undefined;
}

/** Statuses of a row whose clock still runs (or is paused). */
export const RUNNING: readonly DeadlineStatus[] = ['pending', 'at_risk'];
/** Statuses of a row that is not met yet: these make `next_due_at` (a breached one keeps it in the past). */
export const OUTSTANDING: readonly DeadlineStatus[] = ['pending', 'at_risk', 'breached'];

/** Milestones whose passing closes a window rather than breaking a rule (DISP 1.5: summary resolution). */
export const LAPSING: ReadonlySet<string> = new Set(['summary-resolution']);
/** Milestones that get a "send a holding / delay letter" task before they are due. */
export const taskKind = (row: Pick<DeadlineRow, 'milestone' | 'clock'>): 'holding' | 'delay' | null =>
  row.milestone === 'holding-response'
    ? 'holding'
    : row.milestone === 'final-response' && row.clock === 'regulatory'
      ? 'delay'
      : null;

/** The facts of a complaint the deadlines depend on. */
export interface ComplaintFactsForDeadlines {
  id: string;
  received_at: Date;
  acknowledged_at: Date | null;
  sent_at: Date | null;
  escalation_level: number;
  response: { outcome?: Outcome } | null;
}

/** When the action that meets a milestone already happened (for rows added after the fact), else null. */
export function inferredMetAt(c: ComplaintFactsForDeadlines, milestone: string): Date | null {
  switch (milestone) {
    case 'acknowledgement':
      return c.acknowledged_at ?? c.sent_at;
    case 'final-response':
    case 'summary-resolution':
    case 'holding-response':
    case 'update':
      return c.sent_at;
    case 'internal-escalation':
      return c.escalation_level >= 2 ? (c.sent_at ?? c.received_at) : null;
    default:
      return null;
  }
}

export interface ComputedRow {
  milestone: MilestoneName;
  profile: ProfileVersion;
  computed: ComputedMilestone;
  startsAt: Date;
  pausedMs: number;
}

/**
 * Due instants of every milestone of every pinned profile. `lastUpdateAt` (per profile id) restarts the recurring
 * `update` milestone; pauses extend internal clocks (open pauses extend nothing until they end).
 */
export function computeRows(
  config: DeadlineConfig,
  pins: readonly PinnedProfile[],
  receivedAt: Date,
  context: Omit<ComputeContext, 'lastUpdateAt'>,
  pauses: PauseInterval[] = [],
  lastUpdateAt: ReadonlyMap<string, Date> = new Map(),
): ComputedRow[] {
  const out: ComputedRow[] = [];
  for (const pin of pins) {
    const pv = config.profiles.get(pin.id)?.versions.find((v) => v.profile.version === pin.version);
    if (!pv) continue;
    const last = lastUpdateAt.get(pin.id);
    const ctx: ComputeContext = last ? { ...context, lastUpdateAt: last } : context;
    const base = { receivedAt, profiles: [pv.profile], calendars: config.calendars, context: ctx };
    const withPauses = computeDueDates(pauses.length ? { ...base, pauses } : base);
    const plain =
      pauses.length && pv.profile.milestones.some((m) => m.clock === 'internal')
        ? computeDueDates(base)
        : withPauses;
    for (let i = 0; i < withPauses.length; i++) {
      const m = withPauses[i]!;
      const repeat = pv.profile.milestones.some((r) => r.name === m.name && r.repeat);
      const anchor = repeat && last && last.getTime() > receivedAt.getTime() ? last : receivedAt;
      const p = plain.find((x) => x.name === m.name);
      out.push({
        milestone: m.name,
        profile: pv,
        computed: m,
        startsAt: anchor,
        pausedMs: p ? m.dueAt.getTime() - p.dueAt.getTime() : 0,
      });
    }
  }
  return out;
}

/** Alert points of a row, in whole percent below 100: warnings, the letter task, automatic escalations. */
export function alertPoints(
  row: Pick<DeadlineRow, 'milestone' | 'clock' | 'profile_id'>,
  config: DeadlineConfig,
  escalations: readonly EscalationRule[] = escalationsFor(config, row),
): number[] {
  const set = new Set<number>(config.settings.warningShares.map(toPercent));
  if (taskKind(row)) set.add(toPercent(config.settings.taskShare));
  for (const e of escalations)
    if (e.milestone === row.milestone && e.atShare < 1) set.add(toPercent(e.atShare));
  return [...set].filter((p) => p > 0 && p < 100).sort((a, b) => a - b);
}

export function escalationsFor(
  config: DeadlineConfig,
  row: Pick<DeadlineRow, 'milestone' | 'profile_id'> & { profile_version?: number },
): EscalationRule[] {
  const entry = config.profiles.get(row.profile_id);
  if (!entry) return [];
  const v =
    row.profile_version === undefined
      ? undefined
      : entry.versions.find((x) => x.profile.version === row.profile_version);
  return (v ?? entry.versions.at(-1))?.escalations.filter((e) => e.milestone === row.milestone) ?? [];
}

/** The instant at which `percent` % of the row's (unpaused) time has elapsed. */
export function instantAtPercent(
  row: Pick<DeadlineRow, 'starts_at' | 'due_at' | 'paused_ms'>,
  percent: number,
): Date {
  if (percent >= 100) return row.due_at;
  const start = row.starts_at.getTime() + row.paused_ms;
  const span = Math.max(0, row.due_at.getTime() - start);
  return new Date(start + Math.floor((span * percent) / 100));
}

/** Share of the row's time elapsed at `now` (paused time counts neither way; frozen while paused). */
export function shareAt(
  row: Pick<DeadlineRow, 'starts_at' | 'due_at' | 'paused_ms' | 'paused_at'>,
  now: Date,
): number {
  const at =
    row.paused_at && row.paused_at.getTime() < now.getTime() ? row.paused_at.getTime() : now.getTime();
  const start = row.starts_at.getTime() + row.paused_ms;
  const span = row.due_at.getTime() - start;
  if (!(span > 0)) return at >= row.due_at.getTime() ? 1 : 0;
  return Math.max(0, (at - start) / span);
}

/** When the monitor next needs to look at this row (null: never, or not while it is paused). */
export function nextAlertAt(row: DeadlineRow, config: DeadlineConfig): Date | null {
  if (!RUNNING.includes(row.status) || row.paused_at) return null;
  for (const p of alertPoints(row, config))
    if (!row.warned_shares.includes(p)) return instantAtPercent(row, p);
  return row.due_at;
}

/** Earliest due instant of the rows not met yet and not paused (what `complaints.next_due_at` holds). */
export function nextDueAt(rows: readonly DeadlineRow[]): Date | null {
  let best: Date | null = null;
  for (const r of rows) {
    if (!OUTSTANDING.includes(r.status) || r.paused_at) continue;
    if (best === null || r.due_at.getTime() < best.getTime()) best = r.due_at;
  }
  return best;
}

/** A new row for a computed milestone. */
export function newRow(
  complaint: ComplaintFactsForDeadlines,
  c: ComputedRow,
  config: DeadlineConfig,
  now: Date,
): DeadlineRow {
  const metAt = inferredMetAt(complaint, c.milestone);
  const row: DeadlineRow = {
    complaint_id: complaint.id,
    milestone: c.milestone,
    profile_id: c.profile.profile.id,
    profile_version: c.profile.profile.version,
    calendar_id: c.profile.profile.calendarId,
    calendar_version: config.calendarEntries.get(c.profile.profile.calendarId)?.currentVersion ?? 0,
    clock: c.computed.clock,
    starts_at: c.startsAt,
    due_at: c.computed.dueAt,
    status: metAt ? 'met' : 'pending',
    warned_shares: [],
    paused_at: null,
    paused_ms: c.pausedMs,
    next_alert_at: null,
    met_at: metAt,
    breached_at: null,
    task_id: null,
    updated_at: now,
  };
  row.next_alert_at = nextAlertAt(row, config);
  return row;
}

export interface ReconcileResult {
  rows: DeadlineRow[];
  /** Every row to write; `inserted` are the new ones among them (the others exist and are updated). */
  changed: DeadlineRow[];
  inserted: Set<DeadlineRow>;
  changes: Array<{ milestone: string; profile: string; from: string | null; to: string | null }>;
}

const key = (r: { milestone: string; profile_id: string }) => `${r.milestone}\u0000${r.profile_id}`;

/**
 * Brings the stored rows in line with freshly computed milestones: running rows move to the new due instant (and
 * profile/calendar version), rows no longer applicable are cancelled, new milestones are added (already met when
 * the action that meets them happened). Met, breached and lapsed rows are history and are left alone.
 */
export function reconcile(
  complaint: ComplaintFactsForDeadlines,
  existing: readonly DeadlineRow[],
  computed: readonly ComputedRow[],
  config: DeadlineConfig,
  now: Date,
  openPauseSince: Date | null = null,
): ReconcileResult {
  const byKey = new Map(existing.map((r) => [key(r), r]));
  const seen = new Set<string>();
  const rows: DeadlineRow[] = [];
  const changed: DeadlineRow[] = [];
  const inserted = new Set<DeadlineRow>();
  const changes: ReconcileResult['changes'] = [];
  for (const c of computed) {
    const k = `${c.milestone}\u0000${c.profile.profile.id}`;
    seen.add(k);
    const old = byKey.get(k);
    if (old && old.status !== 'cancelled') {
      if (!RUNNING.includes(old.status)) {
        rows.push(old);
        continue;
      }
      const calendarVersion = config.calendarEntries.get(c.profile.profile.calendarId)?.currentVersion ?? 0;
      const same =
        old.due_at.getTime() === c.computed.dueAt.getTime() &&
        old.profile_version === c.profile.profile.version &&
        old.starts_at.getTime() === c.startsAt.getTime() &&
        old.paused_ms === c.pausedMs &&
        old.clock === c.computed.clock;
      // A due instant a new calendar version does not move is not rewritten (no write for nothing).
      if (same) {
        rows.push(old);
        continue;
      }
      const row: DeadlineRow = {
        ...old,
        profile_version: c.profile.profile.version,
        calendar_id: c.profile.profile.calendarId,
        calendar_version: calendarVersion,
        clock: c.computed.clock,
        starts_at: c.startsAt,
        due_at: c.computed.dueAt,
        paused_ms: c.pausedMs,
        paused_at: c.computed.clock === 'internal' ? old.paused_at : null,
        updated_at: now,
      };
      row.next_alert_at = nextAlertAt(row, config);
      rows.push(row);
      changed.push(row);
      if (!same)
        changes.push({
          milestone: row.milestone,
          profile: row.profile_id,
          from: old.due_at.toISOString(),
          to: row.due_at.toISOString(),
        });
    } else {
      const row = newRow(complaint, c, config, now);
      if (old) row.task_id = old.task_id;
      if (
        openPauseSince &&
        row.clock === 'internal' &&
        row.status === 'pending' &&
        row.due_at.getTime() > openPauseSince.getTime()
      ) {
        row.paused_at = openPauseSince;
        row.next_alert_at = null;
      }
      rows.push(row);
      changed.push(row);
      inserted.add(row);
      changes.push({
        milestone: row.milestone,
        profile: row.profile_id,
        from: null,
        to: row.due_at.toISOString(),
      });
    }
  }
  for (const old of existing) {
    if (seen.has(key(old))) continue;
    if (RUNNING.includes(old.status)) {
      const row: DeadlineRow = {
        ...old,
        status: 'cancelled',
        next_alert_at: null,
        paused_at: null,
        updated_at: now,
      };
      rows.push(row);
      changed.push(row);
      changes.push({
        milestone: row.milestone,
        profile: row.profile_id,
        from: old.due_at.toISOString(),
        to: null,
      });
    } else rows.push(old);
  }
  return { rows, changed, inserted, changes };
}

/** The rows of a new complaint, and what the complaint row keeps about them. */
export function initialRows(
  complaint: ComplaintFactsForDeadlines,
  config: DeadlineConfig,
  pins: readonly PinnedProfile[],
  context: Omit<ComputeContext, 'lastUpdateAt'>,
  now: Date,
): { rows: DeadlineRow[]; nextDueAt: Date | null } {
  const rows = computeRows(config, pins, complaint.received_at, context).map((c) =>
    newRow(complaint, c, config, now),
  );
  return { rows, nextDueAt: nextDueAt(rows) };
}

/** A short, JSON-friendly summary of rows for history events (no personal data). */
export function summariseRows(rows: readonly DeadlineRow[]) {
  return rows.map((r) => ({
    milestone: r.milestone,
    profile: r.profile_id,
    version: r.profile_version,
    clock: r.clock,
    dueAt: r.due_at.toISOString(),
  }));
}

/** The columns of a new row for a plain INSERT (defaults left to the database). */
export function deadlineInsert(r: DeadlineRow) {
  return {
    complaint_id: r.complaint_id,
    milestone: r.milestone,
    profile_id: r.profile_id,
    profile_version: r.profile_version,
    calendar_id: r.calendar_id,
    calendar_version: r.calendar_version,
    clock: r.clock,
    starts_at: r.starts_at,
    due_at: r.due_at,
    next_alert_at: r.next_alert_at,
    paused_ms: r.paused_ms,
    ...(r.status !== 'pending' ? { status: r.status, met_at: r.met_at } : {}),
  };
}
