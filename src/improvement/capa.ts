import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, DbOrTx, Tx } from '../db/client.ts';
import { recordSystemEvent } from '../audit/record-system-event.ts';
import { getCatalogue } from '../catalogue/catalogue.ts';
import { canonicalReference } from '../complaints/execute-action.ts';
import type { Actor } from '../identity/roles.ts';
import { assertActiveUser } from '../identity/users.ts';
import { AppError, conflict, forbidden, notFound, ValidationError } from '../shared/errors.ts';
import {
  capaOverdue,
  capaStatuses,
  capaTransitionRefusal,
  formatCapaRef,
  parseCapaRef,
  type CapaStatus,
} from './capa-states.ts';
import { assessEffectiveness, type Effectiveness } from './effectiveness.ts';
import { rootCauseLabels } from './root-causes.ts';

export const capaChain = (id: string) => `capa:${id}`;
export const capaReadRoles = ['manager', 'quality', 'auditor', 'admin'] as const;
export const capaWriteRoles = ['manager', 'quality', 'admin'] as const;

export interface CapaInput {
  title?: string | undefined;
  description?: string | undefined;
  kind?: 'corrective' | 'preventive' | undefined;
  rootCause?: string | null | undefined;
  category?: string | null | undefined;
  product?: string | null | undefined;
  ownerId?: string | null | undefined;
  dueOn?: string | null | undefined;
  windowDays?: number | undefined;
  minDrop?: number | undefined;
  status?: CapaStatus | undefined;
}

const fieldError = (field: string, code: string, message: string) =>
  new ValidationError([{ field, code, message }]);

async function resolveRefs(db: Db, tx: Tx, input: CapaInput) {
  const out: {
    root_cause?: string | null;
    category_id?: string | null;
    product_id?: string | null;
    owner_id?: string | null;
  } = {};
  if (input.rootCause !== undefined) {
    if (input.rootCause === null) out.root_cause = null;
    else {
      const rc = await tx
        .selectFrom('root_causes')
        .select(['key', 'active'])
        .where('key', '=', input.rootCause)
        .executeTakeFirst();
      if (!rc || !rc.active)
        throw fieldError('rootCause', 'unknown_root_cause', `No active root cause "${input.rootCause}"`);
      out.root_cause = rc.key;
    }
  }
  const catalogue = input.category || input.product ? await getCatalogue(db, false, tx) : null;
  if (input.category !== undefined) {
    const c = input.category === null ? null : catalogue!.categories.get(input.category);
    if (c === undefined) throw fieldError('category', 'unknown_category', `No category "${input.category}"`);
    out.category_id = c?.id ?? null;
  }
  if (input.product !== undefined) {
    const p = input.product === null ? null : catalogue!.products.get(input.product);
    if (p === undefined) throw fieldError('product', 'unknown_product', `No product "${input.product}"`);
    out.product_id = p?.id ?? null;
  }
  if (input.ownerId !== undefined) {
    if (input.ownerId === null) out.owner_id = null;
    else {
      await assertActiveUser(tx, input.ownerId);
      out.owner_id = input.ownerId;
    }
  }
  return out;
}

async function capaBySeqForUpdate(tx: Tx, ref: string) {
  const seq = parseCapaRef(ref);
  if (seq === null) throw notFound(`Action ${ref}`);
  const row = await tx.selectFrom('capa').selectAll().where('seq', '=', seq).forUpdate().executeTakeFirst();
  if (!row) throw notFound(`Action ${ref}`);
  return row;
}

async function complaintIdsByReference(tx: Tx, references: readonly string[]) {
  if (references.length === 0) return [];
  const refs = references.map((r) => {
    try {
      return canonicalReference(r);
    } catch {
      throw fieldError(
        'complaints',
        'invalid_reference',
        `"${r}" is not a complaint reference (like 7K4M-9QX2)`,
      );
    }
  });
  const rows = await tx
    .selectFrom('complaints')
    .select(['id', 'reference'])
    .where('reference', 'in', refs)
    .execute();
  const missing = refs.filter((r) => !rows.some((x) => x.reference === r));
  if (missing.length)
    throw fieldError('complaints', 'unknown_complaint', `No complaint ${missing.join(', ')}`);
  return rows;
}

/** Text fields are named, never copied, in the history (no free text in audit events). */
function historyData(input: CapaInput, extra: Record<string, unknown> = {}) {
  const data: Record<string, unknown> = { ...extra };
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined) continue;
    data[k] = k === 'title' || k === 'description' ? '(changed)' : v;
  }
  return data;
}

export async function createCapa(
  db: Db,
  actor: Actor,
  input: CapaInput & {
    title: string;
    kind: 'corrective' | 'preventive';
    complaints?: string[] | undefined;
    systemicIssue?: string | undefined;
  },
): Promise<string> {
  return db.transaction().execute(async (tx) => {
    const refs = await resolveRefs(db, tx, input);
    const id = randomUUID();
    const row = await tx
      .insertInto('capa')
      .values({
        id,
        title: input.title,
        description: input.description ?? '',
        kind: input.kind,
        ...refs,
        due_on: input.dueOn ?? null,
        ...(input.windowDays !== undefined ? { window_days: input.windowDays } : {}),
        ...(input.minDrop !== undefined ? { min_drop: input.minDrop } : {}),
        created_by: actor.id,
      })
      .returning('seq')
      .executeTakeFirstOrThrow();
    const complaints = await complaintIdsByReference(tx, input.complaints ?? []);
    if (complaints.length)
      await tx
        .insertInto('capa_complaints')
        .values(complaints.map((c) => ({ capa_id: id, complaint_id: c.id, added_by: actor.id })))
        .execute();
    let issueRef: string | null = null;
    if (input.systemicIssue) {
      const { linkIssueToCapa } = await import('./systemic-issues.ts');
      issueRef = await linkIssueToCapa(tx, actor, input.systemicIssue, id);
    }
    await recordSystemEvent(
      tx,
      actor,
      'capa_created',
      historyData(input, {
        ref: formatCapaRef(row.seq),
        complaints: complaints.map((c) => c.reference),
        systemicIssue: issueRef,
      }),
      capaChain(id),
    );
    return formatCapaRef(row.seq);
  });
}

export async function updateCapa(
  db: Db,
  actor: Actor,
  ref: string,
  input: CapaInput,
  expectedVersion?: number,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const capa = await capaBySeqForUpdate(tx, ref);
    const manager = (capaWriteRoles as readonly string[]).includes(actor.role);
    const onlyStatus = Object.entries(input).every(([k, v]) => v === undefined || k === 'status');
    if (!manager && !(onlyStatus && actor.id !== null && actor.id === capa.owner_id)) {
      throw forbidden('role_not_permitted', `Your role (${actor.role}) cannot change this action`);
    }
    if (expectedVersion !== undefined && expectedVersion !== capa.version) {
      throw conflict('version_conflict', 'The action was changed by someone else; reload it and try again', {
        currentVersion: capa.version,
      });
    }
    const now = new Date();
    const patch: Record<string, unknown> = await resolveRefs(db, tx, input);
    if (input.title !== undefined) patch.title = input.title;
    if (input.description !== undefined) patch.description = input.description;
    if (input.kind !== undefined) patch.kind = input.kind;
    if (input.dueOn !== undefined) patch.due_on = input.dueOn;
    if (input.windowDays !== undefined) patch.window_days = input.windowDays;
    if (input.minDrop !== undefined) patch.min_drop = input.minDrop;
    if (input.status !== undefined && input.status !== capa.status) {
      const refusal = capaTransitionRefusal(capa.status as CapaStatus, input.status, actor, capa.owner_id);
      if (refusal === 'role_not_permitted')
        throw forbidden(refusal, `Your role (${actor.role}) cannot set this action to "${input.status}"`);
      if (refusal)
        throw conflict(refusal, `An action that is "${capa.status}" cannot become "${input.status}"`, {
          status: capa.status,
        });
      patch.status = input.status;
      if (input.status === 'done') patch.done_at = now;
      if (input.status === 'in_progress' || input.status === 'open') patch.done_at = null;
      if (input.status === 'verified_effective' || input.status === 'ineffective') {
        patch.verified_at = now;
        patch.verified_by = actor.id;
      }
    }
    if (Object.keys(patch).length === 0) return;
    await tx
      .updateTable('capa')
      .set({ ...patch, version: capa.version + 1, updated_at: now })
      .where('id', '=', capa.id)
      .execute();
    await recordSystemEvent(
      tx,
      actor,
      input.status && patch.status ? 'capa_status_changed' : 'capa_updated',
      historyData(input, { from: capa.status }),
      capaChain(capa.id),
    );
  });
}

export async function linkComplaint(
  db: Db,
  actor: Actor,
  ref: string,
  reference: string,
  remove: boolean,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const capa = await capaBySeqForUpdate(tx, ref);
    if (!(capaWriteRoles as readonly string[]).includes(actor.role) && actor.id !== capa.owner_id) {
      throw forbidden('role_not_permitted', `Your role (${actor.role}) cannot change this action`);
    }
    const [complaint] = await complaintIdsByReference(tx, [reference]).catch(() => {
      throw notFound(`Complaint ${reference}`);
    });
    if (remove) {
      const res = await tx
        .deleteFrom('capa_complaints')
        .where('capa_id', '=', capa.id)
        .where('complaint_id', '=', complaint!.id)
        .executeTakeFirst();
      if (Number(res.numDeletedRows) === 0) throw notFound(`Link to ${complaint!.reference}`);
    } else {
      const res = await tx
        .insertInto('capa_complaints')
        .values({ capa_id: capa.id, complaint_id: complaint!.id, added_by: actor.id })
        .onConflict((oc) => oc.columns(['capa_id', 'complaint_id']).doNothing())
        .executeTakeFirst();
      if (Number(res.numInsertedOrUpdatedRows ?? 0n) === 0) return;
    }
    await tx
      .updateTable('capa')
      .set({ version: capa.version + 1, updated_at: new Date() })
      .where('id', '=', capa.id)
      .execute();
    await recordSystemEvent(
      tx,
      actor,
      remove ? 'capa_complaint_removed' : 'capa_complaint_added',
      { complaint: complaint!.reference },
      capaChain(capa.id),
    );
  });
}

type CapaRow = Awaited<ReturnType<ReturnType<typeof loadCapas>['execute']>>[number];

function loadCapas(db: DbOrTx) {
  return db
    .selectFrom('capa')
    .selectAll('capa')
    .select((eb) =>
      eb
        .selectFrom('capa_complaints')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('capa_complaints.capa_id', '=', 'capa.id')
        .as('complaint_count'),
    )
    .orderBy('capa.seq', 'desc');
}

async function presenter(db: Db, lang: string) {
  const [catalogue, labels] = await Promise.all([getCatalogue(db), rootCauseLabels(db, lang)]);
  const users = new Map(
    (await db.selectFrom('users').select(['id', 'name']).execute()).map((u) => [u.id, u.name]),
  );
  const entry = (id: string | null) => {
    const e = id ? catalogue.byId.get(id) : undefined;
    return e ? { key: e.key, name: e.name } : null;
  };
  const user = (id: string | null) => (id ? { id, name: users.get(id) ?? '?' } : null);
  return {
    labels,
    entry,
    user,
    capa(c: CapaRow, actor: Actor, now: Date) {
      const status = c.status as CapaStatus;
      return {
        id: c.id,
        ref: formatCapaRef(c.seq),
        title: c.title,
        description: c.description,
        kind: c.kind,
        rootCause: c.root_cause
          ? { key: c.root_cause, label: labels.get(c.root_cause) ?? c.root_cause }
          : null,
        category: entry(c.category_id),
        product: entry(c.product_id),
        owner: user(c.owner_id),
        dueOn: c.due_on,
        status,
        overdue: capaOverdue(status, c.due_on, now),
        doneAt: c.done_at?.toISOString() ?? null,
        verifiedAt: c.verified_at?.toISOString() ?? null,
        verifiedBy: user(c.verified_by),
        windowDays: c.window_days,
        minDrop: Number(c.min_drop),
        version: c.version,
        complaintCount: Number(c.complaint_count ?? 0),
        createdAt: c.created_at.toISOString(),
        updatedAt: c.updated_at.toISOString(),
        allowedStatuses: capaStatuses.filter(
          (to) => capaTransitionRefusal(status, to, actor, c.owner_id) === null,
        ),
      };
    },
  };
}

export async function listCapas(
  db: Db,
  actor: Actor,
  lang: string,
  q: {
    status?: CapaStatus | undefined;
    owner?: string | undefined;
    overdue?: boolean | undefined;
    rootCause?: string | undefined;
  },
) {
  let query = loadCapas(db);
  if (q.status) query = query.where('capa.status', '=', q.status);
  const owner = q.owner === 'me' ? actor.id : q.owner;
  if (owner) query = query.where('capa.owner_id', '=', owner);
  if (q.rootCause) query = query.where('capa.root_cause', '=', q.rootCause);
  if (!(capaReadRoles as readonly string[]).includes(actor.role))
    query = query.where('capa.owner_id', '=', actor.id ?? randomUUID());
  const rows = await query.limit(500).execute();
  const p = await presenter(db, lang);
  const now = new Date();
  const items = rows
    .map((c) => p.capa(c, actor, now))
    .filter((c) => q.overdue === undefined || c.overdue === q.overdue);
  return { items };
}

/** Matching complaints before and after completion: same root cause (or one of its children) and scope. */
export async function capaEffectiveness(
  db: DbOrTx,
  c: {
    root_cause: string | null;
    category_id: string | null;
    product_id: string | null;
    done_at: Date | null;
    window_days: number;
    min_drop: number;
  },
  now: Date,
): Promise<Effectiveness | null> {
  if (!c.done_at) return null;
  const span = c.window_days * 86_400_000;
  const from = new Date(c.done_at.getTime() - span);
  const to = new Date(Math.min(now.getTime(), c.done_at.getTime() + span));
  let q = db
    .selectFrom('complaints')
    .select([
      sql<string>`count(*) filter (where received_at < ${c.done_at})`.as('before'),
      sql<string>`count(*) filter (where received_at >= ${c.done_at})`.as('after'),
    ])
    .where('type', '=', 'complaint')
    .where('received_at', '>=', from)
    .where('received_at', '<', to);
  if (c.root_cause) {
    const rc = c.root_cause;
    q = q.where((eb) =>
      eb.or([
        eb('root_cause', '=', rc),
        eb('root_cause', 'in', eb.selectFrom('root_causes').select('key').where('parent_key', '=', rc)),
      ]),
    );
  }
  if (c.category_id) q = q.where('category_id', '=', c.category_id);
  if (c.product_id) q = q.where('product_id', '=', c.product_id);
  const r = await q.executeTakeFirstOrThrow();
  return assessEffectiveness({
    before: Number(r.before),
    after: Number(r.after),
    doneAt: c.done_at,
    now,
    windowDays: c.window_days,
    minDrop: Number(c.min_drop),
  });
}

export async function getCapa(db: Db, actor: Actor, lang: string, ref: string) {
  const seq = parseCapaRef(ref);
  if (seq === null) throw notFound(`Action ${ref}`);
  const row = await loadCapas(db).where('capa.seq', '=', seq).executeTakeFirst();
  if (!row || (!(capaReadRoles as readonly string[]).includes(actor.role) && row.owner_id !== actor.id))
    throw notFound(`Action ${ref}`);
  const now = new Date();
  const p = await presenter(db, lang);
  const [complaints, events, issues, effectiveness] = await Promise.all([
    db
      .selectFrom('capa_complaints')
      .innerJoin('complaints', 'complaints.id', 'capa_complaints.complaint_id')
      .select([
        'complaints.reference',
        'complaints.state',
        'complaints.category_id',
        'complaints.product_id',
        'complaints.root_cause',
        'complaints.received_at',
        'capa_complaints.added_at',
      ])
      .where('capa_complaints.capa_id', '=', row.id)
      .orderBy('complaints.received_at', 'desc')
      .execute(),
    db
      .selectFrom('audit_events')
      .select(['at', 'action', 'actor_label', 'data', 'seq'])
      .where('chain', '=', capaChain(row.id))
      .orderBy('seq')
      .execute(),
    db
      .selectFrom('systemic_issues')
      .select(['seq', 'label', 'status'])
      .where('capa_id', '=', row.id)
      .execute(),
    capaEffectiveness(db, row, now),
  ]);
  return {
    ...p.capa(row, actor, now),
    complaints: complaints.map((c) => ({
      reference: c.reference,
      state: c.state,
      category: p.entry(c.category_id),
      product: p.entry(c.product_id),
      rootCause: c.root_cause
        ? { key: c.root_cause, label: p.labels.get(c.root_cause) ?? c.root_cause }
        : null,
      receivedAt: c.received_at.toISOString(),
      linkedAt: c.added_at.toISOString(),
    })),
    systemicIssues: issues.map((i) => ({
      ref: `SI-${String(i.seq).padStart(4, '0')}`,
      label: i.label,
      status: i.status,
    })),
    effectiveness,
    history: events.map((e) => ({
      at: e.at.toISOString(),
      action: e.action,
      actor: e.actor_label,
      data: e.data,
    })),
  };
}

export function assertWriter(actor: Actor): void {
  if (!(capaWriteRoles as readonly string[]).includes(actor.role))
    throw new AppError(403, 'role_not_permitted', `Your role (${actor.role}) cannot do this`);
}
