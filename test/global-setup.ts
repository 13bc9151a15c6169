import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPostgres, migrateToLatest } from '../src/db/client.ts';
import { seedCatalogue } from '../src/demo/seed.ts';
import { adminUrl, urlFor } from './helpers/env.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
    runId: string;
    /** The staff app built once for this run's browser tests ('' when there is no Chromium to run them). */
    webDir: string;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Migrates once into a template database; each test file then gets its own copy (CREATE DATABASE … TEMPLATE).
 * Databases are named after this run's pid, so runs side by side never touch each other's, and leftovers of
 * runs that died are dropped.
 */
export default async function setup(project: TestProject) {
  const runId = String(process.pid);
  const template = `redress_tpl_${runId}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const existing = await admin.query<{ datname: string }>("select datname from pg_database where datname ~ '^redress_(t|tpl)_[0-9]+'");
    for (const { datname } of existing.rows) {
      const pid = Number(/^redress_(?:t|tpl)_(\d+)/.exec(datname)?.[1]);
      if (pid === Number(runId) || !alive(pid)) await admin.query(`drop database if exists "${datname}" with (force)`);
    }
    await admin.query(`create database ${template}`);
  } finally {
    await admin.end();
  }
  const handle = await openPostgres(urlFor(template), 2);
  await migrateToLatest(handle.db);
  await seedCatalogue(handle.db);
  await handle.close();
  project.provide('templateDb', template);
  project.provide('runId', runId);
  // The browser tests share one fresh build of the staff app (Vite refuses concurrent builds of one project).
  const webDir = existsSync('/usr/bin/chromium') ? mkdtempSync(join(tmpdir(), 'redress-web-')) : '';
  if (webDir) {
    const run = spawnSync('npx', ['vite', 'build', '--outDir', webDir, '--emptyOutDir', '--logLevel', 'error'], { encoding: 'utf8', timeout: 300_000 });
    if (run.status !== 0) throw new Error(`vite build failed:\n${run.stdout}\n${run.stderr}`);
  }
  project.provide('webDir', webDir);

  return async () => {
    if (webDir) rmSync(webDir, { recursive: true, force: true });
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(`drop database if exists ${template} with (force)`);
    } finally {
      await client.end();
    }
  };
}
