import type { ColumnType, Generated } from 'kysely';

/** Typed view of the portal's tables (migration 0004-portal); joined into `Database` in src/db/schema.ts. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string | T, string | T>;

export interface PortalKeysTable {
  id: string;
  secret: string;
  created_at: DefaultedTimestamp;
}

export interface PortalTokensTable {
  id: string;
  complaint_id: string;
  kind: 'link' | 'secret';
  digest: string;
  created_at: DefaultedTimestamp;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

export interface PortalSessionsTable {
  id: string;
  complaint_id: string;
  token_id: string;
  created_at: DefaultedTimestamp;
  expires_at: Timestamp;
}

export interface PortalSubmissionsTable {
  complaint_id: string;
  submission_id: string;
  language: string;
  consented_at: Timestamp;
  created_at: DefaultedTimestamp;
}

export interface PortalUploadsTable {
  id: string;
  submission_id: string;
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  content: Uint8Array;
  created_at: DefaultedTimestamp;
}

export interface PortalActionsTable {
  id: string;
  complaint_id: string;
  created_at: DefaultedTimestamp;
}

export interface PortalSurveysTable {
  id: string;
  complaint_id: string;
  closed_at: Timestamp;
  language: string;
  answers: Json<Record<string, number>>;
  comment: string | null;
  created_at: DefaultedTimestamp;
}

export interface PortalPagesTable {
  key: string;
  language: string;
  title: string;
  body: string;
  version: Generated<number>;
  updated_at: DefaultedTimestamp;
  updated_by: string | null;
}

export interface PortalTables {
  portal_keys: PortalKeysTable;
  portal_tokens: PortalTokensTable;
  portal_sessions: PortalSessionsTable;
  portal_submissions: PortalSubmissionsTable;
  portal_uploads: PortalUploadsTable;
  portal_actions: PortalActionsTable;
  portal_surveys: PortalSurveysTable;
  portal_pages: PortalPagesTable;
}
