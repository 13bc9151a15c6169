import type { Logger } from 'pino';
import type { Db } from '../db/client.ts';
import type { Config } from '../server/config.ts';
import { runImapPoller } from './email/imap-poller.ts';
import { startSmtpReceiver } from './email/smtp-receiver.ts';
import { createNotificationDeliverer } from './notifications.ts';
import { runOutboxWorker } from './outbox-worker.ts';
import type { ChannelRouteOptions } from './routes.ts';
import { LoggingSmsProvider, TwilioSmsProvider, type SmsProvider } from './sms/provider.ts';

export function smsProvider(config: Config, log: Pick<Logger, 'info'>): SmsProvider {
  const sms = config.channels.sms;
  return sms.provider === 'twilio' ? new TwilioSmsProvider(sms) : new LoggingSmsProvider(log);
}

/** What the web role needs from the channels (SMS status callbacks). */
export function channelRouteOptions(config: Config, log: Pick<Logger, 'info'>): ChannelRouteOptions {
  return { publicUrl: config.publicUrl, sms: smsProvider(config, log) };
}

/**
 * The worker role's channel loops: the outbox worker (e-mail over SMTP_URL, SMS), the SMTP receiver when
 * REDRESS_SMTP_INBOUND_PORT is set, and one IMAP poller per mailbox of REDRESS_IMAP_URLS.
 */
export async function startChannels(db: Db, config: Config, log: Logger, signal: AbortSignal): Promise<Array<Promise<unknown>>> {
  const c = config.channels;
  const inboundSettings = { mailFrom: config.mailFrom };
  const sms = smsProvider(config, log);
  const tasks: Array<Promise<unknown>> = [
    runOutboxWorker({
      db,
      databaseUrl: config.databaseUrl,
      log,
      signal,
      pollMs: config.workerPollMs,
      concurrency: c.workerConcurrency,
      batchSize: c.outboxBatchSize,
      leaseSeconds: c.outboxLeaseSeconds,
      createDeliverer: () =>
        createNotificationDeliverer(db, { publicUrl: config.publicUrl, mailFrom: config.mailFrom, smtpUrl: config.smtpUrl, sms, duplicateWindowDays: c.duplicateWindowDays, log }),
    }),
  ];
  const receiver = c.smtpInbound ? await startSmtpReceiver(db, { ...c.smtpInbound, settings: inboundSettings, log }) : null;
  for (const mailbox of c.imap.mailboxes) {
    tasks.push(runImapPoller(db, { mailbox, pollSeconds: c.imap.pollSeconds, processedMailbox: c.imap.processedMailbox, settings: inboundSettings, log, signal }));
  }
  if (receiver) {
    // The receiver stops with the other loops: its closing is one of the tasks the caller waits for.
    tasks.push(new Promise<void>((resolve) => signal.addEventListener('abort', () => void receiver.close().then(resolve, resolve), { once: true })));
  }
  return tasks;
}
