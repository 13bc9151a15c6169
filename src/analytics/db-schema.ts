import type { ColumnType } from 'kysely';

/** Typed view of the analytics tables (migration 0009-analytics); joined into `Database` in src/db/schema.ts. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface AnalyticsFactsTable {
  complaint_id: string;
  type: string;
  channel: string;
  language: string;
  category_id: string | null;
  product_id: string | null;
  team_id: string | null;
  owner_id: string | null;
  root_cause: string | null;
  imported: boolean;
  merged: boolean;
  received_at: Timestamp;
  acknowledged_at: Timestamp | null;
  closed_at: Timestamp | null;
  first_closed_at: Timestamp | null;
  reopens: number;
  escalated: boolean;
  outcome: string | null;
  redress: string;
  ack_ms: string | null;
  ack_bms: string | null;
  resolve_ms: string | null;
  resolve_bdays: number | null;
  target_due: number;
  target_met: number;
  breaches: number;
}

export interface AnalyticsCustomersTable {
  product_key: string;
  valid_from: ColumnType<string, string, string>;
  customers: number;
  updated_at: DefaultedTimestamp;
}

export interface AnalyticsTables {
  analytics_facts: AnalyticsFactsTable;
  analytics_customers: AnalyticsCustomersTable;
}
