import type { ColumnType, Generated } from 'kysely';

/** Typed view of the import tables (migration 0007-imports); joined into `Database` in src/db/schema.ts. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string | T, string | T>;

export interface ImportPresetsTable {
  name: string;
  description: Generated<string>;
  mapping: Json<Record<string, unknown>>;
  builtin: Generated<boolean>;
  created_by: string | null;
  updated_at: DefaultedTimestamp;
}

export type ImportStatus = 'queued' | 'running' | 'done' | 'failed';

export interface ImportRunsTable {
  id: string;
  preset: string;
  filename: string;
  status: ColumnType<ImportStatus, ImportStatus | undefined, ImportStatus>;
  bytes: ColumnType<number, number | undefined, number>;
  encoding: string | null;
  total: number | null;
  processed: Generated<number>;
  imported: Generated<number>;
  rejected: Generated<number>;
  duplicates: Generated<number>;
  /** The header row found in the file: its line, its names and where the data starts. */
  header: Json<{ line: number; fields: string[]; dataOffset: number; dataLine: number }> | null;
  /** The file as UTF-8 (converted on upload), kept until the job is done. */
  file: Uint8Array | null;
  job_id: number | null;
  error: string | null;
  created_by: string | null;
  created_at: DefaultedTimestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

export interface ImportRejectionsTable {
  run_id: string;
  line: number;
  source_id: string | null;
  reason: string;
  raw: string | null;
}

export interface ImportTables {
  import_presets: ImportPresetsTable;
  import_runs: ImportRunsTable;
  import_rejections: ImportRejectionsTable;
}
