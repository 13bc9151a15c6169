import type { Updateable } from 'kysely';
import type { Db, Tx } from '../db/client.ts';
import { complaintColumns, type ComplaintRow, type ComplaintsTable } from '../db/schema.ts';
import { complaintChain, nextEvent } from '../audit/chain.ts';
import { outboxRow } from '../channels/outbox.ts';
import type { Actor } from '../identity/roles.ts';
import { AppError, conflict, forbidden, notFound } from '../shared/errors.ts';
import { actions, checkAction, type ActionName, type ComplaintFacts, type State } from './lifecycle.ts';
import { parseReference } from './reference.ts';
import type { ActionInputs } from './schemas.ts';
import { applyDeadlineEffects } from '../deadlines/complaint-hook.ts';

export interface ActionContext<A extends ActionName> {
  /** The database itself, for cached catalogue reads; writes go through `tx`. */
  db: Db;
  tx: Tx;
  complaint: ComplaintRow;
  actor: Actor;
  input: ActionInputs[A];
  now: Date;
}

export interface ActionEffect {
  state?: State;
  patch?: Updateable<ComplaintsTable>;
  /** Extra facts for the history event (ids of rows added, reasons …). Never personal data. */
  data?: Record<string, unknown>;
  /** Notifications this change implies, besides the `complaint.<action>` event every action emits. */
  notify?: Array<{ topic: string; payload: Record<string, unknown> }>;
}

export type ActionHandler<A extends ActionName> = (ctx: ActionContext<A>) => Promise<ActionEffect>;

export function factsOf(c: ComplaintRow): ComplaintFacts {
  return {
    type: c.type,
    state: c.state as State,
    teamId: c.team_id,
    ownerId: c.owner_id,
    subjectUserId: c.subject_user_id,
    draftedBy: c.drafted_by,
    approvalRequired: c.approval_required,
    complainantDecision: c.complainant_decision,
    closureReason: c.closure_reason,
    decisionMakers: c.decision_makers,
  };
}

/** Parses a reference as typed by a person; a mistyped one is refused, never matched to another complaint. */
export function canonicalReference(input: string): string {
  const parsed = parseReference(input);
  if (!parsed.ok) {
    throw new AppError(
      404,
      parsed.reason === 'check' ? 'reference_check_failed' : 'reference_malformed',
      parsed.reason === 'check'
        ? 'This reference contains a typing error (its check character does not match)'
        : 'This is not a complaint reference (expected 8 characters, like 7K4M-9QX2)',
    );
  }
  return parsed.reference;
}

const jsonish = (v: unknown): unknown => (v instanceof Date ? v.toISOString() : v);

/**
 * Runs one lifecycle action (LIFE-1): locks the complaint row (so two concurrent actions on one complaint run one
 * after the other and the second sees the first's result), checks role, scope, state and guards, then writes the
 * change, its history event and its outbox rows in the same transaction.
 */
export async function executeAction<A extends ActionName>(
  db: Db,
  actor: Actor,
  reference: string,
  name: A,
  input: ActionInputs[A],
  handler: ActionHandler<A>,
  options: { expectedVersion?: number | undefined; now?: Date } = {},
): Promise<ComplaintRow> {
  const ref = canonicalReference(reference);
  return db.transaction().execute(async (tx) => {
    const complaint = await tx.selectFrom('complaints').select(complaintColumns).where('reference', '=', ref).forUpdate().executeTakeFirst();
    if (!complaint) throw notFound(`Complaint ${ref}`);
    const refusal = checkAction(name, factsOf(complaint), actor);
    if (refusal?.code === 'out_of_scope_for_user') throw notFound(`Complaint ${ref}`);
    if (refusal?.kind === 'forbidden') throw forbidden(refusal.code, `Your role (${actor.role}) cannot ${actions[name].label.toLowerCase()}`);
    if (refusal) {
      throw conflict(
        refusal.code,
        refusal.code === 'invalid_transition'
          ? `Cannot ${actions[name].label.toLowerCase()} a complaint in state "${complaint.state}"`
          : `Cannot ${actions[name].label.toLowerCase()}: ${refusal.code.replaceAll('_', ' ')}`,
        { state: complaint.state, action: name },
      );
    }
    if (options.expectedVersion !== undefined && options.expectedVersion !== complaint.version) {
      throw conflict('version_conflict', 'The complaint was changed by someone else; reload it and try again', {
        currentVersion: complaint.version,
      });
    }
    const now = options.now ?? new Date();
    return applyAction({ db, tx, complaint, actor, name, input, handler, now });
  });
}

/**
 * The change itself, on a complaint already locked (SELECT … FOR UPDATE) and checked in `tx`: the handler, the
 * deadline side of the action (src/deadlines/complaint-hook.ts), the UPDATE, the history event and the outbox rows.
 * The deadline monitor calls it too (automatic escalation).
 */
export async function applyAction<A extends ActionName>(a: {
  db: Db;
  tx: Tx;
  complaint: ComplaintRow;
  actor: Actor;
  name: A;
  input: ActionInputs[A];
  handler: ActionHandler<A>;
  now: Date;
}): Promise<ComplaintRow> {
  const { db, tx, complaint, actor, name, input, handler, now } = a;
  const effect = await handler({ db, tx, complaint, actor, input, now });
  const patch: Updateable<ComplaintsTable> = { ...effect.patch };
  if (effect.state && effect.state !== complaint.state) patch.state = effect.state;
  const deadlines = await applyDeadlineEffects({ db, tx, complaint, name, input, patch, now });
  if (deadlines) Object.assign(patch, deadlines.patch);

  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'search_text' || key === 'response' || key === 'deadline_profiles') continue;
    before[key] = jsonish(complaint[key as keyof ComplaintRow]);
    after[key] = jsonish(value);
  }
  const event = nextEvent({
    chain: complaintChain(complaint.id),
    head: { seq: complaint.audit_seq, hash: complaint.audit_head },
    complaintId: complaint.id,
    action: name,
    actor,
    at: now,
    data: { before, after, ...effect.data, ...deadlines?.data },
  });
  const updated = await tx
    .updateTable('complaints')
    .set({ ...patch, version: complaint.version + 1, audit_seq: event.seq, audit_head: event.hash, updated_at: now })
    .where('id', '=', complaint.id)
    .returning(complaintColumns)
    .executeTakeFirstOrThrow();
  await tx.insertInto('audit_events').values({ ...event, data: JSON.stringify(event.data) }).execute();
  const base = { reference: complaint.reference, action: name, state: updated.state, eventId: event.id };
  await tx
    .insertInto('outbox')
    .values([
      outboxRow(`complaint.${name}`, complaint.id, base),
      ...(effect.notify ?? []).map((n) => outboxRow(n.topic, complaint.id, { ...base, ...n.payload })),
    ])
    .execute();
  return updated;
}
