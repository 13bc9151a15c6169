import type { ColumnType, Generated } from 'kysely';

/** Typed view of the workspace's tables (migration 0006-workspace); joined into `Database` in src/db/schema.ts. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface ResponseTemplatesTable {
  id: string;
  key: string;
  language: string;
  name: string;
  body: string;
  active: Generated<boolean>;
  updated_at: DefaultedTimestamp;
}

export interface StaffCompetencesTable {
  id: string;
  user_id: string;
  kind: 'training' | 'authorisation';
  category_id: string | null;
  title: string;
  valid_from: ColumnType<string, string | undefined, string>;
  valid_until: string | null;
  created_at: DefaultedTimestamp;
}

export interface ConflictDeclarationsTable {
  id: string;
  user_id: string;
  complainant_id: string | null;
  complainant_email: string | null;
  relationship: string;
  created_at: DefaultedTimestamp;
}

export interface AdminTables {
  response_templates: ResponseTemplatesTable;
  staff_competences: StaffCompetencesTable;
  conflict_declarations: ConflictDeclarationsTable;
}

export type { Timestamp };
