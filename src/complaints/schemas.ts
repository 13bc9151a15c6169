import { z } from 'zod';
import { closureReasons, escalationLevels, impactLevels, states } from './lifecycle.ts';
import {
  channels,
  complexities,
  contactChannels,
  feedbackTypes,
  languages,
  outcomes,
  severities,
} from '../shared/vocabulary.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const isoDate = z.iso.date();
const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ()./-]{4,24}$/, 'must be a phone number, e.g. +44 20 7946 0000');

export const complainantInput = z.object({
  name: text(200).optional(),
  email: z.email().max(254).optional(),
  phone: phone.optional(),
  preferredLanguage: z.enum(languages).optional(),
  preferredChannel: z.enum(contactChannels).optional(),
  postalAddress: text(500).optional(),
  anonymous: z.boolean().optional(),
});

export const representativeInput = z.object({
  name: text(200),
  relationship: text(100),
  email: z.email().max(254).optional(),
  phone: phone.optional(),
  authorityEvidence: text(2000).describe(
    'How the representative\'s authority was evidenced (e.g. "signed letter of authority, attachment 1")',
  ),
});

/** Deadline profile ids (TIME-4: several may apply; the strictest deadline wins per milestone). */
export const deadlineProfilesInput = z
  .array(z.string().min(1).max(100).regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a profile id, e.g. uk-fca-disp'))
  .min(1)
  .max(10)
  .describe('Deadline profile ids, e.g. ["uk-fca-disp"]; default: by rule, else the organisation default');

export const createComplaintInput = z
  .object({
    type: z.enum(feedbackTypes),
    channel: z.enum(channels),
    description: text(20_000),
    language: z.enum(languages).optional(),
    receivedAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('For complaints received earlier (phone, post); defaults to now'),
    occurredOn: isoDate.optional(),
    awareOn: isoDate.optional(),
    product: z.string().min(1).max(100).optional().describe('Product key'),
    category: z.string().min(1).max(100).optional().describe('Category key'),
    location: text(200).optional(),
    desiredRemedy: text(5000).optional(),
    severity: z.enum(severities).optional(),
    complainant: complainantInput,
    representative: representativeInput.optional(),
    subjectUserId: z.uuid().optional().describe('The staff member the complaint is about, if any'),
    sourceKey: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('An idempotency key: the same key never creates two complaints'),
    profiles: deadlineProfilesInput.optional(),
  })
  .superRefine((v, ctx) => {
    const c = v.complainant;
    if (!c.anonymous) {
      if (!c.name)
        ctx.addIssue({
          code: 'custom',
          path: ['complainant', 'name'],
          message: 'is required unless the complaint is anonymous',
        });
      if (!c.email && !c.phone && !c.postalAddress)
        ctx.addIssue({
          code: 'custom',
          path: ['complainant', 'email'],
          message: 'give an e-mail address, a phone number or a postal address',
        });
    }
    const today = new Date().toISOString().slice(0, 10);
    if (v.occurredOn && v.occurredOn > today)
      ctx.addIssue({ code: 'custom', path: ['occurredOn'], message: 'cannot be in the future' });
    if (v.awareOn && v.awareOn > today)
      ctx.addIssue({ code: 'custom', path: ['awareOn'], message: 'cannot be in the future' });
    if (v.occurredOn && v.awareOn && v.awareOn < v.occurredOn)
      ctx.addIssue({ code: 'custom', path: ['awareOn'], message: 'cannot be before the date it happened' });
    if (v.receivedAt && Date.parse(v.receivedAt) > Date.now() + 5 * 60_000)
      ctx.addIssue({ code: 'custom', path: ['receivedAt'], message: 'cannot be in the future' });
  });
export type CreateComplaintInput = z.infer<typeof createComplaintInput>;

const reason = text(2000);

/** The input of every lifecycle action, by action name. */
export const actionInputs = {
  acknowledge: z.object({ message: text(5000).optional() }),
  assess: z
    .object({
      category: z.string().min(1).max(100).optional(),
      product: z.string().min(1).max(100).optional(),
      severity: z.enum(severities).optional(),
      complexity: z.enum(complexities).optional(),
      impact: z.enum(impactLevels).optional(),
      urgency: z.enum(impactLevels).optional(),
      immediateAction: z.boolean().optional(),
      inScope: z.boolean().default(true),
      scopeReason: reason.optional(),
      profiles: deadlineProfilesInput.optional(),
    })
    .superRefine((v, ctx) => {
      if (!v.inScope && !v.scopeReason)
        ctx.addIssue({ code: 'custom', path: ['scopeReason'], message: 'is required when out of scope' });
      if ((v.impact === undefined) !== (v.urgency === undefined))
        ctx.addIssue({
          code: 'custom',
          path: [v.impact ? 'urgency' : 'impact'],
          message: 'give impact and urgency together',
        });
    }),
  assign: z
    .object({
      ownerId: z.uuid().optional(),
      team: z.string().min(1).max(100).optional(),
      reason: reason.optional(),
      attestNoConflict: z.boolean().optional(),
    })
    .refine((v) => v.ownerId !== undefined || v.team !== undefined, {
      message: 'give an owner or a team',
      path: ['ownerId'],
    }),
  add_note: z.object({ body: text(20_000) }),
  add_attachment: z.object({
    filename: text(255),
    contentBase64: z.base64().min(1).max(14_000_000).describe('The file, base64-encoded (10 MiB at most once decoded)'),
  }),
  add_message: z.object({ body: text(50_000), subject: text(500).optional() }),
  add_task: z.object({
    title: text(500),
    ownerId: z.uuid().optional(),
    dueAt: z.iso.datetime({ offset: true }).optional(),
  }),
  complete_task: z.object({ taskId: z.uuid() }),
  request_information: z.object({ message: text(10_000) }),
  information_received: z.object({ message: text(20_000).optional() }),
  link: z.object({ other: z.string().min(1).max(20).describe('Reference of the other complaint') }),
  mark_duplicate: z.object({ of: z.string().min(1).max(20).describe('Reference of the original complaint') }),
  merge: z.object({
    into: z.string().min(1).max(20).describe('Reference of the complaint to merge into'),
    reason: reason.optional(),
  }),
  draft_response: z.object({
    outcome: z.enum(outcomes),
    reasons: text(20_000),
    remedies: z
      .array(
        z.object({
          key: z.string().min(1).max(100),
          amount: z.number().nonnegative().max(1e9).optional(),
          note: text(1000).optional(),
        }),
      )
      .max(20)
      .default([]),
    message: text(50_000).optional(),
  }),
  approve_response: z.object({ comment: text(5000).optional() }),
  send_response: z.object({ channel: z.enum(contactChannels).optional() }),
  complainant_accepts: z.object({ comment: text(5000).optional() }),
  complainant_rejects: z.object({ reason: reason.optional() }),
  escalate: z.object({ level: z.enum(escalationLevels), reason }),
  reopen: z.object({ reason }),
  withdraw: z.object({ reason: reason.optional() }),
  close: z.object({
    reason: z.enum(closureReasons),
    comment: text(5000).optional(),
    rootCause: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe('Root-cause key (GET /api/improvement/root-causes); required when the response upheld the complaint in whole or in part, unless already recorded'),
  }),
} as const;

export type ActionInputs = { [K in keyof typeof actionInputs]: z.infer<(typeof actionInputs)[K]> };

export const listComplaintsQuery = z.object({
  state: z.union([z.enum(states), z.array(z.enum(states))]).optional(),
  type: z.enum(feedbackTypes).optional(),
  channel: z.enum(channels).optional(),
  team: z.string().min(1).max(100).optional().describe('Team key'),
  owner: z.union([z.uuid(), z.literal('me'), z.literal('none')]).optional(),
  category: z.string().min(1).max(100).optional().describe('Category key (includes its sub-categories)'),
  receivedFrom: z.iso.datetime({ offset: true }).optional(),
  receivedTo: z.iso.datetime({ offset: true }).optional(),
  dueBefore: z.iso.datetime({ offset: true }).optional(),
  dueWithinHours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 366)
    .optional()
    .describe('Only complaints whose next deadline falls within the next N hours (not yet breached)'),
  breached: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('true: only complaints with a deadline passed and not met; false: only those without'),
  q: z.string().trim().min(1).max(200).optional().describe('Full-text search in every supported script'),
  sort: z.enum(['received_desc', 'received_asc', 'due_asc']).default('received_desc'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type ListComplaintsQuery = z.infer<typeof listComplaintsQuery>;
