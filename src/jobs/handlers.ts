import type { JobHandler } from './queue.ts';
import { RECOMPUTE_JOB, recomputeStep } from '../deadlines/recompute.ts';
import { analyticsJobHandlers } from '../analytics/jobs.ts';
import { importsJobHandlers } from '../imports/jobs.ts';
import { improvementJobHandlers } from '../improvement/jobs.ts';
import { exportsJobHandlers } from '../exports/jobs.ts';

/** Every kind of background job the workers run. */
export const jobHandlers: Readonly<Record<string, JobHandler>> = {
  [RECOMPUTE_JOB]: recomputeStep,
  ...importsJobHandlers,
  ...analyticsJobHandlers,
  ...improvementJobHandlers,
  ...exportsJobHandlers,
};
