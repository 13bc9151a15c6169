import type { Logger } from 'pino';
import { openDatabase, migrateToLatest } from '../db/client.ts';
import { buildApp } from '../server/app.ts';
import type { Config } from '../server/config.ts';
import { seedDemoIfEmpty } from '../demo/seed.ts';
import { runJobWorker } from '../jobs/worker.ts';
import { channelRouteOptions, startChannels } from '../channels/start.ts';
import { runAnchorLoop } from '../audit/anchor-loop.ts';

/**
 * `redress serve`: migrates, seeds the demo organisation on the first start of an empty system, then runs the
 * web role, the worker role, or both. Stops cleanly on SIGINT/SIGTERM.
 */
export async function serve(config: Config, role: 'web' | 'worker' | 'all', log: Logger): Promise<void> {
  const handle = await openDatabase(config);
  await migrateToLatest(handle.db);
  const demo = config.demo ?? role === 'all'; // `npm start` shows a working system; production roles never seed unless asked
  if (demo && role !== 'worker') {
    const started = Date.now();
    const seeded = await seedDemoIfEmpty(handle.db);
    if (seeded) {
      const lines = [
        '',
        `Demo data added: ${seeded.complaints} complaints in ${((Date.now() - started) / 1000).toFixed(1)} s. Sign-in details (shown once):`,
        ...seeded.credentials.map((c) => `  ${c.role.padEnd(8)} ${c.email.padEnd(32)} ${c.password}`),
        '',
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
  }
  const abort = new AbortController();
  const tasks: Array<Promise<unknown>> = [];
  let app: Awaited<ReturnType<typeof buildApp>> | null = null;
  if (role !== 'worker') {
    app = await buildApp({ db: handle.db, logLevel: config.logLevel, sessionTtlHours: config.sessionTtlHours, cookieSecure: config.cookieSecure, channels: channelRouteOptions(config, log) });
    await app.listen({ port: config.port, host: config.host });
    log.info({ url: config.publicUrl, database: handle.kind, role }, 'Redress is running');
    process.stdout.write(
      `Redress is running at ${config.publicUrl} (database: ${handle.kind === 'pglite' ? `embedded, ${config.dataDir}` : 'PostgreSQL'})\n` +
        `  complainants: ${config.publicUrl}/   staff: ${config.publicUrl}/app/   API: ${config.publicUrl}/api/openapi.json\n`,
    );
  }
  if (role !== 'web') {
    tasks.push(...(await startChannels(handle.db, config, log, abort.signal)));
    tasks.push(runAnchorLoop(handle.db, log, 60_000, abort.signal));
    tasks.push(runJobWorker(handle.db, log, config.workerPollMs, abort.signal));
    log.info('worker started');
  }
  const stop = async (signal: string) => {
    log.info({ signal }, 'stopping');
    abort.abort();
    await app?.close();
    await Promise.allSettled(tasks);
    await handle.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
