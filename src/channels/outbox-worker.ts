import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Db } from '../db/client.ts';
import { redactPersonalData } from './redact.ts';

/**
 * The outbox worker (CHAN-3). Any number of worker processes share the outbox:
 *
 *  - **claim**: a batch of due rows is taken with `FOR UPDATE SKIP LOCKED` and leased (`available_at` moved past
 *    the lease, `claimed_by` set); the lease is renewed while the worker is busy with the batch, so a live worker
 *    never loses its rows, and a dead one's rows come back when the lease runs out;
 *  - **attempts log**: every delivery attempt is a `delivery_attempts` row (outcome, timing, redacted answer);
 *  - **exactly one message per notification**: the Message-ID is the outbox row's (fixed when the row is written), and
 *    the attempt row is written *just before the irreversible step* — for SMTP, before the final `.` of DATA, on a
 *    connection of its own, in the same tick as the dot is written. A worker that dies before that mark never
 *    completed the SMTP transaction (the server discards an unterminated DATA), so the message is sent again; a worker
 *    that dies after it may or may not have delivered it, and the next worker records the attempt as `in_doubt` and
 *    does NOT send it again (an administrator sees it and can resend it). See src/channels/README.md for the reasoning.
 *  - retries with exponential backoff; a permanent refusal (SMTP 5xx) or the 8th failure makes a dead letter,
 *    listed for administrators and retryable through the API.
 */

export interface OutboxMessage {
  id: number;
  topic: string;
  complaint_id: string | null;
  payload: Record<string, unknown>;
  message_id: string;
  attempts: number;
}

export interface DeliveryOutcome {
  /** `processed`: nothing to deliver (an internal event); no attempt is logged. */
  outcome: 'sent' | 'skipped' | 'processed';
  channel: string;
  response?: string | null;
  providerMessageId?: string | null;
}

export interface DeliveryContext {
  attemptId: string;
  /**
   * Records, durably, that the message is being handed over (call it right before the step that cannot be taken
   * back). With `handOverImmediate`, the record was already written to the database connection when this returns,
   * so the caller may take the step in the same tick; otherwise it must await the promise first.
   */
  handOver(channel: string): Promise<void>;
  readonly handOverImmediate: boolean;
}

export interface Deliverer {
  /** Optional: load what a claimed batch needs in a few queries, before its messages are delivered one by one. */
  prepare?(batch: OutboxMessage[]): Promise<void>;
  deliver(message: OutboxMessage, ctx: DeliveryContext): Promise<DeliveryOutcome>;
  close(): Promise<void>;
}

/**
 * The receiving side answered and did not take the message (an HTTP provider's 4xx/5xx). `permanent`: retrying
 * cannot change it (a bad number), so the message becomes a dead letter at once. SMTP errors carry `responseCode`
 * instead (5xx permanent, 4xx temporary).
 */
export class DeliveryRefused extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryRefused';
  }
}

export const MAX_ATTEMPTS = 8;

export function newWorkerId(): string {
  return `${hostname().replace(/[^A-Za-z0-9.-]/g, '').slice(0, 40) || 'host'}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

const backoffSeconds = (attempts: number) => Math.min(3600, 2 ** attempts * 5) * (0.8 + Math.random() * 0.4);

export async function claimBatch(db: Db, worker: string, limit: number, leaseSeconds: number): Promise<OutboxMessage[]> {
  const result = await sql<OutboxMessage>`
    update outbox set attempts = attempts + 1, available_at = now() + make_interval(secs => ${leaseSeconds}), claimed_by = ${worker}
    where id in (
      select id from outbox where status = 'pending' and available_at <= now()
      order by id limit ${limit} for update skip locked)
    returning id, topic, complaint_id, payload, message_id, attempts`.execute(db);
  return result.rows.sort((a, b) => a.id - b.id);
}

/**
 * Rows claimed again after a worker died: an attempt that reached the hand-over (or was even confirmed) but whose
 * row was not marked is settled without sending anything. Returns the rows that still need delivering.
 */
export async function settleInterrupted(db: Db, batch: OutboxMessage[]): Promise<OutboxMessage[]> {
  const retried = batch.filter((m) => m.attempts > 1).map((m) => m.id);
  if (retried.length === 0) return batch;
  const interrupted = await db
    .selectFrom('delivery_attempts as a')
    .innerJoin('outbox as o', 'o.id', 'a.outbox_id')
    .select(['a.id', 'a.outbox_id', 'a.outcome', 'a.channel'])
    .where('a.outbox_id', 'in', retried)
    .where((eb) => eb.or([eb('a.outcome', 'is', null), eb('a.outcome', 'in', ['sent', 'in_doubt'])]))
    // An administrator's resend starts afresh: earlier attempts do not count.
    .where((eb) => eb.or([eb('o.requeued_at', 'is', null), eb('a.started_at', '>=', eb.ref('o.requeued_at'))]))
    .execute();
  if (interrupted.length === 0) return batch;
  const settled = new Set<number>();
  for (const a of interrupted) {
    if (settled.has(a.outbox_id)) continue;
    settled.add(a.outbox_id);
    const confirmed = a.outcome === 'sent';
    await db
      .with('a', (q) =>
        q
          .updateTable('delivery_attempts')
          .set({ outcome: confirmed ? 'sent' : 'in_doubt', finished_at: new Date(), error: confirmed ? null : 'worker stopped after handing the message over; not sent again' })
          .where('id', '=', a.id),
      )
      .updateTable('outbox')
      .set({
        status: 'sent',
        sent_at: new Date(),
        claimed_by: null,
        channel: a.channel,
        last_error: confirmed ? null : 'in doubt: the worker stopped after handing the message over (not sent again)',
      })
      .where('id', '=', a.outbox_id)
      .execute();
  }
  return batch.filter((m) => !settled.has(m.id));
}

/** Writes hand-over marks. On PostgreSQL a dedicated connection writes them synchronously (see the file comment). */
export interface MarkWriter {
  immediate: boolean;
  mark(row: { id: string; outboxId: number; attempt: number; worker: string; channel: string }): Promise<void>;
  /** Settles when the previous mark is answered (so that the next one is written at once). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

async function pgMarkWriter(url: string): Promise<MarkWriter> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  let last: Promise<unknown> = Promise.resolve();
  return {
    immediate: true,
    mark: async (r) => {
      // A simple-protocol query: pg writes it to the socket inside this call when the connection is idle (the worker
      // awaits idle() before each delivery).
      const p = client.query(
        `insert into delivery_attempts (id, outbox_id, attempt, worker, channel) values (${literal(r.id)}, ${Number(r.outboxId)}, ${Number(r.attempt)}, ${literal(r.worker)}, ${literal(r.channel)})`,
      );
      last = p.catch(() => {});
      await p;
    },
    idle: () => last.then(() => {}),
    close: () => client.end().catch(() => {}),
  };
}

function kyselyMarkWriter(db: Db): MarkWriter {
  return {
    immediate: false,
    mark: async (r) => {
      await db.insertInto('delivery_attempts').values({ id: r.id, outbox_id: r.outboxId, attempt: r.attempt, worker: r.worker, channel: r.channel }).execute();
    },
    idle: async () => {},
    close: async () => {},
  };
}

export interface WorkerOptions {
  db: Db;
  /** PostgreSQL URL, for the hand-over connections; absent on the embedded database. */
  databaseUrl?: string | undefined;
  createDeliverer: () => Deliverer | Promise<Deliverer>;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  pollMs?: number;
  concurrency?: number;
  batchSize?: number;
  leaseSeconds?: number;
  worker?: string;
  signal: AbortSignal;
}

export interface Slot {
  deliverer: Deliverer;
  marks: MarkWriter;
}

/** A deliverer with its hand-over connection (PostgreSQL when a URL is given, else through Kysely). */
export async function createSlot(db: Db, deliverer: Deliverer, databaseUrl?: string): Promise<Slot> {
  return { deliverer, marks: databaseUrl ? await pgMarkWriter(databaseUrl) : kyselyMarkWriter(db) };
}

export async function closeSlot(slot: Slot): Promise<void> {
  await slot.deliverer.close().catch(() => {});
  await slot.marks.close().catch(() => {});
}

async function deliverOne(db: Db, slot: Slot, worker: string, m: OutboxMessage, log: WorkerOptions['log']): Promise<void> {
  const attemptId = randomUUID();
  const started = Date.now();
  let handedOver: string | null = null;
  let markError: unknown = null;
  const ctx: DeliveryContext = {
    attemptId,
    handOverImmediate: slot.marks.immediate,
    handOver: (channel) => {
      handedOver = channel;
      const p = slot.marks.mark({ id: attemptId, outboxId: m.id, attempt: m.attempts, worker, channel });
      p.catch((e: unknown) => {
        markError = e;
      });
      return p;
    },
  };
  await slot.marks.idle();
  const attemptRow = (channel: string) => ({ id: attemptId, outbox_id: m.id, attempt: m.attempts, worker, channel, started_at: new Date(started) });
  try {
    const result = await slot.deliverer.deliver(m, ctx);
    if (markError) log.warn({ outboxId: m.id }, 'hand-over mark failed; recorded after delivery');
    const finished = new Date();
    const update = db
      .updateTable('outbox')
      .set({ status: 'sent', sent_at: finished, last_error: null, claimed_by: null, channel: result.channel })
      .where('id', '=', m.id);
    if (result.outcome === 'processed') {
      await update.execute();
      return;
    }
    const fields = {
      outcome: result.outcome,
      channel: result.channel,
      finished_at: finished,
      duration_ms: finished.getTime() - started,
      response: result.response ? redactPersonalData(result.response).slice(0, 500) : null,
      provider_message_id: result.providerMessageId ?? null,
    } as const;
    await db
      .with('a', (q) =>
        q
          .insertInto('delivery_attempts')
          .values({ ...attemptRow(result.channel), ...fields })
          .onConflict((oc) => oc.column('id').doUpdateSet(fields)),
      )
      .updateTable('outbox')
      .set({ status: 'sent', sent_at: finished, last_error: null, claimed_by: null, channel: result.channel })
      .where('id', '=', m.id)
      .execute();
  } catch (error) {
    const e = error as Error & { responseCode?: number; response?: string };
    const finished = new Date();
    const message = redactPersonalData(e.message ?? String(error)).slice(0, 1000);
    const answered = error instanceof DeliveryRefused || typeof e.responseCode === 'number';
    // Handed over and no answer from the server (connection lost after the dot): it may have been delivered.
    const inDoubt = handedOver !== null && !answered;
    const permanent = error instanceof DeliveryRefused ? error.permanent : typeof e.responseCode === 'number' && e.responseCode >= 500;
    const dead = !inDoubt && (permanent || m.attempts >= MAX_ATTEMPTS);
    log.warn({ outboxId: m.id, topic: m.topic, attempts: m.attempts, dead, inDoubt, code: e.responseCode ?? null }, 'delivery failed');
    const fields = {
      outcome: inDoubt ? ('in_doubt' as const) : ('failed' as const),
      finished_at: finished,
      duration_ms: finished.getTime() - started,
      error: message,
      response: e.response ? redactPersonalData(String(e.response)).slice(0, 500) : null,
    };
    await db
      .with('a', (q) =>
        q
          .insertInto('delivery_attempts')
          .values({ ...attemptRow(handedOver ?? 'unknown'), ...fields })
          .onConflict((oc) => oc.column('id').doUpdateSet(fields)),
      )
      .updateTable('outbox')
      .set(
        inDoubt
          ? { status: 'sent', sent_at: finished, claimed_by: null, channel: handedOver, last_error: `in doubt: ${message}`.slice(0, 1000) }
          : {
              status: dead ? 'dead' : 'pending',
              last_error: message,
              claimed_by: null,
              available_at: new Date(Date.now() + (dead ? 0 : backoffSeconds(m.attempts) * 1000)),
            },
      )
      .where('id', '=', m.id)
      .execute();
  }
}

/** Claims, settles and delivers one batch with one deliverer. Returns how many rows were claimed. */
export async function processBatch(
  db: Db,
  slot: Slot,
  options: { worker: string; batchSize: number; leaseSeconds: number; log: WorkerOptions['log']; signal?: AbortSignal; inflight?: Set<number> },
): Promise<number> {
  const batch = await claimBatch(db, options.worker, options.batchSize, options.leaseSeconds);
  if (batch.length === 0) return 0;
  for (const m of batch) options.inflight?.add(m.id);
  try {
    const todo = await settleInterrupted(db, batch);
    if (todo.length > 0) await slot.deliverer.prepare?.(todo);
    for (let i = 0; i < todo.length; i++) {
      if (options.signal?.aborted) {
        // Stopping: give the rest back at once (and do not count the claim as an attempt).
        const rest = todo.slice(i).map((m) => m.id);
        await db
          .updateTable('outbox')
          .set((eb) => ({ available_at: new Date(), claimed_by: null, attempts: eb('attempts', '-', 1) }))
          .where('id', 'in', rest)
          .where('status', '=', 'pending')
          .execute();
        break;
      }
      await deliverOne(db, slot, options.worker, todo[i]!, options.log);
      options.inflight?.delete(todo[i]!.id);
    }
  } finally {
    for (const m of batch) options.inflight?.delete(m.id);
  }
  return batch.length;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref();
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Runs `concurrency` delivery loops until the signal aborts, then closes their connections. */
export async function runOutboxWorker(options: WorkerOptions): Promise<void> {
  const { db, log, signal } = options;
  const worker = options.worker ?? newWorkerId();
  const concurrency = options.concurrency ?? 4;
  const batchSize = options.batchSize ?? 20;
  const leaseSeconds = options.leaseSeconds ?? 60;
  const pollMs = options.pollMs ?? 1000;
  const inflight = new Set<number>();

  const renew = setInterval(
    () => {
      if (inflight.size === 0) return;
      db.updateTable('outbox')
        .set({ available_at: sql<Date>`now() + make_interval(secs => ${leaseSeconds})` })
        .where('id', 'in', [...inflight])
        .where('status', '=', 'pending')
        .where('claimed_by', '=', worker)
        .execute()
        .catch((e: unknown) => log.warn({ err: (e as Error).message }, 'lease renewal failed'));
    },
    Math.max(500, (leaseSeconds * 1000) / 3),
  );
  renew.unref();

  const loop = async () => {
    let slot: Slot | null = null;
    while (!signal.aborted) {
      let claimed: number;
      try {
        slot ??= await createSlot(db, await options.createDeliverer(), options.databaseUrl);
        claimed = await processBatch(db, slot, { worker, batchSize, leaseSeconds, log, signal, inflight });
      } catch (error) {
        log.error({ err: redactPersonalData((error as Error).message) }, 'outbox worker loop failed');
        if (slot) await closeSlot(slot);
        slot = null;
        await sleep(Math.max(pollMs, 1000), signal);
        continue;
      }
      if (claimed === 0) await sleep(pollMs, signal);
    }
    if (slot) await closeSlot(slot);
  };
  log.info({ worker, concurrency }, 'outbox worker started');
  try {
    await Promise.all(Array.from({ length: concurrency }, loop));
  } finally {
    clearInterval(renew);
  }
}
