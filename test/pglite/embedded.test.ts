import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openPGlite, type DatabaseHandle } from '../../src/db/client.ts';
import { DataDirBusyError } from '../../src/db/data-dir-lock.ts';
import { seedCatalogue } from '../../src/demo/seed.ts';
import { clearCatalogueCache } from '../../src/catalogue/catalogue.ts';
import { createComplaint } from '../../src/complaints/create-complaint.ts';
import { executeAction } from '../../src/complaints/execute-action.ts';
import { handlers } from '../../src/complaints/handlers.ts';
import { listComplaints } from '../../src/complaints/queries/list-complaints.ts';
import { verifyHistory } from '../../src/audit/verify-history.ts';
import type { Actor } from '../../src/identity/roles.ts';
import { complaintInput } from '../helpers/factories.ts';

/** The embedded database runs the same migrations and the same SQL as the server (PostgreSQL 18 vs 15). */
describe('the embedded database (PGlite)', () => {
  let dir: string;
  let handle: DatabaseHandle;
  const manager: Actor = { type: 'system', id: null, label: 'test', role: 'manager', teamIds: [], channel: 'cli' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redress-pglite-'));
    handle = await openPGlite(dir);
    await migrateToLatest(handle.db);
    await seedCatalogue(handle.db);
  }, 60_000);
  afterAll(async () => {
    await handle?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second opener of the same directory', async () => {
    await expect(openPGlite(dir)).rejects.toBeInstanceOf(DataDirBusyError);
  });

  it('runs the lifecycle, search and the audit chain, even when the catalogue must be read inside a transaction', async () => {
    const { reference } = await createComplaint(handle.db, manager, complaintInput({ description: '我的信用卡被重复扣费了，请退款。' }));
    const run = <A extends keyof typeof handlers>(action: A, input: unknown) =>
      executeAction(handle.db, manager, reference, action, input as never, handlers[action] as never);
    await run('acknowledge', {});
    clearCatalogueCache(handle.db); // the next action must load it through its own transaction (one connection)
    const assessed = await run('assess', { category: 'payments.fraud', impact: 'high', urgency: 'high', inScope: true });
    expect(assessed.state).toBe('assessed');
    expect(assessed.priority).toBe('critical');
    const found = await listComplaints(handle.db, manager, { q: '扣费', sort: 'received_desc', limit: 10 });
    expect(found.items.map((i) => i.reference)).toEqual([reference]);
    const report = await verifyHistory(handle.db);
    expect(report.breaks).toEqual([]);
    expect(report.events).toBe(3);
  });
});
