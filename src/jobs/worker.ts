import type { Logger } from 'pino';
import type { Db } from '../db/client.ts';
import { processDeadlineAlerts } from '../deadlines/monitor.ts';
import { jobHandlers } from './handlers.ts';
import { runNextJob } from './queue.ts';

/**
 * The worker loop of the timeliness side (run by `serve --role worker|all`): one step of the next due job, then one
 * pass of the deadline monitor; it sleeps `pollMs` only when neither had anything to do. Any number of processes may
 * run it on one database (jobs and complaints are claimed with FOR UPDATE SKIP LOCKED).
 */
export async function runJobWorker(
  db: Db,
  log: Pick<Logger, 'error' | 'info'>,
  pollMs: number,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    let busy = false;
    try {
      const job = await runNextJob(db, jobHandlers);
      const alerts = await processDeadlineAlerts(db);
      if (alerts.warnings + alerts.breaches + alerts.escalations + alerts.tasks + alerts.lapses > 0)
        log.info({ ...alerts }, 'deadline monitor');
      busy = job !== null || alerts.complaints > 0;
    } catch (error) {
      log.error({ err: (error as Error).message }, 'job worker loop failed');
    }
    if (!busy) await new Promise((resolve) => setTimeout(resolve, pollMs).unref());
  }
}
