/**
 * The deadline monitor (SPEC TIME-5, OBJ-2), run by every worker process: warnings at the configured shares of a
 * milestone's time, breach (or lapse) events, tasks to send a holding or delay letter, automatic escalation by rule.
 * Each is a history event on the complaint's hash chain (actor: the system) plus an outbox notification.
 *
 * Exactly once with any number of workers: due rows are found through `complaint_deadlines.next_alert_at` (indexed),
 * then their complaints are locked with FOR UPDATE SKIP LOCKED — the same row lock every action and the recompute
 * job take first — and the rows are read again under that lock before anything is decided. What a worker does is
 * committed together with the rows' new state (warned shares, status, next alert), so a second worker that gets the
 * lock afterwards finds nothing left to do.
 */
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client.ts';
import type { ComplaintRow } from '../db/schema.ts';
import { complaintChain, nextEvent, type AuditEvent } from '../audit/chain.ts';
import { outboxRow } from '../channels/outbox.ts';
import type { Actor } from '../identity/roles.ts';
import { applyAction, factsOf } from '../complaints/execute-action.ts';
import { handlers } from '../complaints/handlers.ts';
import { checkAction, escalationLevels } from '../complaints/lifecycle.ts';
import { getDeadlineConfig, type DeadlineConfig } from './config.ts';
import { toPercent, type AutoEscalationLevel } from './settings.ts';
import { insertAuditEvents, loadDeadlineRows, upsertDeadlineRows } from './store.ts';
import {
  alertPoints,
  escalationsFor,
  instantAtPercent,
  LAPSING,
  nextAlertAt,
  nextDueAt,
  RUNNING,
  taskKind,
  type DeadlineRow,
} from './tracking.ts';

/** The system actor of the monitor. It acts with a complaints manager's permissions (for automatic escalation). */
export const monitorActor: Actor = {
  type: 'system',
  id: null,
  label: 'deadline monitor',
  role: 'manager',
  teamIds: [],
  channel: 'worker',
};

export interface MonitorResult {
  complaints: number;
  warnings: number;
  breaches: number;
  lapses: number;
  tasks: number;
  escalations: number;
}

const FINAL: readonly string[] = ['closed', 'withdrawn', 'out_of_scope'];

interface Planned {
  events: Array<{ action: string; data: Record<string, unknown>; topic: string }>;
  changed: DeadlineRow[];
  tasks: Array<{ id: string; title: string; dueAt: Date }>;
  escalation: { level: AutoEscalationLevel; reason: string } | null;
  /** Rows due now whose breach is replaced by the escalation that meets them (breached after all if it fails). */
  metByEscalation: DeadlineRow[];
}

const describe = (r: DeadlineRow) => ({
  milestone: r.milestone,
  profile: r.profile_id,
  version: r.profile_version,
  clock: r.clock,
  dueAt: r.due_at.toISOString(),
});

/** The strictest open clock of its milestone (others of the same name only warn once it is gone). */
function governs(row: DeadlineRow, rows: readonly DeadlineRow[]): boolean {
  return !rows.some(
    (o) =>
      o !== row &&
      o.milestone === row.milestone &&
      RUNNING.includes(o.status) &&
      !o.paused_at &&
      (o.due_at.getTime() < row.due_at.getTime() ||
        (o.due_at.getTime() === row.due_at.getTime() && o.profile_id < row.profile_id)),
  );
}

/** Decides what is due for one complaint (pure; rows are copies that get the new state). */
export function planAlerts(
  complaint: ComplaintRow,
  rows: DeadlineRow[],
  config: DeadlineConfig,
  now: Date,
): Planned {
  const out: Planned = { events: [], changed: [], tasks: [], escalation: null, metByEscalation: [] };
  const t = now.getTime();
  const warningPoints = new Set(config.settings.warningShares.map(toPercent));
  const atRiskPoint = Math.max(...warningPoints, 0);
  const taskPoint = toPercent(config.settings.taskShare);
  const canEscalate = (level: AutoEscalationLevel) =>
    escalationLevels.indexOf(level) > complaint.escalation_level &&
    checkAction('escalate', factsOf(complaint), monitorActor) === null;

  for (const row of rows) {
    if (!row.next_alert_at || row.next_alert_at.getTime() > t) continue;
    if (!RUNNING.includes(row.status) || row.paused_at) {
      row.next_alert_at = null; // nothing to watch (kept consistent by the writers; repaired here if not)
      out.changed.push(row);
      continue;
    }
    const points = alertPoints(row, config);
    const reached = points.filter(
      (p) => !row.warned_shares.includes(p) && instantAtPercent(row, p).getTime() <= t,
    );
    const breach = row.due_at.getTime() <= t;
    const governing = governs(row, rows);

    let escalatesAndMeets = false;
    for (const e of escalationsFor(config, row)) {
      const point = toPercent(e.atShare);
      const due = point >= 100 ? breach : reached.includes(point);
      if (!due || !canEscalate(e.level)) continue;
      if (
        !out.escalation ||
        escalationLevels.indexOf(e.level) > escalationLevels.indexOf(out.escalation.level)
      ) {
        out.escalation = {
          level: e.level,
          reason: `Automatic escalation: ${Math.round(e.atShare * 100)} % of the ${row.milestone} time of ${row.profile_id} v${row.profile_version} has elapsed (due ${row.due_at.toISOString()})`,
        };
      }
      if (row.milestone === 'internal-escalation' && ['internal_review', 'external'].includes(e.level))
        escalatesAndMeets = true;
    }

    const kind = taskKind(row);
    if (kind && !row.task_id && governing && (breach || reached.includes(taskPoint))) {
      const id = randomUUID();
      const title =
        kind === 'holding'
          ? `Send a holding response (${row.profile_id}: due ${row.due_at.toISOString()})`
          : `Send the final response, or a letter explaining the delay (${row.profile_id}: due ${row.due_at.toISOString()})`;
      out.tasks.push({ id, title, dueAt: row.due_at });
      row.task_id = id;
      out.events.push({
        action: 'deadline_task_created',
        topic: 'deadline.task_created',
        data: { ...describe(row), taskId: id, kind },
      });
    }

    const warned = reached.filter((p) => warningPoints.has(p));
    if (!breach && warned.length && governing) {
      const top = Math.max(...warned);
      out.events.push({
        action: 'deadline_warning',
        topic: 'deadline.warning',
        data: { ...describe(row), share: top / 100, shares: warned.map((p) => p / 100) },
      });
    }
    if (!breach && warned.length && Math.max(...warned) >= atRiskPoint) row.status = 'at_risk';
    row.warned_shares = [...new Set([...row.warned_shares, ...(breach ? points : reached)])].sort(
      (a, b) => a - b,
    );

    if (breach && !escalatesAndMeets) {
      if (LAPSING.has(row.milestone)) {
        row.status = 'lapsed';
        out.events.push({ action: 'deadline_lapsed', topic: 'deadline.lapsed', data: describe(row) });
      } else {
        row.status = 'breached';
        row.breached_at = now;
        out.events.push({ action: 'deadline_breached', topic: 'deadline.breached', data: describe(row) });
      }
    }
    row.next_alert_at = breach ? null : nextAlertAt(row, config);
    if (breach && escalatesAndMeets) out.metByEscalation.push(row);
    row.updated_at = now;
    out.changed.push(row);
  }
  return out;
}

async function candidates(db: Db, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('complaint_deadlines')
    .select('complaint_id')
    .where('next_alert_at', '<=', now)
    .orderBy('next_alert_at')
    .limit(limit)
    .execute();
  return [...new Set(rows.map((r) => r.complaint_id))];
}

/**
 * One pass of the monitor over (at most `batch`) complaints with something due. Returns what it did; call it again
 * while `complaints > 0`.
 */
export async function processDeadlineAlerts(
  db: Db,
  options: { now?: Date; batch?: number } = {},
): Promise<MonitorResult> {
  const now = options.now ?? new Date();
  const result: MonitorResult = {
    complaints: 0,
    warnings: 0,
    breaches: 0,
    lapses: 0,
    tasks: 0,
    escalations: 0,
  };
  const ids = await candidates(db, now, (options.batch ?? 50) * 3);
  if (ids.length === 0) return result;
  await db.transaction().execute(async (tx) => {
    // SKIP LOCKED with LIMIT: complaints another worker holds are passed over and the batch is filled with others.
    const locked = await sql<ComplaintRow>`
      select * from complaints where id = any(${ids}::uuid[])
      order by id limit ${options.batch ?? 50} for update skip locked`.execute(tx);
    if (locked.rows.length === 0) return;
    const config = await getDeadlineConfig(db, tx);
    const rowsByComplaint = await loadDeadlineRows(
      tx,
      locked.rows.map((c) => c.id),
    );
    const changed: DeadlineRow[] = [];
    const events: AuditEvent[] = [];
    const heads: Array<{ id: string; seq: number; head: string; due: Date | null }> = [];
    const outbox: Array<ReturnType<typeof outboxRow>> = [];
    const tasks: Array<{
      id: string;
      complaint_id: string;
      title: string;
      owner_id: string | null;
      due_at: Date;
      created_by: null;
    }> = [];
    const escalations: Array<{
      complaint: ComplaintRow;
      level: AutoEscalationLevel;
      reason: string;
      rows: DeadlineRow[];
    }> = [];

    for (const complaint of locked.rows) {
      const rows = (rowsByComplaint.get(complaint.id) ?? []).map((r) => ({ ...r }));
      if (FINAL.includes(complaint.state)) {
        // Nothing runs on a closed complaint (rows left behind by an older version): stop watching them.
        for (const r of rows)
          if (r.next_alert_at)
            changed.push({
              ...r,
              next_alert_at: null,
              status: RUNNING.includes(r.status) ? 'cancelled' : r.status,
              updated_at: now,
            });
        result.complaints++;
        continue;
      }
      const plan = planAlerts(complaint, rows, config, now);
      if (plan.changed.length === 0) continue;
      result.complaints++;
      changed.push(...plan.changed);
      let head = { seq: complaint.audit_seq, hash: complaint.audit_head };
      for (const e of plan.events) {
        const event = nextEvent({
          chain: complaintChain(complaint.id),
          head,
          complaintId: complaint.id,
          action: e.action,
          actor: monitorActor,
          at: now,
          data: e.data,
        });
        events.push(event);
        head = { seq: event.seq, hash: event.hash };
        outbox.push(
          outboxRow(e.topic, complaint.id, { reference: complaint.reference, ...e.data, eventId: event.id }),
        );
        if (e.action === 'deadline_warning') result.warnings++;
        else if (e.action === 'deadline_breached') result.breaches++;
        else if (e.action === 'deadline_lapsed') result.lapses++;
      }
      for (const task of plan.tasks) {
        tasks.push({
          id: task.id,
          complaint_id: complaint.id,
          title: task.title,
          owner_id: complaint.owner_id,
          due_at: task.dueAt,
          created_by: null,
        });
        result.tasks++;
      }
      const due = nextDueAt(rows);
      heads.push({ id: complaint.id, seq: head.seq, head: head.hash, due });
      if (plan.escalation) {
        escalations.push({
          complaint: { ...complaint, audit_seq: head.seq, audit_head: head.hash, next_due_at: due },
          ...plan.escalation,
          rows: plan.metByEscalation,
        });
      }
    }

    if (tasks.length) await tx.insertInto('tasks').values(tasks).execute();
    await upsertDeadlineRows(tx, changed);
    await insertAuditEvents(tx, events);
    if (outbox.length) await tx.insertInto('outbox').values(outbox).execute();
    if (heads.length) {
      await sql`
        update complaints c set audit_seq = u.seq, audit_head = u.head, next_due_at = u.due, updated_at = ${now}
        from unnest(${heads.map((h) => h.id)}::uuid[], ${heads.map((h) => h.seq)}::int[], ${heads.map((h) => h.head)}::text[],
                    ${heads.map((h) => h.due?.toISOString() ?? null)}::timestamptz[]) as u(id, seq, head, due)
        where c.id = u.id and c.id = any(${heads.map((h) => h.id)}::uuid[])`.execute(tx);
    }
    for (const [i, e] of escalations.entries()) {
      // In a savepoint: should the escalation fail, the rest of the batch stands and the milestone is breached.
      await sql.raw(`savepoint auto_escalation_${i}`).execute(tx);
      try {
        await applyAction({
          db,
          tx,
          complaint: e.complaint,
          actor: monitorActor,
          name: 'escalate',
          input: { level: e.level, reason: e.reason },
          handler: handlers.escalate,
          now,
        });
        await sql.raw(`release savepoint auto_escalation_${i}`).execute(tx);
        result.escalations++;
      } catch (error) {
        await sql.raw(`rollback to savepoint auto_escalation_${i}`).execute(tx);
        if (e.rows.length === 0) continue;
        let head = { seq: e.complaint.audit_seq, hash: e.complaint.audit_head };
        const failed: AuditEvent[] = [];
        for (const row of e.rows) {
          row.status = 'breached';
          row.breached_at = now;
          row.next_alert_at = null;
          const data = { ...describe(row), escalationFailed: (error as Error).message.slice(0, 200) };
          const event = nextEvent({
            chain: complaintChain(e.complaint.id),
            head,
            complaintId: e.complaint.id,
            action: 'deadline_breached',
            actor: monitorActor,
            at: now,
            data,
          });
          head = { seq: event.seq, hash: event.hash };
          failed.push(event);
          await tx
            .insertInto('outbox')
            .values(
              outboxRow('deadline.breached', e.complaint.id, {
                reference: e.complaint.reference,
                ...data,
                eventId: event.id,
              }),
            )
            .execute();
          result.breaches++;
        }
        await upsertDeadlineRows(tx, e.rows);
        await insertAuditEvents(tx, failed);
        await tx
          .updateTable('complaints')
          .set({ audit_seq: head.seq, audit_head: head.hash })
          .where('id', '=', e.complaint.id)
          .execute();
      }
    }
  });
  return result;
}

/** Runs the monitor until nothing is due (tests, the bench, and a worker catching up). */
export async function drainDeadlineAlerts(
  db: Db,
  options: { now?: Date; batch?: number } = {},
): Promise<MonitorResult> {
  const total: MonitorResult = {
    complaints: 0,
    warnings: 0,
    breaches: 0,
    lapses: 0,
    tasks: 0,
    escalations: 0,
  };
  for (let idle = 0; idle < 500;) {
    const r = await processDeadlineAlerts(db, options);
    for (const k of Object.keys(total) as Array<keyof MonitorResult>) total[k] += r[k];
    if (r.complaints === 0) {
      // Rows of locked complaints were skipped: try again, unless nothing at all is due any more.
      const left = await candidates(db, options.now ?? new Date(), 1);
      if (left.length === 0) return total;
      idle++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    } else idle = 0;
  }
  return total;
}
