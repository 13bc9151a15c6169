/**
 * Administration of deadline profiles and of the monitor's settings (TIME-1, TIME-5, TIME-6); calendars and holidays
 * are in admin-calendars.ts. Every change is a new version (nothing is overwritten), is recorded on the system
 * history chain, bumps the configuration revision (so every process reloads it) and, where open complaints are
 * affected, enqueues the recompute jobs — all in one transaction.
 */
import type { Db, Tx } from '../db/client.ts';
import { recordSystemEvent } from '../audit/record-system-event.ts';
import { getCatalogue } from '../catalogue/catalogue.ts';
import type { Actor } from '../identity/roles.ts';
import { conflict, notFound, ValidationError, type FieldError } from '../shared/errors.ts';
import { bumpRevision, checkExpected, inTx, type ChangeResult } from './admin-common.ts';
import type { CreateProfileInput, SettingsInput, UpdateProfileInput } from './admin-schemas.ts';
import { clearDeadlineConfigCache, getDeadlineConfig, settingsFrom } from './config.ts';
import { profileProblems, type DeadlineProfile } from './engine.ts';
import { enqueueRecompute } from './recompute.ts';
import type { DeadlineSettings } from './settings.ts';

export type { ChangeResult } from './admin-common.ts';
export {
  addHolidays,
  createCalendar,
  importHolidays,
  removeHoliday,
  updateCalendar,
} from './admin-calendars.ts';

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
