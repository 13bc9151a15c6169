import type { ColumnType, Generated } from 'kysely';

/** Typed view of the scheduled reports' tables (migration 0010-reports); joined into `Database` in src/db/schema.ts. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type ReportKind = 'kpis' | 'fca_return' | 'complaints';
export type ReportFormat = 'csv' | 'xlsx';
export type ReportFrequency = 'daily' | 'weekly' | 'monthly';

export interface ReportSchedulesTable {
  id: string;
  name: string;
  kind: ReportKind;
  parameters: ColumnType<Record<string, unknown>, string | undefined, string>;
  format: ReportFormat;
  recipients: Json<string[]>;
  frequency: ReportFrequency;
  time_of_day: Generated<string>;
  weekday: Generated<number>;
  day_of_month: Generated<number>;
  time_zone: string;
  language: Generated<string>;
  next_run_at: Timestamp;
  active: Generated<boolean>;
  last_run_at: Timestamp | null;
  created_by: string | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
  version: Generated<number>;
}

export interface ReportRunsTable {
  id: string;
  schedule_id: string;
  trigger: 'schedule' | 'manual';
  scheduled_for: Timestamp | null;
  period_from: string | null;
  period_to: string | null;
  filename: string;
  rows: number;
  bytes: number;
  outbox_id: number | null;
  created_by: string | null;
  created_at: DefaultedTimestamp;
}

export interface ReportTables {
  report_schedules: ReportSchedulesTable;
  report_runs: ReportRunsTable;
}
