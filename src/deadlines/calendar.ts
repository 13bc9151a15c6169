/**
 * Business calendars and DST-correct time-zone arithmetic for the deadline engine (SPEC TIME-2).
 *
 * Pure: no I/O. Time-zone offsets come from `Intl.DateTimeFormat` (the platform's tzdb) and are cached per zone
 * and per UTC day, so after warm-up a UTC <-> local conversion is a couple of Map look-ups.
 *
 * Conventions used throughout the module:
 * - a *local date* is either a 'YYYY-MM-DD' string (public API) or a *day number* `dn` = days since 1970-01-01
 *   in the proleptic Gregorian calendar (internal, fast);
 * - *local wall time* is expressed as "local milliseconds": `dn * DAY_MS + ms since local midnight`, i.e. the
 *   wall clock read as if it were UTC;
 * - local wall times that do not exist (spring-forward gap) or exist twice (autumn fold) are resolved like
 *   Temporal's `disambiguation: 'compatible'`: a time in a gap moves forward by the length of the gap, an
 *   ambiguous time takes the earlier instant.
 *
 * Calendars are treated as immutable values: they are validated and compiled once (cached by object identity).
 * To change a calendar, build a new object (or call `invalidateCalendar`).
 */

export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
/** A working period within a day, local wall time 'HH:MM' (end may be '24:00'). */
export interface WorkingPeriod {
  start: string;
  end: string;
}
export interface Calendar {
  id: string;
  name: string;
  /** IANA time zone, e.g. 'Europe/London'. */
  timeZone: string;
  /** ISO weekday (1 = Monday … 7 = Sunday) -> working periods; an empty array means closed all day. */
  workingHours: Record<Weekday, WorkingPeriod[]>;
  /** Local dates 'YYYY-MM-DD' on which the business is closed. */
  holidays: string[];
}

export class CalendarError extends Error {
  override name = 'CalendarError';
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------------------------
// Civil date arithmetic on day numbers (H. Hinnant's algorithms; no Date allocation).

export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(dn: number): [year: number, month: number, day: number] {
  const z = dn + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** ISO weekday of a day number (1970-01-01, day 0, was a Thursday). */
export function isoWeekday(dn: number): Weekday {
  return ((((dn % 7) + 10) % 7) + 1) as Weekday;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
function daysInMonth(y: number, m: number): number {
  return m === 2
    ? y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(m)
      ? 30
      : 31;
}

/** 'YYYY-MM-DD' -> day number; throws CalendarError on anything else (including 2026-02-30). */
export function parseLocalDate(s: string): number {
  const m = DATE_RE.exec(s);
  if (!m) throw new CalendarError(`invalid local date '${s}' (expected YYYY-MM-DD)`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo))
    throw new CalendarError(`invalid local date '${s}'`);
  return daysFromCivil(y, mo, d);
}

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;
export function formatLocalDate(dn: number): string {
  const [y, m, d] = civilFromDays(dn);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Time zones.

interface DayEntry {
  /** Instant of the offset transition inside this UTC day, or +Infinity when there is none. */
  at: number;
  before: number;
  after: number;
}

const MAX_CACHED_DAYS = 200_000;

/** A time zone with a per-UTC-day cache of its offset (and of the transition instant on DST days). */
export class Zone {
  private readonly fmt: Intl.DateTimeFormat;
  private readonly days = new Map<number, DayEntry>();

  constructor(readonly timeZone: string) {
    try {
      this.fmt = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new CalendarError(`unknown time zone '${timeZone}'`);
    }
  }

  /** Offset (local - UTC) in ms straight from Intl, at whole-second resolution. */
  private rawOffset(ms: number): number {
    const t = Math.floor(ms / 1000) * 1000;
    let y = 1970;
    let mo = 1;
    let d = 1;
    let h = 0;
    let mi = 0;
    let s = 0;
    for (const p of this.fmt.formatToParts(t)) {
      if (p.type === 'year') y = Number(p.value);
      else if (p.type === 'month') mo = Number(p.value);
      else if (p.type === 'day') d = Number(p.value);
      else if (p.type === 'hour') h = Number(p.value);
      else if (p.type === 'minute') mi = Number(p.value);
      else if (p.type === 'second') s = Number(p.value);
    }
    return daysFromCivil(y, mo, d) * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000 - t;
  }

  private fill(day: number): DayEntry {
    const lo0 = day * DAY_MS;
    const hi0 = lo0 + DAY_MS;
    const before = this.rawOffset(lo0);
    const after = this.rawOffset(hi0);
    let at = Infinity;
    if (before !== after) {
      // Binary search the first second whose offset is `after` (one transition per day at most).
      let lo = lo0;
      let hi = hi0;
      while (hi - lo > 1000) {
        const mid = Math.floor((lo + hi) / 2000) * 1000;
        if (mid <= lo) break;
        if (this.rawOffset(mid) === before) lo = mid;
        else hi = mid;
      }
      at = hi;
    }
    if (this.days.size >= MAX_CACHED_DAYS) this.days.clear();
    const e = { at, before, after };
    this.days.set(day, e);
    return e;
  }

  /** Offset (local - UTC, ms) in force at the UTC instant `ms`. */
  offsetAt(ms: number): number {
    const day = Math.floor(ms / DAY_MS);
    const e = this.days.get(day) ?? this.fill(day);
    return ms < e.at ? e.before : e.after;
  }

  /** UTC instant -> local milliseconds. */
  toLocal(ms: number): number {
    return ms + this.offsetAt(ms);
  }

  /** Local milliseconds -> UTC instant ('compatible' disambiguation, see module comment). */
  toUtc(local: number): number {
    const oA = this.offsetAt(local - DAY_MS);
    const oB = this.offsetAt(local + DAY_MS);
    if (oA === oB) return local - oA;
    const tA = local - oA;
    const tB = local - oB;
    const okA = this.offsetAt(tA) === oA;
    const okB = this.offsetAt(tB) === oB;
    if (okA && okB) return Math.min(tA, tB); // fold: earlier instant
    if (okB) return tB;
    return tA; // valid with the earlier offset, or in a gap: pushed forward by the gap
  }
}

const zones = new Map<string, Zone>();
export function zoneFor(timeZone: string): Zone {
  let z = zones.get(timeZone);
  if (!z) {
    z = new Zone(timeZone);
    zones.set(timeZone, z);
  }
  return z;
}

// ---------------------------------------------------------------------------------------------------------------
// Compiled calendars.

export interface CompiledCalendar {
  readonly source: Calendar;
  readonly zone: Zone;
  readonly holidays: ReadonlySet<number>;
  /** Index = ISO weekday (0 unused); working periods as [startMinute, endMinute). */
  readonly periods: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
  /** Index = ISO weekday; opening / closing minute of the day, -1 when closed. */
  readonly openMin: readonly number[];
  readonly closeMin: readonly number[];
  readonly hasWorkingDay: boolean;
}

const TIME_RE = /^([01]\d|2[0-4]):([0-5]\d)$/;
function parseMinutes(s: string, where: string): number {
  const m = TIME_RE.exec(s);
  const v = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  if (!(v >= 0 && v <= 1440))
    throw new CalendarError(`${where}: invalid time '${s}' (expected HH:MM, 00:00-24:00)`);
  return v;
}

const compiled = new WeakMap<Calendar, CompiledCalendar>();

/** Validates and compiles a calendar (cached per object). Throws CalendarError. */
export function compileCalendar(cal: Calendar): CompiledCalendar {
  const hit = compiled.get(cal);
  if (hit) return hit;
  const where = `calendar '${cal.id}'`;
  const zone = zoneFor(cal.timeZone);
  const periods: Array<Array<readonly [number, number]>> = [[]];
  const openMin = [-1];
  const closeMin = [-1];
  for (let wd = 1; wd <= 7; wd++) {
    const list = cal.workingHours[wd as Weekday];
    if (!Array.isArray(list)) throw new CalendarError(`${where}: workingHours[${wd}] must be an array`);
    const ps = list
      .map((p) => [parseMinutes(p.start, where), parseMinutes(p.end, where)] as const)
      .sort((a, b) => a[0] - b[0]);
    ps.forEach((p, i) => {
      if (p[0] >= p[1]) throw new CalendarError(`${where}: empty working period on weekday ${wd}`);
      const prev = ps[i - 1];
      if (prev && prev[1] > p[0])
        throw new CalendarError(`${where}: overlapping working periods on weekday ${wd}`);
    });
    periods.push(ps);
    openMin.push(ps[0]?.[0] ?? -1);
    closeMin.push(ps[ps.length - 1]?.[1] ?? -1);
  }
  const holidays = new Set<number>();
  for (const h of cal.holidays) holidays.add(parseLocalDate(h));
  const cc: CompiledCalendar = {
    source: cal,
    zone,
    holidays,
    periods,
    openMin,
    closeMin,
    hasWorkingDay: closeMin.some((c) => c >= 0),
  };
  compiled.set(cal, cc);
  return cc;
}

export function invalidateCalendar(cal: Calendar): void {
  compiled.delete(cal);
}

export function isBusinessDn(cc: CompiledCalendar, dn: number): boolean {
  return cc.closeMin[isoWeekday(dn)]! >= 0 && !cc.holidays.has(dn);
}

/** The n-th business day strictly after `dn` (n = 0 returns `dn` itself). */
export function nthBusinessDayAfter(cc: CompiledCalendar, dn: number, n: number): number {
  if (n > 0 && !cc.hasWorkingDay) throw new CalendarError(`calendar '${cc.source.id}' has no working days`);
  let d = dn;
  for (let k = 0; k < n;) {
    d++;
    if (cc.closeMin[isoWeekday(d)]! >= 0 && !cc.holidays.has(d)) k++;
  }
  return d;
}

/** Last instant of a local day (23:59:59.999 local). */
export function endOfDayMs(cc: CompiledCalendar, dn: number): number {
  return cc.zone.toUtc((dn + 1) * DAY_MS) - 1;
}

/** Close of business of a local day: end of its last working period; end of day when closed (weekend, holiday). */
export function closeOfBusinessMs(cc: CompiledCalendar, dn: number): number {
  const c = cc.closeMin[isoWeekday(dn)]!;
  return c < 0 || cc.holidays.has(dn) ? endOfDayMs(cc, dn) : cc.zone.toUtc(dn * DAY_MS + c * MINUTE_MS);
}

/** Adds working time (working periods of business days) to an instant. */
export function addBusinessHoursMs(cc: CompiledCalendar, startMs: number, hours: number): number {
  let remaining = hours * HOUR_MS;
  if (remaining <= 0) return startMs;
  if (!cc.hasWorkingDay) throw new CalendarError(`calendar '${cc.source.id}' has no working days`);
  let t = startMs;
  let dn = Math.floor(cc.zone.toLocal(startMs) / DAY_MS);
  for (let guard = 0; guard < 100_000; guard++, dn++) {
    if (!isBusinessDn(cc, dn)) continue;
    for (const [s, e] of cc.periods[isoWeekday(dn)]!) {
      const ps = cc.zone.toUtc(dn * DAY_MS + s * MINUTE_MS);
      const pe = cc.zone.toUtc(dn * DAY_MS + e * MINUTE_MS);
      if (t >= pe) continue;
      if (t < ps) t = ps;
      if (remaining <= pe - t) return t + remaining;
      remaining -= pe - t;
      t = pe;
    }
  }
  throw new CalendarError(`calendar '${cc.source.id}': business hours do not fit in the calendar`);
}

// ---------------------------------------------------------------------------------------------------------------
// Public convenience API (strings and Dates).

export interface LocalDateTime {
  /** 'YYYY-MM-DD' */
  date: string;
  /** 'HH:MM:SS' (milliseconds dropped) */
  time: string;
  weekday: Weekday;
  /** Offset in minutes (local - UTC), e.g. 60 for BST. */
  offsetMinutes: number;
}

/** UTC instant -> local wall time in `timeZone`. */
export function toLocalDateTime(instant: Date, timeZone: string): LocalDateTime {
  const z = zoneFor(timeZone);
  const ms = instant.getTime();
  const off = z.offsetAt(ms);
  const local = ms + off;
  const dn = Math.floor(local / DAY_MS);
  const sec = Math.floor((local - dn * DAY_MS) / 1000);
  const time = `${pad2(Math.floor(sec / 3600))}:${pad2(Math.floor(sec / 60) % 60)}:${pad2(sec % 60)}`;
  return { date: formatLocalDate(dn), time, weekday: isoWeekday(dn), offsetMinutes: off / MINUTE_MS };
}

/** Local wall time ('YYYY-MM-DD', 'HH:MM' or 'HH:MM:SS') in `timeZone` -> UTC instant ('compatible'). */
export function fromLocalDateTime(date: string, time: string, timeZone: string): Date {
  const m = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!m) throw new CalendarError(`invalid local time '${time}'`);
  const ms = ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000;
  return new Date(zoneFor(timeZone).toUtc(parseLocalDate(date) * DAY_MS + ms));
}

/** The local date ('YYYY-MM-DD') of an instant in a time zone. */
export function localDateOf(instant: Date, timeZone: string): string {
  return formatLocalDate(Math.floor(zoneFor(timeZone).toLocal(instant.getTime()) / DAY_MS));
}

export function isBusinessDay(cal: Calendar, date: string): boolean {
  return isBusinessDn(compileCalendar(cal), parseLocalDate(date));
}

/** The n-th business day strictly after `date` ('YYYY-MM-DD'). */
export function addBusinessDays(cal: Calendar, date: string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new CalendarError(`business days must be a non-negative integer`);
  return formatLocalDate(nthBusinessDayAfter(compileCalendar(cal), parseLocalDate(date), n));
}

export function closeOfBusiness(cal: Calendar, date: string): Date {
  return new Date(closeOfBusinessMs(compileCalendar(cal), parseLocalDate(date)));
}

export function endOfLocalDay(cal: Calendar, date: string): Date {
  return new Date(endOfDayMs(compileCalendar(cal), parseLocalDate(date)));
}

export function addBusinessHours(cal: Calendar, instant: Date, hours: number): Date {
  return new Date(addBusinessHoursMs(compileCalendar(cal), instant.getTime(), hours));
}

/** Throws CalendarError when the calendar is invalid (bad zone, times, overlapping periods, bad holiday dates). */
export function validateCalendar(cal: Calendar): void {
  invalidateCalendar(cal);
  compileCalendar(cal);
}

/** Mon–Fri working hours helper for calendar data. */
export function weekdayHours(start: string, end: string): Record<Weekday, WorkingPeriod[]> {
  const p = (): WorkingPeriod[] => [{ start, end }];
  return { 1: p(), 2: p(), 3: p(), 4: p(), 5: p(), 6: [], 7: [] };
}
