import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/client.ts';
import { migrationsCurrent } from '../db/client.ts';

/** Liveness, readiness (database reachable, migrations current) and Prometheus metrics (OPS-4). */
export function healthRoutes(app: FastifyInstance, db: Db) {
  const counters = { requests: 0, errors: 0 };
  app.addHook('onResponse', async (_request, reply) => {
    counters.requests++;
    if (reply.statusCode >= 500) counters.errors++;
  });

  app.get('/health', { schema: { operationId: 'health', tags: ['operations'], summary: 'Liveness' } }, async () => ({ status: 'ok' }));

  app.get('/ready', { schema: { operationId: 'ready', tags: ['operations'], summary: 'Readiness: database reachable, migrations current' } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(db);
      const current = await migrationsCurrent(db);
      if (!current) return reply.code(503).send({ status: 'not_ready', database: 'ok', migrations: 'pending' });
      return { status: 'ready', database: 'ok', migrations: 'current' };
    } catch {
      return reply.code(503).send({ status: 'not_ready', database: 'unreachable' });
    }
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const outbox = await db
      .selectFrom('outbox')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute()
      .catch(() => []);
    const mem = process.memoryUsage();
    const lines = [
      '# TYPE redress_http_requests_total counter',
      `redress_http_requests_total ${counters.requests}`,
      '# TYPE redress_http_errors_total counter',
      `redress_http_errors_total ${counters.errors}`,
      '# TYPE redress_outbox_messages gauge',
      ...outbox.map((o) => `redress_outbox_messages{status="${o.status}"} ${Number(o.n)}`),
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${mem.rss}`,
    ];
    return reply.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`);
  });
}
