import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestEmail, type InboundResult } from '../../src/channels/email/inbound.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

/** Real messages from the test suites of three mail parsers (../shared/data/email; absent on a bare clone). */
const CORPUS = resolve(import.meta.dirname, '../../../shared/data/email');

function emlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return emlFiles(path);
    return name.endsWith('.eml') ? [path] : [];
  });
}

describe.skipIf(!existsSync(CORPUS))('the shared real-world e-mail corpus', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  it('turns every message into a complaint, a reply or a recorded rejection — no crash, nothing dropped', { timeout: 180_000 }, async () => {
    const files = emlFiles(CORPUS).sort();
    expect(files.length).toBeGreaterThan(100);
    const results: Array<{ file: string; result: InboundResult }> = [];
    for (const file of files) {
      const result = await ingestEmail(database.db, readFileSync(file), { source: 'api', mailbox: 'corpus' }, { mailFrom: 'Redress <complaints@redress.example>' });
      results.push({ file: relative(CORPUS, file), result });
    }
    const counts: Record<string, number> = {};
    const seen = new Set<string>();
    for (const { file, result } of results) {
      if (process.env.CORPUS_VERBOSE) console.info(file, result.outcome, result.reason ?? '');
      expect(['complaint', 'reply', 'rejected', 'quarantined']).toContain(result.outcome);
      if (result.outcome === 'rejected' || result.outcome === 'quarantined') expect(result.reason).toBeTruthy();
      if (result.outcome === 'complaint' || result.outcome === 'reply') expect(result.complaintId).toBeTruthy();
      if (seen.has(result.id)) continue; // an identical file: the same message, recorded once
      seen.add(result.id);
      const key = result.reason ? `${result.outcome}:${result.reason}` : result.outcome;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    console.info(`corpus: ${files.length} files, ${seen.size} distinct messages →`, JSON.stringify(counts));
    // Every distinct message has exactly one record (identical files are one message).
    const rows = await database.db.selectFrom('inbound_messages').select(['id', 'outcome', 'raw']).execute();
    expect(rows).toHaveLength(seen.size);
    for (const row of rows) if (row.outcome === 'rejected' || row.outcome === 'quarantined') expect(row.raw).not.toBeNull();
    // Bounces in the corpus are recognised as bounces, not complaints.
    for (const { file, result } of results) {
      if (/bounce|delivery-status|report_\d+|multipart_report/.test(file)) expect(result.reason, file).toBe('bounce');
    }
    // Every complaint has a description and an e-mail complainant; the history of each verifies.
    const complaints = await database.db
      .selectFrom('complaints as c')
      .innerJoin('complainants as p', 'p.id', 'c.complainant_id')
      .select(['c.channel', 'c.description', 'p.email'])
      .execute();
    expect(complaints.length).toBe(counts.complaint);
    for (const c of complaints) {
      expect(c.channel).toBe('email');
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.email).toMatch(/@/);
    }
    // The Japanese, Korean and Chinese charsets were decoded (no replacement characters in these).
    const decoded = await database.db.selectFrom('complaints').select('description').where('description', 'like', '%まみむめも%').execute();
    expect(decoded.length).toBeGreaterThan(0);
  });
});
