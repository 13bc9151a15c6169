/**
 * Which deadline profiles apply to a complaint (LIFE-2, TIME-4): the ones asked for by hand, else the first
 * organisation rule matching its category / product, else the organisation default (complaints only: suggestions
 * and compliments get deadlines only when profiles are named). Each is pinned to the version that applied at
 * receipt.
 */
import type { FieldError } from '../shared/errors.ts';
import { versionAt, type DeadlineConfig } from './config.ts';
import type { PinnedProfile } from './tracking.ts';

export interface ChooseInput {
  requested?: readonly string[] | undefined;
  type: 'complaint' | 'suggestion' | 'compliment';
  category?: string | null | undefined;
  product?: string | null | undefined;
  receivedAt: Date;
  field?: string;
}

const categoryMatches = (rule: string, key: string | null | undefined) =>
  key !== null && key !== undefined && (key === rule || key.startsWith(`${rule}.`));

/** Profile ids by rule or default (without the ones asked for by hand). */
export function ruleProfiles(
  config: DeadlineConfig,
  input: Pick<ChooseInput, 'type' | 'category' | 'product'>,
): { ids: string[]; by: 'rule' | 'default' } {
  for (const r of config.settings.rules) {
    if (r.category === undefined && r.product === undefined) continue;
    if (r.category !== undefined && !categoryMatches(r.category, input.category)) continue;
    if (r.product !== undefined && r.product !== input.product) continue;
    return { ids: r.profiles, by: 'rule' };
  }
  return { ids: input.type === 'complaint' ? config.settings.defaultProfiles : [], by: 'default' };
}

export function pinProfiles(
  config: DeadlineConfig,
  ids: readonly string[],
  receivedAt: Date,
  by: PinnedProfile['by'],
): PinnedProfile[] {
  const out: PinnedProfile[] = [];
  for (const id of new Set(ids)) {
    const entry = config.profiles.get(id);
    if (!entry || !entry.active) continue;
    const v = versionAt(entry, receivedAt);
    if (v) out.push({ id, version: v.profile.version, by });
  }
  return out;
}

/** Pins the profiles of a complaint; unknown or inactive profiles asked for by hand are field errors. */
export function chooseProfiles(
  config: DeadlineConfig,
  input: ChooseInput,
): { pins: PinnedProfile[]; errors: FieldError[] } {
  const field = input.field ?? 'profiles';
  if (input.requested !== undefined) {
    const errors: FieldError[] = [];
    input.requested.forEach((id, i) => {
      const entry = config.profiles.get(id);
      if (!entry)
        errors.push({
          field: `${field}.${i}`,
          code: 'unknown_profile',
          message: `No deadline profile "${id}"`,
        });
      else if (!entry.active)
        errors.push({
          field: `${field}.${i}`,
          code: 'inactive_profile',
          message: `The deadline profile "${id}" is no longer in use`,
        });
    });
    return {
      pins: errors.length ? [] : pinProfiles(config, input.requested, input.receivedAt, 'hand'),
      errors,
    };
  }
  const { ids, by } = ruleProfiles(config, input);
  return { pins: pinProfiles(config, ids, input.receivedAt, by), errors: [] };
}
