import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buildStaff, complaintInput, FACTORY_PASSWORD, type StaffUser } from '../helpers/factories.ts';
import { buildApp } from '../../src/server/app.ts';
import { MAX_FAILED_LOGINS } from '../../src/identity/sessions.ts';

let t: TestApp;
let handler: StaffUser;

beforeAll(async () => {
  t = await startTestApp();
  handler = await buildStaff(t.database.db, 'handler', ['payments']);
});
afterAll(() => t.close());

const login = (email: string, password: string) => t.call(null, 'POST', '/api/auth/login', { email, password });

describe('staff sign-in and sessions', () => {
  it('the same answer for an unknown e-mail and a wrong password', async () => {
    const unknown = await login('nobody@example.org', 'whatever password');
    const wrong = await login(handler.email, 'not the password');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body.code).toBe(wrong.body.code);
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it('locks an account after repeated failures, even for the right password', async () => {
    const user = await buildStaff(t.database.db, 'intake');
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) expect((await login(user.email, 'wrong password!')).status).toBe(401);
    const locked = await login(user.email, FACTORY_PASSWORD);
    expect(locked.status).toBe(423);
    expect(locked.body.code).toBe('account_locked');
  });

  it('a session cookie works until logout; an expired session does not', async () => {
    const user = await buildStaff(t.database.db, 'manager');
    const res = await login(user.email, FACTORY_PASSWORD);
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const token = /redress_session=([^;]+)/.exec(cookie)![1]!;
    const me = await t.call({ ...user, token }, 'GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body.role).toBe('manager');
    expect((await t.call({ ...user, token }, 'POST', '/api/auth/logout')).status).toBe(204);
    expect((await t.call({ ...user, token }, 'GET', '/api/me')).status).toBe(401);

    const other = await buildStaff(t.database.db, 'manager');
    await t.database.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', other.id).execute();
    expect((await t.call(other, 'GET', '/api/me')).status).toBe(401);
  });

  it('only an admin creates users and API keys', async () => {
    const admin = await buildStaff(t.database.db, 'admin');
    const body = { email: 'new.handler@example.org', name: 'New Handler', role: 'handler', password: 'long enough password', teams: ['payments'] };
    expect((await t.call(handler, 'POST', '/api/users', body)).status).toBe(403);
    expect((await t.call(admin, 'POST', '/api/users', body)).status).toBe(201);
    expect((await t.call(admin, 'POST', '/api/users', body)).status).toBe(409);
    const noTeam = await t.call(admin, 'POST', '/api/users', { ...body, email: 'other@example.org', teams: ['nope'] });
    expect(noTeam.status).toBe(400);
    expect(noTeam.body.code).toBe('unknown_team');
    const key = await t.call(admin, 'POST', '/api/api-keys', { name: 'crm', role: 'intake' });
    expect(key.status).toBe(201);
    expect((await t.call(key.body.key, 'GET', '/api/complaints')).status).toBe(200);
    expect((await t.call(admin, 'DELETE', `/api/api-keys/${key.body.id}`)).status).toBe(204);
  });
});

describe('logs (PRIV-5)', () => {
  it('never carry secrets or personal data', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const app = await buildApp({ db: t.database.db, logLevel: 'trace', logStream: stream });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const manager = await buildStaff(t.database.db, 'manager');
    const input = complaintInput({ complainant: { name: 'Zebulon Quixote', email: 'zebulon.quixote@example.com', phone: '+44 7700 900123' } });
    const res = await fetch(`${address}/api/complaints?q=Zebulon`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `redress_session=${manager.token}` },
      body: JSON.stringify(input),
    });
    expect(res.status).toBe(201);
    await fetch(`${address}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: manager.email, password: 'secret-password-123' }) });
    await app.close();
    const log = lines.join('');
    expect(log.length).toBeGreaterThan(0);
    for (const secret of ['Zebulon', 'zebulon.quixote', '900123', manager.token, 'secret-password-123', 'overdraft fee']) {
      expect(log).not.toContain(secret);
    }
  });
});
