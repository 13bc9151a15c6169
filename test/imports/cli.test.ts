import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { generateCfpb } from '../../src/imports/cfpb-generate.ts';

/** `redress import csv` end to end: the real command, on PostgreSQL (DATABASE_URL) and on a fresh embedded data directory. */
const execFileAsync = promisify(execFile);

async function redress(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await execFileAsync('node', ['bin/redress.mjs', ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'redress-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = generateCfpb({
  rows: 300,
  seed: 21,
  firstId: 7_000_000,
  preamble: 1,
  encoding: 'windows-1252',
  badRows: ['bad_date', 'too_few_fields'],
});
const csvPath = join(dir, 'cfpb.csv');
writeFileSync(csvPath, file.bytes);

describe('redress import csv against PostgreSQL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('imports the file and prints exactly one JSON line; the report lists the rejected rows', async () => {
    const env = { DATABASE_URL: database.url };
    const report = join(dir, 'rejected.csv');
    const res = await redress(['import', 'csv', '--preset', 'cfpb', csvPath, '--report', report], env);
    expect(res.stderr).toBe(''); // not a TTY: no progress bar
    expect(res.code).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]!);
    expect(out).toMatchObject({ imported: 298, rejected: 2, duplicates: 0 });
    expect(Object.keys(out)).toEqual(['imported', 'rejected', 'duplicates', 'seconds']);
    const rejected = readFileSync(report, 'utf8').trim().split('\r\n');
    expect(rejected[0]).toBe('line,source_id,reason,raw');
    expect(rejected.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(file.bad.map((b) => b.line));

    const again = await redress(['import', 'csv', '--preset', 'cfpb', csvPath], env);
    expect(JSON.parse(again.stdout)).toMatchObject({ imported: 0, rejected: 2, duplicates: 298 });

    const verify = await redress(['audit', 'verify'], env);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/history intact/);
  }, 120_000);

  it('explains what is wrong, with a non-zero exit', async () => {
    const env = { DATABASE_URL: database.url };
    const unknown = await redress(['import', 'csv', '--preset', 'nope', csvPath], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no import preset "nope"');
    const missing = await redress(['import', 'csv', '--preset', 'cfpb', join(dir, 'missing.csv')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('ENOENT');
    const other = join(dir, 'other.csv');
    writeFileSync(other, 'a,b\n1,2\n');
    const noHeader = await redress(['import', 'csv', '--preset', 'cfpb', other], env);
    expect(noHeader.code).toBe(1);
    expect(noHeader.stderr).toContain('No header row');
    const noFile = await redress(['import', 'csv', '--preset', 'cfpb'], env);
    expect(noFile.code).toBe(2);
    const noPreset = await redress(['import', 'csv', csvPath], env);
    expect(noPreset.code).toBe(2);
    expect(noPreset.stderr).toContain('--preset');
  }, 180_000);
});

describe('redress import csv on a fresh embedded data directory', () => {
  it('migrates, imports and verifies', async () => {
    const env = { REDRESS_DATA_DIR: join(dir, 'data'), DATABASE_URL: '' };
    const small = join(dir, 'small.csv');
    writeFileSync(
      small,
      generateCfpb({ rows: 40, seed: 22, lineEnding: '\n', dateFormat: 'mdy-short' }).bytes,
    );
    const res = await redress(['import', 'csv', '--preset', 'cfpb', small], env);
    expect(res.stderr).toBe('');
    expect(JSON.parse(res.stdout)).toMatchObject({ imported: 40, rejected: 0, duplicates: 0 });
    const verify = await redress(['audit', 'verify'], env);
    expect(verify.stdout).toMatch(/history intact: 40 events/);
  }, 180_000);
});
