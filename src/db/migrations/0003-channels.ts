import { sql, type Kysely } from 'kysely';

/**
 * Channels (CHAN-1…CHAN-4, INT-7): the delivery log of the outbox, the record of every inbound e-mail, and the
 * likely duplicates flagged for review. Plain SQL that runs on PostgreSQL 15 and on PGlite (PostgreSQL 18).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
alter table outbox add column claimed_by text;
alter table outbox add column channel text;
alter table outbox add column requeued_at timestamptz;
create index outbox_dead_idx on outbox(id) where status = 'dead';
create index outbox_complaint_idx on outbox(complaint_id, id) where complaint_id is not null;

-- One row per delivery attempt. outcome is null while a message is handed over (SMTP: the final dot is being sent):
-- a crash then leaves the row without an outcome, and the next worker treats it as delivered ("in_doubt"), never
-- sending a second copy. No personal data: no addresses, and server answers are redacted.
create table delivery_attempts (
  id uuid primary key,
  outbox_id bigint not null references outbox(id),
  attempt integer not null,
  worker text not null,
  channel text not null,
  outcome text check (outcome in ('sent','failed','skipped','in_doubt')),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  duration_ms integer,
  response text,
  error text,
  provider_message_id text,
  provider_status text,
  provider_status_at timestamptz
);
create index delivery_attempts_outbox_idx on delivery_attempts(outbox_id, started_at);
create unique index delivery_attempts_provider_idx on delivery_attempts(channel, provider_message_id) where provider_message_id is not null;

-- Every inbound e-mail and what became of it: a complaint, a reply added to a case, a recorded rejection, or a
-- quarantine (unparseable). The raw source is kept for rejections and quarantines so nothing is lost.
create table inbound_messages (
  id uuid primary key,
  received_at timestamptz not null default now(),
  source text not null check (source in ('smtp','imap','api')),
  mailbox text,
  raw_sha256 text not null unique,
  size integer not null,
  header_message_id text,
  outcome text not null check (outcome in ('complaint','reply','rejected','quarantined')),
  reason text,
  complaint_id uuid references complaints(id),
  message_row_id uuid,
  details jsonb not null default '{}',
  raw bytea
);
create index inbound_messages_outcome_idx on inbound_messages(outcome, received_at desc);
create index inbound_messages_received_idx on inbound_messages(received_at desc, id desc);
create index inbound_messages_header_id_idx on inbound_messages(header_message_id) where header_message_id is not null;
create index inbound_messages_complaint_idx on inbound_messages(complaint_id) where complaint_id is not null;

-- INT-7: a new complaint that looks like a recent one from the same person, flagged for review (never dropped).
create table duplicate_candidates (
  id uuid primary key,
  complaint_id uuid not null references complaints(id),
  candidate_id uuid not null references complaints(id),
  score real not null,
  status text not null default 'open' check (status in ('open','confirmed','dismissed')),
  created_at timestamptz not null default now(),
  decided_at timestamptz,
  decided_by uuid,
  unique (complaint_id, candidate_id)
);
-- Same person by phone number (digits only), for duplicate detection.
create index complainants_phone_digits_idx on complainants (regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g')) where phone is not null;
create index duplicate_candidates_open_idx on duplicate_candidates(created_at desc) where status = 'open';
`,
    )
    .execute(db);
}
