import pg from 'pg';
import { openPostgres, migrateToLatest } from '../src/db/client.ts';
import { seedCatalogue } from '../src/demo/seed.ts';
import { adminUrl, TEMPLATE_DB, urlFor } from './helpers/env.ts';

/** Migrates once into a template database; each test file then gets its own copy (CREATE DATABASE … TEMPLATE). */
export default async function setup() {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const stale = await admin.query<{ datname: string }>("select datname from pg_database where datname like 'redress_t_%'");
    for (const row of stale.rows) await admin.query(`drop database if exists "${row.datname}" with (force)`);
    await admin.query(`drop database if exists ${TEMPLATE_DB} with (force)`);
    await admin.query(`create database ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const handle = await openPostgres(urlFor(TEMPLATE_DB), 2);
  await migrateToLatest(handle.db);
  await seedCatalogue(handle.db);
  await handle.close();
}
