/**
 * Administration of deadline profiles, business calendars, holidays and the monitor's settings (TIME-1, TIME-2,
 * TIME-6). Every change is a new version (nothing is overwritten), is recorded on the system history chain, bumps
 * the configuration revision (so every process reloads it) and, where open complaints are affected, enqueues the
 * recompute jobs — all in one transaction.
 */
import type { Db, Tx } from '../db/client.ts';
import { recordSystemEvent } from '../audit/record-system-event.ts';
import { getCatalogue } from '../catalogue/catalogue.ts';
import type { Actor } from '../identity/roles.ts';
import { conflict, notFound, ValidationError, type FieldError } from '../shared/errors.ts';
import type {
  CreateCalendarInput,
  CreateProfileInput,
  SettingsInput,
  UpdateCalendarInput,
  UpdateProfileInput,
} from './admin-schemas.ts';
import {
  CalendarError,
  validateCalendar,
  type Calendar,
  type Weekday,
  type WorkingPeriod,
} from './calendar.ts';
import { clearDeadlineConfigCache, getDeadlineConfig, settingsFrom } from './config.ts';
import { profileProblems, type DeadlineProfile } from './engine.ts';
import { ICalParseError, parseICalHolidays } from './ical.ts';
import { enqueueRecompute } from './recompute.ts';
import type { DeadlineSettings } from './settings.ts';

export interface ChangeResult {
  id: string;
  version: number;
  recompute: { groupId: string; jobIds: number[] } | null;
}

async function bumpRevision(tx: Tx): Promise<void> {
  await tx
    .updateTable('deadline_config')
    .set((eb) => ({ revision: eb('revision', '+', 1) }))
    .where('id', '=', 1)
    .execute();
}

function checkExpected(current: number, expected: number | undefined) {
  if (expected !== undefined && expected !== current) {
    throw conflict(
      'version_conflict',
      `The current version is ${current}, not ${expected}; reload and try again`,
      { currentVersion: current },
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Profiles

async function validateProfile(
  tx: Tx,
  id: string,
  version: number,
  input: CreateProfileInput | UpdateProfileInput,
): Promise<void> {
  const errors: FieldError[] = [];
  const calendar = await tx
    .selectFrom('deadline_calendars')
    .select(['id', 'active'])
    .where('id', '=', input.calendarId)
    .executeTakeFirst();
  if (!calendar)
    errors.push({
      field: 'calendarId',
      code: 'unknown_calendar',
      message: `No calendar "${input.calendarId}"`,
    });
  const profile: DeadlineProfile = {
    id,
    version,
    name: input.name,
    jurisdiction: input.jurisdiction,
    source: input.source,
    calendarId: input.calendarId,
    milestones: input.milestones,
  };
  for (const problem of profileProblems(profile)) {
    const m = /milestone #(\d+)/.exec(problem);
    errors.push({
      field: m ? `milestones.${Number(m[1]) - 1}` : 'milestones',
      code: 'invalid_milestone',
      message: problem,
    });
  }
  input.escalations.forEach((e, i) => {
    if (!input.milestones.some((m) => m.name === e.milestone)) {
      errors.push({
        field: `escalations.${i}.milestone`,
        code: 'unknown_milestone',
        message: `The profile has no "${e.milestone}" milestone`,
      });
    }
  });
  if (errors.length) throw new ValidationError(errors);
}

async function insertProfileVersion(
  tx: Tx,
  actor: Actor,
  id: string,
  version: number,
  input: CreateProfileInput | UpdateProfileInput,
  now: Date,
) {
  await tx
    .insertInto('deadline_profile_versions')
    .values({
      profile_id: id,
      version,
      name: input.name,
      jurisdiction: input.jurisdiction,
      source: input.source,
      calendar_id: input.calendarId,
      milestones: JSON.stringify(input.milestones),
      escalations: JSON.stringify(input.escalations),
      effective_from: input.effectiveFrom ? new Date(input.effectiveFrom) : now,
      note: input.note ?? null,
      created_by: actor.id,
    })
    .execute();
}

export async function createProfile(db: Db, actor: Actor, input: CreateProfileInput): Promise<ChangeResult> {
  const result = await db.transaction().execute(async (tx) => {
    const existing = await tx
      .selectFrom('deadline_profiles')
      .select('id')
      .where('id', '=', input.id)
      .executeTakeFirst();
    if (existing)
      throw conflict('profile_exists', `A deadline profile "${input.id}" already exists; change it with PUT`);
    await validateProfile(tx, input.id, 1, input);
    const now = new Date();
    await tx.insertInto('deadline_profiles').values({ id: input.id, current_version: 1 }).execute();
    await insertProfileVersion(tx, actor, input.id, 1, input, now);
    await bumpRevision(tx);
    await recordSystemEvent(tx, actor, 'deadline_profile_created', {
      profileId: input.id,
      version: 1,
      calendarId: input.calendarId,
    });
    return { id: input.id, version: 1, recompute: null };
  });
  clearDeadlineConfigCache(db);
  return result;
}

export async function updateProfile(
  db: Db,
  actor: Actor,
  id: string,
  input: UpdateProfileInput,
): Promise<ChangeResult> {
  const result = await db.transaction().execute(async (tx) => {
    const head = await tx
      .selectFrom('deadline_profiles')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!head) throw notFound(`Deadline profile ${id}`);
    checkExpected(head.current_version, input.expectedVersion);
    const version = head.current_version + 1;
    await validateProfile(tx, id, version, input);
    const now = new Date();
    await insertProfileVersion(tx, actor, id, version, input, now);
    await tx
      .updateTable('deadline_profiles')
      .set({
        current_version: version,
        updated_at: now,
        ...(input.active !== undefined ? { active: input.active } : {}),
      })
      .where('id', '=', id)
      .execute();
    await bumpRevision(tx);
    const recompute = input.applyToOpen
      ? await enqueueRecompute(
          tx,
          {
            reason: `profile ${id} v${version} applied to open complaints`,
            profileId: id,
            toVersion: version,
          },
          { createdBy: actor.id },
        )
      : null;
    await recordSystemEvent(tx, actor, 'deadline_profile_changed', {
      profileId: id,
      version,
      calendarId: input.calendarId,
      active: input.active ?? head.active,
      applyToOpen: input.applyToOpen,
      jobGroup: recompute?.groupId ?? null,
    });
    return { id, version, recompute };
  });
  clearDeadlineConfigCache(db);
  return result;
}

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

async function inTx<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const result = await db.transaction().execute(fn);
  clearDeadlineConfigCache(db);
  return result;
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

// ---------------------------------------------------------------------------------------------------------------
// Settings

export async function updateSettings(db: Db, actor: Actor, input: SettingsInput): Promise<DeadlineSettings> {
  const config = await getDeadlineConfig(db, db, { maxAgeMs: 0 });
  const catalogue = await getCatalogue(db, true);
  const errors: FieldError[] = [];
  const checkProfiles = (ids: string[], field: string) =>
    ids.forEach((id, i) => {
      if (!config.profiles.has(id))
        errors.push({
          field: `${field}.${i}`,
          code: 'unknown_profile',
          message: `No deadline profile "${id}"`,
        });
    });
  checkProfiles(input.defaultProfiles, 'defaultProfiles');
  input.rules.forEach((r, i) => {
    checkProfiles(r.profiles, `rules.${i}.profiles`);
    if (r.category !== undefined && !catalogue.categories.has(r.category))
      errors.push({
        field: `rules.${i}.category`,
        code: 'unknown_category',
        message: `No category "${r.category}"`,
      });
    if (r.product !== undefined && !catalogue.products.has(r.product))
      errors.push({
        field: `rules.${i}.product`,
        code: 'unknown_product',
        message: `No product "${r.product}"`,
      });
  });
  if (errors.length) throw new ValidationError(errors);
  const settings = settingsFrom({ ...input, warningShares: [...input.warningShares].sort((a, b) => a - b) });
  await inTx(db, async (tx) => {
    await tx
      .updateTable('deadline_config')
      .set({ settings: JSON.stringify(settings) })
      .where('id', '=', 1)
      .execute();
    await bumpRevision(tx);
    await recordSystemEvent(tx, actor, 'deadline_settings_changed', { ...settings });
  });
  return settings;
}
