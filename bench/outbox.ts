/**
 * Notifications per second through the outbox to a local SMTP server, beside plain nodemailer sends to the same server.
 *
 * npm run bench -- outbox [--count 1000] [--concurrency 4] [--batch 20]
 *
 * Against DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) it creates its own database
 * (redress_bench_<random>, dropped at the end), migrates it and records `count` complaints (not timed): each one's
 * `complaint.received` outbox row is an acknowledgement e-mail to send. An SMTP server (smtp-server, on 127.0.0.1, in a
 * child process so that it does not share this event loop) receives everything. Then, in this order:
 *
 *  1. BASELINE: the same number of e-mails of the same size sent with nodemailer's pooled SMTP transport
 *     (`concurrency` connections) straight to that server — no database, no templates, no bookkeeping.
 *  2. THE OUTBOX: the real worker (`runOutboxWorker`, `concurrency` delivery loops) claims the rows, runs duplicate
 *     detection, renders the template in the complainant's language, sends, and records every attempt; timed until
 *     the SMTP server has received all of them.
 *
 * The last line is one JSON object: {"bench":"outbox","value":…,"unit":"notifications/s","baseline":…,"ratio":…}
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import nodemailer from 'nodemailer';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { createNotificationDeliverer } from '../src/channels/notifications.ts';
import { runOutboxWorker } from '../src/channels/outbox-worker.ts';
import { renderNotification } from '../src/channels/templates/render.ts';
import { createComplaint } from '../src/complaints/create-complaint.ts';
import { migrateToLatest, openPostgres } from '../src/db/client.ts';
import type { Actor } from '../src/identity/roles.ts';
import { createScratchDatabase, DEFAULT_DATABASE_URL, redactedUrl } from './lib/database.ts';

type SinkMessage = { type: 'ready'; port: number } | { type: 'count'; count: number };

// ---- the SMTP server, in a child process --------------------------------------------------------------------------
if (process.argv.includes('--sink')) {
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        count++;
        callback();
      });
    },
  });
  server.on('error', () => {});
  server.listen(0, '127.0.0.1', () => {
    const address = server.server.address();
    process.send?.({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 } satisfies SinkMessage);
  });
  process.on('message', () => process.send?.({ type: 'count', count } satisfies SinkMessage));
  process.on('disconnect', () => process.exit(0));
} else {
  await main();
}

async function main() {
  const { values: opts } = parseArgs({
    options: {
      count: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '4' },
      batch: { type: 'string', default: '20' },
    },
  });
  const count = Number(opts.count);
  const concurrency = Number(opts.concurrency);
  const batchSize = Number(opts.batch);
  const serverUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const log = pino({ level: 'warn' });

  const sink: ChildProcess = fork(fileURLToPath(import.meta.url), ['--sink'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => sink.once('message', (m: SinkMessage) => m.type === 'ready' && resolve(m.port)));
  const received = () =>
    new Promise<number>((resolve) => {
      sink.once('message', (m: SinkMessage) => m.type === 'count' && resolve(m.count));
      sink.send('count');
    });
  const smtpUrl = `smtp://127.0.0.1:${port}`;
  const scratch = await createScratchDatabase(serverUrl, 'redress_bench');
  const stop = async () => {
    sink.kill();
    await scratch.drop().catch(() => {});
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    console.log(`database: ${redactedUrl(scratch.url)}; SMTP server: ${smtpUrl}; ${count} notifications, ${concurrency} connections`);
    const handle = await openPostgres(scratch.url, concurrency * 2 + 4);
    const db = handle.db;
    await migrateToLatest(db);
    const intake: Actor = { type: 'system', id: null, label: 'bench', role: 'intake', teamIds: [], channel: 'api' };
    const languages = ['en', 'ar', 'fa', 'zh', 'pl', 'nl'] as const;
    for (let i = 0; i < count; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, count - i) }, (_, k) =>
          createComplaint(db, intake, {
            type: 'complaint',
            channel: 'email',
            description: `The direct debit for my energy bill was taken twice this month (case ${i + k}); please refund it.`,
            language: languages[(i + k) % 6],
            complainant: { name: `Person ${i + k}`, email: `person-${i + k}@example.com`, preferredLanguage: languages[(i + k) % 6] },
          }),
        ),
      );
    }

    // 1. Baseline: plain nodemailer, same server, same kind of message.
    const sample = renderNotification({ kind: 'acknowledgement', language: 'en', name: 'Person', reference: '7K4M-9QX2', receivedAt: new Date(), trackingUrl: 'https://redress.example/track/7K4M-9QX2' });
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: concurrency, maxMessages: Infinity });
    const before = await received();
    let started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency * 2 }, async () => {
        while (next < count) {
          const i = next++;
          await transport.sendMail({ from: 'complaints@redress.example', to: `person-${i}@example.com`, subject: sample.subject, text: sample.text, html: sample.html });
        }
      }),
    );
    const baselineSeconds = (performance.now() - started) / 1000;
    transport.close();
    const baselineReceived = (await received()) - before;
    const baseline = count / baselineSeconds;
    console.log(`baseline (nodemailer, ${concurrency} pooled connections): ${baselineReceived} e-mails in ${baselineSeconds.toFixed(2)} s = ${baseline.toFixed(0)}/s`);

    // 2. Through the outbox.
    const start = await received();
    const abort = new AbortController();
    started = performance.now();
    const worker = runOutboxWorker({
      db,
      databaseUrl: scratch.url,
      log,
      signal: abort.signal,
      pollMs: 50,
      concurrency,
      batchSize,
      leaseSeconds: 60,
      createDeliverer: () => createNotificationDeliverer(db, { publicUrl: 'https://redress.example', mailFrom: 'Redress <complaints@redress.example>', smtpUrl, sms: null, log }),
    });
    for (;;) {
      if ((await received()) - start >= count) break;
      if (performance.now() - started > 600_000) throw new Error('the outbox did not deliver everything in 10 minutes');
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - started) / 1000;
    abort.abort();
    await worker;
    const attempts = await db.selectFrom('delivery_attempts').select((eb) => eb.fn.countAll<number>().as('n')).where('outcome', '=', 'sent').executeTakeFirstOrThrow();
    const value = count / seconds;
    console.log(`outbox (runOutboxWorker, ${concurrency} loops, batches of ${batchSize}): ${count} notifications in ${seconds.toFixed(2)} s = ${value.toFixed(0)}/s; ${attempts.n} attempts logged`);
    await handle.close();
    console.log(JSON.stringify({ bench: 'outbox', value: Math.round(value), unit: 'notifications/s', baseline: Math.round(baseline), ratio: Math.round((value / baseline) * 100) / 100, count, concurrency }));
  } finally {
    await stop();
  }
}
