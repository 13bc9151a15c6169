import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import type { StaffUser } from './factories.ts';

export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface TestApp {
  url: string;
  app: FastifyInstance;
  database: TestDatabase;
  /** Calls the API over real HTTP as this user (session cookie) or API key (string), or anonymously (null). */
  call<T = any>(as: StaffUser | string | null, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse<T>>;
  close(): Promise<void>;
}

/** A real HTTP server on an ephemeral port over this test file's own database. */
export async function startTestApp(): Promise<TestApp> {
  const database = await createTestDatabase();
  const app = await buildApp({ db: database.db, logLevel: 'silent' });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    app,
    database,
    async call(as, method, path, body, headers = {}) {
      const h: Record<string, string> = { ...headers };
      if (typeof as === 'string') h.authorization = `Bearer ${as}`;
      else if (as) h.cookie = `redress_session=${as.token}`;
      if (body !== undefined) h['content-type'] = 'application/json';
      const res = await fetch(`${address}${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON */
      }
      return { status: res.status, headers: res.headers, body: parsed as never };
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
