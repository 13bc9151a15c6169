import { sql, type Kysely } from 'kysely';

/**
 * The initial schema. Written as plain SQL that runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).
 * Personal data (complainants) lives apart from complaint content so analytics and exports can run without it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create table teams (
  id uuid primary key,
  key text not null unique,
  name text not null,
  created_at timestamptz not null default now()
);

create table users (
  id uuid primary key,
  email text not null unique,
  name text not null,
  role text not null check (role in ('intake','handler','manager','quality','auditor','admin')),
  password_hash text,
  locale text not null default 'en',
  active boolean not null default true,
  failed_logins integer not null default 0,
  locked_until timestamptz,
  created_at timestamptz not null default now()
);

create table user_teams (
  user_id uuid not null references users(id) on delete cascade,
  team_id uuid not null references teams(id) on delete cascade,
  primary key (user_id, team_id)
);

create table sessions (
  id text primary key,
  user_id uuid not null references users(id) on delete cascade,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user_idx on sessions(user_id);

create table api_keys (
  id uuid primary key,
  name text not null,
  role text not null check (role in ('intake','handler','manager','quality','auditor','admin')),
  digest text not null unique,
  prefix text not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  last_used_at timestamptz
);

create table categories (
  id uuid primary key,
  key text not null unique,
  parent_id uuid references categories(id),
  name text not null,
  team_id uuid references teams(id),
  active boolean not null default true
);

create table products (
  id uuid primary key,
  key text not null unique,
  name text not null,
  active boolean not null default true
);

create table remedies (
  id uuid primary key,
  key text not null unique,
  name text not null,
  monetary boolean not null default false,
  active boolean not null default true
);

create table settings (
  key text primary key,
  value jsonb not null
);

create table complainants (
  id uuid primary key,
  name text,
  email text,
  phone text,
  preferred_language text not null default 'en',
  preferred_channel text not null default 'email',
  postal_address text,
  anonymous boolean not null default false,
  created_at timestamptz not null default now()
);
create index complainants_email_idx on complainants(lower(email));

create table complaints (
  id uuid primary key,
  reference text not null unique,
  type text not null check (type in ('complaint','suggestion','compliment')),
  channel text not null,
  state text not null,
  language text not null default 'en',
  description text not null,
  occurred_on date,
  aware_on date,
  product_id uuid references products(id),
  location text,
  desired_remedy text,
  category_id uuid references categories(id),
  severity text,
  impact text,
  urgency text,
  priority text,
  complexity text,
  immediate_action boolean not null default false,
  in_scope boolean,
  scope_reason text,
  team_id uuid references teams(id),
  owner_id uuid references users(id),
  subject_user_id uuid references users(id),
  complainant_id uuid references complainants(id),
  representative jsonb,
  received_at timestamptz not null,
  acknowledged_at timestamptz,
  assessed_at timestamptz,
  response jsonb,
  drafted_by uuid,
  approval_required boolean not null default false,
  approved_by uuid,
  approved_at timestamptz,
  sent_at timestamptz,
  complainant_decision text,
  escalation_level integer not null default 0,
  decision_makers uuid[] not null default '{}',
  merged_into_id uuid references complaints(id),
  closed_at timestamptz,
  closure_reason text,
  next_due_at timestamptz,
  source_key text unique,
  created_by uuid,
  version integer not null default 1,
  audit_seq integer not null default 0,
  audit_head text not null default '',
  search_text text not null default '',
  search tsvector generated always as (to_tsvector('simple'::regconfig, search_text)) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index complaints_received_idx on complaints(received_at desc, id desc);
create index complaints_state_idx on complaints(state);
create index complaints_team_idx on complaints(team_id, received_at desc);
create index complaints_owner_idx on complaints(owner_id, received_at desc);
create index complaints_next_due_idx on complaints(next_due_at) where next_due_at is not null;
create index complaints_complainant_idx on complaints(complainant_id);
create index complaints_search_idx on complaints using gin(search);

create table attachments (
  id uuid primary key,
  complaint_id uuid not null references complaints(id),
  filename text not null,
  mime text not null,
  size integer not null,
  sha256 text not null,
  content bytea not null,
  source text not null default 'staff',
  created_by uuid,
  created_at timestamptz not null default now()
);
create index attachments_complaint_idx on attachments(complaint_id);

create table notes (
  id uuid primary key,
  complaint_id uuid not null references complaints(id),
  body text not null,
  author_id uuid,
  author_label text not null,
  kind text not null default 'internal',
  created_at timestamptz not null default now()
);
create index notes_complaint_idx on notes(complaint_id, created_at);

create table tasks (
  id uuid primary key,
  complaint_id uuid not null references complaints(id),
  title text not null,
  owner_id uuid references users(id),
  due_at timestamptz,
  status text not null default 'open' check (status in ('open','done')),
  created_by uuid,
  created_at timestamptz not null default now(),
  completed_at timestamptz,
  completed_by uuid
);
create index tasks_complaint_idx on tasks(complaint_id);

create table messages (
  id uuid primary key,
  complaint_id uuid not null references complaints(id),
  direction text not null check (direction in ('inbound','outbound')),
  channel text not null,
  subject text,
  body text not null,
  author_id uuid,
  created_at timestamptz not null default now()
);
create index messages_complaint_idx on messages(complaint_id, created_at);

create table complaint_links (
  id uuid primary key,
  complaint_id uuid not null references complaints(id),
  other_id uuid not null references complaints(id),
  kind text not null check (kind in ('related','duplicate')),
  created_by uuid,
  created_at timestamptz not null default now(),
  unique (complaint_id, other_id, kind)
);

create table audit_events (
  id uuid primary key,
  chain text not null,
  seq integer not null,
  complaint_id uuid,
  action text not null,
  actor_type text not null,
  actor_id uuid,
  actor_label text not null,
  channel text not null,
  at timestamptz not null,
  data jsonb not null,
  prev_hash text not null,
  hash text not null,
  unique (chain, seq)
);
create index audit_events_complaint_idx on audit_events(complaint_id, seq);

create table audit_chain_heads (
  chain text primary key,
  seq integer not null,
  hash text not null
);

create function redress_forbid_change() returns trigger language plpgsql as $fn$
begin
  raise exception 'audit history is append-only: % on % refused', tg_op, tg_table_name
    using errcode = 'P0001';
end
$fn$;
create trigger audit_events_append_only before update or delete on audit_events
  for each row execute function redress_forbid_change();
create trigger audit_events_no_truncate before truncate on audit_events
  for each statement execute function redress_forbid_change();

create table outbox (
  id bigint generated always as identity primary key,
  topic text not null,
  complaint_id uuid,
  payload jsonb not null,
  message_id text not null unique,
  status text not null default 'pending' check (status in ('pending','sent','dead')),
  attempts integer not null default 0,
  available_at timestamptz not null default now(),
  last_error text,
  sent_at timestamptz,
  created_at timestamptz not null default now()
);
create index outbox_pending_idx on outbox(available_at) where status = 'pending';
`,
    )
    .execute(db);
}
