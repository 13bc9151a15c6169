import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openPGlite, type DatabaseHandle } from '../../src/db/client.ts';
import { seedCatalogue } from '../../src/demo/seed.ts';
import { createComplaint } from '../../src/complaints/create-complaint.ts';
import type { Actor } from '../../src/identity/roles.ts';
import { exportsJobHandlers } from '../../src/exports/jobs.ts';
import { complaintsTable } from '../../src/exports/complaints-table.ts';
import { enqueueNextRun, runReportNow } from '../../src/exports/reports.ts';
import { drainJobs } from '../../src/jobs/queue.ts';
import { complaintInput } from '../helpers/factories.ts';
import { parseCsv, xlsxRows } from './read-files.ts';

/** Scheduled reports on the embedded database (PostgreSQL 18, one connection): every read inside the run's transaction. */
describe('scheduled reports on PGlite', () => {
  let dir: string;
  let handle: DatabaseHandle;
  const manager: Actor = {
    type: 'system',
    id: null,
    label: 'test',
    role: 'manager',
    teamIds: [],
    channel: 'cli',
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redress-pglite-exports-'));
    handle = await openPGlite(dir);
    await migrateToLatest(handle.db);
    await seedCatalogue(handle.db);
    for (let i = 0; i < 5; i++)
      await createComplaint(handle.db, manager, complaintInput({ description: `شكوى رقم ${i} 投诉` }));
    await handle.db
      .updateTable('complaints')
      .set({ received_at: new Date(Date.now() - 86_400_000) })
      .execute();
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function schedule(kind: 'complaints' | 'kpis' | 'fca_return', format: 'csv' | 'xlsx') {
    const id = randomUUID();
    const due = new Date(Date.now() - 1000);
    await handle.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('report_schedules')
        .values({
          id,
          name: `${kind} ${format}`,
          kind,
          format,
          recipients: JSON.stringify(['a@example.org']),
          frequency: 'daily',
          time_zone: 'Europe/London',
          next_run_at: due,
          parameters: JSON.stringify({}),
        })
        .execute();
      await enqueueNextRun(tx, { id, next_run_at: due });
    });
    return id;
  }

  it('exports the list with personal data for a manager', async () => {
    const table = await complaintsTable(handle.db, manager, { sort: 'received_desc' });
    expect(table.rows).toHaveLength(5);
    expect(table.columns.map((c) => c.key)).toContain('complainantEmail');
  });

  it('runs due schedules of every kind in the job, and "run now"', async () => {
    const ids = await Promise.all([
      schedule('complaints', 'csv'),
      schedule('kpis', 'xlsx'),
      schedule('fca_return', 'xlsx'),
    ]);
    await drainJobs(handle.db, exportsJobHandlers);
    const runs = await handle.db
      .selectFrom('report_runs')
      .selectAll()
      .where('schedule_id', 'in', ids)
      .execute();
    expect(runs).toHaveLength(3);
    const outbox = await handle.db
      .selectFrom('outbox')
      .selectAll()
      .where(
        'id',
        'in',
        runs.map((r) => r.outbox_id!),
      )
      .execute();
    const files = new Map(
      outbox.map((o) => {
        const a = (o.payload as any).attachments[0];
        return [a.filename as string, Buffer.from(a.contentBase64, 'base64')];
      }),
    );
    const csv = [...files].find(([n]) => n.endsWith('.csv'))![1];
    expect(parseCsv(csv.toString('utf8'))).toHaveLength(6);
    for (const [name, bytes] of files)
      if (name.endsWith('.xlsx')) expect(xlsxRows(bytes).length).toBeGreaterThan(1);
    const next = await handle.db
      .selectFrom('report_schedules')
      .select('next_run_at')
      .where('id', 'in', ids)
      .execute();
    for (const n of next) expect(n.next_run_at.getTime()).toBeGreaterThan(Date.now());
    const now = await runReportNow(handle.db, manager, ids[2]);
    expect(now?.filename).toMatch(/\.xlsx$/);
  });
});
