import type { Logger } from 'pino';
import type { Db } from '../db/client.ts';
import { writeAnchor } from './anchors.ts';

/** The worker's periodic anchoring of the history (AUD-2), once a minute by default. */
export async function runAnchorLoop(db: Db, log: Pick<Logger, 'info' | 'error'>, everyMs: number, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      const anchor = await writeAnchor(db);
      if (anchor) log.info({ anchor: anchor.id, events: anchor.events }, 'history anchored');
    } catch (error) {
      log.error({ err: (error as Error).message }, 'anchoring failed');
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs).unref());
  }
}
