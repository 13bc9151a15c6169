import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationDeliverer } from '../../src/channels/notifications.ts';
import { claimBatch, closeSlot, createSlot, processBatch, type Slot } from '../../src/channels/outbox-worker.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { buildStaff, complaintInput, type StaffUser } from '../helpers/factories.ts';
import { headerOf, silentLog, startSmtpSink, type SmtpSink } from './helpers.ts';

let t: TestApp;
let sink: SmtpSink;
let slot: Slot;
let intake: StaffUser;
let manager: StaffUser;
let manager2: StaffUser;
let admin: StaffUser;
let handler: StaffUser;

const MAIL_FROM = 'Redress <complaints@redress.example>';

async function drain(s: Slot = slot) {
  while ((await processBatch(t.database.db, s, { worker: 'test-worker', batchSize: 50, leaseSeconds: 30, log: silentLog })) > 0);
}

async function create(overrides: Parameters<typeof complaintInput>[0] = {}) {
  const res = await t.call(intake, 'POST', '/api/complaints', complaintInput(overrides));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; reference: string };
}

const mailsTo = (address: string) => sink.mails.filter((m) => m.to.includes(address));

beforeAll(async () => {
  t = await startTestApp();
  sink = await startSmtpSink();
  const db = t.database.db;
  slot = await createSlot(db, createNotificationDeliverer(db, { publicUrl: 'https://redress.example', mailFrom: MAIL_FROM, smtpUrl: sink.url, sms: null, log: silentLog }), t.database.url);
  [intake, manager, manager2, admin, handler] = await Promise.all([
    buildStaff(db, 'intake'),
    buildStaff(db, 'manager'),
    buildStaff(db, 'manager'),
    buildStaff(db, 'admin'),
    buildStaff(db, 'handler'),
  ]);
});
afterAll(async () => {
  await closeSlot(slot);
  await sink.close();
  await t.close();
});

describe('outbound e-mail through the outbox to a real SMTP server', () => {
  it('acknowledges an Arabic complaint in Arabic, right to left, threaded on the case, with the outbox Message-ID', async () => {
    const email = 'salma.ar@example.com';
    const c = await create({
      description: 'تم خصم رسوم السحب على المكشوف من حسابي مرتين رغم أن رصيدي لم يكن سالبًا.',
      language: 'ar',
      complainant: { name: 'سلمى', email, preferredLanguage: 'ar' },
    });
    await drain();
    const mails = mailsTo(email);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    const row = await t.database.db.selectFrom('outbox').selectAll().where('complaint_id', '=', c.id).where('topic', '=', 'complaint.received').executeTakeFirstOrThrow();
    expect(row.status).toBe('sent');
    expect(row.channel).toBe('email');
    expect(mail.messageId).toBe(row.message_id);
    expect(mail.from).toBe('complaints@redress.example');
    const parsed = await simpleParser(mail.raw);
    expect(parsed.subject).toContain(c.reference);
    expect(parsed.subject).toContain('استلمنا شكواك');
    expect(parsed.html).toContain('dir="rtl"');
    expect(parsed.html).toContain('lang="ar"');
    expect(parsed.html).toContain(`https://redress.example/track/${c.reference}`);
    expect(parsed.text).toContain(c.reference);
    expect(parsed.text).toContain('الخطوات التالية');
    expect(parsed.inReplyTo).toBe(`<complaint.${c.id}@redress>`);
    expect(headerOf(mail.raw, 'Content-Language')).toBe('ar');
    expect(headerOf(mail.raw, 'Auto-Submitted')).toBe('auto-generated');
    expect(parsed.replyTo?.value[0]?.address).toBe(`complaints+${c.reference}@redress.example`);
    const attempts = await t.database.db.selectFrom('delivery_attempts').selectAll().where('outbox_id', '=', row.id).execute();
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.outcome).toBe('sent');
    expect(attempts[0]!.channel).toBe('email');
    expect(attempts[0]!.response).toMatch(/^250/);
    expect(JSON.stringify(attempts)).not.toContain(email);
  });

  it('sends the acknowledgement in each of the six languages (HTML and text), left to right except Arabic and Persian', async () => {
    const languages = ['en', 'ar', 'fa', 'zh', 'pl', 'nl'] as const;
    const made = [];
    for (const language of languages) {
      const email = `six-${language}@example.com`;
      made.push({ language, email, c: await create({ language, complainant: { name: `Person ${language}`, email, preferredLanguage: language } }) });
    }
    await drain();
    const subjects = new Set<string>();
    for (const { language, email, c } of made) {
      const [mail] = mailsTo(email);
      expect(mail, language).toBeDefined();
      const parsed = await simpleParser(mail!.raw);
      expect(parsed.subject).toContain(c.reference);
      subjects.add(parsed.subject!.replace(c.reference, ''));
      expect(parsed.text).toContain(c.reference);
      expect(parsed.html).toContain(`lang="${language}"`);
      expect(parsed.html).toContain(language === 'ar' || language === 'fa' ? 'dir="rtl"' : 'dir="ltr"');
    }
    expect(subjects.size).toBe(6);
  });

  it('threads every letter of a case: request for information, decision letter, closure and survey invitation', async () => {
    const email = 'thread.pl@example.com';
    const c = await create({ language: 'pl', complainant: { name: 'Jan Kowalski', email, preferredLanguage: 'pl' } });
    const step = async (who: StaffUser, action: string, body: unknown = {}) => {
      const res = await t.call(who, 'POST', `/api/complaints/${c.reference}/${action}`, body);
      expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
      return res.body;
    };
    await step(intake, 'acknowledge');
    await step(manager, 'assess', { category: 'fees.overdraft' });
    await step(manager, 'assign', { ownerId: manager.id, attestNoConflict: true });
    await step(manager, 'request-information', { message: 'Prosimy o przesłanie wyciągu z marca.' });
    await step(intake, 'information-received', { message: 'Wysłano pocztą.' });
    const drafted = await step(manager, 'draft-response', { outcome: 'upheld', reasons: 'Opłata została pobrana błędnie.', remedies: [{ key: 'refund', amount: 25 }] });
    if (drafted.approvalRequired) await step(manager2, 'approve-response');
    await step(manager, 'send-response');
    await step(intake, 'complainant-accepts');
    await step(manager, 'close', { reason: 'resolved_accepted', rootCause: 'product.terms' });
    await drain();
    await drain(); // the survey invitation is enqueued by the closure letter
    const mails = mailsTo(email);
    const parsed = await Promise.all(mails.map((m) => simpleParser(m.raw)));
    const subjects = parsed.map((p) => p.subject ?? '');
    expect(subjects[0]).toContain('Potwierdzenie przyjęcia skargi');
    expect(subjects.some((s) => s.startsWith('Prosimy o dodatkowe informacje'))).toBe(true);
    expect(subjects.some((s) => s.startsWith('Odpowiedź na skargę'))).toBe(true);
    expect(subjects.some((s) => s.includes('została zamknięta'))).toBe(true);
    expect(subjects.some((s) => s.startsWith('Jak oceniają Państwo'))).toBe(true);
    // the staff acknowledgement carried no message, so it sent nothing more (the complainant was acknowledged at receipt)
    expect(mails).toHaveLength(5);
    const request = parsed.find((p) => p.subject!.startsWith('Prosimy'))!;
    expect(request.text).toContain('Prosimy o przesłanie wyciągu z marca.');
    const decision = parsed.find((p) => p.subject!.startsWith('Odpowiedź'))!;
    expect(decision.text).toContain('uwzględniona');
    expect(decision.text).toContain('Opłata została pobrana błędnie.');
    expect(decision.text).toMatch(/rzecznika/);
    const thread = `<complaint.${c.id}@redress>`;
    const ids = new Set(mails.map((m) => m.messageId));
    expect(ids.size).toBe(5);
    for (const p of parsed) {
      const refs = ([] as string[]).concat(p.references ?? []);
      expect(refs).toContain(thread);
      expect(p.inReplyTo).toBe(thread);
    }
  });

  it('makes a dead letter of a permanent refusal, shows it to administrators only, and sends it when retried', async () => {
    const email = 'nobody.here@example.com';
    sink.refuse.add(email);
    const c = await create({ complainant: { name: 'Refused Person', email } });
    await drain();
    const row = await t.database.db.selectFrom('outbox').selectAll().where('complaint_id', '=', c.id).where('topic', '=', 'complaint.received').executeTakeFirstOrThrow();
    expect(row.status).toBe('dead');
    expect(row.last_error).not.toContain(email);
    const listed = await t.call(admin, 'GET', '/api/admin/outbox?status=dead');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((i: { id: number }) => i.id)).toContain(row.id);
    expect((await t.call(handler, 'GET', '/api/admin/outbox?status=dead')).status).toBe(403);
    expect((await t.call(manager, 'POST', `/api/admin/outbox/${row.id}/retry`, {})).status).toBe(403);

    sink.refuse.delete(email);
    const retried = await t.call(admin, 'POST', `/api/admin/outbox/${row.id}/retry`, {});
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body.status).toBe('pending');
    expect((await t.call(admin, 'POST', `/api/admin/outbox/${row.id}/retry`, {})).body.code).toBe('not_retryable');
    await drain();
    expect(mailsTo(email)).toHaveLength(1);
    expect(mailsTo(email)[0]!.messageId).toBe(row.message_id);
    const detail = await t.call(admin, 'GET', `/api/admin/outbox/${row.id}`);
    expect(detail.body.status).toBe('sent');
    expect(detail.body.deliveryAttempts.map((a: { outcome: string }) => a.outcome)).toEqual(['failed', 'sent']);
    expect(JSON.stringify(detail.body.deliveryAttempts)).not.toContain(email);
  });

  it('retries a transient failure later with backoff', async () => {
    const db = t.database.db;
    const down = await createSlot(db, createNotificationDeliverer(db, { publicUrl: 'https://redress.example', mailFrom: MAIL_FROM, smtpUrl: 'smtp://127.0.0.1:1', sms: null, log: silentLog }), t.database.url);
    const c = await create({ complainant: { name: 'Transient', email: 'transient@example.com' } });
    await drain(down);
    await closeSlot(down);
    const row = await db.selectFrom('outbox').selectAll().where('complaint_id', '=', c.id).where('topic', '=', 'complaint.received').executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(1);
    expect(row.available_at.getTime()).toBeGreaterThan(Date.now() + 2000);
    const attempt = await db.selectFrom('delivery_attempts').selectAll().where('outbox_id', '=', row.id).executeTakeFirstOrThrow();
    expect(attempt.outcome).toBe('failed');
    await db.updateTable('outbox').set({ available_at: new Date() }).where('id', '=', row.id).execute();
    await drain();
    expect(mailsTo('transient@example.com')).toHaveLength(1);
  });

  it('never sends a second message for a notification handed over by a worker that then died (in doubt), until an administrator resends it', async () => {
    const db = t.database.db;
    const email = 'in.doubt@example.com';
    const c = await create({ complainant: { name: 'In Doubt', email } });
    // A worker claimed everything, wrote its hand-over mark for our row … and died.
    const claimed = await claimBatch(db, 'dead-worker', 100, 30);
    const mine = claimed.find((m) => m.complaint_id === c.id && m.topic === 'complaint.received')!;
    expect(mine).toBeDefined();
    await db.insertInto('delivery_attempts').values({ id: crypto.randomUUID(), outbox_id: mine.id, attempt: mine.attempts, worker: 'dead-worker', channel: 'email' }).execute();
    await db.updateTable('outbox').set({ available_at: new Date(Date.now() - 1000) }).where('id', 'in', claimed.map((m) => m.id)).execute(); // the lease ran out
    await drain();
    expect(mailsTo(email)).toHaveLength(0);
    const row = await db.selectFrom('outbox').selectAll().where('id', '=', mine.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('sent');
    expect(row.last_error).toMatch(/^in doubt/);
    const listed = await t.call(admin, 'GET', '/api/admin/outbox?inDoubt=true');
    expect(listed.body.items.map((i: { id: number }) => i.id)).toContain(mine.id);
    expect((await t.call(admin, 'POST', `/api/admin/outbox/${mine.id}/retry`, {})).body.code).toBe('not_retryable');
    expect((await t.call(admin, 'POST', `/api/admin/outbox/${mine.id}/retry`, { resend: true })).status).toBe(200);
    await drain();
    expect(mailsTo(email)).toHaveLength(1);
    expect(mailsTo(email)[0]!.messageId).toBe(mine.message_id);
  });

  it('puts the portal\'s private tracking link in the acknowledgement, sends reissued credentials, and never shows them to administrators', async () => {
    const db = t.database.db;
    const email = 'portal.user@example.com';
    const c = await create({ language: 'nl', complainant: { name: 'Portal User', email, preferredLanguage: 'nl' } });
    const { outboxRow } = await import('../../src/channels/outbox.ts');
    await db.insertInto('outbox').values(outboxRow('complainant.portal_link', c.id, { reference: c.reference, reason: 'submitted', trackingUrl: 'https://redress.example/t/private-link-1' })).execute();
    await drain();
    const [ack] = mailsTo(email);
    const parsed = await simpleParser(ack!.raw);
    expect(parsed.text).toContain('https://redress.example/t/private-link-1');
    expect(mailsTo(email)).toHaveLength(1); // the 'submitted' link row sends nothing of its own

    const [row] = await db
      .insertInto('outbox')
      .values(outboxRow('complainant.portal_link', c.id, { reference: c.reference, reason: 'reissued', trackingUrl: 'https://redress.example/t/private-link-2', secret: 'K7Q4-PLMN-X2' }))
      .returning('id')
      .execute();
    await drain();
    expect(mailsTo(email)).toHaveLength(2);
    const reissued = await simpleParser(mailsTo(email)[1]!.raw);
    expect(reissued.subject).toContain('Uw nieuwe volglink');
    expect(reissued.text).toContain('https://redress.example/t/private-link-2');
    expect(reissued.text).toContain('K7Q4-PLMN-X2');
    const detail = await t.call(admin, 'GET', `/api/admin/outbox/${row!.id}`);
    expect(detail.body.payload.secret).toBe('[redacted]');
    expect(JSON.stringify(detail.body)).not.toContain('private-link-2');
  });
});
