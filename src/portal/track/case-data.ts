import type { Db } from '../../db/client.ts';
import { getCatalogue } from '../../catalogue/catalogue.ts';
import { factsOf } from '../../complaints/execute-action.ts';
import { allowedActions, type ActionName } from '../../complaints/lifecycle.ts';
import type { ComplaintRow } from '../../db/schema.ts';
import { complainantActor } from '../../identity/roles.ts';
import { expectedDates, type ExpectedDates } from './expected-dates.ts';

export interface CaseData {
  complaint: ComplaintRow;
  messages: Array<{ id: string; direction: 'inbound' | 'outbound'; body: string; createdAt: Date }>;
  attachments: Array<{ filename: string; size: number; createdAt: Date }>;
  ownerRole: string | null;
  remedies: Array<{ name: string; amount: number | null }>;
  surveyDue: boolean;
  allowed: ReadonlySet<ActionName>;
  dates: ExpectedDates;
}

/** What the complainant may see of their case: its stage, dates, the messages with them, their own files. */
export async function loadCase(db: Db, complaintId: string): Promise<CaseData | null> {
  const complaint = await db.selectFrom('complaints').selectAll().where('id', '=', complaintId).executeTakeFirst();
  if (!complaint) return null;
  const [messages, attachments, owner, survey, catalogue, dates] = await Promise.all([
    db.selectFrom('messages').select(['id', 'direction', 'body', 'created_at']).where('complaint_id', '=', complaintId).orderBy('created_at').orderBy('id').execute(),
    db
      .selectFrom('attachments')
      .select(['filename', 'size', 'created_at'])
      .where('complaint_id', '=', complaintId)
      .where('source', '=', 'complainant')
      .orderBy('created_at')
      .execute(),
    complaint.owner_id ? db.selectFrom('users').select('role').where('id', '=', complaint.owner_id).executeTakeFirst() : Promise.resolve(undefined),
    complaint.closed_at
      ? db.selectFrom('portal_surveys').select('id').where('complaint_id', '=', complaintId).where('closed_at', '=', complaint.closed_at).executeTakeFirst()
      : Promise.resolve(undefined),
    getCatalogue(db),
    expectedDates(db, complaint),
  ]);
  const remedies = (complaint.response?.remedies ?? []).map((r) => ({ name: catalogue.remedies.get(r.key)?.name ?? r.key, amount: r.amount ?? null }));
  return {
    complaint,
    messages: messages.map((m) => ({ id: m.id, direction: m.direction, body: m.body, createdAt: m.created_at })),
    attachments: attachments.map((a) => ({ filename: a.filename, size: a.size, createdAt: a.created_at })),
    ownerRole: owner?.role ?? null,
    remedies,
    surveyDue: complaint.state === 'closed' && complaint.closed_at !== null && !survey,
    allowed: new Set(allowedActions(factsOf(complaint), complainantActor('portal'))),
    dates,
  };
}
