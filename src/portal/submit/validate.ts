import { z } from 'zod';
import { checkAttachment } from '../../attachments/sniff.ts';
import { createComplaintInput, type CreateComplaintInput } from '../../complaints/schemas.ts';
import { contactChannels, feedbackTypes, languages, type Language } from '../../shared/vocabulary.ts';
import type { FormInput } from '../forms.ts';
import { MAX_FILE_BYTES, MAX_FILES } from '../forms.ts';
import type { Translate } from '../i18n.ts';
import type { Errors } from '../ui/view.ts';

/** The submission form's fields and their labels (the same text labels the control and names it in errors). */
export const submitLabels = {
  type: 'submit.type.legend',
  description: 'submit.description.label',
  occurredOn: 'submit.occurred.label',
  awareOn: 'submit.aware.label',
  product: 'submit.product.label',
  location: 'submit.location.label',
  desiredRemedy: 'submit.remedy.label',
  files: 'submit.files.label',
  name: 'submit.name.label',
  email: 'submit.email.label',
  phone: 'submit.phone.label',
  postalAddress: 'submit.postal.label',
  preferredLanguage: 'submit.language.label',
  preferredChannel: 'submit.channel.legend',
  rep_name: 'submit.rep_name.label',
  rep_relationship: 'submit.rep_relationship.label',
  rep_email: 'submit.rep_email.label',
  rep_phone: 'submit.rep_phone.label',
  rep_authority: 'submit.rep_authority.label',
  consent: 'submit.consent.label',
} as const;
export type SubmitField = keyof typeof submitLabels;

const limits: Partial<Record<SubmitField, number>> = {
  description: 20_000,
  location: 200,
  desiredRemedy: 5000,
  name: 200,
  email: 254,
  phone: 30,
  postalAddress: 500,
  rep_name: 200,
  rep_relationship: 100,
  rep_email: 254,
  rep_phone: 30,
  rep_authority: 2000,
};
export const maxLength = (f: SubmitField) => limits[f];

const PHONE = /^\+?[0-9][0-9 ()./-]{4,24}$/;
const isEmail = (s: string) => z.email().safeParse(s).success;

function validDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export interface CheckedFile {
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  bytes: Uint8Array;
}

export interface SubmitContext {
  t: Translate;
  lang: Language;
  products: ReadonlySet<string>;
  allowAnonymous: boolean;
  /** Files already received with an earlier attempt and kept. */
  keptFiles: number;
  fmtBytes: (n: number) => string;
}

/** Checks every new file; the good ones are kept (staged) even when other fields have problems. */
export function checkFiles(form: FormInput, ctx: SubmitContext, errors: Errors): CheckedFile[] {
  const accepted: CheckedFile[] = [];
  const label = ctx.t(submitLabels.files);
  for (const file of form.files) {
    const name = file.filename;
    if (file.truncated) {
      errors.push({ field: 'files', message: ctx.t('errors.file_too_large', { field: label, name, max: ctx.fmtBytes(MAX_FILE_BYTES) }) });
      continue;
    }
    const checked = checkAttachment({ filename: name, bytes: file.bytes });
    if (!checked.ok) {
      const key = checked.code === 'empty' ? 'errors.file_empty' : checked.code === 'too_large' ? 'errors.file_too_large' : 'errors.file_type';
      errors.push({ field: 'files', message: ctx.t(key, { field: label, name, max: ctx.fmtBytes(MAX_FILE_BYTES) }) });
      continue;
    }
    accepted.push({ filename: checked.filename, mime: checked.mime, size: checked.size, sha256: checked.sha256, bytes: file.bytes });
  }
  if (ctx.keptFiles + accepted.length > MAX_FILES) {
    errors.push({ field: 'files', message: ctx.t('errors.too_many_files', { field: label, max: MAX_FILES }) });
    accepted.splice(Math.max(0, MAX_FILES - ctx.keptFiles));
  }
  return accepted;
}

/**
 * Validates the form with messages in the visitor's language, every problem at once (INT-8), then builds the
 * intake input and has the backbone's schema check it too.
 */
export function validateSubmission(form: FormInput, ctx: SubmitContext): { errors: Errors; input?: CreateComplaintInput; consent: boolean } {
  const errors: Errors = [];
  const label = (f: SubmitField) => ctx.t(submitLabels[f]);
  const add = (field: SubmitField, key: string, values: Record<string, unknown> = {}) => {
    if (!errors.some((e) => e.field === field)) errors.push({ field, message: ctx.t(key, { field: label(field), ...values }) });
  };
  const text = (f: SubmitField, required = false): string | undefined => {
    const value = form.get(f).trim();
    if (!value) {
      if (required) add(f, 'errors.required');
      return undefined;
    }
    const max = limits[f];
    if (max !== undefined && value.length > max) add(f, 'errors.too_long', { max, length: value.length });
    return value;
  };

  const type = form.get('type');
  if (!(feedbackTypes as readonly string[]).includes(type)) add('type', 'errors.choose');
  const description = text('description', true);

  const today = new Date().toISOString().slice(0, 10);
  const date = (f: 'occurredOn' | 'awareOn') => {
    const value = form.get(f).trim();
    if (!value) return undefined;
    if (!validDate(value)) add(f, 'errors.date');
    else if (value > today) add(f, 'errors.future');
    return value;
  };
  const occurredOn = date('occurredOn');
  const awareOn = date('awareOn');
  if (occurredOn && awareOn && validDate(occurredOn) && validDate(awareOn) && awareOn < occurredOn && awareOn <= today) add('awareOn', 'errors.aware_before');

  const product = form.get('product').trim() || undefined;
  if (product && !ctx.products.has(product)) add('product', 'errors.choose');
  const location = text('location');
  const desiredRemedy = text('desiredRemedy');

  const anonymous = ctx.allowAnonymous && form.get('anonymous') === 'yes';
  const name = text('name', !anonymous);
  const email = text('email');
  if (email && !isEmail(email)) add('email', 'errors.email');
  const phone = text('phone');
  if (phone && !PHONE.test(phone)) add('phone', 'errors.phone');
  const postalAddress = text('postalAddress');
  const preferredLanguage = form.get('preferredLanguage') || ctx.lang;
  if (!(languages as readonly string[]).includes(preferredLanguage)) add('preferredLanguage', 'errors.choose');
  const preferredChannel = form.get('preferredChannel') || undefined;
  if (preferredChannel && !(contactChannels as readonly string[]).includes(preferredChannel)) add('preferredChannel', 'errors.choose');
  if (!anonymous) {
    if (!email && !phone && !postalAddress) add('email', 'errors.contact_required');
    else if (preferredChannel === 'email' && !email) add('email', 'errors.channel_email');
    else if ((preferredChannel === 'phone' || preferredChannel === 'sms') && !phone) add('phone', 'errors.channel_phone');
    else if (preferredChannel === 'letter' && !postalAddress) add('postalAddress', 'errors.channel_letter');
  }

  const repFields = ['rep_name', 'rep_relationship', 'rep_email', 'rep_phone', 'rep_authority'] as const;
  const acting = repFields.some((f) => form.has(f));
  const rep = acting
    ? {
        name: text('rep_name', true),
        relationship: text('rep_relationship', true),
        email: text('rep_email'),
        phone: text('rep_phone'),
        authorityEvidence: text('rep_authority', true),
      }
    : undefined;
  if (rep?.email && !isEmail(rep.email)) add('rep_email', 'errors.email');
  if (rep?.phone && !PHONE.test(rep.phone)) add('rep_phone', 'errors.phone');

  const consent = form.get('consent') === 'yes';
  if (!consent) add('consent', 'errors.consent');
  if (errors.length > 0 || !description) return { errors, consent };

  const input: CreateComplaintInput = {
    type: type as CreateComplaintInput['type'],
    channel: 'web',
    description,
    language: ctx.lang,
    ...(occurredOn ? { occurredOn } : {}),
    ...(awareOn ? { awareOn } : {}),
    ...(product ? { product } : {}),
    ...(location ? { location } : {}),
    ...(desiredRemedy ? { desiredRemedy } : {}),
    complainant: {
      ...(anonymous ? { anonymous: true } : {}),
      ...(name && !anonymous ? { name } : {}),
      ...(email && !anonymous ? { email } : {}),
      ...(phone && !anonymous ? { phone } : {}),
      ...(postalAddress && !anonymous ? { postalAddress } : {}),
      preferredLanguage: preferredLanguage as Language,
      ...(preferredChannel && !anonymous ? { preferredChannel: preferredChannel as (typeof contactChannels)[number] } : {}),
    },
    ...(rep && rep.name && rep.relationship && rep.authorityEvidence
      ? {
          representative: {
            name: rep.name,
            relationship: rep.relationship,
            authorityEvidence: rep.authorityEvidence,
            ...(rep.email ? { email: rep.email } : {}),
            ...(rep.phone ? { phone: rep.phone } : {}),
          },
        }
      : {}),
  };
  // The backbone's own schema is the last word; anything it still refuses is shown against the field it names.
  const parsed = createComplaintInput.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String);
      const field = (path[0] === 'complainant' ? path[1] : path[0] === 'representative' ? `rep_${path[1] === 'authorityEvidence' ? 'authority' : path[1]}` : path[0]) ?? 'description';
      const known = (field in submitLabels ? field : 'description') as SubmitField;
      add(known, 'errors.invalid');
    }
    return { errors, consent };
  }
  return { errors, input: parsed.data, consent };
}
