import type { JobHandler } from './queue.ts';
import { RECOMPUTE_JOB, recomputeStep } from '../deadlines/recompute.ts';

/** Every kind of background job the workers run. */
export const jobHandlers: Readonly<Record<string, JobHandler>> = {
  [RECOMPUTE_JOB]: recomputeStep,
};
