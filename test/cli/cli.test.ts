import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { digestOf } from '../../src/identity/tokens.ts';

const execFileAsync = promisify(execFile);

async function redress(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await execFileAsync('node', ['bin/redress.mjs', ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('redress CLI against PostgreSQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('user create makes a user who can sign in', async () => {
    const env = { DATABASE_URL: t.database.url };
    const res = await redress(['user', 'create', '--email', 'Nora@Example.org', '--name', 'Nora', '--role', 'handler', '--password', 'a long enough password', '--team', 'payments'], env);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const login = await t.call(null, 'POST', '/api/auth/login', { email: 'nora@example.org', password: 'a long enough password' });
    expect(login.status).toBe(200);
    expect(login.body.user.role).toBe('handler');
    expect(login.headers.get('set-cookie')).toMatch(/redress_session=.*HttpOnly/i);
    const again = await redress(['user', 'create', '--email', 'nora@example.org', '--name', 'N', '--role', 'handler', '--password', 'a long enough password'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    const weak = await redress(['user', 'create', '--email', 'x@example.org', '--name', 'X', '--role', 'handler', '--password', 'short'], env);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('at least 12');
    const badRole = await redress(['user', 'create', '--email', 'y@example.org', '--name', 'Y', '--role', 'boss', '--password', 'a long enough password'], env);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('--role must be one of');
  });

  it('api-key create prints the key alone on its last line; only its digest is stored; it works on the API', async () => {
    const res = await redress(['api-key', 'create', '--name', 'crm', '--role', 'intake'], { DATABASE_URL: t.database.url });
    expect(res.code).toBe(0);
    const key = res.stdout.trim().split('\n').at(-1)!;
    expect(key).toMatch(/^rdk_[\w-]{8}_[\w-]{43}$/);
    const stored = await t.database.db.selectFrom('api_keys').selectAll().where('name', '=', 'crm').executeTakeFirstOrThrow();
    expect(stored.digest).toBe(digestOf(key));
    expect(JSON.stringify(stored)).not.toContain(key);
    const created = await t.call(key, 'POST', '/api/complaints', {
      type: 'complaint',
      channel: 'api',
      description: 'Minimal complaint',
      complainant: { name: 'Ada', email: 'ada@example.com' },
    });
    expect(created.status).toBe(201);
    expect((await t.call('rdk_nope_nope', 'GET', '/api/complaints')).status).toBe(401);
  });

  it('refuses bad configuration listing every problem, and unknown commands with usage', async () => {
    const bad = await redress(['migrate'], { PORT: 'abc', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('PORT');
    expect(bad.stderr).toContain('LOG_LEVEL');
    expect(bad.stderr).toContain('DATABASE_URL');
    const unknown = await redress(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Usage: redress');
  });
});

describe('npm start on a fresh data directory (embedded database)', () => {
  let dir: string;
  let server: ChildProcess | null = null;
  let output = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'redress-cli-'));
  });
  afterAll(() => {
    server?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts with demo data, serves health and readiness, and owns its data directory alone', async () => {
    const port = String(20_000 + Math.floor(Math.random() * 20_000));
    const env = { ...process.env, REDRESS_DATA_DIR: dir, PORT: port, HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: '' };
    server = spawn('node', ['bin/redress.mjs', 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 90_000;
    while (!output.includes('Redress is running') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(output).toContain('Redress is running');
    const base = `http://127.0.0.1:${port}`;
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
    expect(((await (await fetch(`${base}/ready`)).json()) as { migrations: string }).migrations).toBe('current');

    // demo credentials are printed once; a manager sees ~200 complaints spread over every state
    const line = output.split('\n').find((l) => l.trim().startsWith('manager'))!;
    const [, email, password] = line.trim().split(/\s+/);
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const states = new Set<string>();
    let count = 0;
    let cursor: string | null = null;
    do {
      const page = (await (await fetch(`${base}/api/complaints?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { headers: { cookie } })).json()) as {
        items: Array<{ state: string; language: string }>;
        nextCursor: string | null;
      };
      for (const c of page.items) states.add(c.state);
      count += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
    expect(count).toBeGreaterThanOrEqual(190);
    expect(states.size).toBe(13);

    // a second process on the same data directory is refused with a clear message
    const second = await redress(['audit', 'verify'], { REDRESS_DATA_DIR: dir, DATABASE_URL: '' });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/in use by another Redress process/);

    server.kill('SIGTERM');
    await new Promise((r) => server!.once('exit', r));
    server = null;
    const verify = await redress(['audit', 'verify'], { REDRESS_DATA_DIR: dir, DATABASE_URL: '' });
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
  }, 180_000);
});
