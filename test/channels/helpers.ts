import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import pino from 'pino';

/** A silent logger for the code under test. */
export const silentLog = pino({ level: 'silent' });

export interface ReceivedMail {
  raw: Buffer;
  messageId: string | null;
  from: string | null;
  to: string[];
}

export interface SmtpSink {
  port: number;
  url: string;
  mails: ReceivedMail[];
  /** Message-ID → how many times it was received. */
  counts: Map<string, number>;
  /** Refuse these recipients with 550. */
  refuse: Set<string>;
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export function headerOf(raw: Buffer | string, name: string): string | null {
  const text = raw.toString();
  const head = text.slice(0, text.search(/\r?\n\r?\n/) >>> 0 || text.length).replace(/\r?\n[ \t]+/g, ' ');
  const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head);
  return m ? m[1]!.trim() : null;
}

/** A real SMTP server (smtp-server) on 127.0.0.1 that keeps every message it accepts. */
/** `onMessage` and `onRcpt` may return a promise: the server answers the client only when it settles. */
export async function startSmtpSink(options: { onMessage?: (mail: ReceivedMail) => void | Promise<void>; onRcpt?: (address: string) => void | Promise<void> } = {}): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const counts = new Map<string, number>();
  const refuse = new Set<string>();
  const waiters: Array<() => void> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    onRcptTo(address, _session, callback) {
      if (refuse.has(address.address.toLowerCase())) {
        const err = new Error('No such user') as Error & { responseCode: number };
        err.responseCode = 550;
        return callback(err);
      }
      void Promise.resolve(options.onRcpt?.(address.address)).finally(() => callback());
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', () => {
        const raw = Buffer.concat(chunks);
        if (process.env.SINK_DEBUG) console.error('sink: message cut off', raw.length, JSON.stringify(raw.subarray(-20).toString()), headerOf(raw, 'Message-ID'));
      });
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const mail: ReceivedMail = {
          raw,
          messageId: headerOf(raw, 'Message-ID'),
          from: session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
        };
        mails.push(mail);
        if (mail.messageId) counts.set(mail.messageId, (counts.get(mail.messageId) ?? 0) + 1);
        for (const w of waiters.splice(0)) w();
        void Promise.resolve(options.onMessage?.(mail)).finally(() => callback());
      });
    },
  });
  server.on('error', () => {}); // a client killed mid-transaction resets its connection: expected here
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    mails,
    counts,
    refuse,
    async waitFor(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (mails.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} mails, got ${mails.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const hasDovecot = spawnSync('sh', ['-c', 'command -v dovecot'], { encoding: 'utf8' }).status === 0;

export interface Dovecot {
  port: number;
  user: string;
  password: string;
  url(mailbox?: string): string;
  stop(): Promise<void>;
}

/**
 * A private dovecot IMAP server on 127.0.0.1 (not the system service): its own configuration, mail and runtime
 * directories in a temporary folder, one user with a plain password, IDLE offered.
 */
export async function startDovecot(): Promise<Dovecot> {
  const dir = mkdtempSync(join(tmpdir(), 'redress-dovecot-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const id = (flag: string) => Number(spawnSync('id', [flag, 'dovecot'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  const home = join(dir, 'home');
  mkdirSync(home);
  chownSync(home, uid, gid);
  const user = 'complaints';
  const password = 'imap-test-secret';
  writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${password}\n`);
  const conf = join(dir, 'dovecot.conf');
  writeFileSync(
    conf,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
instance_name = redress-test-${port}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${home}/%u/Maildir
first_valid_uid = 0
default_internal_user = dovecot
default_login_user = dovenull
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${home}/%u
}
`,
  );
  const child: ChildProcess = spawn('dovecot', ['-F', '-c', conf], { stdio: 'ignore' });
  const deadline = Date.now() + 15_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('data', (d: Buffer) => {
        socket.destroy();
        resolve(d.toString().includes('ready'));
      });
      socket.once('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('dovecot did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    user,
    password,
    url: (mailbox = 'INBOX') => `imap://${user}:${password}@127.0.0.1:${port}/${encodeURIComponent(mailbox)}`,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
