import { sql, type Kysely } from 'kysely';
import { defaultPortalPages } from '../../portal/content/defaults.ts';

/**
 * The complainant portal (PORT-1…PORT-6): tracking credentials (stored as SHA-256 digests, revocable), portal
 * sessions, staged uploads of a submission being corrected, consent records, once-only action keys, satisfaction
 * surveys (one per closure) and the public pages an administrator edits, seeded in the six seed languages.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create table portal_keys (
  id text primary key,
  secret text not null,
  created_at timestamptz not null default now()
);

create table portal_tokens (
  id uuid primary key,
  complaint_id uuid not null references complaints(id),
  kind text not null check (kind in ('link','secret')),
  digest text not null unique,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  last_used_at timestamptz
);
create index portal_tokens_complaint_idx on portal_tokens(complaint_id);

create table portal_sessions (
  id text primary key,
  complaint_id uuid not null references complaints(id),
  token_id uuid not null references portal_tokens(id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index portal_sessions_complaint_idx on portal_sessions(complaint_id);

create table portal_submissions (
  complaint_id uuid primary key references complaints(id),
  submission_id text not null unique,
  language text not null,
  consented_at timestamptz not null,
  created_at timestamptz not null default now()
);

create table portal_uploads (
  id uuid primary key,
  submission_id text not null,
  filename text not null,
  mime text not null,
  size integer not null,
  sha256 text not null,
  content bytea not null,
  created_at timestamptz not null default now()
);
create index portal_uploads_submission_idx on portal_uploads(submission_id);
create index portal_uploads_created_idx on portal_uploads(created_at);

create table portal_actions (
  id text primary key,
  complaint_id uuid not null references complaints(id),
  created_at timestamptz not null default now()
);

create table portal_surveys (
  id uuid primary key,
  complaint_id uuid not null references complaints(id),
  closed_at timestamptz not null,
  language text not null,
  answers jsonb not null,
  comment text,
  created_at timestamptz not null default now(),
  unique (complaint_id, closed_at)
);

create table portal_pages (
  key text not null,
  language text not null,
  title text not null,
  body text not null,
  version integer not null default 1,
  updated_at timestamptz not null default now(),
  updated_by text,
  primary key (key, language)
);
`,
    )
    .execute(db);
  const rows = defaultPortalPages();
  await (db as Kysely<{ portal_pages: { key: string; language: string; title: string; body: string } }>)
    .insertInto('portal_pages')
    .values(rows)
    .execute();
}
