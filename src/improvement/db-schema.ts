import type { ColumnType, Generated } from 'kysely';

/** Typed view of the improvement tables (migration 0008-improvement); joined into `Database` in src/db/schema.ts. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string | T, string | T>;

export interface RootCausesTable {
  key: string;
  parent_key: string | null;
  name: string;
  names: ColumnType<Record<string, string>, string | undefined, string>;
  active: Generated<boolean>;
  sort: Generated<number>;
  created_at: DefaultedTimestamp;
}

export interface CapaTable {
  id: string;
  seq: Generated<number>;
  title: string;
  description: Generated<string>;
  kind: 'corrective' | 'preventive';
  root_cause: string | null;
  category_id: string | null;
  product_id: string | null;
  owner_id: string | null;
  due_on: ColumnType<string | null, string | null | undefined, string | null>;
  status: Generated<string>;
  done_at: Timestamp | null;
  verified_at: Timestamp | null;
  verified_by: string | null;
  window_days: Generated<number>;
  min_drop: Generated<number>;
  version: Generated<number>;
  created_by: string | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface CapaComplaintsTable {
  capa_id: string;
  complaint_id: string;
  added_by: string | null;
  added_at: DefaultedTimestamp;
}

export interface SystemicRulesTable {
  id: string;
  name: string;
  dimension: 'category' | 'product' | 'root_cause' | 'text';
  threshold: number;
  window_days: number;
  min_similarity: Generated<number>;
  owner_id: string | null;
  team_id: string | null;
  active: Generated<boolean>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface SystemicIssuesTable {
  id: string;
  seq: Generated<number>;
  rule_id: string;
  signature: string;
  label: string;
  status: Generated<string>;
  owner_id: string | null;
  team_id: string | null;
  capa_id: string | null;
  complaint_count: Generated<number>;
  /** Receipt times of the earliest and latest complaint in the issue. */
  first_at: Timestamp;
  last_at: Timestamp;
  raised_at: DefaultedTimestamp;
  closed_at: Timestamp | null;
  updated_at: DefaultedTimestamp;
}

export interface SystemicIssueComplaintsTable {
  issue_id: string;
  complaint_id: string;
  added_at: DefaultedTimestamp;
}

export interface ImprovementTables {
  root_causes: RootCausesTable;
  capa: CapaTable;
  capa_complaints: CapaComplaintsTable;
  systemic_rules: SystemicRulesTable;
  systemic_issues: SystemicIssuesTable;
  systemic_issue_complaints: SystemicIssueComplaintsTable;
}

export type { Json };
