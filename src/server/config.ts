import { resolve } from 'node:path';
import { z } from 'zod';
import { channelConfig, channelEnvShape, checkChannelEnv, type ChannelConfig } from '../channels/config.ts';

const boolish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  REDRESS_DATA_DIR: z.string().min(1).default('./data'),
  REDRESS_DEMO: boolish.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: z.string().url().optional(),
  SESSION_TTL_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  COOKIE_SECURE: boolish.optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Redress <complaints@localhost>'),
  WORKER_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  ...channelEnvShape,
}).superRefine(checkChannelEnv, { when: () => true });

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  demo: boolean | undefined;
  logLevel: string;
  publicUrl: string;
  sessionTtlHours: number;
  cookieSecure: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  workerPollMs: number;
  /** Outbox worker, inbound e-mail (SMTP receiver, IMAP mailboxes), SMS, duplicate detection. */
  channels: ChannelConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads configuration from the environment, validating everything at once and listing every problem (OPS-3). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    dataDir: resolve(e.REDRESS_DATA_DIR),
    demo: e.REDRESS_DEMO,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    cookieSecure: e.COOKIE_SECURE ?? (e.PUBLIC_URL?.startsWith('https://') ?? false),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    workerPollMs: e.WORKER_POLL_MS,
    channels: channelConfig(e),
  };
}
