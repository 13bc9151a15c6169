import { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import type { ImapMailboxConfig } from '../config.ts';
import { redactPersonalData } from '../redact.ts';
import { ingestEmail, type InboundResult, type InboundSettings } from './inbound.ts';

/** The keyword set on a message once it is recorded (where the server allows keywords; `\Seen` otherwise). */
export const PROCESSED_KEYWORD = '$RedressProcessed';

export interface ImapPollerOptions {
  mailbox: ImapMailboxConfig;
  pollSeconds: number;
  /** Move recorded messages to this mailbox (created if missing); keep them in place when null. */
  processedMailbox: string | null;
  settings: InboundSettings;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  signal: AbortSignal;
  onIngested?: (result: InboundResult) => void;
}

function clientFor(url: string): { client: ImapFlow; path: string } {
  const u = new URL(url);
  const secure = u.protocol === 'imaps:';
  const client = new ImapFlow({
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 993 : 143,
    secure,
    auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) },
    logger: false,
    // Into IDLE one second after a round (imapflow's default waits 15 s), so a new message is seen at once.
    autoIdleDelay: 1000,
    ...(u.searchParams.get('tls_verify') === 'false' ? { tls: { rejectUnauthorized: false } } : {}),
  });
  return { client, path: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX' };
}

/**
 * Polls one IMAP mailbox (REDRESS_IMAP_URLS): every message not yet marked is fed to the inbound channel and then
 * marked (and moved, if configured). Between rounds it waits in IDLE where the server offers it (imapflow's automatic
 * IDLE; a new message ends the wait at once), and in any case at most `pollSeconds`. Reconnects after failures.
 * A message is marked only after it is recorded, and recording is idempotent, so a crash never loses one.
 */
export async function runImapPoller(db: Db, options: ImapPollerOptions): Promise<void> {
  const { log, signal } = options;
  let backoff = 1000;
  while (!signal.aborted) {
    const { client, path } = clientFor(options.mailbox.url);
    client.on('error', (e: Error) => log.warn({ mailbox: options.mailbox.label, err: redactPersonalData(e.message) }, 'IMAP connection error'));
    try {
      await client.connect();
      if (options.processedMailbox) await client.mailboxCreate(options.processedMailbox).catch(() => {});
      log.info({ mailbox: options.mailbox.label, idle: client.capabilities.has('IDLE') }, 'IMAP mailbox opened');
      backoff = 1000;
      // A new message can be announced (EXISTS) at any time, also while a round is running: remember it.
      let dirty = true;
      let wake: (() => void) | null = null;
      const onExists = () => {
        dirty = true;
        wake?.();
      };
      client.on('exists', onExists);
      client.on('close', onExists);
      try {
        while (!signal.aborted && client.usable) {
          if (!dirty) {
            await new Promise<void>((resolve) => {
              const done = () => {
                clearTimeout(timer);
                wake = null;
                signal.removeEventListener('abort', done);
                resolve();
              };
              const timer = setTimeout(done, options.pollSeconds * 1000);
              wake = done;
              signal.addEventListener('abort', done, { once: true });
            });
          }
          if (signal.aborted || !client.usable) break;
          dirty = false;
          // The lock is held only while processing: imapflow goes into IDLE on its own once it is released.
          const lock = await client.getMailboxLock(path);
          try {
            await processMailbox(db, client, options);
          } finally {
            lock.release();
          }
        }
      } finally {
        client.off('exists', onExists);
        client.off('close', onExists);
      }
    } catch (error) {
      log.warn({ mailbox: options.mailbox.label, err: redactPersonalData((error as Error).message) }, 'IMAP poll failed; reconnecting');
    } finally {
      await client.logout().catch(() => client.close());
    }
    if (signal.aborted) break;
    await new Promise((resolve) => setTimeout(resolve, backoff).unref());
    backoff = Math.min(backoff * 2, 60_000);
  }
}

async function processMailbox(db: Db, client: ImapFlow, options: ImapPollerOptions): Promise<number> {
  const mailbox = client.mailbox;
  const keywords = mailbox !== false && (mailbox.permanentFlags?.has('\\*') ?? false);
  const found = await client.search(keywords ? { unKeyword: PROCESSED_KEYWORD } : { seen: false }, { uid: true });
  const uids = Array.isArray(found) ? found : [];
  let handled = 0;
  for (const uid of uids) {
    if (options.signal.aborted) break;
    const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
    if (!message || !message.source) continue;
    const result = await ingestEmail(db, message.source, { source: 'imap', mailbox: options.mailbox.label }, options.settings);
    options.onIngested?.(result);
    await client.messageFlagsAdd(String(uid), keywords ? [PROCESSED_KEYWORD, '\\Seen'] : ['\\Seen'], { uid: true });
    if (options.processedMailbox) await client.messageMove(String(uid), options.processedMailbox, { uid: true });
    handled++;
  }
  if (handled > 0) options.log.info({ mailbox: options.mailbox.label, messages: handled }, 'IMAP messages recorded');
  return handled;
}
