import { sql, type Kysely } from 'kysely';

/** Bulk import (API-3): the source's own fields kept on each imported complaint, and the run it came from. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
alter table complaints add column external jsonb;
alter table complaints add column import_run_id uuid;
`,
    )
    .execute(db);
  // Presets (column mappings), runs (the uploaded file is kept until its job is done) and rejected rows.
  await sql
    .raw(
      `
create table import_presets (
  name text primary key,
  description text not null default '',
  mapping jsonb not null,
  builtin boolean not null default false,
  created_by uuid,
  updated_at timestamptz not null default now()
);
insert into import_presets (name, description, mapping, builtin) values
  ('cfpb', 'US CFPB Consumer Complaint Database export (18 columns)', '{"kind":"cfpb"}', true);

create table import_runs (
  id uuid primary key,
  preset text not null,
  filename text not null,
  status text not null default 'queued' check (status in ('queued','running','done','failed')),
  bytes bigint not null default 0,
  encoding text,
  total integer,
  processed integer not null default 0,
  imported integer not null default 0,
  rejected integer not null default 0,
  duplicates integer not null default 0,
  header jsonb,
  file bytea,
  job_id bigint,
  error text,
  created_by uuid,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
alter table import_runs alter column file set storage external;
create index import_runs_created_idx on import_runs(created_at desc);

create table import_rejections (
  run_id uuid not null references import_runs(id) on delete cascade,
  line integer not null,
  source_id text,
  reason text not null,
  raw text,
  primary key (run_id, line)
);

create index complaints_import_run_idx on complaints(import_run_id) where import_run_id is not null;
`,
    )
    .execute(db);
}
