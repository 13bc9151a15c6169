/**
 * The organisation's default business calendar, as lookup tables the database can use (so the analytics facts
 * carry business durations computed in the same transaction as the change, by trigger).
 *
 * - `analytics_work_periods(start_at, end_at, cum_ms)`: every working period from 2000 to 2050, with the business
 *   milliseconds before it. Business ms up to instant t = cum_ms of the last period starting at or before t +
 *   the part of that period before t (`analytics_bms(t)`); between a and b it is B(b) − B(a).
 * - `analytics_days(day, cum_bdays)`: the number of business days up to and including each local date
 *   (`analytics_bdays(a, b)` = business days after a's local day up to b's).
 *
 * The tables are generated from the deadline engine's compiled calendar (the same code that computes deadlines),
 * so `businessMsBetween` / `businessDaysBetween` (formulas.ts) and the SQL agree. The default calendar is the one
 * of the first default deadline profile (settings `defaultProfiles`), else the calendar 'default'.
 */
import { sql } from 'kysely';
import type { Db, DbOrTx } from '../db/client.ts';
import {
  compileCalendar,
  DAY_MS,
  isBusinessDn,
  isoWeekday,
  MINUTE_MS,
  type Calendar,
} from '../deadlines/calendar.ts';
import {
  getDeadlineConfig,
  loadDeadlineConfig,
  versionAt,
  type DeadlineConfig,
} from '../deadlines/config.ts';
import { defaultCalendar } from '../deadlines/preset-calendars.ts';

export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2050;

/** The calendar the analytics use for business time and the time zone of its periods. */
export function organisationCalendar(config: DeadlineConfig): { calendar: Calendar; version: number } {
  for (const id of config.settings.defaultProfiles) {
    const entry = config.profiles.get(id);
    const v = entry && versionAt(entry, new Date());
    const cal = v && config.calendarEntries.get(v.profile.calendarId);
    if (cal) return { calendar: cal.calendar, version: cal.currentVersion };
  }
  const fallback = config.calendarEntries.get('default');
  return fallback
    ? { calendar: fallback.calendar, version: fallback.currentVersion }
    : { calendar: defaultCalendar, version: 0 };
}

export const calendarSignature = (c: { calendar: Calendar; version: number }): string =>
  `${c.calendar.id}@${c.version}@${c.calendar.timeZone}`;

/** Pure: the working periods and cumulative business-day counts of a calendar between two years. */
export function calendarTables(cal: Calendar, fromYear = FIRST_YEAR, toYear = LAST_YEAR) {
  const cc = compileCalendar(cal);
  const first = Math.floor(Date.UTC(fromYear, 0, 1) / DAY_MS);
  const last = Math.floor(Date.UTC(toYear, 11, 31) / DAY_MS);
  const periods: { start: number[]; end: number[]; cum: number[] } = { start: [], end: [], cum: [] };
  const days: { day: string[]; cum: number[] } = { day: [], cum: [] };
  let cumMs = 0;
  let cumDays = 0;
  for (let dn = first; dn <= last; dn++) {
    const business = isBusinessDn(cc, dn);
    if (business) {
      cumDays++;
      for (const [s, e] of cc.periods[isoWeekday(dn)]!) {
        const ps = cc.zone.toUtc(dn * DAY_MS + s * MINUTE_MS);
        const pe = cc.zone.toUtc(dn * DAY_MS + e * MINUTE_MS);
        if (pe <= ps) continue;
        periods.start.push(ps);
        periods.end.push(pe);
        periods.cum.push(cumMs);
        cumMs += pe - ps;
      }
    }
    days.day.push(new Date(dn * DAY_MS).toISOString().slice(0, 10));
    days.cum.push(cumDays);
  }
  return { periods, days };
}

/** Rewrites the lookup tables for a calendar (and the business durations of every fact when asked). */
export async function installCalendar(
  db: DbOrTx,
  cal: { calendar: Calendar; version: number },
  refreshFacts: boolean,
) {
  const { periods, days } = calendarTables(cal.calendar);
  await sql`delete from analytics_work_periods`.execute(db);
  await sql`delete from analytics_days`.execute(db);
  const iso = (ms: number) => new Date(ms).toISOString();
  const CHUNK = 5000;
  for (let i = 0; i < periods.start.length; i += CHUNK) {
    await sql`insert into analytics_work_periods (start_at, end_at, cum_ms)
      select * from unnest(${periods.start.slice(i, i + CHUNK).map(iso)}::timestamptz[],
                           ${periods.end.slice(i, i + CHUNK).map(iso)}::timestamptz[],
                           ${periods.cum.slice(i, i + CHUNK)}::bigint[])`.execute(db);
  }
  for (let i = 0; i < days.day.length; i += CHUNK) {
    await sql`insert into analytics_days (day, cum_bdays)
      select * from unnest(${days.day.slice(i, i + CHUNK)}::date[], ${days.cum.slice(i, i + CHUNK)}::integer[])`.execute(
      db,
    );
  }
  await sql`insert into analytics_calendar (id, signature, time_zone) values (1, ${calendarSignature(cal)}, ${cal.calendar.timeZone})
    on conflict (id) do update set signature = excluded.signature, time_zone = excluded.time_zone`.execute(
    db,
  );
  if (refreshFacts)
    await sql`update analytics_facts set
        ack_bms = case when acknowledged_at is null then null else greatest(0, analytics_bms(acknowledged_at) - analytics_bms(received_at)) end,
        resolve_bdays = case when closed_at is null then null else analytics_bdays(received_at, closed_at) end`.execute(
      db,
    );
}

const checked = new WeakMap<Db, number>();

/**
 * Makes sure the lookup tables follow the current default calendar (checked once per deadline-configuration
 * revision and process). When an administrator changes that calendar (holidays, hours, zone), the tables and the
 * business durations of every fact are rebuilt in one transaction (seconds per million complaints). Inside a
 * transaction (a scheduled report) the configuration is read through it and any rebuild happens in it.
 */
export async function ensureCalendar(db: DbOrTx): Promise<{ calendar: Calendar; timeZone: string }> {
  if (db.isTransaction) {
    const cal = organisationCalendar(await loadDeadlineConfig(db));
    const row = await sql<{
      signature: string;
    }>`select signature from analytics_calendar where id = 1`.execute(db);
    if (row.rows[0]?.signature !== calendarSignature(cal)) await installCalendar(db, cal, true);
    return { calendar: cal.calendar, timeZone: cal.calendar.timeZone };
  }
  const root = db;
  const config = await getDeadlineConfig(root);
  const cal = organisationCalendar(config);
  if (checked.get(root) === config.revision)
    return { calendar: cal.calendar, timeZone: cal.calendar.timeZone };
  const row = await sql<{ signature: string }>`select signature from analytics_calendar where id = 1`.execute(
    db,
  );
  if (row.rows[0]?.signature !== calendarSignature(cal)) {
    await root.transaction().execute(async (tx) => {
      await sql`lock table analytics_calendar in exclusive mode`.execute(tx);
      const again = await sql<{
        signature: string;
      }>`select signature from analytics_calendar where id = 1`.execute(tx);
      if (again.rows[0]?.signature !== calendarSignature(cal)) await installCalendar(tx, cal, true);
    });
  }
  checked.set(root, config.revision);
  return { calendar: cal.calendar, timeZone: cal.calendar.timeZone };
}

/** For the migration: the default calendar as the database holds it now. */
export async function currentOrganisationCalendar(db: DbOrTx) {
  return organisationCalendar(await loadDeadlineConfig(db));
}
