import type { JobHandler } from '../jobs/queue.ts';

/** The background jobs of this capability, by kind (merged into the workers' job handlers). */
export const analyticsJobHandlers: Readonly<Record<string, JobHandler>> = {};
