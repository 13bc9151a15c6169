import type { Db } from '../../db/client.ts';

/**
 * The dates a complainant is promised (PORT-2, CHAN-4): from the deadline engine's open milestones, the strictest
 * profile of each; when none is recorded, the complaint's next due instant.
 */
export interface ExpectedDates {
  acknowledgement: Date | null;
  update: Date | null;
  final: Date | null;
  /** The earliest of them, or `next_due_at`. */
  next: { what: 'acknowledgement' | 'update' | 'final' | 'other'; at: Date } | null;
}

const shown = { acknowledgement: 'acknowledgement', update: 'update', 'final-response': 'final' } as const;

export async function expectedDates(db: Db, complaint: { id: string; next_due_at: Date | null; closed_at: Date | null }): Promise<ExpectedDates> {
  const out: ExpectedDates = { acknowledgement: null, update: null, final: null, next: null };
  if (complaint.closed_at) return out;
  const rows = await db
    .selectFrom('complaint_deadlines')
    .select(['milestone', 'due_at'])
    .where('complaint_id', '=', complaint.id)
    .where('status', 'in', ['pending', 'at_risk', 'breached'])
    .where('milestone', 'in', Object.keys(shown))
    .orderBy('due_at')
    .execute();
  for (const r of rows) {
    const what = shown[r.milestone as keyof typeof shown];
    out[what] ??= r.due_at;
    out.next ??= { what, at: r.due_at };
  }
  if (!out.next && complaint.next_due_at) out.next = { what: 'other', at: complaint.next_due_at };
  return out;
}
