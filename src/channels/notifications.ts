import type { Logger } from 'pino';
import type { Selectable } from 'kysely';
import type { Db } from '../db/client.ts';
import type { ComplainantsTable, ComplaintRow } from '../db/schema.ts';
import { getCatalogue } from '../catalogue/catalogue.ts';
import { detectDuplicates } from './duplicates.ts';
import { composeEmail, SmtpSender } from './email/smtp-sender.ts';
import { caseThreadId, plusAddress } from './email/threading.ts';
import { DeliveryRefused, type Deliverer, type DeliveryContext, type DeliveryOutcome, type OutboxMessage } from './outbox-worker.ts';
import { REPORT_TOPIC, staffMailPayload } from './email/staff-mail.ts';
import type { SmsProvider } from './sms/provider.ts';
import { renderNotification, type NotificationKind, type RenderInput } from './templates/render.ts';

/**
 * What each outbox topic means for the complainant (CHAN-4, LIFE-6). `complaint.received` is the automatic
 * acknowledgement (and runs duplicate detection first); a staff acknowledgement is sent only when it carries a
 * message; the closure letter enqueues the survey invitation. Other topics are internal events (nothing to deliver).
 */
const kindByTopic: Record<string, NotificationKind> = {
  'complaint.received': 'acknowledgement',
  'complainant.acknowledged': 'message',
  'complainant.information_requested': 'information_request',
  'complainant.decision': 'decision',
  'complainant.closed': 'closure',
  'complainant.survey_invitation': 'survey',
  'complainant.withdrawn': 'withdrawn',
  'complainant.out_of_scope': 'out_of_scope',
  'complainant.portal_link': 'portal_link',
};

export const SURVEY_TOPIC = 'complainant.survey_invitation';

export interface NotificationSettings {
  publicUrl: string;
  mailFrom: string;
  smtpUrl?: string | undefined;
  sms: SmsProvider | null;
  duplicateWindowDays?: number;
  log: Pick<Logger, 'info' | 'warn'>;
}

export const trackingUrl = (publicUrl: string, reference: string) => `${publicUrl.replace(/\/$/, '')}/track/${reference}`;
export const surveyUrl = (publicUrl: string, reference: string) => `${publicUrl.replace(/\/$/, '')}/survey/${reference}`;

/** Delivers complainant notifications by e-mail (SMTP_URL) or SMS, with one SMTP connection per deliverer. */
type CaseData = { complaint: ComplaintRow; person: Selectable<ComplainantsTable> | undefined; inbound: string[] };

export function createNotificationDeliverer(db: Db, settings: NotificationSettings): Deliverer {
  let smtp: SmtpSender | null = null;
  const skip = (response: string): DeliveryOutcome => ({ outcome: 'skipped', channel: 'none', response });
  /** The cases of the batch being delivered, loaded by prepare() in three queries. */
  const cases = new Map<string, CaseData>();

  async function loadCases(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const complaints = await db.selectFrom('complaints').selectAll().where('id', 'in', ids).execute();
    const personIds = complaints.map((c) => c.complainant_id).filter((x): x is string => x !== null);
    const persons = personIds.length > 0 ? await db.selectFrom('complainants').selectAll().where('id', 'in', personIds).execute() : [];
    const inbound = await db
      .selectFrom('inbound_messages')
      .select(['complaint_id', 'header_message_id'])
      .where('complaint_id', 'in', ids)
      .where('header_message_id', 'is not', null)
      .where('outcome', 'in', ['complaint', 'reply'])
      .orderBy('received_at')
      .execute();
    for (const complaint of complaints) {
      cases.set(complaint.id, {
        complaint,
        person: persons.find((p) => p.id === complaint.complainant_id),
        inbound: inbound.filter((i) => i.complaint_id === complaint.id).map((i) => i.header_message_id!),
      });
    }
  }

  /** Complaints of the batch whose duplicate check already ran (in one query, in prepare). */
  const checked = new Set<string>();

  async function prepare(batch: OutboxMessage[]): Promise<void> {
    cases.clear();
    checked.clear();
    const received = batch.filter((m) => m.topic === 'complaint.received' && m.complaint_id).map((m) => m.complaint_id!);
    await detectDuplicates(db, received, { windowDays: settings.duplicateWindowDays ?? 30 });
    for (const id of received) checked.add(id);
    await loadCases([...new Set(batch.filter((m) => kindByTopic[m.topic] && m.complaint_id).map((m) => m.complaint_id!))]);
  }

  async function deliver(m: OutboxMessage, ctx: DeliveryContext): Promise<DeliveryOutcome> {
    if (m.topic === 'complaint.received' && m.complaint_id && !checked.has(m.complaint_id)) {
      await detectDuplicates(db, m.complaint_id, { windowDays: settings.duplicateWindowDays ?? 30 });
    }
    if (m.topic === REPORT_TOPIC) return deliverStaffMail(m, ctx);
    const kind = kindByTopic[m.topic];
    if (!kind || !m.complaint_id) return { outcome: 'processed', channel: 'none' };
    const payload = m.payload;
    if (m.topic === 'complainant.acknowledged' && !payload.messageId) return skip('acknowledged at receipt; no message to send');
    // The portal's private tracking link goes out with the acknowledgement; only reissued credentials get a letter.
    if (m.topic === 'complainant.portal_link' && payload.reason !== 'reissued') return skip('tracking link sent with the acknowledgement');

    if (!cases.has(m.complaint_id)) await loadCases([m.complaint_id]);
    const data = cases.get(m.complaint_id);
    if (!data) return skip('complaint not found');
    const { complaint, person } = data;
    if (!person) return skip('no complainant');

    if (m.topic === 'complainant.closed') {
      // The survey invitation follows the closure letter; its Message-ID is derived from this row, so it is enqueued once.
      await db
        .insertInto('outbox')
        .values({
          topic: SURVEY_TOPIC,
          complaint_id: complaint.id,
          payload: JSON.stringify({ reference: complaint.reference, complaintId: complaint.id, closedBy: m.id }),
          message_id: `<survey.${m.id}@redress>`,
        })
        .onConflict((oc) => oc.column('message_id').doNothing())
        .execute();
    }

    const messageText = typeof payload.messageId === 'string'
      ? (await db.selectFrom('messages').select('body').where('id', '=', payload.messageId).executeTakeFirst())?.body ?? null
      : null;
    // The complainant's private tracking link (PORT-1) when the portal issued one; otherwise the public tracking page.
    let privateLink = typeof payload.trackingUrl === 'string' ? payload.trackingUrl : null;
    if (!privateLink && kind === 'acknowledgement') {
      const link = await db
        .selectFrom('outbox')
        .select('payload')
        .where('complaint_id', '=', complaint.id)
        .where('topic', '=', 'complainant.portal_link')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      const url = (link?.payload as { trackingUrl?: unknown } | undefined)?.trackingUrl;
      privateLink = typeof url === 'string' ? url : null;
    }
    const input: RenderInput = {
      kind,
      language: person.preferred_language || complaint.language,
      name: person.anonymous ? null : person.name,
      reference: complaint.reference,
      receivedAt: complaint.received_at,
      dueAt: complaint.next_due_at,
      trackingUrl: privateLink ?? trackingUrl(settings.publicUrl, complaint.reference),
      surveyUrl: surveyUrl(settings.publicUrl, complaint.reference),
      message: messageText,
      secret: typeof payload.secret === 'string' ? payload.secret : null,
    };
    if (kind === 'decision' && complaint.response) {
      const draft = typeof complaint.response === 'string' ? JSON.parse(complaint.response) : complaint.response;
      const catalogue = await getCatalogue(db);
      input.outcome = draft.outcome ?? null;
      input.reasons = draft.reasons ?? null;
      input.remedies = (draft.remedies ?? []).map((r: { key: string; amount?: number }) => {
        const name = catalogue.remedies.get(r.key)?.name ?? r.key;
        return r.amount !== undefined ? `${name}: ${r.amount}` : name;
      });
    }
    if (kind === 'out_of_scope') input.reason = complaint.scope_reason;
    const rendered = renderNotification(input);

    const wantsSms = person.preferred_channel === 'sms' || (person.preferred_channel === 'phone' && !person.email);
    if (wantsSms && person.phone && settings.sms) {
      const sms = settings.sms;
      await ctx.handOver('sms');
      const sent = await sms.send({ to: person.phone, body: rendered.sms, statusCallbackUrl: `${settings.publicUrl.replace(/\/$/, '')}/api/channels/sms/status` });
      return { outcome: 'sent', channel: `sms:${sms.name}`, response: sent.status, providerMessageId: sent.providerMessageId };
    }
    if (!person.email) return skip(person.preferred_channel === 'letter' ? 'letter: to be printed and posted' : 'no e-mail address or phone number');
    if (!settings.smtpUrl) {
      settings.log.info({ outboxId: m.id, topic: m.topic }, 'e-mail not sent: SMTP_URL is not set');
      return skip('SMTP_URL is not set');
    }

    const firstInbound = data.inbound[0] ?? null;
    const lastInbound = data.inbound.at(-1) ?? null;
    const thread = caseThreadId(complaint.id);
    const references = [...new Set([firstInbound, thread, lastInbound].filter((x): x is string => !!x))];
    const raw = await composeEmail({
      from: settings.mailFrom,
      to: person.email,
      replyTo: plusAddress(settings.mailFrom, complaint.reference),
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      language: rendered.language,
      messageId: m.message_id,
      inReplyTo: lastInbound ?? thread,
      references,
      headers: {
        'Auto-Submitted': m.topic === 'complaint.received' && complaint.channel === 'email' ? 'auto-replied' : 'auto-generated',
        'X-Auto-Response-Suppress': 'All',
        'X-Redress-Notification': m.topic,
        'X-Redress-Reference': complaint.reference,
      },
    });
    smtp ??= new SmtpSender(settings.smtpUrl);
    const from = (/<([^<>]+)>\s*$/.exec(settings.mailFrom)?.[1] ?? settings.mailFrom).trim();
    const result = await smtp.send({ from, to: person.email }, raw, () => ctx.handOver('email'), ctx.handOverImmediate);
    return { outcome: 'sent', channel: 'email', response: result.response };
  }

  /** A report (or any staff e-mail with files): everything is in the payload, see email/staff-mail.ts. */
  async function deliverStaffMail(m: OutboxMessage, ctx: DeliveryContext): Promise<DeliveryOutcome> {
    const parsed = staffMailPayload.safeParse(m.payload);
    if (!parsed.success) throw new DeliveryRefused('invalid report e-mail payload', true);
    if (!settings.smtpUrl) return skip('SMTP_URL is not set');
    const mail = parsed.data;
    const raw = await composeEmail({
      from: settings.mailFrom,
      to: mail.to.join(', '),
      subject: mail.subject,
      text: mail.text,
      html: '',
      language: mail.language,
      messageId: m.message_id,
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All', 'X-Redress-Notification': m.topic },
      attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.contentBase64, 'base64') })),
    });
    smtp ??= new SmtpSender(settings.smtpUrl);
    const from = (/<([^<>]+)>\s*$/.exec(settings.mailFrom)?.[1] ?? settings.mailFrom).trim();
    const result = await smtp.send({ from, to: mail.to }, raw, () => ctx.handOver('email'), ctx.handOverImmediate);
    return { outcome: 'sent', channel: 'email', response: result.response };
  }

  return {
    prepare,
    deliver,
    close: async () => {
      smtp?.close();
      smtp = null;
    },
  };
}
