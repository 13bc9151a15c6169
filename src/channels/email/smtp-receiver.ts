import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import { redactPersonalData } from '../redact.ts';
import { ingestEmail, type InboundResult, type InboundSettings } from './inbound.ts';

export interface SmtpReceiverOptions {
  port: number;
  host: string;
  maxBytes: number;
  /** Accepted recipient domains; null accepts any recipient. */
  domains: string[] | null;
  settings: InboundSettings;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Called after each message is recorded (tests, metrics). */
  onIngested?: (result: InboundResult) => void;
}

export interface SmtpReceiver {
  port: number;
  close(): Promise<void>;
}

/**
 * The SMTP receiver inside Redress (REDRESS_SMTP_INBOUND_PORT): it answers 250 only once the message is recorded
 * (complaint, reply, rejection or quarantine), so an accepted message is never lost; a database failure answers 451
 * and the sending server tries again later. A message over the size limit is refused with 552 (the sender is told).
 */
export async function startSmtpReceiver(db: Db, options: SmtpReceiverOptions): Promise<SmtpReceiver> {
  const server = new SMTPServer({
    name: 'redress',
    banner: 'Redress complaints',
    authOptional: true,
    disabledCommands: ['AUTH'],
    hideSTARTTLS: true,
    disableReverseLookup: true,
    size: options.maxBytes,
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const domain = address.address.split('@').pop()?.toLowerCase() ?? '';
      if (options.domains && !options.domains.includes(domain)) {
        const err = new Error('Relay access denied') as Error & { responseCode: number };
        err.responseCode = 550;
        return callback(err);
      }
      callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null, message?: string) => void) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          const err = new Error('Message exceeds the size limit') as Error & { responseCode: number };
          err.responseCode = 552;
          return callback(err);
        }
        const raw = Buffer.concat(chunks);
        const mailFrom = session.envelope.mailFrom;
        ingestEmail(
          db,
          raw,
          {
            source: 'smtp',
            mailbox: null,
            envelope: { from: mailFrom === false ? null : mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address) },
          },
          options.settings,
        ).then(
          (result) => {
            options.log.info({ inboundId: result.id, outcome: result.outcome, reason: result.reason }, 'inbound e-mail recorded');
            options.onIngested?.(result);
            callback(null, `Recorded ${result.id}`);
          },
          (error: unknown) => {
            options.log.error({ err: redactPersonalData((error as Error).message) }, 'inbound e-mail could not be recorded');
            const err = new Error('Temporary failure, try again later') as Error & { responseCode: number };
            err.responseCode = 451;
            callback(err);
          },
        );
      });
    },
  });
  server.on('error', (error: Error) => options.log.warn({ err: redactPersonalData(error.message) }, 'SMTP receiver error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  options.log.info({ port }, 'SMTP receiver listening');
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
