/**
 * What a lifecycle action does to a complaint's deadlines (TIME-4, LIFE-4), run by the action runner inside the
 * action's transaction, under the complaint's row lock:
 * - the action that meets a milestone marks it met (acknowledge → acknowledgement; send_response → final-response,
 *   summary-resolution, holding-response, update; escalation to internal review → internal-escalation; completing
 *   the holding-letter task → holding-response);
 * - a message to the complainant (acknowledge, request_information) restarts the recurring `update` milestone;
 * - entering `awaiting_complainant` pauses the internal clocks, leaving it resumes them (extended by the pause);
 *   regulatory clocks never pause;
 * - assessment may choose profiles (by hand, or by rule from category / product) and a draft's outcome or a new
 *   product may change which rules apply: the deadlines are recomputed and reconciled;
 * - a final state cancels what is still running.
 * It returns the `next_due_at` for the complaint row and a summary for the action's history event.
 */
import type { Updateable } from 'kysely';
import type { Db, Tx } from '../db/client.ts';
import type { ComplaintRow, ComplaintsTable } from '../db/schema.ts';
import { getCatalogue } from '../catalogue/catalogue.ts';
import { ValidationError } from '../shared/errors.ts';
import type { ActionName, State } from '../complaints/lifecycle.ts';
import { getDeadlineConfig, type DeadlineConfig } from './config.ts';
import { chooseProfiles, pinProfiles, ruleProfiles } from './choose-profiles.ts';
import type { Outcome } from './engine.ts';
import { loadDeadlineRows, loadPauses, openPauseStart, upsertDeadlineRows } from './store.ts';
import {
  computeRows,
  nextAlertAt,
  nextDueAt,
  OUTSTANDING,
  reconcile,
  RUNNING,
  taskKind,
  type ComplaintFactsForDeadlines,
  type DeadlineRow,
  type PinnedProfile,
} from './tracking.ts';

const FINAL: readonly string[] = ['closed', 'withdrawn', 'out_of_scope'];

const MET_BY: Partial<Record<ActionName, readonly string[]>> = {
  acknowledge: ['acknowledgement'],
  // a final response also answers every earlier commitment still open
  send_response: ['final-response', 'summary-resolution', 'holding-response', 'update', 'acknowledgement'],
};

/** Milestones an action meets. */
export function milestonesMetBy(name: ActionName, input: Record<string, unknown>): readonly string[] {
  if (name === 'escalate')
    return ['internal_review', 'external'].includes(String(input.level)) ? ['internal-escalation'] : [];
  return MET_BY[name] ?? [];
}

const COMMUNICATES: readonly ActionName[] = ['acknowledge', 'request_information'];

export interface DeadlineHookArgs {
  db: Db;
  tx: Tx;
  complaint: ComplaintRow;
  name: ActionName;
  input: Record<string, unknown>;
  patch: Updateable<ComplaintsTable>;
  now: Date;
}

export interface DeadlineHookResult {
  patch: Updateable<ComplaintsTable>;
  data: Record<string, unknown>;
}

function factsAfter(
  c: ComplaintRow,
  patch: Updateable<ComplaintsTable>,
  outcome: Outcome | undefined,
): ComplaintFactsForDeadlines {
  const date = (v: unknown, fallback: Date | null) =>
    v === undefined ? fallback : v === null ? null : new Date(v as string | Date);
  return {
    id: c.id,
    received_at: c.received_at,
    acknowledged_at: date(patch.acknowledged_at, c.acknowledged_at),
    sent_at: date(patch.sent_at, c.sent_at),
    escalation_level:
      typeof patch.escalation_level === 'number' ? patch.escalation_level : c.escalation_level,
    response: outcome ? { outcome } : null,
  };
}

function outcomeAfter(
  c: ComplaintRow,
  name: ActionName,
  input: Record<string, unknown>,
  patch: Updateable<ComplaintsTable>,
): Outcome | undefined {
  if (name === 'draft_response') return input.outcome as Outcome;
  if ('response' in patch && patch.response === null) return undefined;
  return c.response?.outcome;
}

/** Runs the deadline side of an action; null when the action does not touch deadlines. */
export async function applyDeadlineEffects(args: DeadlineHookArgs): Promise<DeadlineHookResult | null> {
  const { db, tx, complaint, name, input, patch, now } = args;
  const before = complaint.state as State;
  const after = (patch.state as State | undefined) ?? before;
  const entering = after === 'awaiting_complainant' && before !== after;
  const leaving = before === 'awaiting_complainant' && before !== after;
  const closing = FINAL.includes(after) && !FINAL.includes(before);
  const met = new Set(milestonesMetBy(name, input));
  const communicates = COMMUNICATES.includes(name);
  const taskId = name === 'complete_task' ? String(input.taskId) : null;
  const productChanged = patch.product_id !== undefined && patch.product_id !== complaint.product_id;
  const categoryChanged = patch.category_id !== undefined && patch.category_id !== complaint.category_id;
  const requested =
    name === 'assess' && Array.isArray(input.profiles) ? (input.profiles as string[]) : undefined;
  const assessing = name === 'assess' && after !== 'out_of_scope';
  const recontext =
    name === 'draft_response' ||
    (assessing && (productChanged || categoryChanged || requested !== undefined));
  if (!entering && !leaving && !closing && met.size === 0 && !communicates && !taskId && !recontext)
    return null;

  const config = await getDeadlineConfig(db, tx);
  const pinned = (complaint.deadline_profiles ?? []) as PinnedProfile[];
  let pins = pinned;
  let reprofiled = false;
  if (assessing) {
    const catalogue = await getCatalogue(db, false, tx);
    const keyOf = (id: string | null | undefined) => (id ? (catalogue.byId.get(id)?.key ?? null) : null);
    const category = keyOf(patch.category_id !== undefined ? patch.category_id : complaint.category_id);
    const product = keyOf(patch.product_id !== undefined ? patch.product_id : complaint.product_id);
    if (requested !== undefined) {
      const chosen = chooseProfiles(config, {
        requested,
        type: complaint.type,
        receivedAt: complaint.received_at,
      });
      if (chosen.errors.length) throw new ValidationError(chosen.errors);
      pins = chosen.pins;
      reprofiled = true;
    } else if ((productChanged || categoryChanged) && !pinned.some((p) => p.by === 'hand')) {
      const { ids, by } = ruleProfiles(config, { type: complaint.type, category, product });
      const next = pinProfiles(config, ids, complaint.received_at, by);
      const same =
        next.length === pinned.length &&
        next.every((p) => pinned.some((q) => q.id === p.id && q.version === p.version));
      if (!same) {
        pins = next;
        reprofiled = true;
      }
    }
  }

  const existing = (await loadDeadlineRows(tx, [complaint.id])).get(complaint.id) ?? [];
  if (existing.length === 0 && !reprofiled && !entering && !leaving) return null;

  const data: Record<string, unknown> = {};
  const changed = new Map<string, DeadlineRow>();
  const keyOfRow = (r: DeadlineRow) => `${r.milestone}\u0000${r.profile_id}`;
  let rows = existing.map((r) => ({ ...r }));
  const touch = (r: DeadlineRow) => {
    r.updated_at = now;
    changed.set(keyOfRow(r), r);
  };

  if (recontext || reprofiled) {
    const outcome = outcomeAfter(complaint, name, input, patch);
    const productId = patch.product_id !== undefined ? patch.product_id : complaint.product_id;
    const productKind = productId ? (await getCatalogue(db, false, tx)).byId.get(productId)?.key : undefined;
    const pauses = (await loadPauses(tx, [complaint.id])).get(complaint.id) ?? [];
    const lastUpdate = new Map(
      rows.filter((r) => r.milestone === 'update').map((r) => [r.profile_id, r.starts_at]),
    );
    const computed = computeRows(
      config,
      pins,
      complaint.received_at,
      { ...(outcome ? { outcome } : {}), ...(productKind ? { productKind } : {}) },
      pauses,
      lastUpdate,
    );
    const result = reconcile(
      factsAfter(complaint, patch, outcome),
      rows,
      computed,
      config,
      now,
      openPauseStart(pauses),
    );
    rows = result.rows.map((r) => ({ ...r }));
    for (const r of result.changed)
      changed.set(
        keyOfRow(r),
        rows.find((x) => keyOfRow(x) === keyOfRow(r))!,
      );
    if (result.changes.length) data.changes = result.changes;
    if (reprofiled) data.profiles = pins.map((p) => ({ id: p.id, version: p.version, by: p.by ?? null }));
  }

  const metNow: string[] = [];
  for (const r of rows) {
    const byTask = taskId !== null && r.task_id === taskId && taskKind(r) === 'holding';
    if ((met.has(r.milestone) || byTask) && OUTSTANDING.includes(r.status)) {
      if (communicates && r.milestone === 'update') continue;
      r.status = 'met';
      r.met_at = now;
      r.next_alert_at = null;
      r.paused_at = null;
      touch(r);
      metNow.push(r.milestone);
    }
  }
  if (communicates) restartUpdates(config, complaint, rows, now, touch, data);

  if (entering) {
    await tx
      .insertInto('complaint_pauses')
      .values({ complaint_id: complaint.id, started_at: now })
      .onConflict((oc) => oc.doNothing())
      .execute();
    let paused = 0;
    for (const r of rows) {
      if (
        r.clock !== 'internal' ||
        !RUNNING.includes(r.status) ||
        r.paused_at ||
        r.due_at.getTime() <= now.getTime()
      )
        continue;
      r.paused_at = now;
      r.next_alert_at = null;
      touch(r);
      paused++;
    }
    data.paused = paused;
  }
  if (leaving) {
    await tx
      .updateTable('complaint_pauses')
      .set({ ended_at: now })
      .where('complaint_id', '=', complaint.id)
      .where('ended_at', 'is', null)
      .execute();
    let resumed = 0;
    for (const r of rows) {
      if (!r.paused_at) continue;
      const delta = Math.max(0, now.getTime() - r.paused_at.getTime());
      r.paused_at = null;
      if (RUNNING.includes(r.status)) {
        r.due_at = new Date(r.due_at.getTime() + delta);
        r.paused_ms += delta;
        r.next_alert_at = nextAlertAt(r, config);
        resumed++;
      }
      touch(r);
    }
    data.resumed = resumed;
  }
  if (closing) {
    const cancelled: string[] = [];
    for (const r of rows) {
      if (!RUNNING.includes(r.status) && r.next_alert_at === null) continue;
      if (RUNNING.includes(r.status)) {
        r.status = 'cancelled';
        cancelled.push(r.milestone);
      }
      r.next_alert_at = null;
      r.paused_at = null;
      touch(r);
    }
    if (cancelled.length) data.cancelled = cancelled;
  }

  if (metNow.length) data.met = [...new Set(metNow)];
  await upsertDeadlineRows(tx, [...changed.values()]);
  const out: Updateable<ComplaintsTable> = {};
  const due = FINAL.includes(after) ? null : nextDueAt(rows);
  if ((due?.getTime() ?? null) !== (complaint.next_due_at?.getTime() ?? null)) out.next_due_at = due;
  if (reprofiled) out.deadline_profiles = JSON.stringify(pins);
  return { patch: out, data: Object.keys(data).length ? { deadlines: data } : {} };
}

function restartUpdates(
  config: DeadlineConfig,
  complaint: ComplaintRow,
  rows: DeadlineRow[],
  now: Date,
  touch: (r: DeadlineRow) => void,
  data: Record<string, unknown>,
) {
  const restarted: string[] = [];
  for (const r of rows) {
    if (r.milestone !== 'update' || !OUTSTANDING.includes(r.status)) continue;
    const computed = computeRows(
      config,
      [{ id: r.profile_id, version: r.profile_version }],
      complaint.received_at,
      {},
      [],
      new Map([[r.profile_id, now]]),
    ).find((c) => c.milestone === 'update');
    if (!computed) continue;
    r.starts_at = computed.startsAt;
    r.due_at = computed.computed.dueAt;
    r.status = 'pending';
    r.warned_shares = [];
    r.breached_at = null;
    r.paused_ms = 0;
    r.paused_at = null;
    r.next_alert_at = nextAlertAt(r, config);
    touch(r);
    restarted.push(r.profile_id);
  }
  if (restarted.length) data.updateRestarted = restarted;
}
