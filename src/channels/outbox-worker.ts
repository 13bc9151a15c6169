import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../db/client.ts';

export interface OutboxMessage {
  id: number;
  topic: string;
  complaint_id: string | null;
  payload: Record<string, unknown>;
  message_id: string;
  attempts: number;
}

/** Delivers one message; throws to have it retried later. */
export type Deliver = (message: OutboxMessage) => Promise<void>;

export const MAX_ATTEMPTS = 8;
const LEASE_SECONDS = 60;

/**
 * Claims a batch of due outbox rows with FOR UPDATE SKIP LOCKED, so any number of workers share the work without
 * taking the same row; a claimed row is leased for a minute (if the worker dies, another takes it after that).
 */
export async function claimBatch(db: Db, limit = 50): Promise<OutboxMessage[]> {
  const result = await sql<OutboxMessage>`
    update outbox set attempts = attempts + 1, available_at = now() + make_interval(secs => ${LEASE_SECONDS})
    where id in (
      select id from outbox where status = 'pending' and available_at <= now()
      order by id limit ${limit} for update skip locked)
    returning id, topic, complaint_id, payload, message_id, attempts`.execute(db);
  return result.rows;
}

export async function processBatch(db: Db, deliver: Deliver, log: Pick<Logger, 'warn'>, limit = 50): Promise<number> {
  const batch = await claimBatch(db, limit);
  for (const message of batch) {
    try {
      await deliver(message);
      await db.updateTable('outbox').set({ status: 'sent', sent_at: new Date(), last_error: null }).where('id', '=', message.id).execute();
    } catch (error) {
      const dead = message.attempts >= MAX_ATTEMPTS;
      const backoff = Math.min(3600, 2 ** message.attempts * 5);
      log.warn({ outboxId: message.id, topic: message.topic, attempts: message.attempts, dead }, 'delivery failed');
      await db
        .updateTable('outbox')
        .set({
          status: dead ? 'dead' : 'pending',
          last_error: (error as Error).message.slice(0, 1000),
          available_at: new Date(Date.now() + backoff * 1000),
        })
        .where('id', '=', message.id)
        .execute();
    }
  }
  return batch.length;
}

/** Until a channel adapter is configured, notifications are logged (topic and ids only: no personal data). */
export function loggingDelivery(log: Pick<Logger, 'info'>): Deliver {
  return async (m) => {
    if (m.topic.startsWith('complainant.')) log.info({ topic: m.topic, messageId: m.message_id, complaintId: m.complaint_id }, 'notification delivered (log transport)');
  };
}

/** Runs the worker loop until the signal aborts. */
export async function runOutboxWorker(db: Db, deliver: Deliver, log: Pick<Logger, 'warn' | 'error'>, pollMs: number, signal: AbortSignal) {
  while (!signal.aborted) {
    let handled = 0;
    try {
      handled = await processBatch(db, deliver, log);
    } catch (error) {
      log.error({ err: (error as Error).message }, 'outbox worker loop failed');
    }
    if (handled === 0) await new Promise((resolve) => setTimeout(resolve, pollMs).unref());
  }
}
