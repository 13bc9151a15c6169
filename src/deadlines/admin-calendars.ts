/**
 * Administration of business calendars and their holidays (TIME-2, TIME-6): every change is a new version, recorded
 * on the system history chain, bumps the configuration revision, and enqueues the recompute of the open complaints
 * it affects (for a change of holidays only: those whose windows contain a changed date) — in one transaction.
 */
import type { Db, Tx } from '../db/client.ts';
import { recordSystemEvent } from '../audit/record-system-event.ts';
import type { Actor } from '../identity/roles.ts';
import { conflict, notFound, ValidationError } from '../shared/errors.ts';
import { bumpRevision, checkExpected, inTx, type ChangeResult } from './admin-common.ts';
import type { CreateCalendarInput, UpdateCalendarInput } from './admin-schemas.ts';
import {
  CalendarError,
  validateCalendar,
  type Calendar,
  type Weekday,
  type WorkingPeriod,
} from './calendar.ts';
import { ICalParseError, parseICalHolidays } from './ical.ts';
import { enqueueRecompute } from './recompute.ts';

// ---------------------------------------------------------------------------------------------------------------
// Calendars and holidays

type HolidayEntry = { date: string; name?: string | undefined };

function sortHolidays(list: HolidayEntry[]): HolidayEntry[] {
  const byDate = new Map<string, HolidayEntry>();
  for (const h of list) byDate.set(h.date, h.name ? { date: h.date, name: h.name } : { date: h.date });
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

function checkCalendar(
  id: string,
  input: {
    name: string;
    timeZone: string;
    workingHours: Record<string, WorkingPeriod[]>;
    holidays: HolidayEntry[];
  },
) {
  const cal: Calendar = {
    id,
    name: input.name,
    timeZone: input.timeZone,
    workingHours: input.workingHours as Record<Weekday, WorkingPeriod[]>,
    holidays: input.holidays.map((h) => h.date),
  };
  try {
    validateCalendar(cal);
  } catch (error) {
    if (!(error instanceof CalendarError)) throw error;
    const field = error.message.includes('time zone')
      ? 'timeZone'
      : error.message.includes('date')
        ? 'holidays'
        : 'workingHours';
    throw new ValidationError([{ field, code: 'invalid_calendar', message: error.message }]);
  }
}

interface CalendarVersionData {
  name: string;
  timeZone: string;
  workingHours: Record<string, WorkingPeriod[]>;
  holidays: HolidayEntry[];
  note?: string | undefined;
}

async function writeCalendarVersion(
  tx: Tx,
  actor: Actor,
  id: string,
  version: number,
  data: CalendarVersionData,
  action: string,
  detail: Record<string, unknown>,
  extra: { active?: boolean | undefined; previous?: CalendarVersionData } = {},
): Promise<ChangeResult> {
  checkCalendar(id, data);
  const now = new Date();
  const holidays = sortHolidays(data.holidays);
  if (version === 1) await tx.insertInto('deadline_calendars').values({ id, current_version: 1 }).execute();
  await tx
    .insertInto('deadline_calendar_versions')
    .values({
      calendar_id: id,
      version,
      name: data.name,
      time_zone: data.timeZone,
      working_hours: JSON.stringify(data.workingHours),
      holidays: JSON.stringify(holidays),
      note: data.note ?? null,
      created_by: actor.id,
    })
    .execute();
  if (version > 1)
    await tx
      .updateTable('deadline_calendars')
      .set({
        current_version: version,
        updated_at: now,
        ...(extra.active !== undefined ? { active: extra.active } : {}),
      })
      .where('id', '=', id)
      .execute();
  await bumpRevision(tx);
  const delta = holidayDelta(extra.previous, data);
  // Nothing that counts changed (a new name, the same holidays): nothing to recompute.
  const recompute =
    version > 1 && delta.dates?.length !== 0
      ? await enqueueRecompute(
          tx,
          { reason: `calendar ${id} v${version}: ${action.replaceAll('_', ' ')}`, calendarId: id, ...delta },
          { createdBy: actor.id },
        )
      : null;
  await recordSystemEvent(tx, actor, action, {
    calendarId: id,
    version,
    holidays: holidays.length,
    ...detail,
    jobGroup: recompute?.groupId ?? null,
  });
  return { id, version, recompute };
}

/** When only holidays changed: the dates added or removed (the recompute then looks at those windows only). */
function holidayDelta(
  previous: CalendarVersionData | undefined,
  next: CalendarVersionData,
): { dates?: string[] } {
  if (
    !previous ||
    previous.timeZone !== next.timeZone ||
    JSON.stringify(previous.workingHours) !== JSON.stringify(next.workingHours)
  )
    return {};
  const before = new Set(previous.holidays.map((h) => h.date));
  const after = new Set(next.holidays.map((h) => h.date));
  const dates = [
    ...[...after].filter((d) => !before.has(d)),
    ...[...before].filter((d) => !after.has(d)),
  ].sort();
  return dates.length ? { dates } : { dates: [] };
}

async function lockCalendar(tx: Tx, id: string, expected: number | undefined) {
  const head = await tx
    .selectFrom('deadline_calendars')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!head) throw notFound(`Calendar ${id}`);
  checkExpected(head.current_version, expected);
  const current = await tx
    .selectFrom('deadline_calendar_versions')
    .selectAll()
    .where('calendar_id', '=', id)
    .where('version', '=', head.current_version)
    .executeTakeFirstOrThrow();
  return { head, current };
}

export function createCalendar(db: Db, actor: Actor, input: CreateCalendarInput): Promise<ChangeResult> {
  return inTx(db, async (tx) => {
    const existing = await tx
      .selectFrom('deadline_calendars')
      .select('id')
      .where('id', '=', input.id)
      .executeTakeFirst();
    if (existing)
      throw conflict('calendar_exists', `A calendar "${input.id}" already exists; change it with PUT`);
    return writeCalendarVersion(tx, actor, input.id, 1, input, 'deadline_calendar_created', {});
  });
}

export function updateCalendar(
  db: Db,
  actor: Actor,
  id: string,
  input: UpdateCalendarInput,
): Promise<ChangeResult> {
  return inTx(db, async (tx) => {
    const { head, current } = await lockCalendar(tx, id, input.expectedVersion);
    return writeCalendarVersion(
      tx,
      actor,
      id,
      head.current_version + 1,
      input,
      'deadline_calendar_changed',
      {},
      {
        active: input.active,
        previous: currentData(current),
      },
    );
  });
}

const currentData = (current: {
  name: string;
  time_zone: string;
  working_hours: Record<string, WorkingPeriod[]>;
  holidays: HolidayEntry[];
}) => ({
  name: current.name,
  timeZone: current.time_zone,
  workingHours: current.working_hours,
  holidays: current.holidays,
});

export function addHolidays(
  db: Db,
  actor: Actor,
  id: string,
  input: { holidays: HolidayEntry[]; note?: string | undefined; expectedVersion?: number | undefined },
): Promise<ChangeResult> {
  return inTx(db, async (tx) => {
    const { head, current } = await lockCalendar(tx, id, input.expectedVersion);
    const data = currentData(current);
    return writeCalendarVersion(
      tx,
      actor,
      id,
      head.current_version + 1,
      { ...data, holidays: [...data.holidays, ...input.holidays], note: input.note },
      'deadline_holidays_added',
      { added: input.holidays.map((h) => h.date) },
      { previous: data },
    );
  });
}

export function removeHoliday(
  db: Db,
  actor: Actor,
  id: string,
  date: string,
  expectedVersion?: number,
): Promise<ChangeResult> {
  return inTx(db, async (tx) => {
    const { head, current } = await lockCalendar(tx, id, expectedVersion);
    const data = currentData(current);
    if (!data.holidays.some((h) => h.date === date)) throw notFound(`Holiday ${date} in calendar ${id}`);
    return writeCalendarVersion(
      tx,
      actor,
      id,
      head.current_version + 1,
      { ...data, holidays: data.holidays.filter((h) => h.date !== date) },
      'deadline_holiday_removed',
      { removed: [date] },
      { previous: data },
    );
  });
}

export function importHolidays(
  db: Db,
  actor: Actor,
  id: string,
  input: {
    ics: string;
    mode: 'merge' | 'replace';
    from?: string | undefined;
    to?: string | undefined;
    note?: string | undefined;
    expectedVersion?: number | undefined;
  },
): Promise<ChangeResult & { imported: number }> {
  let parsed: Array<{ date: string; name: string }>;
  try {
    parsed = parseICalHolidays(input.ics);
  } catch (error) {
    if (error instanceof ICalParseError)
      throw new ValidationError([{ field: 'ics', code: 'invalid_icalendar', message: error.message }]);
    throw error;
  }
  const picked = parsed.filter(
    (h) => (!input.from || h.date >= input.from) && (!input.to || h.date <= input.to),
  );
  if (picked.length === 0)
    throw new ValidationError([
      { field: 'ics', code: 'no_holidays', message: 'The file has no all-day events in the range given' },
    ]);
  return inTx(db, async (tx) => {
    const { head, current } = await lockCalendar(tx, id, input.expectedVersion);
    const data = currentData(current);
    const holidays =
      input.mode === 'replace'
        ? picked.map((h) => ({ date: h.date, name: h.name || undefined }))
        : [...data.holidays, ...picked.map((h) => ({ date: h.date, name: h.name || undefined }))];
    const r = await writeCalendarVersion(
      tx,
      actor,
      id,
      head.current_version + 1,
      { ...data, holidays, note: input.note ?? 'iCalendar import' },
      'deadline_holidays_imported',
      { mode: input.mode, imported: picked.length },
      { previous: data },
    );
    return { ...r, imported: picked.length };
  });
}
