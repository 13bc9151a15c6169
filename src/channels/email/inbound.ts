import { createHash, randomUUID } from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { Db, Tx } from '../../db/client.ts';
import type { ComplaintRow } from '../../db/schema.ts';
import { checkAttachment } from '../../attachments/sniff.ts';
import { createComplaint } from '../../complaints/create-complaint.ts';
import { executeAction, type ActionContext, type ActionHandler } from '../../complaints/execute-action.ts';
import { handlers } from '../../complaints/handlers.ts';
import { finalStates, type State } from '../../complaints/lifecycle.ts';
import { complainantActor, type Actor } from '../../identity/roles.ts';
import { appendCaseEvent } from '../case-events.ts';
import { redactPersonalData } from '../redact.ts';
import { detectLanguage, htmlToText, stripQuotedReply } from './text.ts';
import { addressOf, complaintIdFromThreadId, messageIdsIn, referenceFromPlusAddress, referencesInText } from './threading.ts';

/**
 * Inbound e-mail (CHAN-1, INT-1): every message ends as exactly one of
 *  - `complaint`   a new complaint (channel `email`) with its attachments;
 *  - `reply`       added to its case (matched by In-Reply-To/References, plus-address or the reference in the subject);
 *  - `rejected`    recorded with a reason and its raw source (auto-reply, bounce, loop, mailing list, no sender …);
 *  - `quarantined` it could not be parsed: raw source kept for an administrator.
 * The record (`inbound_messages`) is keyed by the SHA-256 of the raw message, so a message delivered twice (IMAP
 * re-poll after a crash, an SMTP client retrying) is processed once.
 */

export type InboundOutcome = 'complaint' | 'reply' | 'rejected' | 'quarantined';

export interface InboundSource {
  source: 'smtp' | 'imap' | 'api';
  mailbox?: string | null;
  envelope?: { from?: string | null; to?: string[] };
}

export interface InboundSettings {
  /** Our own sender address (MAIL_FROM): mail from it is a loop. */
  mailFrom: string;
  /** Longest description kept in the complaint; the full text is attached when longer. */
  maxDescriptionChars?: number;
}

export interface InboundResult {
  id: string;
  outcome: InboundOutcome;
  reason: string | null;
  complaintId: string | null;
  reference: string | null;
  /** True when this exact message had been processed before (nothing was done again). */
  repeated: boolean;
}

const MAX_DESCRIPTION = 19_000;
/** A usable reply address: local@domain.tld, internationalised (RFC 6532) addresses included. */
const REPLYABLE = /^[^\s@<>()[\]",;:\\]+@[^\s@<>()[\]",;:\\.]+(\.[^\s@<>()[\]",;:\\.]+)+$/u;

/** Acts for the complainant on the e-mail channel. */
const emailComplainant: Actor = { ...complainantActor('email'), label: 'complainant (e-mail)' };
/** Writes the internal notes the channel adds (refused attachments). */
const emailChannelActor: Actor = { type: 'system', id: null, label: 'inbound e-mail', role: 'intake', teamIds: [], channel: 'email' };

function headerText(parsed: ParsedMail, name: string): string | null {
  const v = parsed.headers.get(name);
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(String).join(' ');
  if (typeof v === 'object' && 'value' in v) return String((v as { value: unknown }).value);
  if (v instanceof Date) return v.toISOString();
  return null;
}

function addresses(list: AddressObject | AddressObject[] | undefined): string[] {
  const out: string[] = [];
  for (const obj of ([] as AddressObject[]).concat(list ?? [])) {
    const walk = (entries: AddressObject['value']) => {
      for (const e of entries) {
        if (e.address) out.push(e.address.toLowerCase());
        if (e.group) walk(e.group);
      }
    };
    walk(obj.value);
  }
  return out;
}

/** Why an automated message is not a complaint, or null for a message from a person. */
export function automatedReason(parsed: ParsedMail, source: InboundSource, ownAddress: string): string | null {
  const from = addresses(parsed.from);
  const h = (n: string) => headerText(parsed, n)?.toLowerCase().trim() ?? null;
  if (h('x-redress-notification') !== null || from.includes(ownAddress)) return 'loop';
  const received = parsed.headers.get('received');
  if (Array.isArray(received) && received.length > 30) return 'loop';
  const contentType = parsed.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const reportType = contentType?.params?.['report-type']?.toLowerCase();
  if (contentType?.value?.toLowerCase() === 'multipart/report') {
    if (reportType === 'feedback-report') return 'feedback_report';
    if (reportType === 'disposition-notification') return 'read_receipt';
    return 'bounce';
  }
  const subject = (parsed.subject ?? '').toLowerCase();
  const local = from[0]?.split('@')[0] ?? '';
  if (
    source.envelope?.from === '' ||
    h('x-failed-recipients') !== null ||
    /^(mailer-daemon|postmaster|mail-daemon)$/.test(local) ||
    /^(undeliver|delivery status notification|failure notice|returned mail|mail delivery (failed|system)|delivery failure|non.?delivery|undelivered mail)/.test(subject)
  ) {
    return 'bounce';
  }
  const auto = h('auto-submitted');
  if (auto !== null && auto !== 'no') return 'auto_reply';
  const precedence = h('precedence');
  if (precedence === 'auto_reply' || h('x-autoreply') !== null || h('x-autorespond') !== null || h('x-auto-response-suppress') !== null) return 'auto_reply';
  if (/^(auto(matic)?[ -]?(reply|response|antwort)|auto:|out of office|abwesenheit|afwezig|automatisch antwoord|autoreply)/.test(subject)) return 'auto_reply';
  if (precedence === 'list' || h('list-id') !== null || h('list-unsubscribe') !== null) return 'mailing_list';
  if (precedence === 'bulk' || precedence === 'junk') return 'bulk';
  return null;
}

interface Match {
  complaint: ComplaintRow;
  method: 'in_reply_to' | 'plus_address' | 'subject_reference';
}

async function findCase(db: Db, parsed: ParsedMail, source: InboundSource): Promise<Match | null> {
  const ids = messageIdsIn([headerText(parsed, 'in-reply-to'), parsed.references, headerText(parsed, 'references')]);
  const byId = async (id: string) => db.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirst();
  if (ids.length > 0) {
    for (const id of ids) {
      const threadComplaint = complaintIdFromThreadId(id);
      if (threadComplaint) {
        const c = await byId(threadComplaint);
        if (c) return { complaint: c, method: 'in_reply_to' };
      }
    }
    const viaOutbox = await db.selectFrom('outbox').select('complaint_id').where('message_id', 'in', ids).where('complaint_id', 'is not', null).executeTakeFirst();
    const viaInbound = viaOutbox
      ? null
      : await db.selectFrom('inbound_messages').select('complaint_id').where('header_message_id', 'in', ids).where('complaint_id', 'is not', null).executeTakeFirst();
    const complaintId = viaOutbox?.complaint_id ?? viaInbound?.complaint_id;
    if (complaintId) {
      const c = await byId(complaintId);
      if (c) return { complaint: c, method: 'in_reply_to' };
    }
  }
  const recipients = [
    ...addresses(parsed.to),
    ...addresses(parsed.cc),
    ...(source.envelope?.to ?? []),
    ...['delivered-to', 'x-original-to'].map((n) => headerText(parsed, n) ?? '').filter(Boolean),
  ];
  for (const r of recipients) {
    const reference = referenceFromPlusAddress(r);
    if (!reference) continue;
    const c = await db.selectFrom('complaints').selectAll().where('reference', '=', reference).executeTakeFirst();
    if (c) return { complaint: c, method: 'plus_address' };
  }
  for (const reference of referencesInText(parsed.subject ?? '')) {
    const c = await db.selectFrom('complaints').selectAll().where('reference', '=', reference).executeTakeFirst();
    if (c) return { complaint: c, method: 'subject_reference' };
  }
  return null;
}

interface AcceptedAttachment {
  filename: string;
  bytes: Uint8Array;
  sha256: string;
}

function sortAttachments(parsed: ParsedMail): { accepted: AcceptedAttachment[]; refused: Array<{ filename: string; code: string }> } {
  const accepted: AcceptedAttachment[] = [];
  const refused: Array<{ filename: string; code: string }> = [];
  parsed.attachments.forEach((a, i) => {
    const bytes = new Uint8Array(a.content);
    const filename = a.filename ?? `attachment-${i + 1}`;
    const checked = checkAttachment({ filename, bytes });
    if (checked.ok) accepted.push({ filename: checked.filename, bytes, sha256: checked.sha256 });
    else refused.push({ filename: checkAttachmentName(filename), code: checked.code });
  });
  return { accepted, refused };
}

const checkAttachmentName = (name: string) => name.replace(/[\p{Cc}]/gu, '').slice(0, 120);

function bodyText(parsed: ParsedMail): string {
  const text = typeof parsed.text === 'string' ? parsed.text : '';
  if (text.trim()) return text.replace(/\r\n?/g, '\n').trim();
  return typeof parsed.html === 'string' ? htmlToText(parsed.html) : '';
}

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === '23505';

async function existing(db: Db, sha: string): Promise<InboundResult | null> {
  const row = await db
    .selectFrom('inbound_messages as i')
    .leftJoin('complaints as c', 'c.id', 'i.complaint_id')
    .select(['i.id', 'i.outcome', 'i.reason', 'i.complaint_id', 'c.reference'])
    .where('i.raw_sha256', '=', sha)
    .executeTakeFirst();
  return row ? { id: row.id, outcome: row.outcome, reason: row.reason, complaintId: row.complaint_id, reference: row.reference ?? null, repeated: true } : null;
}

/** Feeds one raw RFC 5322 message to the inbound channel. Never throws for a bad message (only for a database failure). */
export async function ingestEmail(db: Db, raw: Buffer, source: InboundSource, settings: InboundSettings): Promise<InboundResult> {
  const sha = createHash('sha256').update(raw).digest('hex');
  const seen = await existing(db, sha);
  if (seen) return seen;
  const base = { id: randomUUID(), source: source.source, mailbox: source.mailbox ?? null, raw_sha256: sha, size: raw.length };

  const record = async (
    outcome: InboundOutcome,
    reason: string | null,
    extra: { complaintId?: string | null; reference?: string | null; headerMessageId?: string | null; details?: Record<string, unknown>; keepRaw?: boolean } = {},
  ): Promise<InboundResult> => {
    try {
      await db
        .insertInto('inbound_messages')
        .values({
          ...base,
          outcome,
          reason,
          complaint_id: extra.complaintId ?? null,
          header_message_id: extra.headerMessageId?.slice(0, 998) ?? null,
          details: JSON.stringify(extra.details ?? {}),
          raw: extra.keepRaw ? raw : null,
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) return (await existing(db, sha))!;
      throw error;
    }
    return { id: base.id, outcome, reason, complaintId: extra.complaintId ?? null, reference: extra.reference ?? null, repeated: false };
  };

  let parsed: ParsedMail;
  try {
    if (!/^[\x21-\x39\x3b-\x7e]+[ \t]*:/m.test(raw.subarray(0, 64 * 1024).toString('latin1'))) throw new Error('no header fields');
    parsed = await simpleParser(raw, { skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true, maxHtmlLengthToParse: 4 * 1024 * 1024 });
  } catch (error) {
    return record('quarantined', 'unparseable', { details: { error: redactPersonalData((error as Error).message).slice(0, 500) }, keepRaw: true });
  }
  const headerMessageId = messageIdsIn([parsed.messageId])[0] ?? null;
  const ownAddress = addressOf(settings.mailFrom);

  const automated = automatedReason(parsed, source, ownAddress);
  if (automated) {
    const match = await findCase(db, parsed, source).catch(() => null);
    if (automated === 'bounce') await noteBounce(db, raw);
    return record('rejected', automated, { headerMessageId, complaintId: match?.complaint.id ?? null, reference: match?.complaint.reference ?? null, keepRaw: true });
  }

  const sender = addresses(parsed.from)[0] ?? (source.envelope?.from ? source.envelope.from.toLowerCase() : null);
  if (!sender) return record('rejected', 'no_sender', { headerMessageId, keepRaw: true });
  if (!REPLYABLE.test(sender)) return record('rejected', 'invalid_sender', { headerMessageId, keepRaw: true });

  const subject = (parsed.subject ?? '').trim();
  const text = bodyText(parsed);
  const { accepted, refused } = sortAttachments(parsed);
  const details: Record<string, unknown> = {
    attachments: accepted.length,
    attachmentsRefused: refused,
    charset: (parsed.headers.get('content-type') as { params?: Record<string, string> } | undefined)?.params?.charset ?? null,
  };

  const match = await findCase(db, parsed, source);
  if (match) {
    return addReply(db, match, { subject, text, accepted, refused, sender, headerMessageId, details, base });
  }

  if (!text && !subject && accepted.length === 0) return record('rejected', 'empty', { headerMessageId, details, keepRaw: true });

  // A new complaint.
  const limit = settings.maxDescriptionChars ?? MAX_DESCRIPTION;
  const full = subject && !text.startsWith(subject) ? `${subject}\n\n${text}`.trim() : text || subject;
  let description = full || `(${accepted.length} attachment(s), no text)`;
  const attachments = [...accepted];
  if (description.length > limit) {
    description = `${description.slice(0, limit)}\n\n[…] (the full text is attached as message.txt)`;
    const bytes = new Uint8Array(Buffer.from(full, 'utf8'));
    const checked = checkAttachment({ filename: 'message.txt', bytes });
    if (checked.ok) attachments.push({ filename: checked.filename, bytes, sha256: checked.sha256 });
    details.truncated = true;
  }
  const language = detectLanguage(`${subject}\n${text}`);
  const displayName = parsed.from?.value[0]?.name?.trim().replace(/\s+/g, ' ').slice(0, 200);
  const name = displayName || sender.split('@')[0]!.slice(0, 200) || 'unknown';
  const created = await createComplaint(db, emailComplainant, {
    type: 'complaint',
    channel: 'email',
    description,
    language,
    ...(parsed.date && !Number.isNaN(parsed.date.getTime()) && parsed.date.getTime() < Date.now() + 300_000 && parsed.date.getTime() > Date.now() - 365 * 86_400_000
      ? { receivedAt: new Date(Math.min(parsed.date.getTime(), Date.now())).toISOString() }
      : {}),
    complainant: { name, email: sender, preferredLanguage: language, preferredChannel: 'email' },
    sourceKey: `email:${sha}`,
  });
  const have = new Set(
    (await db.selectFrom('attachments').select('sha256').where('complaint_id', '=', created.id).execute()).map((a) => a.sha256),
  );
  for (const a of attachments) {
    if (have.has(a.sha256)) continue;
    have.add(a.sha256);
    await executeAction(db, emailComplainant, created.reference, 'add_attachment', { filename: a.filename, contentBase64: Buffer.from(a.bytes).toString('base64') }, handlers.add_attachment);
  }
  if (refused.length > 0 && created.created) await noteRefused(db, created.reference, refused);
  return record('complaint', null, { complaintId: created.id, reference: created.reference, headerMessageId, details: { ...details, language } });
}

async function noteRefused(db: Db, reference: string, refused: Array<{ filename: string; code: string }>) {
  const body = `Attachments of the e-mail that were not kept (the complainant may need to send them another way):\n${refused.map((r) => `- ${r.filename} (${r.code})`).join('\n')}`;
  await executeAction(db, emailChannelActor, reference, 'add_note', { body }, handlers.add_note).catch(() => {});
}

async function insertAttachments(tx: Tx, complaintId: string, accepted: AcceptedAttachment[]) {
  const ids: string[] = [];
  for (const a of accepted) {
    const checked = checkAttachment({ filename: a.filename, bytes: a.bytes });
    if (!checked.ok) continue;
    const id = randomUUID();
    ids.push(id);
    await tx
      .insertInto('attachments')
      .values({ id, complaint_id: complaintId, filename: checked.filename, mime: checked.mime, size: checked.size, sha256: checked.sha256, content: a.bytes, source: 'complainant', created_by: null })
      .execute();
  }
  return ids;
}

interface ReplyInput {
  subject: string;
  text: string;
  accepted: AcceptedAttachment[];
  refused: Array<{ filename: string; code: string }>;
  sender: string;
  headerMessageId: string | null;
  details: Record<string, unknown>;
  base: { id: string; source: 'smtp' | 'imap' | 'api'; mailbox: string | null; raw_sha256: string; size: number };
}

/**
 * Adds a reply to its case, in one transaction with its record: as the answer the case is waiting for
 * (`information_received`), as a message from the complainant on an open case (`add_message`), or — for a case that is
 * already closed — as a message with its own history event, for staff to decide whether to reopen.
 */
async function addReply(db: Db, match: Match, r: ReplyInput): Promise<InboundResult> {
  let complaint = match.complaint;
  if (complaint.merged_into_id) {
    complaint = (await db.selectFrom('complaints').selectAll().where('id', '=', complaint.merged_into_id).executeTakeFirst()) ?? complaint;
  }
  const complainant = complaint.complainant_id
    ? await db.selectFrom('complainants').select('email').where('id', '=', complaint.complainant_id).executeTakeFirst()
    : undefined;
  const senderMatches = !!complainant?.email && complainant.email.toLowerCase() === r.sender;
  const body = (stripQuotedReply(r.text) || r.subject || '(no text)').slice(0, 50_000);
  const details = { ...r.details, matchedBy: match.method, senderMatches };
  const recordRow = (tx: Tx, messageRowId: string | null) =>
    tx
      .insertInto('inbound_messages')
      .values({
        ...r.base,
        outcome: 'reply',
        reason: null,
        complaint_id: complaint.id,
        message_row_id: messageRowId,
        header_message_id: r.headerMessageId?.slice(0, 998) ?? null,
        details: JSON.stringify(details),
        raw: null,
      })
      .execute();

  const wrap =
    <A extends 'information_received' | 'add_message'>(inner: ActionHandler<A>): ActionHandler<A> =>
    async (ctx: ActionContext<A>) => {
      const effect = await inner(ctx);
      const messageId = (effect.data?.messageId as string | null | undefined) ?? null;
      if (messageId) await ctx.tx.updateTable('messages').set({ subject: r.subject.slice(0, 500) || null }).where('id', '=', messageId).execute();
      const attachmentIds = await insertAttachments(ctx.tx, ctx.complaint.id, r.accepted);
      await recordRow(ctx.tx, messageId);
      return { ...effect, data: { ...effect.data, inboundId: r.base.id, attachmentIds, attachmentsRefused: r.refused.length } };
    };

  try {
    const state = complaint.state as State;
    // Only the complainant's own address answers a request for information; anyone else's mail is kept as a message.
    if (state === 'awaiting_complainant' && senderMatches) {
      await executeAction(db, emailComplainant, complaint.reference, 'information_received', { message: body }, wrap(handlers.information_received));
    } else if (!finalStates.includes(state)) {
      await executeAction(db, emailComplainant, complaint.reference, 'add_message', { body, ...(r.subject ? { subject: r.subject.slice(0, 500) } : {}) }, wrap(handlers.add_message));
    } else {
      await db.transaction().execute(async (tx) => {
        const messageId = randomUUID();
        await tx
          .insertInto('messages')
          .values({ id: messageId, complaint_id: complaint.id, direction: 'inbound', channel: 'email', subject: r.subject.slice(0, 500) || null, body, author_id: null })
          .execute();
        const attachmentIds = await insertAttachments(tx, complaint.id, r.accepted);
        await recordRow(tx, messageId);
        await appendCaseEvent(tx, complaint.id, emailComplainant, 'message_received_after_closure', { messageId, inboundId: r.base.id, attachmentIds }, 'staff.message_received');
      });
    }
  } catch (error) {
    if (isUniqueViolation(error)) return (await existing(db, r.base.raw_sha256))!;
    throw error;
  }
  return { id: r.base.id, outcome: 'reply', reason: null, complaintId: complaint.id, reference: complaint.reference, repeated: false };
}

/** A bounce of one of our notifications: its delivery attempt is marked bounced (proof of non-delivery). */
async function noteBounce(db: Db, raw: Buffer) {
  const ids = [...new Set(raw.toString('latin1').match(/<[0-9a-f-]{36}@redress>/gi) ?? [])].slice(0, 20);
  if (ids.length === 0) return;
  const rows = await db.selectFrom('outbox').select('id').where('message_id', 'in', ids).execute();
  if (rows.length === 0) return;
  await db
    .updateTable('delivery_attempts')
    .set({ provider_status: 'bounced', provider_status_at: new Date() })
    .where('outbox_id', 'in', rows.map((r) => r.id))
    .where('outcome', 'in', ['sent', 'in_doubt'])
    .execute();
}
