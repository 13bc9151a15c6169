import { z } from 'zod';

/**
 * Environment variables of the channels (validated with the rest of the configuration in server/config.ts, OPS-3).
 * Credentials may sit inside URLs (SMTP_URL, REDRESS_IMAP_URLS): they are never logged (PRIV-5).
 */
const list = z
  .string()
  .transform((s) => s.split(/[\s,]+/).filter(Boolean));

const imapUrl = z.url().refine((u) => /^imaps?:\/\//.test(u), 'must be an imap:// or imaps:// URL');

export const channelEnvShape = {
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(60),
  REDRESS_SMTP_INBOUND_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  REDRESS_SMTP_INBOUND_HOST: z.string().min(1).default('0.0.0.0'),
  REDRESS_SMTP_INBOUND_MAX_BYTES: z.coerce.number().int().min(10_000).max(200 * 1024 * 1024).default(25 * 1024 * 1024),
  REDRESS_SMTP_INBOUND_DOMAINS: list.optional(),
  REDRESS_IMAP_URLS: list.pipe(z.array(imapUrl)).optional(),
  REDRESS_IMAP_POLL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  REDRESS_IMAP_PROCESSED_MAILBOX: z.string().min(1).max(200).optional(),
  REDRESS_DUPLICATE_WINDOW_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  SMS_PROVIDER: z.enum(['log', 'twilio']).default('log'),
  TWILIO_API_URL: z.url().default('https://api.twilio.com'),
  TWILIO_ACCOUNT_SID: z.string().min(1).max(100).optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).max(200).optional(),
  TWILIO_FROM: z.string().min(1).max(50).optional(),
};

type ChannelEnv = z.infer<z.ZodObject<typeof channelEnvShape>>;

/**
 * Cross-field checks, listed with every other configuration problem (so it runs even when other fields are invalid:
 * register it with `{ when: () => true }`, and read only what it checks).
 */
export function checkChannelEnv(e: Partial<ChannelEnv>, ctx: z.RefinementCtx): void {
  if (e.SMS_PROVIDER === 'twilio') {
    for (const key of ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'] as const) {
      if (!e[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when SMS_PROVIDER=twilio' });
    }
  }
}

export interface ImapMailboxConfig {
  url: string;
  /** host/mailbox, for logs and records (never the credentials). */
  label: string;
}

export interface ChannelConfig {
  workerConcurrency: number;
  outboxBatchSize: number;
  outboxLeaseSeconds: number;
  smtpInbound: { port: number; host: string; maxBytes: number; domains: string[] | null } | null;
  imap: { mailboxes: ImapMailboxConfig[]; pollSeconds: number; processedMailbox: string | null };
  duplicateWindowDays: number;
  sms:
    | { provider: 'log' }
    | { provider: 'twilio'; apiUrl: string; accountSid: string; authToken: string; from: string };
}

export function imapLabel(url: string): string {
  const u = new URL(url);
  return `${u.hostname}${u.port ? `:${u.port}` : ''}/${decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX'}`;
}

export function channelConfig(e: ChannelEnv): ChannelConfig {
  return {
    workerConcurrency: e.WORKER_CONCURRENCY,
    outboxBatchSize: e.OUTBOX_BATCH_SIZE,
    outboxLeaseSeconds: e.OUTBOX_LEASE_SECONDS,
    smtpInbound:
      e.REDRESS_SMTP_INBOUND_PORT === undefined
        ? null
        : {
            port: e.REDRESS_SMTP_INBOUND_PORT,
            host: e.REDRESS_SMTP_INBOUND_HOST,
            maxBytes: e.REDRESS_SMTP_INBOUND_MAX_BYTES,
            domains: e.REDRESS_SMTP_INBOUND_DOMAINS?.map((d) => d.toLowerCase()) ?? null,
          },
    imap: {
      mailboxes: (e.REDRESS_IMAP_URLS ?? []).map((url) => ({ url, label: imapLabel(url) })),
      pollSeconds: e.REDRESS_IMAP_POLL_SECONDS,
      processedMailbox: e.REDRESS_IMAP_PROCESSED_MAILBOX ?? null,
    },
    duplicateWindowDays: e.REDRESS_DUPLICATE_WINDOW_DAYS,
    sms:
      e.SMS_PROVIDER === 'twilio'
        ? { provider: 'twilio', apiUrl: e.TWILIO_API_URL, accountSid: e.TWILIO_ACCOUNT_SID ?? '', authToken: e.TWILIO_AUTH_TOKEN ?? '', from: e.TWILIO_FROM ?? '' }
        : { provider: 'log' },
  };
}
