import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The same server and credentials, another database. */
export function urlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Password-free form for printing. */
export function redactedUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

export async function adminQuery(serverUrl: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface ScratchDatabase {
  name: string;
  url: string;
  /** Drops the database (connections forced out); safe to call more than once. */
  drop(): Promise<void>;
}

/** A new empty database on the server of `serverUrl`, named `<prefix>_<random>`. */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name}`);
  let dropped: Promise<void> | null = null;
  return {
    name,
    url: urlFor(serverUrl, name),
    drop: () => (dropped ??= adminQuery(serverUrl, `drop database if exists ${name} with (force)`).then(() => undefined)),
  };
}

/** The pids of the backends connected to the database `url` names (to tell its CPU from the rest of the server). */
export async function backendPids(url: string): Promise<Set<number>> {
  const result = await adminQuery(url, 'select pid from pg_stat_activity where datname = current_database()');
  return new Set(result.rows.map((r: { pid: number }) => r.pid));
}
