import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Typed view of the schema created by the migrations. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string | T, string | T>;

export type Role = 'intake' | 'handler' | 'manager' | 'quality' | 'auditor' | 'admin';

export interface TeamsTable {
  id: string;
  key: string;
  name: string;
  created_at: DefaultedTimestamp;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string | null;
  locale: Generated<string>;
  active: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  created_at: DefaultedTimestamp;
}

export interface UserTeamsTable {
  user_id: string;
  team_id: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: DefaultedTimestamp;
  last_seen_at: DefaultedTimestamp;
  expires_at: Timestamp;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  role: Role;
  digest: string;
  prefix: string;
  created_at: DefaultedTimestamp;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

export interface CategoriesTable {
  id: string;
  key: string;
  parent_id: string | null;
  name: string;
  team_id: string | null;
  active: Generated<boolean>;
}

export interface ProductsTable {
  id: string;
  key: string;
  name: string;
  active: Generated<boolean>;
}

export interface RemediesTable {
  id: string;
  key: string;
  name: string;
  monetary: Generated<boolean>;
  active: Generated<boolean>;
}

export interface SettingsTable {
  key: string;
  value: Json;
}

export interface ComplainantsTable {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  preferred_language: Generated<string>;
  preferred_channel: Generated<string>;
  postal_address: string | null;
  anonymous: Generated<boolean>;
  created_at: DefaultedTimestamp;
}

export interface Representative {
  name: string;
  relationship: string;
  email?: string | undefined;
  phone?: string | undefined;
  authorityEvidence: string;
}

export interface ResponseDraft {
  outcome: 'upheld' | 'partly_upheld' | 'not_upheld';
  reasons: string;
  remedies: Array<{ key: string; amount?: number | undefined; note?: string | undefined }>;
  message?: string | undefined;
}

export interface ComplaintsTable {
  id: string;
  reference: string;
  type: 'complaint' | 'suggestion' | 'compliment';
  channel: string;
  state: string;
  language: string;
  description: string;
  occurred_on: string | null;
  aware_on: string | null;
  product_id: string | null;
  location: string | null;
  desired_remedy: string | null;
  category_id: string | null;
  severity: string | null;
  impact: string | null;
  urgency: string | null;
  priority: string | null;
  complexity: string | null;
  immediate_action: Generated<boolean>;
  in_scope: boolean | null;
  scope_reason: string | null;
  team_id: string | null;
  owner_id: string | null;
  subject_user_id: string | null;
  complainant_id: string | null;
  representative: Json<Representative> | null;
  received_at: Timestamp;
  acknowledged_at: Timestamp | null;
  assessed_at: Timestamp | null;
  response: Json<ResponseDraft> | null;
  drafted_by: string | null;
  approval_required: Generated<boolean>;
  approved_by: string | null;
  approved_at: Timestamp | null;
  sent_at: Timestamp | null;
  complainant_decision: string | null;
  escalation_level: Generated<number>;
  decision_makers: Generated<string[]>;
  merged_into_id: string | null;
  closed_at: Timestamp | null;
  closure_reason: string | null;
  next_due_at: Timestamp | null;
  source_key: string | null;
  created_by: string | null;
  version: Generated<number>;
  audit_seq: Generated<number>;
  audit_head: Generated<string>;
  search_text: Generated<string>;
  search: ColumnType<string, never, never>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface AttachmentsTable {
  id: string;
  complaint_id: string;
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  content: Uint8Array;
  source: Generated<string>;
  created_by: string | null;
  created_at: DefaultedTimestamp;
}

export interface NotesTable {
  id: string;
  complaint_id: string;
  body: string;
  author_id: string | null;
  author_label: string;
  kind: Generated<string>;
  created_at: DefaultedTimestamp;
}

export interface TasksTable {
  id: string;
  complaint_id: string;
  title: string;
  owner_id: string | null;
  due_at: Timestamp | null;
  status: Generated<'open' | 'done'>;
  created_by: string | null;
  created_at: DefaultedTimestamp;
  completed_at: Timestamp | null;
  completed_by: string | null;
}

export interface MessagesTable {
  id: string;
  complaint_id: string;
  direction: 'inbound' | 'outbound';
  channel: string;
  subject: string | null;
  body: string;
  author_id: string | null;
  created_at: DefaultedTimestamp;
}

export interface ComplaintLinksTable {
  id: string;
  complaint_id: string;
  other_id: string;
  kind: 'related' | 'duplicate';
  created_by: string | null;
  created_at: DefaultedTimestamp;
}

export interface AuditEventsTable {
  id: string;
  chain: string;
  seq: number;
  complaint_id: string | null;
  action: string;
  actor_type: string;
  actor_id: string | null;
  actor_label: string;
  channel: string;
  at: Timestamp;
  data: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

export interface AuditChainHeadsTable {
  chain: string;
  seq: number;
  hash: string;
}

export interface OutboxTable {
  id: Generated<number>;
  topic: string;
  complaint_id: string | null;
  payload: Json<Record<string, unknown>>;
  message_id: string;
  status: Generated<'pending' | 'sent' | 'dead'>;
  attempts: Generated<number>;
  available_at: DefaultedTimestamp;
  last_error: string | null;
  sent_at: Timestamp | null;
  created_at: DefaultedTimestamp;
}

export interface Database {
  teams: TeamsTable;
  users: UsersTable;
  user_teams: UserTeamsTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  categories: CategoriesTable;
  products: ProductsTable;
  remedies: RemediesTable;
  settings: SettingsTable;
  complainants: ComplainantsTable;
  complaints: ComplaintsTable;
  attachments: AttachmentsTable;
  notes: NotesTable;
  tasks: TasksTable;
  messages: MessagesTable;
  complaint_links: ComplaintLinksTable;
  audit_events: AuditEventsTable;
  audit_chain_heads: AuditChainHeadsTable;
  outbox: OutboxTable;
}

export type ComplaintRow = Selectable<ComplaintsTable>;
export type NewAuditEvent = Insertable<AuditEventsTable>;
export type NewOutbox = Insertable<OutboxTable>;
