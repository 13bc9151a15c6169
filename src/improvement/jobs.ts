import type { JobHandler } from '../jobs/queue.ts';
import { SCAN_JOB, scanStep } from './systemic-issues.ts';

const IDLE_MS = 15_000;

/**
 * Systemic-issue detection (IMP-4) as a job that never finishes: each step scans the complaints changed since its
 * watermark (kept in the job's payload, committed with the step) and reschedules itself — at once while there is a
 * backlog, else 15 s later. The first run is created by migration 0008; changing a rule re-creates it if missing.
 */
const systemicScan: JobHandler = async ({ db, tx, job, now }) => {
  const after = (job.payload as { after?: { at: string; id: string } }).after ?? null;
  const r = await scanStep(db, tx, { after, now });
  const wait = r.full ? 0 : IDLE_MS;
  // Never due again at the `now` this step ran for (callers may run the queue at a simulated, later time).
  const retryInMs = Math.max(wait, now.getTime() - Date.now() + (r.full ? 0 : 1));
  return {
    done: false,
    payload: { after: r.after },
    retryInMs,
    progress: { scanned: r.scanned, raised: r.raised, added: r.added },
  };
};

/** The background jobs of this capability, by kind (merged into the workers' job handlers). */
export const improvementJobHandlers: Readonly<Record<string, JobHandler>> = { [SCAN_JOB]: systemicScan };
