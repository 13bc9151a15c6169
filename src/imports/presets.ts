/**
 * Import presets: how the columns of a source's CSV export become complaints (pure, no I/O). A preset is a named
 * column mapping stored in `import_presets`; the builtin `cfpb` preset reads the US CFPB Consumer Complaint Database
 * export (its decisions are written down in README.md beside this file).
 */
import { z } from 'zod';
import { channels, languages, outcomes, type Language } from '../shared/vocabulary.ts';
import type { CsvRecord } from './csv.ts';
import { moneyTokens, normaliseZip, parseDate, slug } from './values.ts';

export const dateOrderSchema = z.enum(['ymd', 'mdy', 'dmy']);
const column = z.string().trim().min(1).max(200);

/** A column mapping, as stored and as sent to the API. */
export const presetMappingSchema = z
  .object({
    /** `cfpb`: the CFPB export's fixed columns and rules; `columns`: the columns named below. */
    kind: z.enum(['cfpb', 'columns']).default('columns'),
    /** The order in which ambiguous day/month dates are read (`03/04/2020`). */
    dateOrders: z.array(dateOrderSchema).min(1).max(3).default(['ymd', 'mdy', 'dmy']),
    language: z.enum(languages).default('en'),
    /** Root of the catalogue keys created for this source's categories and products (default: the preset's name). */
    keyRoot: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{0,19}$/)
      .optional(),
    columns: z
      .object({
        sourceId: column,
        receivedAt: column,
        description: column,
        category: column.optional(),
        subCategory: column.optional(),
        product: column.optional(),
        channel: column.optional(),
        closedAt: column.optional(),
        outcome: column.optional(),
      })
      .optional(),
    /** Values of the channel column (as written in the file) → a Redress channel. */
    channelMap: z.record(z.string().max(200), z.enum(channels)).default({}),
    defaultChannel: z.enum(channels).default('import'),
    /** Values of the outcome column → an outcome. */
    outcomeMap: z.record(z.string().max(200), z.enum(outcomes)).default({}),
  })
  .superRefine((m, ctx) => {
    if (m.kind === 'columns' && !m.columns) {
      ctx.addIssue({
        code: 'custom',
        path: ['columns'],
        message: 'name the columns of sourceId, receivedAt and description',
      });
    }
  });
export type PresetMapping = z.infer<typeof presetMappingSchema>;

export interface Preset {
  name: string;
  description: string;
  builtin: boolean;
  mapping: PresetMapping;
}

export const presetNameSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes, at most 40');

export const CFPB_HEADERS = [
  'Date received',
  'Product',
  'Sub-product',
  'Issue',
  'Sub-issue',
  'Consumer complaint narrative',
  'Company public response',
  'Company',
  'State',
  'ZIP code',
  'Tags',
  'Consumer consent provided?',
  'Submitted via',
  'Date sent to company',
  'Company response to consumer',
  'Timely response?',
  'Consumer disputed?',
  'Complaint ID',
] as const;

export const cfpbPreset: Preset = {
  name: 'cfpb',
  description: 'US CFPB Consumer Complaint Database export (18 columns)',
  builtin: true,
  mapping: presetMappingSchema.parse({
    kind: 'cfpb',
    dateOrders: ['ymd', 'mdy', 'dmy'],
    language: 'en',
    keyRoot: 'cfpb',
    channelMap: {
      Web: 'web',
      'Web Referral': 'referral',
      Email: 'email',
      Phone: 'phone',
      'Postal mail': 'letter',
      Fax: 'fax',
      Referral: 'referral',
    },
    defaultChannel: 'import',
  }),
};

export const builtinPresets: ReadonlyMap<string, Preset> = new Map([[cfpbPreset.name, cfpbPreset]]);

/**
 * The CFPB columns without which a row means nothing; the others are read when present (an export trimmed to
 * fewer columns still imports). The header row is the first row that has all of these.
 */
export const CFPB_REQUIRED_HEADERS = ['Date received', 'Product', 'Issue', 'Complaint ID'] as const;

/** The header names a preset needs to find in the file (the row that has them all is the header row). */
export function requiredHeaders(mapping: PresetMapping): string[] {
  if (mapping.kind === 'cfpb') return [...CFPB_REQUIRED_HEADERS];
  const c = mapping.columns;
  if (!c) return [];
  return [...new Set(Object.values(c).filter((v): v is string => typeof v === 'string'))];
}

/**
 * The names of the CFPB's API/JSON export for the columns whose CSV names differ in more than spelling
 * (`complaint_what_happened` is the narrative).
 */
const HEADER_ALIASES: Readonly<Record<string, string>> = {
  complaint_what_happened: 'consumer_complaint_narrative',
  company_response: 'company_response_to_consumer',
  timely: 'timely_response',
};

/**
 * A header as compared: case, spacing and punctuation do not matter ("ZIP code", "zip_code" and "Zip Code" are
 * the same column; "Sub-product" and "sub_product" too).
 */
export const normHeader = (h: string): string => {
  const key = h
    .replace(/^\ufeff/, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
  return HEADER_ALIASES[key] ?? key;
};

/** The index of each header name in a header row, or null when one of the required names is missing. */
export function matchHeader(fields: readonly string[], mapping: PresetMapping): Map<string, number> | null {
  const index = new Map<string, number>();
  fields.forEach((f, i) => {
    const key = normHeader(f);
    if (key && !index.has(key)) index.set(key, i);
  });
  for (const h of requiredHeaders(mapping)) if (!index.has(normHeader(h))) return null;
  return index;
}

export interface CatalogueRef {
  key: string;
  name: string;
}

/** What one row of a file becomes (the import command adds the reference, history event and search text). */
export interface MappedComplaint {
  line: number;
  sourceId: string;
  receivedAt: Date;
  description: string;
  language: Language;
  channel: string;
  state: 'received' | 'acknowledged' | 'closed';
  acknowledgedAt: Date | null;
  closedAt: Date | null;
  sentAt: Date | null;
  outcome: (typeof outcomes)[number] | null;
  reasons: string | null;
  remedy: (CatalogueRef & { monetary: boolean }) | null;
  closureReason: string | null;
  /** The category path from the root (the complaint gets the last one); empty for none. */
  categoryPath: CatalogueRef[];
  product: CatalogueRef | null;
  external: Record<string, unknown>;
  /** Extra text to index besides the description (company, product, issue …). */
  searchParts: string[];
}

export type MapResult =
  | { ok: true; complaint: MappedComplaint }
  | { ok: false; line: number; sourceId: string | null; reason: string };

/** Dates become instants at noon UTC: the same calendar day in every time zone from UTC−11 to UTC+11. */
export const dateInstant = (date: string) => new Date(`${date}T12:00:00.000Z`);

const placeholders: Record<Language, (what: string) => string> = {
  en: (what) => `No narrative was published with this complaint${what ? ` (${what})` : ''}.`,
  ar: (what) => `لم يُنشر أي سرد مع هذه الشكوى${what ? ` (${what})` : ''}.`,
  fa: (what) => `هیچ شرحی همراه این شکایت منتشر نشده است${what ? ` (${what})` : ''}.`,
  zh: (what) => `此投诉未公布任何陈述${what ? `（${what}）` : ''}。`,
  pl: (what) => `Do tej skargi nie opublikowano opisu${what ? ` (${what})` : ''}.`,
  nl: (what) => `Bij deze klacht is geen toelichting gepubliceerd${what ? ` (${what})` : ''}.`,
};

/** The placeholder description of a row without a narrative (a complaint's description is required). */
export const placeholderDescription = (language: Language, what: string) => placeholders[language](what);

export interface RowContext {
  header: Map<string, number>;
  fieldCount: number;
  preset: { name: string; mapping: PresetMapping };
}

const monetaryRelief = { key: 'cfpb.monetary-relief', name: 'Monetary relief (CFPB)', monetary: true };
const nonMonetaryRelief = {
  key: 'cfpb.non-monetary-relief',
  name: 'Non-monetary relief (CFPB)',
  monetary: false,
};
const relief = { key: 'cfpb.relief', name: 'Relief (CFPB, before 2016)', monetary: false };

/** The remedies the cfpb preset refers to (created in the catalogue when missing). */
export const cfpbRemedies = [monetaryRelief, nonMonetaryRelief, relief];

type Resolution = Pick<MappedComplaint, 'state' | 'outcome' | 'remedy' | 'closureReason'>;

/** "Company response to consumer" → the complaint's state and outcome. */
export function cfpbResolution(response: string): Resolution {
  switch (response.trim().toLowerCase()) {
    case 'closed with monetary relief':
      return { state: 'closed', outcome: 'upheld', remedy: monetaryRelief, closureReason: 'imported' };
    case 'closed with non-monetary relief':
      return {
        state: 'closed',
        outcome: 'partly_upheld',
        remedy: nonMonetaryRelief,
        closureReason: 'imported',
      };
    case 'closed with relief':
      return { state: 'closed', outcome: 'upheld', remedy: relief, closureReason: 'imported' };
    case 'closed with explanation':
    case 'closed':
    case 'closed without relief':
      return { state: 'closed', outcome: 'not_upheld', remedy: null, closureReason: 'imported' };
    case 'untimely response':
      return { state: 'closed', outcome: null, remedy: null, closureReason: 'untimely_response' };
    case 'in progress':
      return { state: 'acknowledged', outcome: null, remedy: null, closureReason: null };
    default:
      return { state: 'received', outcome: null, remedy: null, closureReason: null };
  }
}

const yesNo = (v: string): boolean | null => {
  const s = v.trim().toLowerCase();
  return s === 'yes' ? true : s === 'no' ? false : null;
};

function reject(record: CsvRecord, sourceId: string | null, reason: string): MapResult {
  return { ok: false, line: record.line, sourceId, reason };
}

/** The category path root → … → leaf for a list of labels (empty labels end the path). */
export function categoryPath(root: string, rootName: string, labels: readonly string[]): CatalogueRef[] {
  const path: CatalogueRef[] = [];
  let key = root;
  for (const label of labels) {
    const l = label.trim();
    if (!l) break;
    if (path.length === 0) path.push({ key: root, name: rootName });
    key = `${key}.${slug(l, 20)}`;
    path.push({ key, name: l.slice(0, 200) });
  }
  return path;
}

function mapCfpb(record: CsvRecord, ctx: RowContext): MapResult {
  const raw = (name: string) => {
    const i = ctx.header.get(normHeader(name));
    return i === undefined ? '' : (record.fields[i] ?? '');
  };
  const get = (name: string) => raw(name).trim();
  const mapping = ctx.preset.mapping;
  const root = mapping.keyRoot ?? ctx.preset.name;
  const sourceId = get('Complaint ID');
  if (!sourceId) return reject(record, null, 'Complaint ID is empty');
  if (sourceId.length > 200) return reject(record, null, 'Complaint ID is longer than 200 characters');
  const receivedRaw = get('Date received');
  const received = parseDate(receivedRaw, mapping.dateOrders);
  if (!received) return reject(record, sourceId, `Date received "${receivedRaw.slice(0, 40)}" is not a date`);
  const sentRaw = get('Date sent to company');
  const sent = sentRaw ? parseDate(sentRaw, mapping.dateOrders) : null;
  if (sentRaw && !sent)
    return reject(record, sourceId, `Date sent to company "${sentRaw.slice(0, 40)}" is not a date`);
  const receivedAt = dateInstant(received);
  const sentAt = sent ? dateInstant(sent) : null;
  const respondedAt = sentAt && sentAt >= receivedAt ? sentAt : receivedAt;

  const product = get('Product');
  const subProduct = get('Sub-product');
  const issue = get('Issue');
  const subIssue = get('Sub-issue');
  const via = get('Submitted via');
  const companyResponse = get('Company response to consumer');
  const narrative = raw('Consumer complaint narrative');
  const state = get('State');
  const zipRaw = get('ZIP code');
  const zip = normaliseZip(zipRaw, state);
  const resolution = cfpbResolution(companyResponse);
  const channel =
    mapping.channelMap[via] ??
    mapping.channelMap[
      Object.keys(mapping.channelMap).find((k) => k.toLowerCase() === via.toLowerCase()) ?? ''
    ] ??
    mapping.defaultChannel;
  const amounts = moneyTokens(narrative);
  const language = mapping.language;
  const what = [issue, subIssue].filter(Boolean).join(' — ');
  const description = narrative.trim() ? narrative : placeholderDescription(language, what);

  const external: Record<string, unknown> = {
    source: ctx.preset.name,
    complaintId: sourceId,
    product: product || null,
    subProduct: subProduct || null,
    issue: issue || null,
    subIssue: subIssue || null,
    company: get('Company') || null,
    companyPublicResponse: get('Company public response') || null,
    state: state || null,
    zip: zip || null,
    tags: get('Tags') || null,
    consent: get('Consumer consent provided?') || null,
    submittedVia: via || null,
    dateReceived: received,
    dateSentToCompany: sent,
    companyResponse: companyResponse || null,
    timely: yesNo(get('Timely response?')),
    disputed: yesNo(get('Consumer disputed?')),
    narrative: narrative.trim() !== '',
  };
  if (amounts.length) external.amounts = amounts;
  if (zip !== zipRaw) external.zipAsWritten = zipRaw;

  const closed = resolution.state === 'closed';
  return {
    ok: true,
    complaint: {
      line: record.line,
      sourceId,
      receivedAt,
      description,
      language,
      channel,
      acknowledgedAt: resolution.state === 'received' ? null : respondedAt,
      closedAt: closed ? respondedAt : null,
      sentAt: closed && resolution.outcome ? respondedAt : null,
      reasons: companyResponse || null,
      ...resolution,
      categoryPath: categoryPath(root, 'CFPB', [product, subProduct, issue, subIssue]),
      product: product ? { key: `${root}.${slug(product, 40)}`, name: product.slice(0, 200) } : null,
      external,
      searchParts: [sourceId, get('Company'), product, subProduct, issue, subIssue],
    },
  };
}

function mapColumns(record: CsvRecord, ctx: RowContext): MapResult {
  const mapping = ctx.preset.mapping;
  const c = mapping.columns!;
  const root = mapping.keyRoot ?? ctx.preset.name;
  const get = (name: string | undefined) => {
    if (!name) return '';
    const i = ctx.header.get(normHeader(name));
    return i === undefined ? '' : (record.fields[i] ?? '').trim();
  };
  const sourceId = get(c.sourceId);
  if (!sourceId) return reject(record, null, `${c.sourceId} is empty`);
  if (sourceId.length > 200) return reject(record, null, `${c.sourceId} is longer than 200 characters`);
  const receivedRaw = get(c.receivedAt);
  const received = parseDate(receivedRaw, mapping.dateOrders);
  if (!received)
    return reject(record, sourceId, `${c.receivedAt} "${receivedRaw.slice(0, 40)}" is not a date`);
  const closedRaw = get(c.closedAt);
  const closed = closedRaw ? parseDate(closedRaw, mapping.dateOrders) : null;
  if (closedRaw && !closed)
    return reject(record, sourceId, `${c.closedAt} "${closedRaw.slice(0, 40)}" is not a date`);
  const description = get(c.description);
  const language = mapping.language;
  const category = get(c.category);
  const subCategory = get(c.subCategory);
  const product = get(c.product);
  const via = get(c.channel);
  const outcomeRaw = get(c.outcome);
  const receivedAt = dateInstant(received);
  const closedAt = closed ? dateInstant(closed) : null;
  const used = new Set(Object.values(c).map((v) => normHeader(v)));
  const external: Record<string, unknown> = { source: ctx.preset.name };
  for (const [name, i] of ctx.header) if (!used.has(name)) external[name] = record.fields[i] ?? '';
  const outcome = outcomeRaw ? (mapping.outcomeMap[outcomeRaw] ?? null) : null;
  return {
    ok: true,
    complaint: {
      line: record.line,
      sourceId,
      receivedAt,
      description:
        description || placeholderDescription(language, [category, subCategory].filter(Boolean).join(' — ')),
      language,
      channel: mapping.channelMap[via] ?? mapping.defaultChannel,
      state: closedAt ? 'closed' : 'received',
      acknowledgedAt: closedAt,
      closedAt,
      sentAt: closedAt && outcome ? closedAt : null,
      outcome: closedAt ? outcome : null,
      reasons: outcomeRaw || null,
      remedy: null,
      closureReason: closedAt ? 'imported' : null,
      categoryPath: categoryPath(root, root, [category, subCategory]),
      product: product ? { key: `${root}.${slug(product, 40)}`, name: product.slice(0, 200) } : null,
      external,
      searchParts: [sourceId, category, subCategory, product],
    },
  };
}

/** One record of the file → a complaint to import, or the reason it is rejected. */
export function mapRecord(record: CsvRecord, ctx: RowContext): MapResult {
  if (record.error) return reject(record, null, record.error);
  if (record.fields.length !== ctx.fieldCount) {
    return reject(record, null, `expected ${ctx.fieldCount} fields, found ${record.fields.length}`);
  }
  return ctx.preset.mapping.kind === 'cfpb' ? mapCfpb(record, ctx) : mapColumns(record, ctx);
}
