/**
 * Background jobs (the `jobs` table). A job is enqueued in the same transaction as the change that causes it, so it
 * exists exactly when the change does. Workers run it one step (one batch) at a time: the step runs in a
 * transaction that holds the job's row lock (taken with FOR UPDATE SKIP LOCKED, so any number of workers share the
 * queue and never run the same job at once) and records the job's progress in that same transaction — a crash rolls
 * the batch and its progress back together, and the next worker resumes from the last committed step.
 */
import { sql } from 'kysely';
import type { Db, DbOrTx, Tx } from '../db/client.ts';
import type { Selectable } from 'kysely';
import type { JobsTable } from '../db/schema.ts';

export type JobRow = Selectable<JobsTable>;

export interface JobStep {
  /** True when the job has nothing left to do. */
  done: boolean;
  /** The payload for the next step (e.g. a cursor). */
  payload?: Record<string, unknown>;
  /** Counters shown to administrators (merged into the job's progress). */
  progress?: Record<string, number>;
  /** Wait before the next step (e.g. rows were locked by someone else). */
  retryInMs?: number;
}

export type JobHandler = (ctx: { db: Db; tx: Tx; job: JobRow; now: Date }) => Promise<JobStep>;

export const MAX_JOB_ATTEMPTS = 10;

export async function enqueueJob(
  db: DbOrTx,
  kind: string,
  payload: Record<string, unknown>,
  options: { groupId?: string; delayMs?: number; createdBy?: string | null } = {},
): Promise<number> {
  const row = await db
    .insertInto('jobs')
    .values({
      kind,
      payload: JSON.stringify(payload),
      group_id: options.groupId ?? null,
      created_by: options.createdBy ?? null,
      available_at: new Date(Date.now() + (options.delayMs ?? 0)),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const mergeProgress = (a: Record<string, unknown>, b: Record<string, number> | undefined) => {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b ?? {})) out[k] = (typeof out[k] === 'number' ? out[k] : 0) + v;
  return out;
};

/**
 * Runs one step of the next due job (of the given kinds). Returns the job's id, or null when none is due.
 * A failing step is rolled back and retried later with back-off; after MAX_JOB_ATTEMPTS the job is marked failed.
 */
export async function runNextJob(
  db: Db,
  handlers: Readonly<Record<string, JobHandler>>,
  options: { now?: Date } = {},
): Promise<number | null> {
  const kinds = Object.keys(handlers);
  let claimed: JobRow | null = null;
  try {
    return await db.transaction().execute(async (tx) => {
      const now = options.now ?? new Date();
      const found = await sql<JobRow>`
        select * from jobs where status = 'pending' and available_at <= ${now} and kind = any(${kinds}::text[])
        order by available_at, id limit 1 for update skip locked`.execute(tx);
      const job = found.rows[0];
      if (!job) return null;
      claimed = job;
      const step = await handlers[job.kind]!({ db, tx, job, now });
      await tx
        .updateTable('jobs')
        .set({
          status: step.done ? 'done' : 'pending',
          payload: JSON.stringify(step.payload ?? job.payload),
          progress: JSON.stringify(mergeProgress(job.progress, step.progress)),
          finished_at: step.done ? new Date() : null,
          available_at: new Date(Date.now() + (step.retryInMs ?? 0)),
          last_error: null,
        })
        .where('id', '=', job.id)
        .execute();
      return job.id;
    });
  } catch (error) {
    const job = claimed as JobRow | null;
    if (!job) throw error;
    const attempts = job.attempts + 1;
    await db
      .updateTable('jobs')
      .set({
        attempts,
        status: attempts >= MAX_JOB_ATTEMPTS ? 'failed' : 'pending',
        last_error: (error as Error).message.slice(0, 1000),
        available_at: new Date(Date.now() + Math.min(300_000, 2 ** attempts * 500)),
      })
      .where('id', '=', job.id)
      .execute();
    return job.id;
  }
}

/** Runs due jobs until none is left (tests and the bench; workers call runNextJob in their loop). */
export async function drainJobs(
  db: Db,
  handlers: Readonly<Record<string, JobHandler>>,
  options: { now?: Date } = {},
): Promise<number> {
  let steps = 0;
  while ((await runNextJob(db, handlers, options)) !== null) steps++;
  return steps;
}

export async function getJob(db: DbOrTx, id: number): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

export function presentJob(j: JobRow) {
  return {
    id: j.id,
    kind: j.kind,
    groupId: j.group_id,
    status: j.status,
    payload: j.payload,
    progress: j.progress,
    attempts: j.attempts,
    lastError: j.last_error,
    availableAt: j.available_at.toISOString(),
    createdAt: j.created_at.toISOString(),
    finishedAt: j.finished_at?.toISOString() ?? null,
  };
}
