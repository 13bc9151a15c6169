/**
 * The deadline configuration as the running system sees it: every version of every profile, the current version of
 * every calendar and the monitor's settings, loaded from the database and cached per process.
 *
 * Freshness without a round trip per request: the cache is used as is for 1 s after the last check of
 * `deadline_config.revision`, refreshed in the background between 1 and 3 s, and re-checked before use after
 * that. Every administrative change bumps the revision in its own transaction (and clears this process's cache),
 * so another process computes with a stale configuration for at most ~3 s; the recompute jobs a change enqueues
 * start after `RECOMPUTE_SETTLE_MS`, once every process has seen the change.
 */
import type { Db, DbOrTx } from '../db/client.ts';
import type { Calendar, Weekday, WorkingPeriod } from './calendar.ts';
import type { DeadlineProfile, MilestoneRule } from './engine.ts';
import { DEFAULT_DEADLINE_SETTINGS, type DeadlineSettings, type EscalationRule } from './settings.ts';

export interface ProfileVersion {
  /** The engine's view of this version (frozen; the engine caches its compiled form by identity). */
  profile: DeadlineProfile;
  escalations: EscalationRule[];
  effectiveFrom: Date;
  note: string | null;
  createdAt: Date;
}

export interface ProfileEntry {
  id: string;
  active: boolean;
  currentVersion: number;
  /** Ascending by version. */
  versions: ProfileVersion[];
}

export interface CalendarEntry {
  id: string;
  active: boolean;
  currentVersion: number;
  calendar: Calendar;
  holidayNames: Map<string, string>;
}

export interface DeadlineConfig {
  revision: number;
  settings: DeadlineSettings;
  profiles: Map<string, ProfileEntry>;
  calendarEntries: Map<string, CalendarEntry>;
  /** Current calendars by id: the `calendars` argument of computeDueDates. */
  calendars: Record<string, Calendar>;
}

export const FRESH_MS = 1_000;
export const STALE_MS = 3_000;
/** How long a recompute job waits before it starts, so that every process uses the new configuration by then. */
export const RECOMPUTE_SETTLE_MS = 5_000;

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

export function settingsFrom(raw: unknown): DeadlineSettings {
  const s = (raw ?? {}) as Partial<DeadlineSettings>;
  return {
    warningShares: Array.isArray(s.warningShares) ? s.warningShares : DEFAULT_DEADLINE_SETTINGS.warningShares,
    taskShare: typeof s.taskShare === 'number' ? s.taskShare : DEFAULT_DEADLINE_SETTINGS.taskShare,
    defaultProfiles: Array.isArray(s.defaultProfiles)
      ? s.defaultProfiles
      : DEFAULT_DEADLINE_SETTINGS.defaultProfiles,
    rules: Array.isArray(s.rules) ? s.rules : [],
  };
}

export async function loadDeadlineConfig(db: DbOrTx): Promise<DeadlineConfig> {
  const [cfg, profiles, versions, calendars, calendarVersions] = await Promise.all([
    db.selectFrom('deadline_config').select(['revision', 'settings']).where('id', '=', 1).executeTakeFirst(),
    db.selectFrom('deadline_profiles').selectAll().execute(),
    db.selectFrom('deadline_profile_versions').selectAll().orderBy('profile_id').orderBy('version').execute(),
    db.selectFrom('deadline_calendars').selectAll().execute(),
    db
      .selectFrom('deadline_calendar_versions as v')
      .innerJoin('deadline_calendars as c', (j) =>
        j.onRef('c.id', '=', 'v.calendar_id').onRef('c.current_version', '=', 'v.version'),
      )
      .selectAll('v')
      .execute(),
  ]);
  const profileMap = new Map<string, ProfileEntry>();
  for (const p of profiles)
    profileMap.set(p.id, { id: p.id, active: p.active, currentVersion: p.current_version, versions: [] });
  for (const v of versions) {
    const entry = profileMap.get(v.profile_id);
    if (!entry) continue;
    const profile: DeadlineProfile = deepFreeze({
      id: v.profile_id,
      version: v.version,
      name: v.name,
      jurisdiction: v.jurisdiction,
      source: v.source,
      calendarId: v.calendar_id,
      milestones: v.milestones as MilestoneRule[],
    });
    entry.versions.push({
      profile,
      escalations: deepFreeze(v.escalations as EscalationRule[]),
      effectiveFrom: v.effective_from,
      note: v.note,
      createdAt: v.created_at,
    });
  }
  const calendarEntries = new Map<string, CalendarEntry>();
  const calendarMap: Record<string, Calendar> = {};
  const meta = new Map(calendars.map((c) => [c.id, c]));
  for (const v of calendarVersions) {
    const m = meta.get(v.calendar_id);
    if (!m) continue;
    const holidays = v.holidays;
    const calendar: Calendar = deepFreeze({
      id: v.calendar_id,
      name: v.name,
      timeZone: v.time_zone,
      workingHours: v.working_hours as unknown as Record<Weekday, WorkingPeriod[]>,
      holidays: holidays.map((h) => h.date),
    });
    calendarMap[calendar.id] = calendar;
    calendarEntries.set(calendar.id, {
      id: calendar.id,
      active: m.active,
      currentVersion: m.current_version,
      calendar,
      holidayNames: new Map(holidays.filter((h) => h.name).map((h) => [h.date, h.name!])),
    });
  }
  return {
    revision: Number(cfg?.revision ?? 0),
    settings: settingsFrom(cfg?.settings),
    profiles: profileMap,
    calendarEntries,
    calendars: calendarMap,
  };
}

interface CacheEntry {
  value: DeadlineConfig;
  checkedAt: number;
  checking: Promise<void> | null;
}
const cache = new WeakMap<Db, CacheEntry>();

async function check(db: Db, entry: CacheEntry, reader: DbOrTx): Promise<void> {
  const row = await reader
    .selectFrom('deadline_config')
    .select('revision')
    .where('id', '=', 1)
    .executeTakeFirst();
  if (Number(row?.revision ?? 0) !== entry.value.revision) entry.value = await loadDeadlineConfig(reader);
  entry.checkedAt = Date.now();
}

/**
 * The current configuration (see the module comment for its freshness). Inside a transaction pass it as `reader`:
 * the embedded database has a single connection, which the transaction holds.
 */
export async function getDeadlineConfig(
  db: Db,
  reader: DbOrTx = db,
  options: { maxAgeMs?: number } = {},
): Promise<DeadlineConfig> {
  let entry = cache.get(db);
  if (!entry) {
    const value = await loadDeadlineConfig(reader);
    entry = cache.get(db) ?? { value, checkedAt: Date.now(), checking: null };
    cache.set(db, entry);
    return entry.value;
  }
  const age = Date.now() - entry.checkedAt;
  if (options.maxAgeMs !== undefined && age > options.maxAgeMs) {
    await check(db, entry, reader);
    return entry.value;
  }
  if (age < FRESH_MS) return entry.value;
  if (age < STALE_MS && reader === db) {
    const e = entry;
    e.checking ??= check(db, e, db)
      .catch(() => {})
      .finally(() => {
        e.checking = null;
      });
    return e.value;
  }
  await check(db, entry, reader);
  return entry.value;
}

/** Forgets this process's cached configuration (after an administrative change, and in tests). */
export function clearDeadlineConfigCache(db: Db): void {
  cache.delete(db);
}

/** The version of a profile that applied at an instant: the latest one effective by then (else the first one). */
export function versionAt(entry: ProfileEntry, at: Date): ProfileVersion | undefined {
  let found: ProfileVersion | undefined;
  for (const v of entry.versions) if (v.effectiveFrom.getTime() <= at.getTime()) found = v;
  return found ?? entry.versions[0];
}

export function profileVersion(
  config: DeadlineConfig,
  id: string,
  version: number,
): ProfileVersion | undefined {
  return config.profiles.get(id)?.versions.find((v) => v.profile.version === version);
}
