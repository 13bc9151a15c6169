import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

/** The workspace's files at /app: caching, the CSP with a fresh nonce, the single-page fallback, a missing build. */
let dir: string;
let database: TestDatabase;
let app: FastifyInstance;
let missing: FastifyInstance;
const js = `console.log(${JSON.stringify('x'.repeat(4000))});`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'redress-static-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta name="csp-nonce" content="__CSP_NONCE__"><script type="module" src="/app/assets/index-abc123.js"></script>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), js);
  database = await createTestDatabase();
  app = await buildApp({ db: database.db, logLevel: 'silent', web: { dir } });
  missing = await buildApp({ db: database.db, logLevel: 'silent', web: { dir: join(dir, 'nothing-here') } });
});
afterAll(async () => {
  await app.close();
  await missing.close();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('serving the workspace at /app', () => {
  it('answers every /app path with the page, never cached, under a strict CSP with a fresh nonce', async () => {
    const a = await app.inject({ url: '/app/' });
    const b = await app.inject({ url: '/app/complaints/7K4M-9QX2?lang=ar' });
    for (const r of [a, b]) {
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('text/html');
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.headers['x-frame-options']).toBe('DENY');
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      const nonce = /nonce-([^']+)'/.exec(csp)![1]!;
      expect(r.body).toContain(`content="${nonce}"`);
    }
    expect(a.headers['content-security-policy']).not.toBe(b.headers['content-security-policy']);
    expect((await app.inject({ url: '/app' })).headers.location).toBe('/app/');
  });

  it('serves fingerprinted assets for a year, gzipped when asked; unknown names are 404', async () => {
    const plain = await app.inject({ url: '/app/assets/index-abc123.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-type']).toContain('text/javascript');
    expect(plain.body).toBe(js);
    const gz = await app.inject({ url: '/app/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(js);
    for (const url of ['/app/assets/nope.js', '/app/assets/..%2Findex.html', '/app/assets/.hidden']) {
      expect((await app.inject({ url })).statusCode, url).toBe(404);
    }
  });

  it('says the workspace is not built when its build is missing (the API still works)', async () => {
    const r = await missing.inject({ url: '/app/queues/mine' });
    expect(r.statusCode).toBe(503);
    expect(r.body).toContain('npm run build:web');
    expect((await missing.inject({ url: '/health' })).statusCode).toBe(200);
  });
});
