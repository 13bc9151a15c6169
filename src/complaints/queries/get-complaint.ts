import { complaintColumns } from '../../db/schema.ts';
import type { Db } from '../../db/client.ts';
import { getCatalogue } from '../../catalogue/catalogue.ts';
import type { Actor } from '../../identity/roles.ts';
import { notFound } from '../../shared/errors.ts';
import { canonicalReference } from '../execute-action.ts';
import { canSee } from '../lifecycle.ts';
import { maySeePersonalData, presentComplaint } from '../presenter.ts';
import { getDeadlineConfig } from '../../deadlines/config.ts';
import { presentDeadlines } from '../../deadlines/present.ts';

async function visibleComplaint(db: Db, actor: Actor, reference: string) {
  const ref = canonicalReference(reference);
  const c = await db.selectFrom('complaints').select(complaintColumns).where('reference', '=', ref).executeTakeFirst();
  if (!c || !canSee({ teamId: c.team_id, ownerId: c.owner_id, subjectUserId: c.subject_user_id }, actor)) {
    throw notFound(`Complaint ${ref}`);
  }
  return c;
}

/** Everything about one complaint on one screen (WORK-2, LIFE-8): details, notes, tasks, messages, links, history. */
export async function getComplaint(db: Db, actor: Actor, reference: string) {
  const c = await visibleComplaint(db, actor, reference);
  const personal = maySeePersonalData(actor);
  const [catalogue, complainant, notes, tasks, messages, links, attachments, history, merged, deadlineRows, deadlineConfig] = await Promise.all([
    getCatalogue(db),
    personal && c.complainant_id
      ? db.selectFrom('complainants').selectAll().where('id', '=', c.complainant_id).executeTakeFirst()
      : Promise.resolve(null),
    db.selectFrom('notes').selectAll().where('complaint_id', '=', c.id).orderBy('created_at').execute(),
    db.selectFrom('tasks').selectAll().where('complaint_id', '=', c.id).orderBy('created_at').execute(),
    db.selectFrom('messages').selectAll().where('complaint_id', '=', c.id).orderBy('created_at').execute(),
    db
      .selectFrom('complaint_links as l')
      .innerJoin('complaints as o', (j) =>
        j.on((eb) =>
          eb.or([
            eb.and([eb('l.complaint_id', '=', c.id), eb('o.id', '=', eb.ref('l.other_id'))]),
            eb.and([eb('l.other_id', '=', c.id), eb('o.id', '=', eb.ref('l.complaint_id'))]),
          ]),
        ),
      )
      .select(['l.id', 'l.kind', 'l.complaint_id', 'o.reference', 'o.state', 'l.created_at'])
      .execute(),
    db
      .selectFrom('attachments')
      .select(['id', 'filename', 'mime', 'size', 'sha256', 'source', 'created_at'])
      .where('complaint_id', '=', c.id)
      .orderBy('created_at')
      .execute(),
    db.selectFrom('audit_events').selectAll().where('complaint_id', '=', c.id).orderBy('seq').execute(),
    c.merged_into_id
      ? db.selectFrom('complaints').select('reference').where('id', '=', c.merged_into_id).executeTakeFirst()
      : Promise.resolve(undefined),
    db.selectFrom('complaint_deadlines').selectAll().where('complaint_id', '=', c.id).execute(),
    getDeadlineConfig(db),
  ]);
  const userIds = [c.owner_id, c.drafted_by, c.approved_by, ...tasks.map((t) => t.owner_id)].filter((x): x is string => x !== null);
  const users = new Map<string, string>();
  if (userIds.length > 0) {
    for (const u of await db.selectFrom('users').select(['id', 'name']).where('id', 'in', userIds).execute()) users.set(u.id, u.name);
  }
  const presented = presentComplaint(c, actor, catalogue, { complainant: complainant ?? null, users, mergedIntoReference: merged?.reference ?? null });
  return {
    ...presented,
    // Completing a task is offered only while there is an open one to complete.
    allowedActions: tasks.some((t) => t.status === 'open') ? presented.allowedActions : presented.allowedActions.filter((a) => a !== 'complete_task'),
    notes: notes.map((n) => ({ id: n.id, body: n.body, author: n.author_label, createdAt: n.created_at.toISOString() })),
    tasks: tasks.map((t) => ({
      id: t.id,
      title: t.title,
      owner: t.owner_id ? { id: t.owner_id, name: users.get(t.owner_id) ?? null } : null,
      dueAt: t.due_at?.toISOString() ?? null,
      status: t.status,
      completedAt: t.completed_at?.toISOString() ?? null,
    })),
    messages: messages.map((m) => ({
      id: m.id,
      direction: m.direction,
      channel: m.channel,
      subject: m.subject,
      body: m.body,
      createdAt: m.created_at.toISOString(),
    })),
    links: links.map((l) => ({
      id: l.id,
      kind: l.kind,
      direction: l.complaint_id === c.id ? 'outgoing' : 'incoming',
      reference: l.reference,
      state: l.state,
    })),
    attachments: attachments.map((a) => ({ ...a, createdAt: a.created_at.toISOString(), created_at: undefined })),
    history: history.map(presentEvent),
    deadlineProfiles: c.deadline_profiles,
    deadlines: presentDeadlines(c, deadlineRows, deadlineConfig, new Date(), c.product_id ? catalogue.byId.get(c.product_id)?.key : undefined),
  };
}

export function presentEvent(e: {
  id: string;
  seq: number;
  action: string;
  actor_type: string;
  actor_label: string;
  channel: string;
  at: Date;
  data: Record<string, unknown>;
  hash: string;
}) {
  return {
    id: e.id,
    seq: e.seq,
    action: e.action,
    actor: { type: e.actor_type, label: e.actor_label },
    channel: e.channel,
    at: e.at.toISOString(),
    data: e.data,
    hash: e.hash,
  };
}

export async function getComplaintHistory(db: Db, actor: Actor, reference: string) {
  const c = await visibleComplaint(db, actor, reference);
  const events = await db.selectFrom('audit_events').selectAll().where('complaint_id', '=', c.id).orderBy('seq').execute();
  return { reference: c.reference, events: events.map(presentEvent) };
}

export async function getAttachment(db: Db, actor: Actor, reference: string, attachmentId: string) {
  const c = await visibleComplaint(db, actor, reference);
  const a = await db
    .selectFrom('attachments')
    .selectAll()
    .where('id', '=', attachmentId)
    .where('complaint_id', '=', c.id)
    .executeTakeFirst();
  if (!a) throw notFound('Attachment');
  return a;
}

export { visibleComplaint };
