import type { JobHandler } from '../jobs/queue.ts';
import { REPORT_JOB, runDueReport } from './reports.ts';

/** The background jobs of scheduled reports, by kind (merged into the workers' job handlers). */
export const exportsJobHandlers: Readonly<Record<string, JobHandler>> = {
  [REPORT_JOB]: async ({ tx, job, now }) => {
    const { scheduleId, runAt } = job.payload as { scheduleId: string; runAt: string };
    const result = await runDueReport(tx, scheduleId, runAt, now);
    if ('retryInMs' in result && result.retryInMs) return { done: false, retryInMs: result.retryInMs };
    return {
      done: true,
      progress: { reports: result.ran ? 1 : 0, refused: 'refused' in result && result.refused ? 1 : 0 },
      payload: {
        ...job.payload,
        ...('refused' in result && result.refused ? { refused: result.refused } : {}),
      },
    };
  },
};
