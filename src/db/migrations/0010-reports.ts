import { sql, type Kysely } from 'kysely';

/**
 * Scheduled reports (API-3): what to build (KPIs, the FCA return, a complaints list), in which format, for whom, how
 * often (the next run as an instant, computed in the schedule's IANA time zone), and one row per run. A run and its
 * outbox row are written in one transaction that also advances `next_run_at`; the unique (schedule_id, scheduled_for)
 * makes a second run of the same due instant impossible even if two workers raced past the row lock.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create table report_schedules (
  id uuid primary key,
  name text not null,
  kind text not null check (kind in ('kpis','fca_return','complaints')),
  parameters jsonb not null default '{}',
  format text not null check (format in ('csv','xlsx')),
  recipients jsonb not null default '[]',
  frequency text not null check (frequency in ('daily','weekly','monthly')),
  time_of_day text not null default '07:00',
  weekday smallint not null default 1 check (weekday between 1 and 7),
  day_of_month smallint not null default 1 check (day_of_month between 1 and 28),
  time_zone text not null,
  language text not null default 'en',
  next_run_at timestamptz not null,
  active boolean not null default true,
  last_run_at timestamptz,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create index report_schedules_due_idx on report_schedules(next_run_at) where active;

create table report_runs (
  id uuid primary key,
  schedule_id uuid not null references report_schedules(id) on delete cascade,
  trigger text not null check (trigger in ('schedule','manual')),
  scheduled_for timestamptz,
  period_from date,
  period_to date,
  filename text not null,
  rows integer not null,
  bytes integer not null,
  outbox_id bigint,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  unique (schedule_id, scheduled_for)
);
create index report_runs_schedule_idx on report_runs(schedule_id, created_at desc);
`,
    )
    .execute(db);
}
