import { sql, type Kysely } from 'kysely';
import { presetCalendars, presetProfiles } from '../../deadlines/presets.ts';
import { DEFAULT_DEADLINE_SETTINGS, PRESET_ESCALATIONS } from '../../deadlines/settings.ts';

/**
 * Timeliness (issue 3, SPEC TIME-1…TIME-6): deadline profiles and business calendars as versioned data, the
 * deadlines of each complaint (one row per milestone per profile, due instants indexed), pauses of internal
 * clocks, and a table of background jobs. Plain SQL that runs on PostgreSQL 15 and on PGlite (PostgreSQL 18).
 *
 * The shipped presets are seeded here as version 1, effective from the beginning of time (so back-dated
 * complaints find them). A later change to a preset ships as a new version through a later migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create table deadline_calendars (
  id text primary key,
  current_version integer not null,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table deadline_calendar_versions (
  calendar_id text not null references deadline_calendars(id),
  version integer not null,
  name text not null,
  time_zone text not null,
  working_hours jsonb not null,
  holidays jsonb not null,
  note text,
  created_by uuid,
  created_at timestamptz not null default now(),
  primary key (calendar_id, version)
);

create table deadline_profiles (
  id text primary key,
  current_version integer not null,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table deadline_profile_versions (
  profile_id text not null references deadline_profiles(id),
  version integer not null,
  name text not null,
  jurisdiction text not null,
  source text not null,
  calendar_id text not null references deadline_calendars(id),
  milestones jsonb not null,
  escalations jsonb not null default '[]',
  effective_from timestamptz not null,
  note text,
  created_by uuid,
  created_at timestamptz not null default now(),
  primary key (profile_id, version)
);

create table deadline_config (
  id integer primary key default 1 check (id = 1),
  revision bigint not null default 1,
  settings jsonb not null
);

alter table complaints add column deadline_profiles jsonb not null default '[]';

create table complaint_deadlines (
  complaint_id uuid not null references complaints(id),
  milestone text not null,
  profile_id text not null,
  profile_version integer not null,
  calendar_id text not null,
  calendar_version integer not null,
  clock text not null check (clock in ('regulatory','internal')),
  starts_at timestamptz not null,
  due_at timestamptz not null,
  status text not null default 'pending'
    check (status in ('pending','at_risk','breached','met','lapsed','cancelled')),
  warned_shares smallint[] not null default '{}',
  paused_at timestamptz,
  paused_ms bigint not null default 0,
  next_alert_at timestamptz,
  met_at timestamptz,
  breached_at timestamptz,
  task_id uuid,
  updated_at timestamptz not null default now(),
  primary key (complaint_id, milestone, profile_id)
);
create index complaint_deadlines_due_idx on complaint_deadlines(due_at)
  where status in ('pending','at_risk','breached');
create index complaint_deadlines_alert_idx on complaint_deadlines(next_alert_at)
  where next_alert_at is not null;
create index complaint_deadlines_calendar_idx on complaint_deadlines(calendar_id, starts_at, complaint_id)
  where status in ('pending','at_risk');

create table complaint_pauses (
  complaint_id uuid not null references complaints(id),
  started_at timestamptz not null,
  ended_at timestamptz,
  primary key (complaint_id, started_at)
);

create table jobs (
  id bigint generated always as identity primary key,
  kind text not null,
  group_id uuid,
  payload jsonb not null default '{}',
  status text not null default 'pending' check (status in ('pending','done','failed')),
  attempts integer not null default 0,
  available_at timestamptz not null default now(),
  progress jsonb not null default '{}',
  last_error text,
  created_by uuid,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index jobs_pending_idx on jobs(available_at, id) where status = 'pending';
create index jobs_group_idx on jobs(group_id) where group_id is not null;
`,
    )
    .execute(db);

  const epoch = new Date(0).toISOString();
  for (const c of presetCalendars) {
    await sql`insert into deadline_calendars (id, current_version) values (${c.id}, 1)`.execute(db);
    await sql`
      insert into deadline_calendar_versions (calendar_id, version, name, time_zone, working_hours, holidays, note)
      values (${c.id}, 1, ${c.name}, ${c.timeZone}, ${JSON.stringify(c.workingHours)}::jsonb,
              ${JSON.stringify(c.holidays.map((date) => ({ date })))}::jsonb, 'preset')`.execute(db);
  }
  for (const p of presetProfiles) {
    await sql`insert into deadline_profiles (id, current_version) values (${p.id}, ${p.version})`.execute(db);
    await sql`
      insert into deadline_profile_versions
        (profile_id, version, name, jurisdiction, source, calendar_id, milestones, escalations, effective_from, note)
      values (${p.id}, ${p.version}, ${p.name}, ${p.jurisdiction}, ${p.source}, ${p.calendarId},
              ${JSON.stringify(p.milestones)}::jsonb, ${JSON.stringify(PRESET_ESCALATIONS[p.id] ?? [])}::jsonb,
              ${epoch}::timestamptz, 'preset')`.execute(db);
  }
  await sql`insert into deadline_config (id, revision, settings) values (1, 1, ${JSON.stringify(DEFAULT_DEADLINE_SETTINGS)}::jsonb)`.execute(
    db,
  );
}
