/** The analytics SQL (facts triggers, calendar tables, KPIs, FCA return) on the embedded database (PGlite, PG 18). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openPGlite, type DatabaseHandle } from '../../src/db/client.ts';
import { seedCatalogue } from '../../src/demo/seed.ts';
import { getKpis } from '../../src/analytics/get-kpis.ts';
import { fcaReturn } from '../../src/analytics/fca-return.ts';
import { paretoReport } from '../../src/analytics/trends.ts';
import { buildFixture } from './fixture.ts';

describe('analytics on PGlite', () => {
  let dir: string;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redress-pglite-analytics-'));
    handle = await openPGlite(dir);
    await migrateToLatest(handle.db);
    await seedCatalogue(handle.db);
    await buildFixture(handle.db);
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same hand-computed figures as PostgreSQL 15', async () => {
    const r = await getKpis(handle.db, { from: '2026-03-01', to: '2026-03-31' });
    expect(r.totals).toMatchObject({
      received: 4,
      closed: 3,
      open: 3,
      backlog: { '0-7': 1, '8-28': 1, '29-56': 0, '57+': 1 },
      withinTarget: { due: 3, met: 2 },
      breaches: 1,
      escalationRate: 0.25,
      redressPaid: 150,
      satisfaction: { responses: 2, mean: 3.5 },
    });
    expect(r.totals.acknowledge.medianHours).toBeCloseTo(35, 6);
    expect(r.totals.acknowledge.p90BusinessHours).toBeCloseTo(3.8, 6);
    expect(r.totals.resolve.medianBusinessDays).toBe(10);
    expect(r.totals.reopenRate).toBeCloseTo(1 / 3, 9);
    expect(r.totals.upholdRate).toBeCloseTo(2 / 3, 9);
    const weeks = await getKpis(handle.db, {
      from: '2026-03-01',
      to: '2026-03-31',
      groupBy: 'period',
      period: 'week',
    });
    expect(weeks.groups.map((g) => g.kpis.received)).toEqual([0, 2, 1, 0, 0, 1]);
    const fca = await fcaReturn(handle.db, { from: '2026-03-01', to: '2026-03-31' });
    expect(fca.totals).toMatchObject({
      received: 4,
      closedWithin3BusinessDays: 1,
      closedAfter3DaysWithin8Weeks: 2,
      outstandingAtStart: 2,
      outstandingAtEnd: 3,
    });
    // Inside a transaction (a scheduled report reads through it; the embedded database has one connection).
    const inTx = await handle.db
      .transaction()
      .execute((tx) => getKpis(tx, { from: '2026-03-01', to: '2026-03-31', groupBy: 'channel' }));
    expect(inTx.totals.received).toBe(4);
    const fcaTx = await handle.db
      .transaction()
      .execute((tx) => fcaReturn(tx, { from: '2026-03-01', to: '2026-03-31' }));
    expect(fcaTx.totals.received).toBe(4);
    const p = await paretoReport(handle.db, { from: '2026-03-01', to: '2026-03-31', dimension: 'channel' });
    expect(p.items.map((i) => [i.key, i.count])).toEqual([
      ['phone', 2],
      ['email', 1],
      ['web', 1],
    ]);
  });
});
