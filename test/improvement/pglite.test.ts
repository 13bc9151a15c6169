import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openPGlite, type DatabaseHandle } from '../../src/db/client.ts';
import { seedCatalogue } from '../../src/demo/seed.ts';
import { scanStep } from '../../src/improvement/systemic-issues.ts';
import { drainJobs } from '../../src/jobs/queue.ts';
import { jobHandlers } from '../../src/jobs/handlers.ts';
import { buildApp } from '../../src/server/app.ts';
import { buildStaff, complaintInput, type StaffUser } from '../helpers/factories.ts';

/** The improvement SQL on the embedded database (PGlite, PostgreSQL 18): taxonomy, closure, CAPA, recurring, detection. */
describe('learning from complaints on PGlite', () => {
  let dir: string;
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  let manager: StaffUser;
  let quality: StaffUser;
  const call = async (who: StaffUser, method: string, url: string, body?: unknown) => {
    const res = await app.inject({
      method: method as 'GET',
      url,
      headers: { cookie: `redress_session=${who.token}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redress-pglite-imp-'));
    handle = await openPGlite(dir);
    await migrateToLatest(handle.db);
    await seedCatalogue(handle.db);
    app = await buildApp({ db: handle.db, logLevel: 'silent' });
    manager = await buildStaff(handle.db, 'manager');
    quality = await buildStaff(handle.db, 'quality');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await handle?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('closes upheld complaints with a root cause, tracks an action, finds recurring problems and raises a systemic issue once', async () => {
    expect((await call(quality, 'GET', '/api/improvement/root-causes')).body.items.length).toBeGreaterThan(6);
    expect(
      (
        await call(quality, 'POST', '/api/improvement/systemic-rules', {
          name: 'Fraud',
          dimension: 'category',
          threshold: 3,
          windowDays: 730,
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call(quality, 'POST', '/api/improvement/systemic-rules', {
          name: 'Text',
          dimension: 'text',
          threshold: 3,
          windowDays: 730,
        })
      ).status,
    ).toBe(201);
    const refs: string[] = [];
    // Last year's complaints: within the rules' 730-day window of today, whatever today is.
    const lastYear = new Date().getUTCFullYear() - 1;
    for (const [i, month] of [1, 2, 4].entries()) {
      const created = await call(
        manager,
        'POST',
        '/api/complaints',
        complaintInput({ description: `My card was charged twice for the same purchase, case ${i}.` }),
      );
      const ref = created.body.reference as string;
      for (const [action, body] of [
        ['acknowledge', {}],
        ['assess', { category: 'payments.fraud' }],
        ['assign', { ownerId: manager.id, attestNoConflict: true }],
        ['draft-response', { outcome: 'upheld', reasons: 'Charged twice.', remedies: [{ key: 'apology' }] }],
        ['send-response', {}],
        ['complainant-accepts', {}],
      ] as const) {
        const res = await call(manager, 'POST', `/api/complaints/${ref}/${action}`, body);
        expect(res.status, `${action} ${JSON.stringify(res.body)}`).toBe(200);
      }
      expect(
        (await call(manager, 'POST', `/api/complaints/${ref}/close`, { reason: 'resolved_accepted' })).body
          .code,
      ).toBe('root_cause_required');
      expect(
        (
          await call(manager, 'POST', `/api/complaints/${ref}/close`, {
            reason: 'resolved_accepted',
            rootCause: 'system.outage',
          })
        ).status,
      ).toBe(200);
      await handle.db
        .updateTable('complaints')
        .set({ received_at: new Date(Date.UTC(lastYear, month, 10)) })
        .where('reference', '=', ref)
        .execute();
      refs.push(ref);
    }
    const recurring = await call(
      quality,
      'GET',
      `/api/improvement/recurring?from=${lastYear}-01-01&to=${lastYear}-12-31&period=quarter&minPeriods=2`,
    );
    expect(recurring.status, JSON.stringify(recurring.body)).toBe(200);
    expect(recurring.body.items[0]).toMatchObject({
      scope: { key: 'payments.fraud' },
      rootCause: { key: 'system.outage' },
      total: 3,
      periods: 2,
      covered: false,
    });

    const capa = await call(quality, 'POST', '/api/improvement/capa', {
      title: 'Second processor',
      kind: 'corrective',
      rootCause: 'system',
      category: 'payments.fraud',
      complaints: refs,
    });
    expect(capa.status, JSON.stringify(capa.body)).toBe(201);
    expect(
      (await call(quality, 'PATCH', `/api/improvement/capa/${capa.body.ref}`, { status: 'done' })).body
        .effectiveness.verdict,
    ).toBe('too_early');

    const first = await handle.db.transaction().execute((tx) => scanStep(handle.db, tx, { lagMs: 0 }));
    expect(first.raised).toBe(2); // the category rule and the text rule
    const again = await handle.db.transaction().execute((tx) => scanStep(handle.db, tx, { lagMs: 0 }));
    expect(again.raised).toBe(0);
    await drainJobs(handle.db, jobHandlers, { now: new Date(Date.now() + 120_000) });
    const issues = (await call(quality, 'GET', '/api/improvement/systemic-issues')).body.items;
    expect(issues.map((i: { complaintCount: number }) => i.complaintCount)).toEqual([3, 3]);
  }, 120_000);
});
