import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

// References are random: make the first ones collide, to see the import take a new one instead of failing.
const collide = vi.hoisted(() => ({ left: 0 }));
vi.mock('../../src/complaints/reference.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/complaints/reference.ts')>();
  return {
    ...actual,
    generateReference: () => (collide.left-- > 0 ? 'ZZZZ-ZZZC' : actual.generateReference()),
  };
});

const { generateCfpb } = await import('../../src/imports/cfpb-generate.ts');
const { importFile, loadPreset } = await import('../../src/imports/import.ts');
const { verifyHistory } = await import('../../src/audit/verify-history.ts');
const { systemActor } = await import('../../src/identity/roles.ts');

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe('reference collisions', () => {
  it('gives a row whose random reference is taken another one (in the batch and against the table)', async () => {
    const preset = (await loadPreset(database.db, 'cfpb'))!;
    const actor = { ...systemActor, label: 'test', channel: 'cli' as const };
    collide.left = 3; // three rows of the first batch draw the same reference
    const first = await importFile(database.db, actor, {
      preset,
      filename: 'a.csv',
      bytes: generateCfpb({ rows: 20, seed: 1, firstId: 1 }).bytes,
    });
    expect(first).toMatchObject({ imported: 20, duplicates: 0 });
    collide.left = 2; // the reference now exists in the table
    const second = await importFile(database.db, actor, {
      preset,
      filename: 'b.csv',
      bytes: generateCfpb({ rows: 20, seed: 2, firstId: 100 }).bytes,
    });
    expect(second).toMatchObject({ imported: 20, duplicates: 0 });
    const refs = await database.db.selectFrom('complaints').select('reference').execute();
    expect(new Set(refs.map((r) => r.reference)).size).toBe(40);
    expect((await verifyHistory(database.db)).breaks).toEqual([]);
  });
});
