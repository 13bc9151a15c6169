import { simpleParser } from 'mailparser';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestEmail } from '../../src/channels/email/inbound.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../../src/channels/email/smtp-receiver.ts';
import { createNotificationDeliverer } from '../../src/channels/notifications.ts';
import { closeSlot, createSlot, processBatch, type Slot } from '../../src/channels/outbox-worker.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buildStaff, type StaffUser } from '../helpers/factories.ts';
import { silentLog, startSmtpSink, type SmtpSink } from './helpers.ts';

const MAIL_FROM = 'Redress <complaints@redress.example>';
let t: TestApp;
let sink: SmtpSink;
let receiver: SmtpReceiver;
let slot: Slot;
let manager: StaffUser;
let admin: StaffUser;

// A small valid PNG (1×1).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

function sendToReceiver(mail: SendMailOptions) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: receiver.port, secure: false, ignoreTLS: true });
  return transport.sendMail(mail).finally(() => transport.close());
}

function rawToReceiver(raw: string | Buffer, envelope = { from: 'sender@example.net', to: ['complaints@redress.example'] }) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: receiver.port, secure: false, ignoreTLS: true });
  return transport.sendMail({ envelope, raw }).finally(() => transport.close());
}

async function drain() {
  while ((await processBatch(t.database.db, slot, { worker: 'test-worker', batchSize: 50, leaseSeconds: 30, log: silentLog })) > 0);
}

const lastInbound = () => t.database.db.selectFrom('inbound_messages').selectAll().orderBy('received_at', 'desc').limit(1).executeTakeFirstOrThrow();

beforeAll(async () => {
  t = await startTestApp();
  sink = await startSmtpSink();
  const db = t.database.db;
  receiver = await startSmtpReceiver(db, { port: 0, host: '127.0.0.1', maxBytes: 5 * 1024 * 1024, domains: ['redress.example'], settings: { mailFrom: MAIL_FROM }, log: silentLog });
  slot = await createSlot(db, createNotificationDeliverer(db, { publicUrl: 'https://redress.example', mailFrom: MAIL_FROM, smtpUrl: sink.url, sms: null, log: silentLog }), t.database.url);
  manager = await buildStaff(db, 'manager');
  admin = await buildStaff(db, 'admin');
});
afterAll(async () => {
  await closeSlot(slot);
  await receiver.close();
  await sink.close();
  await t.close();
});

describe('inbound e-mail through the built-in SMTP receiver', () => {
  let reference = '';
  let complaintId = '';
  let ackMessageId = '';
  const email = 'layla@example.org';

  it('turns an Arabic e-mail with an attachment into a complaint, and acknowledges it with the reference through SMTP_URL', async () => {
    await sendToReceiver({
      from: { name: 'ليلى حسن', address: email },
      to: 'complaints@redress.example',
      subject: 'شكوى بخصوص رسوم غير مبررة',
      text: 'السلام عليكم، تم خصم مبلغ ٢٥ جنيهًا من حسابي دون سبب. أرفقت صورة من كشف الحساب. أرجو استرداد المبلغ.',
      attachments: [{ filename: 'كشف الحساب.png', content: PNG, contentType: 'image/png' }],
      messageId: '<arabic-1@mail.example.org>',
    });
    const record = await lastInbound();
    expect(record.outcome).toBe('complaint');
    expect(record.source).toBe('smtp');
    expect(record.raw).toBeNull();
    const complaint = await t.database.db.selectFrom('complaints').selectAll().where('id', '=', record.complaint_id!).executeTakeFirstOrThrow();
    reference = complaint.reference;
    complaintId = complaint.id;
    expect(complaint.channel).toBe('email');
    expect(complaint.language).toBe('ar');
    expect(complaint.description).toContain('شكوى بخصوص رسوم غير مبررة');
    expect(complaint.description).toContain('أرجو استرداد المبلغ');
    const attachments = await t.database.db.selectFrom('attachments').selectAll().where('complaint_id', '=', complaint.id).execute();
    expect(attachments).toHaveLength(1);
    expect(attachments[0]!.mime).toBe('image/png');
    expect(attachments[0]!.filename).toBe('كشف الحساب.png');
    expect(attachments[0]!.source).toBe('complainant');
    const person = await t.database.db.selectFrom('complainants').selectAll().where('id', '=', complaint.complainant_id!).executeTakeFirstOrThrow();
    expect(person.email).toBe(email);
    expect(person.name).toBe('ليلى حسن');

    await drain();
    const ack = sink.mails.find((m) => m.to.includes(email));
    expect(ack).toBeDefined();
    ackMessageId = ack!.messageId!;
    const parsed = await simpleParser(ack!.raw);
    expect(parsed.subject).toContain(reference);
    expect(parsed.text).toContain(reference);
    expect(parsed.html).toContain('dir="rtl"');
    // threaded under the complainant's own message, and marked as an automatic reply
    expect(parsed.inReplyTo).toBe('<arabic-1@mail.example.org>');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
  });

  it('adds a reply quoting the reference in the subject to the same case, never a new complaint', async () => {
    const before = await t.database.db.selectFrom('complaints').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await sendToReceiver({ from: email, to: 'complaints@redress.example', subject: `سؤال عن الشكوى ${reference}`, text: 'هل من جديد بخصوص شكواي؟' });
    const record = await lastInbound();
    expect(record.outcome).toBe('reply');
    expect(record.complaint_id).toBe(complaintId);
    expect((record.details as { matchedBy: string }).matchedBy).toBe('subject_reference');
    const after = await t.database.db.selectFrom('complaints').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const messages = await t.database.db.selectFrom('messages').selectAll().where('complaint_id', '=', complaintId).where('direction', '=', 'inbound').execute();
    expect(messages.map((m) => m.body)).toContain('هل من جديد بخصوص شكواي؟');
    const history = await t.call(manager, 'GET', `/api/complaints/${reference}/history`);
    expect(history.body.events.map((e: { action: string }) => e.action)).toContain('add_message');
  });

  it('matches a reply by In-Reply-To and by plus-address, and answers a request for information', async () => {
    await t.call(manager, 'POST', `/api/complaints/${reference}/acknowledge`, {});
    await t.call(manager, 'POST', `/api/complaints/${reference}/assess`, { category: 'fees.overdraft' });
    await t.call(manager, 'POST', `/api/complaints/${reference}/assign`, { ownerId: manager.id, attestNoConflict: true });
    const asked = await t.call(manager, 'POST', `/api/complaints/${reference}/request-information`, { message: 'يرجى إرسال رقم العملية.' });
    expect(asked.body.state).toBe('awaiting_complainant');

    await sendToReceiver({ from: email, to: 'complaints@redress.example', subject: 'Re: رد', text: 'رقم العملية 12345\n\n> نص قديم\n> مقتبس', inReplyTo: ackMessageId, references: [ackMessageId] });
    const record = await lastInbound();
    expect(record.outcome).toBe('reply');
    expect((record.details as { matchedBy: string }).matchedBy).toBe('in_reply_to');
    const now = await t.call(manager, 'GET', `/api/complaints/${reference}`);
    expect(now.body.state).toBe('under_investigation');
    const answer = now.body.messages.find((m: { body: string }) => m.body.startsWith('رقم العملية'));
    expect(answer.body).toBe('رقم العملية 12345'); // the quoted history is cut

    await sendToReceiver({ from: email, to: `complaints+${reference}@redress.example`, subject: 'more', text: 'Plus-addressed note.' });
    const plus = await lastInbound();
    expect(plus.outcome).toBe('reply');
    expect((plus.details as { matchedBy: string }).matchedBy).toBe('plus_address');
  });

  it('records auto-replies, bounces and loops without opening complaints', async () => {
    const cases: Array<[string, string]> = [
      ['auto_reply', `From: Out Of Office <ooo@example.org>\r\nTo: complaints@redress.example\r\nSubject: Automatic reply: your complaint\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <ooo-1@example.org>\r\n\r\nI am away until Monday.\r\n`],
      ['bulk', `From: list-robot@example.org\r\nTo: complaints@redress.example\r\nSubject: Weekly digest\r\nPrecedence: bulk\r\n\r\nDigest.\r\n`],
      ['auto_reply', `From: exchange@example.org\r\nTo: complaints@redress.example\r\nSubject: Away\r\nX-Auto-Response-Suppress: All\r\n\r\nOOF.\r\n`],
      ['bounce', `From: Mail Delivery System <MAILER-DAEMON@example.org>\r\nTo: complaints@redress.example\r\nSubject: Undelivered Mail Returned to Sender\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nCould not deliver.\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; x@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n--b--\r\n`],
      ['loop', `From: Redress <complaints@redress.example>\r\nTo: complaints@redress.example\r\nSubject: We have received your complaint\r\n\r\nLooping.\r\n`],
    ];
    const before = await t.database.db.selectFrom('complaints').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    for (const [reason, raw] of cases) {
      await rawToReceiver(raw);
      const record = await lastInbound();
      expect(record.outcome, raw.slice(0, 60)).toBe('rejected');
      expect(record.reason).toBe(reason);
      expect(record.raw).not.toBeNull();
    }
    const after = await t.database.db.selectFrom('complaints').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('quarantines what cannot be parsed with its raw source, listed for administrators', async () => {
    await rawToReceiver(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02, 0x03, 0x0a, 0x0a, 0x89, 0x50]));
    const record = await lastInbound();
    expect(record.outcome).toBe('quarantined');
    const listed = await t.call(admin, 'GET', '/api/admin/inbound-messages?outcome=quarantined');
    expect(listed.status).toBe(200);
    expect(listed.body.items[0].id).toBe(record.id);
    expect(listed.body.items[0].rawKept).toBe(true);
    expect((await t.call(manager, 'GET', '/api/admin/inbound-messages')).status).toBe(403);
    const raw = await fetch(`${t.url}/api/admin/inbound-messages/${record.id}/raw`, { headers: { cookie: `redress_session=${admin.token}` } });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toBe('message/rfc822');
    expect(Buffer.from(await raw.arrayBuffer()).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe]));
    const one = await t.call(admin, 'GET', `/api/admin/inbound-messages/${record.id}`);
    expect(one.body.outcome).toBe('quarantined');
  });

  it('processes a message delivered twice only once, and refuses mail for other domains and oversized mail', async () => {
    const raw = `From: twice@example.com\r\nTo: complaints@redress.example\r\nSubject: Card blocked\r\nMessage-ID: <twice@example.com>\r\n\r\nMy card was blocked without notice while I was abroad.\r\n`;
    const first = await ingestEmail(t.database.db, Buffer.from(raw), { source: 'smtp' }, { mailFrom: MAIL_FROM });
    const second = await ingestEmail(t.database.db, Buffer.from(raw), { source: 'imap' }, { mailFrom: MAIL_FROM });
    expect(first.outcome).toBe('complaint');
    expect(second).toMatchObject({ id: first.id, outcome: 'complaint', complaintId: first.complaintId, repeated: true });
    await expect(rawToReceiver(raw, { from: 'a@example.com', to: ['someone@elsewhere.example'] })).rejects.toThrow(/550|Relay/);
    const small = await startSmtpReceiver(t.database.db, { port: 0, host: '127.0.0.1', maxBytes: 10_000, domains: null, settings: { mailFrom: MAIL_FROM }, log: silentLog });
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: small.port, secure: false, ignoreTLS: true });
    await expect(transport.sendMail({ from: 'big@example.com', to: 'complaints@redress.example', text: 'x'.repeat(50_000) })).rejects.toThrow(/552|size/i);
    transport.close();
    await small.close();
  });
});
