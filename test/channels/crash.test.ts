import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createComplaint } from '../../src/complaints/create-complaint.ts';
import type { Actor } from '../../src/identity/roles.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { startSmtpSink, type SmtpSink } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const N = 1000;
const intake: Actor = { type: 'system', id: null, label: 'crash test', role: 'intake', teamIds: [], channel: 'api' };

/**
 * CHAN-3: worker processes (`redress serve --role worker`) killed with SIGKILL while delivering 1,000 notifications,
 * restarted, and counted at a real SMTP server by Message-ID.
 */
describe('outbox worker killed with SIGKILL while delivering', () => {
  let database: TestDatabase;
  let sink: SmtpSink;
  let worker: ChildProcess | null = null;
  let onMail: (() => void | Promise<void>) | null = null;
  let onRcpt: (() => void | Promise<void>) | null = null;
  let unexpectedExit: ((e: Error) => void) | null = null;
  let failed: Promise<never>;

  const startWorker = (concurrency: number) => {
    const child = spawn(process.execPath, ['bin/redress.mjs', 'serve', '--role', 'worker'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: database.url,
        SMTP_URL: sink.url,
        MAIL_FROM: 'Redress <complaints@redress.example>',
        PUBLIC_URL: 'https://redress.example',
        WORKER_POLL_MS: '50',
        WORKER_CONCURRENCY: String(concurrency),
        OUTBOX_BATCH_SIZE: '10',
        OUTBOX_LEASE_SECONDS: '3',
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[worker] ${d}`));
    child.once('exit', (code) => {
      if (code !== null) unexpectedExit?.(new Error(`the worker exited by itself (code ${code})`));
    });
    return child;
  };
  const killNow = async (child: ChildProcess) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  };
  const pendingCount = async () =>
    Number((await database.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '!=', 'sent').executeTakeFirstOrThrow()).n);
  const finish = async (concurrency: number) => {
    worker = startWorker(concurrency);
    const deadline = Date.now() + 180_000;
    while ((await pendingCount()) > 0) {
      if (Date.now() > deadline) throw new Error('notifications still not sent after 3 minutes');
      await Promise.race([new Promise((r) => setTimeout(r, 200)), failed]);
    }
    await killNow(worker);
    worker = null;
  };
  const inDoubt = async () =>
    Number((await database.db.selectFrom('delivery_attempts').select((eb) => eb.fn.countAll<number>().as('n')).where('outcome', '=', 'in_doubt').executeTakeFirstOrThrow()).n);

  beforeEach(async () => {
    failed = new Promise<never>((_, reject) => {
      unexpectedExit = reject;
    });
    failed.catch(() => {});
    database = await createTestDatabase();
    sink = await startSmtpSink({ onMessage: () => onMail?.(), onRcpt: () => onRcpt?.() });
    for (let i = 0; i < N; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, N - i) }, (_, k) =>
          createComplaint(database.db, intake, {
            type: 'complaint',
            channel: 'api',
            description: `Complaint number ${i + k}: the direct debit was taken twice this month.`,
            language: (['en', 'ar', 'fa', 'zh', 'pl', 'nl'] as const)[(i + k) % 6],
            complainant: { name: `Person ${i + k}`, email: `person-${i + k}@example.com` },
          }),
        ),
      );
    }
  }, 120_000);
  afterEach(async () => {
    unexpectedExit = null;
    onMail = null;
    onRcpt = null;
    if (worker) await killNow(worker);
    worker = null;
    await sink?.close();
    await database?.drop();
  });

  it('delivers every notification exactly once, whether it dies before or after handing a message over', { timeout: 300_000 }, async () => {
    // 1. Killed while the 250th message waits for the server's "250" (the final dot is sent: "delivered, not yet
    //    marked" — the worst moment). The server answers only after the worker is dead.
    const first = (worker = startWorker(1));
    await Promise.race([
      new Promise<void>((done) => {
        onMail = async () => {
          if (sink.mails.length < 250) return;
          onMail = null;
          await killNow(first);
          done();
        };
      }),
      failed,
    ]);
    const afterFirst = sink.mails.length;
    expect(afterFirst).toBe(250);

    // 2. Restarted, then killed in the middle of a later message's envelope (RCPT TO not yet answered): nothing was
    //    handed over, so that message must be sent again — once.
    const second = (worker = startWorker(1));
    let rcpts = 0;
    const target = 100 + Math.floor(Math.random() * 300);
    await Promise.race([
      new Promise<void>((done) => {
        onRcpt = async () => {
          if (++rcpts < target) return;
          onRcpt = null;
          await killNow(second);
          done();
        };
      }),
      failed,
    ]);
    expect(sink.mails.length).toBeLessThan(N);

    // 3. Restarted and left to finish (the dead workers' rows come back after the 3 s lease).
    await finish(1);

    const expected = await database.db.selectFrom('outbox').select('message_id').where('topic', '=', 'complaint.received').execute();
    expect(expected).toHaveLength(N);
    expect([...sink.counts.entries()].filter(([, n]) => n > 1)).toEqual([]);
    expect(expected.filter((e) => !sink.counts.has(e.message_id))).toEqual([]);
    expect(sink.mails.length).toBe(N);
    // The message handed over when the first worker died was settled as delivered ("in doubt"), not sent again.
    expect(await inDoubt()).toBe(1);
  });

  it('with four delivery loops killed at random moments: never a second message, and nothing unaccounted for', { timeout: 300_000 }, async () => {
    for (const after of [200 + Math.floor(Math.random() * 200), 550 + Math.floor(Math.random() * 200)]) {
      const w = (worker = startWorker(4));
      await Promise.race([
        new Promise<void>((done) => {
          onMail = () => {
            if (sink.mails.length < after) return;
            onMail = null;
            setTimeout(() => void killNow(w).then(done), Math.floor(Math.random() * 20));
          };
        }),
        failed,
      ]);
    }
    await finish(4);
    const expected = await database.db.selectFrom('outbox').select(['id', 'message_id', 'last_error']).where('topic', '=', 'complaint.received').execute();
    expect([...sink.counts.entries()].filter(([, n]) => n > 1)).toEqual([]);
    // Exactly-once cannot be promised over SMTP: a message whose final dot was being written when the process died
    // may or may not have reached the server. Such a message is never sent twice — it is listed for administrators as
    // "in doubt" (and can be resent); no message is lost without being listed.
    const missing = expected.filter((e) => !sink.counts.has(e.message_id));
    for (const m of missing) expect(m.last_error ?? '').toMatch(/^in doubt/);
    console.info(`random kills: ${sink.mails.length} of ${N} received once, ${missing.length} in doubt and not received, ${await inDoubt()} settled as in doubt`);
  });
});
