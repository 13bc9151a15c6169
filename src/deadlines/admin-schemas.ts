/** Input schemas of the deadline administration API (profiles, calendars, holidays, settings). */
import { z } from 'zod';
import { outcomes } from '../shared/vocabulary.ts';
import { MILESTONE_NAMES } from './engine.ts';
import { ESCALATION_LEVELS } from './settings.ts';

export const configId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and hyphens, e.g. uk-fca-disp');

const text = (max: number) => z.string().trim().min(1).max(max);

export const milestoneRuleInput = z.object({
  name: z.enum(MILESTONE_NAMES),
  clock: z.enum(['regulatory', 'internal']),
  amount: z.number().nonnegative().max(3660),
  unit: z.enum(['hours', 'business-hours', 'calendar-days', 'business-days', 'weeks']),
  from: z.enum(['receipt', 'day-after-receipt']),
  at: z.enum(['end-of-day', 'close-of-business']).optional(),
  receiptOutsideHours: z.enum(['as-is', 'next-business-day']).optional(),
  repeat: z.boolean().optional(),
  when: z
    .object({
      outcomeIn: z.array(z.enum(outcomes)).min(1).optional(),
      productKindIn: z.array(z.string().min(1).max(100)).min(1).optional(),
      matchWhenUnknown: z.boolean().optional(),
    })
    .optional(),
  rule: text(1000).optional().describe('The rule in words, citing its source'),
});

export const escalationRuleInput = z.object({
  milestone: z.enum(MILESTONE_NAMES),
  level: z.enum(ESCALATION_LEVELS),
  atShare: z
    .number()
    .gt(0)
    .max(1)
    .default(1)
    .describe('Share of the milestone time at which to escalate (1 = when due)'),
});

const profileFields = {
  name: text(200),
  jurisdiction: text(50),
  source: text(1000).describe('Citation of the rule, e.g. "FCA Handbook DISP 1.6.2R"'),
  calendarId: configId,
  milestones: z.array(milestoneRuleInput).min(1).max(30),
  escalations: z.array(escalationRuleInput).max(10).default([]),
  effectiveFrom: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Complaints received from this instant on get this version (default: now)'),
  note: text(1000).optional(),
};

export const createProfileInput = z.object({ id: configId, ...profileFields });
export const updateProfileInput = z.object({
  ...profileFields,
  active: z.boolean().optional(),
  expectedVersion: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Refuse the change if the current version is another one'),
  applyToOpen: z
    .boolean()
    .default(false)
    .describe('Move open complaints that use this profile to the new version and recompute them (by a job)'),
});

const hhmm = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'must be HH:MM');
const periods = z.array(z.object({ start: hhmm, end: hhmm })).max(6);
export const workingHoursInput = z.object({
  1: periods,
  2: periods,
  3: periods,
  4: periods,
  5: periods,
  6: periods,
  7: periods,
});
export const holidayInput = z.object({ date: z.iso.date(), name: text(200).optional() });

const calendarFields = {
  name: text(200),
  timeZone: text(100).describe('IANA time zone, e.g. Europe/London'),
  workingHours: workingHoursInput.describe('ISO weekday (1 = Monday … 7 = Sunday) → working periods'),
  holidays: z.array(holidayInput).max(5000).default([]),
  note: text(1000).optional(),
};
export const createCalendarInput = z.object({ id: configId, ...calendarFields });
export const updateCalendarInput = z.object({
  ...calendarFields,
  active: z.boolean().optional(),
  expectedVersion: z.number().int().min(1).optional(),
});
export const addHolidaysInput = z.object({
  holidays: z.array(holidayInput).min(1).max(5000),
  note: text(1000).optional(),
  expectedVersion: z.number().int().min(1).optional(),
});
export const importHolidaysInput = z.object({
  ics: z.string().min(1).max(2_000_000).describe('An iCalendar (RFC 5545) file: all-day events are holidays'),
  mode: z.enum(['merge', 'replace']).default('merge'),
  from: z.iso.date().optional().describe('Only holidays on or after this date'),
  to: z.iso.date().optional().describe('Only holidays on or before this date'),
  note: text(1000).optional(),
  expectedVersion: z.number().int().min(1).optional(),
});

export const settingsInput = z.object({
  warningShares: z
    .array(z.number().gt(0).lt(1))
    .max(5)
    .refine(
      (a) => new Set(a.map((x) => Math.round(x * 100))).size === a.length,
      'shares must differ (by at least 1 %)',
    ),
  taskShare: z.number().gt(0).lt(1),
  defaultProfiles: z.array(configId).max(10),
  rules: z
    .array(
      z
        .object({
          category: z.string().min(1).max(100).optional(),
          product: z.string().min(1).max(100).optional(),
          profiles: z.array(configId).min(1).max(10),
        })
        .refine((r) => r.category !== undefined || r.product !== undefined, {
          message: 'give a category or a product',
          path: ['category'],
        }),
    )
    .max(200),
});

export const computeInput = z.object({
  profiles: z.array(configId).min(1).max(10),
  receivedAt: z.iso.datetime({ offset: true }),
  outcome: z.enum(outcomes).optional(),
  productKind: z.string().min(1).max(100).optional(),
  calendar: configId.optional().describe("Use this calendar instead of each profile's own"),
});

export type CreateProfileInput = z.infer<typeof createProfileInput>;
export type UpdateProfileInput = z.infer<typeof updateProfileInput>;
export type CreateCalendarInput = z.infer<typeof createCalendarInput>;
export type UpdateCalendarInput = z.infer<typeof updateCalendarInput>;
export type SettingsInput = z.infer<typeof settingsInput>;
