import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { PortalTables } from '../portal/db-schema.ts';
import type { AdminTables } from '../admin/db-schema.ts';
import type { AnalyticsTables } from '../analytics/db-schema.ts';
import type { ImportTables } from '../imports/db-schema.ts';
import type { ImprovementTables } from '../improvement/db-schema.ts';
import type { ReportTables } from '../exports/db-schema.ts';

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
  /** The teams it acts for (team-scoped roles see those teams' complaints). */
  team_ids: Generated<string[]>;
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
  /** Deadline profiles pinned to this complaint (id and version), see src/deadlines/. */
  deadline_profiles: ColumnType<Array<{ id: string; version: number; by?: 'hand' | 'rule' | 'default' | undefined }>, string | undefined, string>;
  source_key: string | null;
  /** The source's own fields kept from a bulk import (company, region, tags …), see src/imports/. */
  external: Json<Record<string, unknown>> | null;
  import_run_id: string | null;
  /** Root-cause classification (key in the root-cause taxonomy), see src/improvement/. */
  root_cause: string | null;
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
  gid: Generated<number>;
}

export interface AuditAnchorsTable {
  id: number;
  at: Timestamp;
  from_gid: number;
  to_gid: number;
  events: number;
  root: string;
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
  claimed_by: string | null;
  channel: string | null;
  requeued_at: Timestamp | null;
}

export interface DeliveryAttemptsTable {
  id: string;
  outbox_id: number;
  attempt: number;
  worker: string;
  channel: string;
  outcome: 'sent' | 'failed' | 'skipped' | 'in_doubt' | null;
  started_at: DefaultedTimestamp;
  finished_at: Timestamp | null;
  duration_ms: number | null;
  response: string | null;
  error: string | null;
  provider_message_id: string | null;
  provider_status: string | null;
  provider_status_at: Timestamp | null;
}

export interface InboundMessagesTable {
  id: string;
  received_at: DefaultedTimestamp;
  source: 'smtp' | 'imap' | 'api';
  mailbox: string | null;
  raw_sha256: string;
  size: number;
  header_message_id: string | null;
  outcome: 'complaint' | 'reply' | 'rejected' | 'quarantined';
  reason: string | null;
  complaint_id: string | null;
  message_row_id: string | null;
  details: Json<Record<string, unknown>>;
  raw: Uint8Array | null;
}

export interface DuplicateCandidatesTable {
  id: string;
  complaint_id: string;
  candidate_id: string;
  score: number;
  status: Generated<'open' | 'confirmed' | 'dismissed'>;
  created_at: DefaultedTimestamp;
  decided_at: Timestamp | null;
  decided_by: string | null;
}

export interface DeadlineCalendarsTable {
  id: string;
  current_version: number;
  active: Generated<boolean>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface DeadlineCalendarVersionsTable {
  calendar_id: string;
  version: number;
  name: string;
  time_zone: string;
  working_hours: Json<Record<string, Array<{ start: string; end: string }>>>;
  holidays: Json<Array<{ date: string; name?: string | undefined }>>;
  note: string | null;
  created_by: string | null;
  created_at: DefaultedTimestamp;
}

export interface DeadlineProfilesTable {
  id: string;
  current_version: number;
  active: Generated<boolean>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface DeadlineProfileVersionsTable {
  profile_id: string;
  version: number;
  name: string;
  jurisdiction: string;
  source: string;
  calendar_id: string;
  milestones: Json<unknown[]>;
  escalations: Json<unknown[]>;
  effective_from: Timestamp;
  note: string | null;
  created_by: string | null;
  created_at: DefaultedTimestamp;
}

export interface DeadlineConfigTable {
  id: Generated<number>;
  revision: Generated<number>;
  settings: Json<Record<string, unknown>>;
}

export type DeadlineStatus = 'pending' | 'at_risk' | 'breached' | 'met' | 'lapsed' | 'cancelled';

export interface ComplaintDeadlinesTable {
  complaint_id: string;
  milestone: string;
  profile_id: string;
  profile_version: number;
  calendar_id: string;
  calendar_version: number;
  clock: 'regulatory' | 'internal';
  starts_at: Timestamp;
  due_at: Timestamp;
  status: ColumnType<DeadlineStatus, DeadlineStatus | undefined, DeadlineStatus>;
  warned_shares: ColumnType<number[], number[] | undefined, number[]>;
  paused_at: Timestamp | null;
  paused_ms: ColumnType<number, number | undefined, number>;
  next_alert_at: Timestamp | null;
  met_at: Timestamp | null;
  breached_at: Timestamp | null;
  task_id: string | null;
  updated_at: DefaultedTimestamp;
}

export interface ComplaintPausesTable {
  complaint_id: string;
  started_at: Timestamp;
  ended_at: Timestamp | null;
}

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  group_id: string | null;
  payload: Json<Record<string, unknown>>;
  status: ColumnType<'pending' | 'done' | 'failed', 'pending' | 'done' | 'failed' | undefined, 'pending' | 'done' | 'failed'>;
  attempts: Generated<number>;
  available_at: DefaultedTimestamp;
  progress: ColumnType<Record<string, unknown>, string | undefined, string>;
  last_error: string | null;
  created_by: string | null;
  created_at: DefaultedTimestamp;
  finished_at: Timestamp | null;
}

export interface Database extends PortalTables, AdminTables, AnalyticsTables, ImprovementTables, ReportTables, ImportTables {
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
  audit_anchors: AuditAnchorsTable;
  outbox: OutboxTable;
  deadline_calendars: DeadlineCalendarsTable;
  deadline_calendar_versions: DeadlineCalendarVersionsTable;
  deadline_profiles: DeadlineProfilesTable;
  deadline_profile_versions: DeadlineProfileVersionsTable;
  deadline_config: DeadlineConfigTable;
  complaint_deadlines: ComplaintDeadlinesTable;
  complaint_pauses: ComplaintPausesTable;
  jobs: JobsTable;
  delivery_attempts: DeliveryAttemptsTable;
  inbound_messages: InboundMessagesTable;
  duplicate_candidates: DuplicateCandidatesTable;
}

/** A complaint as the application reads it: without the search vector and its prepared text (large, never shown). */
export type ComplaintRow = Omit<Selectable<ComplaintsTable>, 'search' | 'search_text'>;

/** The columns of a ComplaintRow, for `select(...)`/`returning(...)` on the hot paths instead of `selectAll()`. */
export const complaintColumns = [
  'id',
  'reference',
  'type',
  'channel',
  'state',
  'language',
  'description',
  'occurred_on',
  'aware_on',
  'product_id',
  'location',
  'desired_remedy',
  'category_id',
  'severity',
  'impact',
  'urgency',
  'priority',
  'complexity',
  'immediate_action',
  'in_scope',
  'scope_reason',
  'team_id',
  'owner_id',
  'subject_user_id',
  'complainant_id',
  'representative',
  'received_at',
  'acknowledged_at',
  'assessed_at',
  'response',
  'drafted_by',
  'approval_required',
  'approved_by',
  'approved_at',
  'sent_at',
  'complainant_decision',
  'escalation_level',
  'decision_makers',
  'merged_into_id',
  'closed_at',
  'closure_reason',
  'next_due_at',
  'deadline_profiles',
  'source_key',
  'external',
  'import_run_id',
  'root_cause',
  'created_by',
  'version',
  'audit_seq',
  'audit_head',
  'created_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof ComplaintRow>;
export type NewAuditEvent = Insertable<AuditEventsTable>;
export type NewOutbox = Insertable<OutboxTable>;
