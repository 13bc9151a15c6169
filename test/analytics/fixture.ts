/** The hand-computed fixture of the analytics tests (see kpis-api.test.ts for the expected figures). */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/client.ts';
import type { Outcome } from '../../src/analytics/formulas.ts';

export const SURVEYS = [
  { answers: { overall: 5, speed: 4 }, at: new Date('2026-03-05T10:00:00Z') },
  { answers: { overall: 2, speed: 3 }, at: new Date('2026-03-21T10:00:00Z') },
];

export async function buildFixture(db: Db): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};

  const at = (s: string) => new Date(s);
  let seq = 0;

  async function insertComplaint(name: string, c: Record<string, unknown>) {
    const cat = await db
      .selectFrom('categories')
      .select('id')
      .where('key', '=', (c.category as string) ?? 'fees.overdraft')
      .executeTakeFirstOrThrow();
    const prod = await db
      .selectFrom('products')
      .select('id')
      .where('key', '=', 'current-account')
      .executeTakeFirstOrThrow();
    const id = randomUUID();
    ids[name] = id;
    const { category: _c, ...rest } = c;
    await db
      .insertInto('complaints')
      .values({
        id,
        reference: `ANTEST${String(++seq).padStart(3, '0')}`,
        type: 'complaint',
        channel: 'phone',
        state: 'received',
        language: 'en',
        description: `fixture ${name}`,
        category_id: cat.id,
        product_id: prod.id,
        ...rest,
      } as never)
      .execute();
    return id;
  }

  const response = (outcome: Outcome, amount?: number) =>
    JSON.stringify({
      outcome,
      reasons: 'r',
      remedies: amount === undefined ? [] : [{ key: 'refund', amount }],
    });

  // A: Mon 2 Mar 09:00 → ack 13:00 (4 h, 4 business h) → closed Wed 4 Mar 09:00; upheld, redress 100.
  await insertComplaint('A', {
    received_at: at('2026-03-02T09:00:00Z'),
    acknowledged_at: at('2026-03-02T13:00:00Z'),
    closed_at: at('2026-03-04T09:00:00Z'),
    sent_at: at('2026-03-03T09:00:00Z'),
    state: 'closed',
    response: response('upheld', 100),
  });
  // B: Fri 6 Mar 16:00 → ack Mon 9 Mar 10:00 (66 h, 2 business h) → closed Fri 20 Mar 12:00; not upheld; e-mail.
  await insertComplaint('B', {
    channel: 'email',
    received_at: at('2026-03-06T16:00:00Z'),
    acknowledged_at: at('2026-03-09T10:00:00Z'),
    closed_at: at('2026-03-20T12:00:00Z'),
    sent_at: at('2026-03-19T12:00:00Z'),
    state: 'closed',
    response: response('not_upheld'),
  });
  // C: received 10 Mar, escalated, open.
  await insertComplaint('C', {
    received_at: at('2026-03-10T10:00:00Z'),
    state: 'escalated',
    escalation_level: 1,
  });
  // D: received 5 Jan, open.
  await insertComplaint('D', { received_at: at('2026-01-05T10:00:00Z'), state: 'acknowledged' });
  // E: received Fri 20 Feb, closed 5 Mar (partly upheld, 50), reopened, closed again Wed 25 Mar.
  await insertComplaint('E', {
    channel: 'web',
    received_at: at('2026-02-20T10:00:00Z'),
    closed_at: at('2026-03-05T10:00:00Z'),
    sent_at: at('2026-03-04T10:00:00Z'),
    state: 'closed',
    response: response('partly_upheld', 50),
  });
  await db
    .updateTable('complaints')
    .set({ state: 'reopened', closed_at: null })
    .where('id', '=', ids.E!)
    .execute();
  await db
    .updateTable('complaints')
    .set({ state: 'closed', closed_at: at('2026-03-25T10:00:00Z') })
    .where('id', '=', ids.E!)
    .execute();
  // F: merged into A: left out everywhere.
  await insertComplaint('F', {
    received_at: at('2026-03-03T10:00:00Z'),
    closed_at: at('2026-03-03T11:00:00Z'),
    state: 'closed',
    merged_into_id: ids.A,
  });
  // G: received on the last evening of March (UTC), open. H: first instant of April.
  await insertComplaint('G', { channel: 'web', received_at: at('2026-03-31T23:30:00Z') });
  await insertComplaint('H', { received_at: at('2026-04-01T00:00:00Z') });
  // Deadlines: A met; B one breached, one met.
  const dl = (complaint: string, milestone: string, status: string) => ({
    complaint_id: ids[complaint]!,
    milestone,
    profile_id: 'iso-default',
    profile_version: 1,
    calendar_id: 'default',
    calendar_version: 1,
    clock: 'internal' as const,
    starts_at: at('2026-03-01T00:00:00Z'),
    due_at: at('2026-03-10T00:00:00Z'),
    status,
  });
  await db
    .insertInto('complaint_deadlines')
    .values([dl('A', 'acknowledgement', 'met'), dl('B', 'acknowledgement', 'met')] as never)
    .execute();
  await db
    .insertInto('complaint_deadlines')
    .values([dl('B', 'final-response', 'pending')] as never)
    .execute();
  await db
    .updateTable('complaint_deadlines')
    .set({ status: 'breached' })
    .where('complaint_id', '=', ids.B!)
    .where('milestone', '=', 'final-response')
    .execute();
  // Surveys: A (5, 4) on 5 Mar, B (2, 3) on 21 Mar.
  const survey = (c: string, answers: Record<string, number>, created: string) => ({
    id: randomUUID(),
    complaint_id: ids[c]!,
    closed_at: at('2026-03-20T12:00:00Z'),
    language: 'en',
    answers: JSON.stringify(answers),
    created_at: at(created),
  });
  await db
    .insertInto('portal_surveys')
    .values([
      survey('A', { overall: 5, speed: 4 }, '2026-03-05T10:00:00Z'),
      survey('B', { overall: 2, speed: 3 }, '2026-03-21T10:00:00Z'),
    ])
    .execute();
  return ids;
}
