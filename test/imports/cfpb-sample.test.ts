import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { importFile, loadPreset } from '../../src/imports/import.ts';
import { verifyHistory } from '../../src/audit/verify-history.ts';
import { systemActor } from '../../src/identity/roles.ts';

/** The real CFPB sample (../shared, when present): every row imported, counts equal to the file's. */
const path = fileURLToPath(new URL('../../../shared/data/cfpb/complaints_sample.csv', import.meta.url));
const present = existsSync(path);

/** An independent, deliberately simple RFC 4180 reader (not the one under test). */
function simpleCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

const tally = (values: string[]) => {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
};

describe.skipIf(!present)('the real CFPB sample', () => {
  let database: TestDatabase;
  let runId: string;
  let rows: string[][];
  let col: (name: string) => number;

  beforeAll(async () => {
    database = await createTestDatabase();
    const bytes = readFileSync(path);
    const [header, ...data] = simpleCsv(bytes.toString('utf8'));
    rows = data;
    col = (name) => header!.indexOf(name);
    const preset = (await loadPreset(database.db, 'cfpb'))!;
    const summary = await importFile(
      database.db,
      { ...systemActor, label: 'sample', channel: 'cli' },
      { preset, filename: 'complaints_sample.csv', bytes },
    );
    runId = summary.runId;
    expect(summary).toMatchObject({ imported: 6623, rejected: 0, duplicates: 0, encoding: 'utf-8' });
  }, 120_000);
  afterAll(() => database?.drop());

  it('has every row', async () => {
    expect(rows).toHaveLength(6623);
    const n = await database.db
      .selectFrom('complaints')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('import_run_id', '=', runId)
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(6623);
  });

  it('counts the same by channel as the file', async () => {
    const channelOf: Record<string, string> = {
      Web: 'web',
      Referral: 'referral',
      Phone: 'phone',
      'Postal mail': 'letter',
      Fax: 'fax',
      Email: 'email',
    };
    const expected = tally(rows.map((r) => channelOf[r[col('Submitted via')]!] ?? 'import'));
    const got = await database.db
      .selectFrom('complaints')
      .select(['channel', (eb) => eb.fn.countAll<number>().as('n')])
      .where('import_run_id', '=', runId)
      .groupBy('channel')
      .execute();
    expect(Object.fromEntries(got.map((g) => [g.channel, Number(g.n)]))).toEqual(expected);
    expect(expected).toEqual({ web: 5143, referral: 627, phone: 482, letter: 267, fax: 102, email: 2 });
  });

  it('counts the same by product (from the catalogue) as the file', async () => {
    const expected = tally(rows.map((r) => r[col('Product')]!));
    const got = await database.db
      .selectFrom('complaints')
      .innerJoin('products', 'products.id', 'complaints.product_id')
      .select(['products.name', (eb) => eb.fn.countAll<number>().as('n')])
      .where('import_run_id', '=', runId)
      .groupBy('products.name')
      .execute();
    expect(Object.fromEntries(got.map((g) => [g.name, Number(g.n)]))).toEqual(expected);
    expect(Object.keys(expected)).toHaveLength(13);
  });

  it('counts the same by company response as the file, and maps it to states and outcomes', async () => {
    const expected = tally(rows.map((r) => r[col('Company response to consumer')]!));
    const got = await database.db
      .selectFrom('complaints')
      .select([
        (eb) => eb.ref('external', '->>').key('companyResponse').as('response'),
        (eb) => eb.fn.countAll<number>().as('n'),
      ])
      .where('import_run_id', '=', runId)
      .groupBy((eb) => eb.ref('external', '->>').key('companyResponse'))
      .execute();
    expect(Object.fromEntries(got.map((g) => [g.response ?? '', Number(g.n)]))).toEqual(expected);
    const monetary = await database.db
      .selectFrom('complaints')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('import_run_id', '=', runId)
      .where('state', '=', 'closed')
      .where((eb) => eb(eb.ref('response', '->>').key('outcome'), '=', 'upheld'))
      .executeTakeFirstOrThrow();
    expect(Number(monetary.n)).toBe(
      (expected['Closed with monetary relief'] ?? 0) + (expected['Closed with relief'] ?? 0),
    );
  });

  it('keeps the narratives (1,532) and the history verifies', async () => {
    const narratives = rows.filter((r) => r[col('Consumer complaint narrative')]!.trim() !== '').length;
    expect(narratives).toBe(1532);
    const withNarrative = await database.db
      .selectFrom('complaints')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('import_run_id', '=', runId)
      .where((eb) => eb(eb.ref('external', '->>').key('narrative'), '=', 'true'))
      .executeTakeFirstOrThrow();
    expect(Number(withNarrative.n)).toBe(1532);
    const report = await verifyHistory(database.db);
    expect(report.breaks).toEqual([]);
  });
});
