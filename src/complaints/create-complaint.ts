import { randomUUID } from 'node:crypto';
import type { ComplaintRow } from '../db/schema.ts';
import { storeNewComplaint } from './intake-batch.ts';
import type { ComplainantRow } from './presenter.ts';
import type { Db } from '../db/client.ts';
import { complaintChain, GENESIS, nextEvent } from '../audit/chain.ts';
import { sha256Hex } from '../audit/canonical.ts';
import { findInCatalogue } from '../catalogue/catalogue.ts';
import { intakeRoles, type Actor } from '../identity/roles.ts';
import { forbidden, ValidationError, type FieldError } from '../shared/errors.ts';
import { searchDocument } from '../search/text.ts';
import { outboxRow } from '../channels/outbox.ts';
import { generateReference } from './reference.ts';
import type { CreateComplaintInput } from './schemas.ts';
import { getDeadlineConfig } from '../deadlines/config.ts';
import { chooseProfiles } from '../deadlines/choose-profiles.ts';
import { deadlineInsert, initialRows, summariseRows } from '../deadlines/tracking.ts';

export interface CreatedComplaint {
  id: string;
  reference: string;
  created: boolean;
  /** The stored complaint and complainant, when this call created them (so the caller need not read them back). */
  stored?: { complaint: ComplaintRow; complainant: ComplainantRow };
}

const isUniqueViolation = (error: unknown, constraint: string) => {
  const e = error as { code?: string; constraint?: string; message?: string };
  return e.code === '23505' && (e.constraint === constraint || (e.message ?? '').includes(constraint));
};

async function resolveKeys(db: Db, input: CreateComplaintInput, receivedAt: Date) {
  const errors: FieldError[] = [];
  const category = input.category ? await findInCatalogue(db, 'categories', input.category) : undefined;
  if (input.category && !category)
    errors.push({ field: 'category', code: 'unknown_category', message: `No category "${input.category}"` });
  const product = input.product ? await findInCatalogue(db, 'products', input.product) : undefined;
  if (input.product && !product)
    errors.push({ field: 'product', code: 'unknown_product', message: `No product "${input.product}"` });
  if (input.subjectUserId) {
    const user = await db
      .selectFrom('users')
      .select('id')
      .where('id', '=', input.subjectUserId)
      .executeTakeFirst();
    if (!user) errors.push({ field: 'subjectUserId', code: 'unknown_user', message: 'No such staff member' });
  }
  const deadlineConfig = await getDeadlineConfig(db);
  const chosen = chooseProfiles(deadlineConfig, {
    requested: input.profiles,
    type: input.type,
    category: category?.key,
    product: product?.key,
    receivedAt,
  });
  errors.push(...chosen.errors);
  if (errors.length > 0) throw new ValidationError(errors);
  return { category, product, deadlineConfig, pins: chosen.pins };
}

async function findBySourceKey(db: Db, sourceKey: string): Promise<CreatedComplaint | null> {
  const row = await db
    .selectFrom('complaints')
    .select(['id', 'reference'])
    .where('source_key', '=', sourceKey)
    .executeTakeFirst();
  return row ? { ...row, created: false } : null;
}

/**
 * Records a new complaint, suggestion or compliment (INT-1…INT-5): the complainant, the complaint, the first
 * history event, its deadlines and the "received" notification are written by one statement, so they exist
 * together or not at all (complaints arriving together share that statement: see intake-batch.ts). The same
 * `sourceKey` never creates two complaints.
 */
export async function createComplaint(
  db: Db,
  actor: Actor,
  input: CreateComplaintInput,
  now: Date = new Date(),
): Promise<CreatedComplaint> {
  if (actor.type !== 'complainant' && !intakeRoles.includes(actor.role)) {
    throw forbidden('role_not_permitted', 'This role cannot record complaints');
  }
  if (input.sourceKey) {
    const existing = await findBySourceKey(db, input.sourceKey);
    if (existing) return existing;
  }
  const receivedAt = input.receivedAt ? new Date(input.receivedAt) : now;
  const { category, product, deadlineConfig, pins } = await resolveKeys(db, input, receivedAt);
  const c = input.complainant;
  const complainantId = randomUUID();
  const id = randomUUID();
  // Due instants computed in memory and written by the same statement as the complaint (TIME-6).
  const deadlines = initialRows(
    {
      id,
      received_at: receivedAt,
      acknowledged_at: null,
      sent_at: null,
      escalation_level: 0,
      response: null,
    },
    deadlineConfig,
    pins,
    product ? { productKind: product.key } : {},
    now,
  );
  const language = input.language ?? c.preferredLanguage ?? 'en';

  for (let attempt = 0; ; attempt++) {
    const reference = generateReference();
    const event = nextEvent({
      chain: complaintChain(id),
      head: { seq: 0, hash: GENESIS },
      complaintId: id,
      action: 'create',
      actor,
      at: now,
      data: {
        after: {
          reference,
          type: input.type,
          channel: input.channel,
          state: 'received',
          receivedAt: receivedAt.toISOString(),
          language,
          category: category?.key ?? null,
          product: product?.key ?? null,
          severity: input.severity ?? null,
          representative: input.representative !== undefined,
          anonymous: c.anonymous ?? false,
        },
        // Personal data and free text stay out of the append-only history (so they can be erased); a digest proves them.
        descriptionSha256: sha256Hex(input.description),
        complainantId,
        ...(pins.length ? { deadlines: { profiles: pins, set: summariseRows(deadlines.rows) } } : {}),
      },
    });
    try {
      const complainant: ComplainantRow = {
        id: complainantId,
        name: c.anonymous ? null : (c.name ?? null),
        email: c.email?.toLowerCase() ?? null,
        phone: c.phone ?? null,
        preferred_language: c.preferredLanguage ?? language,
        preferred_channel: c.preferredChannel ?? (c.email ? 'email' : c.phone ? 'phone' : 'letter'),
        postal_address: c.postalAddress ?? null,
        anonymous: c.anonymous ?? false,
      };
      const row = await storeNewComplaint(db, {
        complainant,
        complaint: {
          id,
          reference,
          type: input.type,
          channel: input.channel,
          state: 'received',
          language,
          description: input.description,
          occurred_on: input.occurredOn ?? null,
          aware_on: input.awareOn ?? null,
          product_id: product?.id ?? null,
          location: input.location ?? null,
          desired_remedy: input.desiredRemedy ?? null,
          category_id: category?.id ?? null,
          severity: input.severity ?? null,
          team_id: category?.teamId ?? null,
          subject_user_id: input.subjectUserId ?? null,
          complainant_id: complainantId,
          representative: input.representative ? JSON.stringify(input.representative) : null,
          received_at: receivedAt,
          source_key: input.sourceKey ?? null,
          created_by: actor.id,
          audit_seq: 1,
          audit_head: event.hash,
          search_text: searchDocument(reference, input.description, input.desiredRemedy, input.location),
          next_due_at: deadlines.nextDueAt,
          deadline_profiles: JSON.stringify(pins),
        },
        event: { ...event, data: JSON.stringify(event.data) },
        deadlines: deadlines.rows.map(deadlineInsert),
        outbox: outboxRow('complaint.received', id, { reference, type: input.type, channel: input.channel }),
      });
      return { id, reference, created: true, stored: { complaint: row, complainant } };
    } catch (error) {
      if (input.sourceKey && isUniqueViolation(error, 'complaints_source_key_key')) {
        const existing = await findBySourceKey(db, input.sourceKey);
        if (existing) return existing;
      }
      if (attempt < 5 && isUniqueViolation(error, 'complaints_reference_key')) continue;
      throw error;
    }
  }
}
