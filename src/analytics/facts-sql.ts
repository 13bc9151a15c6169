/**
 * The SQL that keeps `analytics_facts` (one narrow row per complaint) equal to what the complaints say, in the same
 * transaction as the change. Statement-level triggers with transition tables, so a bulk import of many rows costs
 * one INSERT … SELECT, not a trigger call per row. Runs on PostgreSQL 15 and PGlite.
 *
 * What a fact holds and how each column follows the complaint:
 * - dimensions (type, channel, language, category, product, team, owner, root cause), receipt, acknowledgement and
 *   current closure instants, merged (merged_into_id set), escalated (escalation level > 0): copied on every change;
 * - first_closed_at: the first closure ever seen (kept when the complaint is reopened);
 * - reopens: +1 each time the state becomes `reopened`;
 * - outcome and redress: the outcome and remedy amounts of the latest sent response, taken when the response is
 *   sent (sent_at changes); kept when a later escalation sets the response aside. A complaint inserted already
 *   closed or sent (an import) takes them from its response;
 * - durations: acknowledgement in ms (calendar and business), resolution in ms (calendar) and business days;
 * - target_due / target_met / breaches: its deadline milestones decided (met or breached), met, breached — kept by
 *   a trigger on `complaint_deadlines`.
 */

const OUTCOMES = `('upheld','partly_upheld','not_upheld')`;

/** Columns of a fact computed from a complaint row `n` (and, for an update, its previous version `o`). */
function factSelect(kind: 'insert' | 'update'): string {
  const taken =
    kind === 'insert'
      ? 'n.sent_at is not null or n.closed_at is not null'
      : 'n.sent_at is not null and n.sent_at is distinct from o.sent_at';
  const reopen =
    kind === 'insert'
      ? `case when n.state = 'reopened' then 1 else 0 end`
      : `case when n.state = 'reopened' and o.state is distinct from 'reopened' then 1 else 0 end`;
  return `n.id, n.type, n.channel, n.language, n.category_id, n.product_id, n.team_id, n.owner_id, n.root_cause,
    n.import_run_id is not null, n.merged_into_id is not null, n.received_at, n.acknowledged_at, n.closed_at,
    n.closed_at, ${reopen}, n.escalation_level > 0,
    analytics_outcome(n.response, ${taken}), analytics_redress(n.response, ${taken}),
    analytics_ms(n.received_at, n.acknowledged_at),
    case when n.acknowledged_at is null then null else greatest(0, coalesce(ba.v, 0) - coalesce(br.v, 0)) end,
    analytics_ms(n.received_at, n.closed_at),
    case when n.closed_at is null then null else greatest(0, coalesce(dc.v, 0) - coalesce(dr.v, 0)) end`;
}

/**
 * Business-time lookups for each row `n`, as lateral joins rather than function calls (a set-based bulk insert
 * pays an index probe per instant, not a function call): business ms before receipt (br) and acknowledgement (ba),
 * cumulative business days at the local dates of receipt (dr) and closure (dc).
 */
const bms = (alias: string, col: string) => `left join lateral (
      select p.cum_ms + greatest(0, floor(extract(epoch from (least(n.${col}, p.end_at) - p.start_at)) * 1000))::bigint as v
      from analytics_work_periods p where n.${col} is not null and p.start_at <= n.${col}
      order by p.start_at desc limit 1) ${alias} on true`;
const bdays = (alias: string, col: string) => `left join lateral (
      select d.cum_bdays as v from analytics_days d
      where n.${col} is not null and d.day = (n.${col} at time zone cal.time_zone)::date) ${alias} on true`;
const LOOKUPS = `cross join (select coalesce((select time_zone from analytics_calendar where id = 1), 'UTC') as time_zone) cal
    ${bms('br', 'received_at')} ${bms('ba', 'acknowledged_at')} ${bdays('dr', 'received_at')} ${bdays('dc', 'closed_at')}`;

const FACT_COLUMNS = `complaint_id, type, channel, language, category_id, product_id, team_id, owner_id, root_cause,
    imported, merged, received_at, acknowledged_at, closed_at, first_closed_at, reopens, escalated, outcome, redress,
    ack_ms, ack_bms, resolve_ms, resolve_bdays`;

const ON_CONFLICT = `on conflict (complaint_id) do update set
    type = excluded.type, channel = excluded.channel, language = excluded.language,
    category_id = excluded.category_id, product_id = excluded.product_id, team_id = excluded.team_id,
    owner_id = excluded.owner_id, root_cause = excluded.root_cause, imported = excluded.imported,
    merged = excluded.merged, received_at = excluded.received_at, acknowledged_at = excluded.acknowledged_at,
    closed_at = excluded.closed_at,
    first_closed_at = coalesce(analytics_facts.first_closed_at, excluded.first_closed_at),
    reopens = analytics_facts.reopens + excluded.reopens,
    escalated = excluded.escalated or analytics_facts.escalated,
    outcome = coalesce(excluded.outcome, analytics_facts.outcome),
    redress = case when excluded.outcome is null then analytics_facts.redress else excluded.redress end,
    ack_ms = excluded.ack_ms, ack_bms = excluded.ack_bms, resolve_ms = excluded.resolve_ms,
    resolve_bdays = excluded.resolve_bdays`;

/** Only the columns a fact depends on: an update that changes none of them (notes, versions …) costs nothing. */
const RELEVANT = [
  'type',
  'channel',
  'language',
  'category_id',
  'product_id',
  'team_id',
  'owner_id',
  'root_cause',
  'import_run_id',
  'merged_into_id',
  'received_at',
  'acknowledged_at',
  'closed_at',
  'state',
  'escalation_level',
  'sent_at',
];

export const factsTriggerSql = `
create function analytics_ms(a timestamptz, b timestamptz) returns bigint language sql immutable as $fn$
  select case when b is null then null else greatest(0, floor(extract(epoch from (b - a)) * 1000))::bigint end
$fn$;

create function analytics_bms_between(a timestamptz, b timestamptz) returns bigint language sql stable as $fn$
  select case when b is null then null else greatest(0, analytics_bms(b) - analytics_bms(a)) end
$fn$;

create function analytics_outcome(r jsonb, taken boolean) returns text language sql immutable as $fn$
  select case when taken and r is not null and r->>'outcome' in ${OUTCOMES} then r->>'outcome' end
$fn$;

create function analytics_redress(r jsonb, taken boolean) returns numeric language sql immutable as $fn$
  select case when taken and r is not null and r->>'outcome' in ${OUTCOMES} then
    coalesce((select sum((x->>'amount')::numeric) from jsonb_array_elements(
      case when jsonb_typeof(r->'remedies') = 'array' then r->'remedies' else '[]'::jsonb end) x
      where jsonb_typeof(x->'amount') = 'number'), 0) else 0 end
$fn$;

create function analytics_complaints_inserted() returns trigger language plpgsql as $fn$
begin
  insert into analytics_facts (${FACT_COLUMNS})
    select ${factSelect('insert')} from analytics_new n
    ${LOOKUPS}
  ${ON_CONFLICT};
  return null;
end
$fn$;
create trigger analytics_complaints_inserted after insert on complaints
  referencing new table as analytics_new for each statement execute function analytics_complaints_inserted();

create function analytics_complaints_updated() returns trigger language plpgsql as $fn$
begin
  insert into analytics_facts (${FACT_COLUMNS})
    select ${factSelect('update')} from analytics_new n join analytics_old o on o.id = n.id
    ${LOOKUPS}
    where (${RELEVANT.map((c) => `n.${c}`).join(', ')}) is distinct from (${RELEVANT.map((c) => `o.${c}`).join(', ')})
       or n.response is distinct from o.response
  ${ON_CONFLICT};
  return null;
end
$fn$;
create trigger analytics_complaints_updated after update on complaints
  referencing old table as analytics_old new table as analytics_new
  for each statement execute function analytics_complaints_updated();

create function analytics_deadlines_changed() returns trigger language plpgsql as $fn$
begin
  update analytics_facts f set target_due = s.due, target_met = s.met, breaches = s.br
    from (select d.complaint_id,
                 count(*) filter (where d.status in ('met','breached'))::int as due,
                 count(*) filter (where d.status = 'met')::int as met,
                 count(*) filter (where d.status = 'breached')::int as br
          from complaint_deadlines d
          where d.complaint_id in (select distinct complaint_id from analytics_deadlines_new)
          group by d.complaint_id) s
    where f.complaint_id = s.complaint_id
      and (f.target_due, f.target_met, f.breaches) is distinct from (s.due, s.met, s.br);
  return null;
end
$fn$;
create trigger analytics_deadlines_inserted after insert on complaint_deadlines
  referencing new table as analytics_deadlines_new for each statement execute function analytics_deadlines_changed();
create trigger analytics_deadlines_updated after update on complaint_deadlines
  referencing new table as analytics_deadlines_new for each statement execute function analytics_deadlines_changed();
`;
