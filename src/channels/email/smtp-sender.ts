import { Readable } from 'node:stream';
import SMTPConnection, { type SMTPConnectionOptions } from 'nodemailer/lib/smtp-connection';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import MailComposer from 'nodemailer/lib/mail-composer';

export interface OutgoingEmail {
  from: string;
  to: string;
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  language: string;
  /** `<id@domain>`, the outbox row's: the same notification always carries the same Message-ID. */
  messageId: string;
  inReplyTo?: string | null;
  references?: string[];
  headers?: Record<string, string>;
  date?: Date;
  /** Files sent with the message (scheduled reports). */
  attachments?: Array<{ filename: string; contentType: string; content: Buffer }>;
}

/** The complete RFC 5322 message (UTF-8, quoted-printable or base64 as nodemailer chooses per part). */
export function composeEmail(mail: OutgoingEmail): Promise<Buffer> {
  const composer = new MailComposer({
    from: mail.from,
    to: mail.to,
    ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
    subject: mail.subject,
    text: mail.text,
    ...(mail.html ? { html: mail.html } : {}),
    messageId: mail.messageId,
    ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
    ...(mail.references && mail.references.length > 0 ? { references: mail.references } : {}),
    date: mail.date ?? new Date(),
    headers: { 'Content-Language': mail.language, ...mail.headers },
    ...(mail.attachments && mail.attachments.length > 0
      ? { attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })) }
      : {}),
  });
  return new Promise((resolve, reject) => {
    composer.compile().build((err, message) => (err ? reject(err) : resolve(message)));
  });
}

/**
 * The message as a stream whose end waits for the hand-over mark. It is given straight to the SMTP connection, which
 * starts reading it only after the server's `354` and pipes it to the socket as it reads; the final `.` is written
 * when this stream ends. The body goes first; the mark is written (on PostgreSQL: to its own connection, in the same
 * tick) just before the stream ends, so only the dot can follow it.
 */
class HandOverStream extends Readable {
  private stage: 0 | 1 | 2 = 0;
  constructor(
    private readonly raw: Buffer,
    private readonly handOver: () => Promise<void>,
    private readonly immediate: boolean,
  ) {
    super();
  }
  override _read(): void {
    if (this.stage === 0) {
      this.stage = 1;
      this.push(this.raw);
      return;
    }
    if (this.stage === 2) return;
    this.stage = 2;
    // One turn of the event loop later the body has gone through the SMTP client's dot-stuffing to the socket, so
    // only the final ".\r\n" remains between the mark and the end of the transaction.
    setImmediate(() => {
      const marked = this.handOver();
      if (this.immediate) {
        marked.catch(() => {}); // recorded by the worker; the message goes out all the same
        this.push(null);
      } else {
        marked.then(
          () => this.push(null),
          (error: unknown) => this.destroy(error as Error),
        );
      }
    });
  }
}

export interface SendResult {
  response: string;
  accepted: number;
}

/**
 * One SMTP connection to `SMTP_URL` (nodemailer's SMTP client), kept open between messages and opened again after
 * any failure. The URL takes nodemailer's connection options as query parameters (e.g. `?requireTLS=true`,
 * `?ignoreTLS=true`, `?tls.rejectUnauthorized=false`, `?name=mx.example.org`).
 */
export class SmtpSender {
  private readonly options: SMTPConnectionOptions;
  private readonly auth: { user: string; pass: string } | null;
  private connection: SMTPConnection | null = null;
  private broken = false;

  constructor(smtpUrl: string) {
    const parsed = parseConnectionUrl(smtpUrl) as SMTPConnectionOptions & { auth?: { user: string; pass: string } };
    const { auth, ...options } = parsed;
    this.auth = auth && auth.user ? auth : null;
    this.options = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000, ...options };
  }

  private connect(): Promise<SMTPConnection> {
    const connection = new SMTPConnection(this.options);
    this.broken = false;
    const markBroken = () => {
      this.broken = true;
    };
    connection.on('error', markBroken);
    connection.on('end', markBroken);
    return new Promise<SMTPConnection>((resolve, reject) => {
      // A refused or failed connection is reported as an 'error' event, not to the connect callback.
      const onError = (err: Error) => reject(err);
      connection.once('error', onError);
      connection.connect((err) => {
        if (err) return reject(err);
        const ready = () => {
          connection.off('error', onError);
          resolve(connection);
        };
        if (!this.auth) return ready();
        connection.login(this.auth, (loginErr) => (loginErr ? reject(loginErr) : ready()));
      });
    }).catch((error: unknown) => {
      connection.close();
      throw error;
    });
  }

  async send(envelope: { from: string; to: string | string[] }, raw: Buffer, handOver: () => Promise<void>, immediate: boolean): Promise<SendResult> {
    if (this.connection && this.broken) this.close();
    this.connection ??= await this.connect();
    const connection = this.connection;
    try {
      return await new Promise<SendResult>((resolve, reject) => {
        connection.send(envelope, new HandOverStream(raw, handOver, immediate), (err, info) => {
          if (err) return reject(err);
          resolve({ response: String(info?.response ?? ''), accepted: info?.accepted?.length ?? 0 });
        });
      });
    } catch (error) {
      // Whatever state the transaction was left in, the next message starts on a fresh connection.
      this.close();
      throw error;
    }
  }

  close(): void {
    const c = this.connection;
    this.connection = null;
    if (c) {
      try {
        c.quit();
      } catch {
        c.close();
      }
      setTimeout(() => c.close(), 1000).unref();
    }
  }
}
