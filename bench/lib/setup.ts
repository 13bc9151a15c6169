import type { Catalogue } from '../../src/catalogue/catalogue.ts';
import { getCatalogue } from '../../src/catalogue/catalogue.ts';
import { migrateToLatest, openPostgres, type DatabaseHandle } from '../../src/db/client.ts';
import { seedCatalogue } from '../../src/demo/seed.ts';
import { createApiKey, type CreatedApiKey } from '../../src/identity/api-keys.ts';
import { systemActor } from '../../src/identity/roles.ts';
import { createScratchDatabase, type ScratchDatabase } from './database.ts';

export interface IntakeDatabase {
  scratch: ScratchDatabase;
  handle: DatabaseHandle;
  apiKey: CreatedApiKey;
  catalogue: Catalogue;
}

/**
 * A fresh `redress_bench_<random>` database, migrated, with the demo catalogue and an intake API key. The scratch
 * handle is returned as soon as the database exists (through `onCreated`), so that a failure later still drops it.
 */
export async function prepareIntakeDatabase(
  serverUrl: string,
  onCreated: (scratch: ScratchDatabase, handle: DatabaseHandle) => void,
  poolSize = 4,
): Promise<IntakeDatabase> {
  const scratch = await createScratchDatabase(serverUrl, 'redress_bench');
  const handle = await openPostgres(scratch.url, poolSize);
  onCreated(scratch, handle);
  await migrateToLatest(handle.db);
  await seedCatalogue(handle.db);
  const apiKey = await createApiKey(handle.db, systemActor, { name: 'bench-intake', role: 'intake' });
  const catalogue = await getCatalogue(handle.db, true);
  return { scratch, handle, apiKey, catalogue };
}
