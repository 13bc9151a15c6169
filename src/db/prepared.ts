/**
 * Server-side prepared statements for the queries an application repeats (PostgreSQL only).
 *
 * Kysely sends every query as an unnamed extended-protocol statement, so PostgreSQL parses and plans it again on
 * every execution: for the intake statement (five inserts in one CTE) that is a good part of its cost. This wraps
 * the `pg` pool so that a parameterised SQL text seen again on a connection runs as a named prepared statement
 * (`pg` sends Parse once per connection, then only Bind/Execute). Bounded: at most MAX_NAMES distinct texts are
 * ever named (the rest stay unnamed), so statements built with a variable number of parameters cannot grow it
 * without limit. A statement whose cached plan a schema change invalidated ("cached plan must not change result
 * type") is dropped on that connection and prepared again, once.
 */
import type pg from 'pg';

const MAX_NAMES = 2000;
const MAX_SEEN = 20_000;

interface QueryablePool {
  connect(): Promise<pg.PoolClient>;
  end(): Promise<void>;
}

const PATCHED = Symbol('redress.prepared');

export interface PreparedStats {
  named: number;
}

export function preparingPool(pool: pg.Pool): QueryablePool & { stats: PreparedStats } {
  const names = new Map<string, string>();
  const seen = new Map<string, number>();
  const stats: PreparedStats = { named: 0 };
  let counter = 0;

  const nameFor = (text: string): string | null => {
    const known = names.get(text);
    if (known) return known;
    if (names.size >= MAX_NAMES) return null;
    const n = (seen.get(text) ?? 0) + 1;
    if (n < 2) {
      if (seen.size >= MAX_SEEN) seen.clear();
      seen.set(text, n);
      return null;
    }
    seen.delete(text);
    const name = `rd_${(counter++).toString(36)}`;
    names.set(text, name);
    stats.named = names.size;
    return name;
  };

  const patch = (client: pg.PoolClient) => {
    const c = client as pg.PoolClient & { [PATCHED]?: true };
    if (c[PATCHED]) return;
    c[PATCHED] = true;
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const [text, values] = args;
      if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || args.length > 2) return original(...args);
      const name = nameFor(text);
      if (!name) return original(text, values);
      return (original({ name, text, values }) as Promise<unknown>).catch(async (error: unknown) => {
        const e = error as { code?: string; message?: string };
        if (e.code !== '0A000' || !String(e.message).includes('cached plan')) throw error;
        // The schema changed under the statement: forget it on this connection and prepare it again.
        const parsed = (client as unknown as { connection?: { parsedStatements?: Record<string, unknown> } }).connection?.parsedStatements;
        if (parsed) delete parsed[name];
        await (original(`deallocate ${name}`) as Promise<unknown>).catch(() => {});
        return original({ name, text, values });
      });
    };
  };

  return {
    stats,
    async connect() {
      const client = await pool.connect();
      patch(client);
      return client;
    },
    end: () => pool.end(),
  };
}
