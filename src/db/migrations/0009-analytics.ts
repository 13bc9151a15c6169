import { sql, type Kysely } from 'kysely';
import { currentOrganisationCalendar, installCalendar } from '../../analytics/business-calendar.ts';
import { factsTriggerSql } from '../../analytics/facts-sql.ts';

/**
 * Analytics (IMP-1, IMP-2, IMP-5): a narrow fact table with one row per complaint (the few columns the KPIs read,
 * with durations precomputed in calendar and business time), kept up to date in the same transaction as every
 * change by statement-level triggers on `complaints` and `complaint_deadlines` (so every writer — commands, bulk
 * import, demo seeding — keeps it right); the default business calendar as lookup tables; the customer counts
 * (denominators of complaints per 1,000 customers) per product and period.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create table analytics_calendar (
  id integer primary key default 1 check (id = 1),
  signature text not null,
  time_zone text not null
);

create table analytics_work_periods (
  start_at timestamptz primary key,
  end_at timestamptz not null,
  cum_ms bigint not null
);

create table analytics_days (
  day date primary key,
  cum_bdays integer not null
);

create function analytics_bms(t timestamptz) returns bigint language sql stable as $fn$
  select coalesce((
    select p.cum_ms + greatest(0, floor(extract(epoch from (least(t, p.end_at) - p.start_at)) * 1000))::bigint
    from analytics_work_periods p where p.start_at <= t order by p.start_at desc limit 1), 0)
$fn$;

create function analytics_bdays(a timestamptz, b timestamptz) returns integer language sql stable as $fn$
  select greatest(0,
    coalesce((select cum_bdays from analytics_days where day = (b at time zone c.time_zone)::date), 0) -
    coalesce((select cum_bdays from analytics_days where day = (a at time zone c.time_zone)::date), 0))
  from analytics_calendar c where c.id = 1
$fn$;

create function analytics_open_range(received timestamptz, closed timestamptz) returns tstzrange
  language sql immutable as $fn$
  select tstzrange(received, case when closed is null then null else greatest(closed, received) end, '(]')
$fn$;

create table analytics_facts (
  complaint_id uuid primary key references complaints(id) on delete cascade,
  type text not null,
  channel text not null,
  language text not null,
  category_id uuid,
  product_id uuid,
  team_id uuid,
  owner_id uuid,
  root_cause text,
  imported boolean not null default false,
  merged boolean not null default false,
  received_at timestamptz not null,
  acknowledged_at timestamptz,
  closed_at timestamptz,
  first_closed_at timestamptz,
  reopens integer not null default 0,
  escalated boolean not null default false,
  outcome text,
  redress numeric not null default 0,
  ack_ms bigint,
  ack_bms bigint,
  resolve_ms bigint,
  resolve_bdays integer,
  target_due integer not null default 0,
  target_met integer not null default 0,
  breaches integer not null default 0
);
create index analytics_facts_received_idx on analytics_facts(received_at);
create index analytics_facts_closed_idx on analytics_facts(closed_at) where closed_at is not null;
create index analytics_facts_first_closed_idx on analytics_facts(first_closed_at) where first_closed_at is not null;
-- Open at T ⇔ received_at < T ≤ closed_at (or never closed): the interval (received, closed] contains T.
create index analytics_facts_open_idx on analytics_facts using gist (analytics_open_range(received_at, closed_at));
create index portal_surveys_created_idx on portal_surveys(created_at);

create table analytics_customers (
  product_key text not null,
  valid_from date not null,
  customers integer not null check (customers > 0),
  updated_at timestamptz not null default now(),
  primary key (product_key, valid_from)
);
`,
    )
    .execute(db);
  await installCalendar(db, await currentOrganisationCalendar(db), false);
  await sql.raw(factsTriggerSql).execute(db);
  // Complaints already there (an upgraded installation): their facts, reopenings and first closures from history.
  await sql
    .raw(
      `
insert into analytics_facts (complaint_id, type, channel, language, category_id, product_id, team_id, owner_id,
    root_cause, imported, merged, received_at, acknowledged_at, closed_at, first_closed_at, reopens, escalated,
    outcome, redress, ack_ms, ack_bms, resolve_ms, resolve_bdays)
  select n.id, n.type, n.channel, n.language, n.category_id, n.product_id, n.team_id, n.owner_id, n.root_cause,
    n.import_run_id is not null, n.merged_into_id is not null, n.received_at, n.acknowledged_at, n.closed_at,
    coalesce((select min(e.at) from audit_events e where e.complaint_id = n.id and e.action in ('close','withdraw','merge')), n.closed_at),
    (select count(*) from audit_events e where e.complaint_id = n.id and e.action = 'reopen'),
    n.escalation_level > 0,
    ${'analytics_outcome(n.response, n.sent_at is not null or n.closed_at is not null)'},
    ${'analytics_redress(n.response, n.sent_at is not null or n.closed_at is not null)'},
    ${'analytics_ms(n.received_at, n.acknowledged_at)'}, ${'analytics_bms_between(n.received_at, n.acknowledged_at)'},
    ${'analytics_ms(n.received_at, n.closed_at)'}, ${'case when n.closed_at is null then null else analytics_bdays(n.received_at, n.closed_at) end'}
  from complaints n
  on conflict (complaint_id) do nothing;
update analytics_facts f set target_due = s.due, target_met = s.met, breaches = s.br
  from (select complaint_id, count(*) filter (where status in ('met','breached'))::int as due,
               count(*) filter (where status = 'met')::int as met, count(*) filter (where status = 'breached')::int as br
        from complaint_deadlines group by complaint_id) s
  where f.complaint_id = s.complaint_id;
`,
    )
    .execute(db);
}
