import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationDeliverer } from '../../src/channels/notifications.ts';
import { closeSlot, createSlot, processBatch } from '../../src/channels/outbox-worker.ts';
import { LoggingSmsProvider, TwilioSmsProvider, twilioSignature, type SmsProvider } from '../../src/channels/sms/provider.ts';
import { createComplaint } from '../../src/complaints/create-complaint.ts';
import type { Actor } from '../../src/identity/roles.ts';
import { buildApp } from '../../src/server/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { silentLog } from './helpers.ts';

const PUBLIC_URL = 'https://redress.example';
const TOKEN = 'twilio-test-auth-token';
const intake: Actor = { type: 'system', id: null, label: 'sms test', role: 'intake', teamIds: [], channel: 'api' };

interface ProviderRequest {
  path: string;
  authorization: string | undefined;
  form: URLSearchParams;
}

describe('SMS through a Twilio-style HTTP provider, with signed delivery-status callbacks', () => {
  let database: TestDatabase;
  let provider: Server;
  let providerUrl = '';
  const requests: ProviderRequest[] = [];
  let answer: { status: number; body: unknown } = { status: 201, body: { sid: 'SM0001', status: 'queued' } };
  let app: FastifyInstance;
  let appUrl = '';
  let twilio: SmsProvider;

  beforeAll(async () => {
    database = await createTestDatabase();
    provider = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        requests.push({ path: req.url ?? '', authorization: req.headers.authorization, form: new URLSearchParams(body) });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    const address = provider.address();
    providerUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    twilio = new TwilioSmsProvider({ apiUrl: providerUrl, accountSid: 'AC123', authToken: TOKEN, from: '+15550001111' });
    app = await buildApp({ db: database.db, logLevel: 'silent', channels: { publicUrl: PUBLIC_URL, sms: twilio } });
    appUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
    await new Promise((r) => provider?.close(r));
    await database?.drop();
  });

  async function deliverAll(sms: SmsProvider) {
    const slot = await createSlot(database.db, createNotificationDeliverer(database.db, { publicUrl: PUBLIC_URL, mailFrom: 'Redress <c@redress.example>', sms, log: silentLog }), database.url);
    try {
      while ((await processBatch(database.db, slot, { worker: 'sms-test', batchSize: 50, leaseSeconds: 30, log: silentLog })) > 0);
    } finally {
      await closeSlot(slot);
    }
  }

  const smsComplaint = (phone: string, language: 'en' | 'fa' = 'en') =>
    createComplaint(database.db, intake, {
      type: 'complaint',
      channel: 'phone',
      description: 'The engineer never came for the appointment.',
      language,
      complainant: { name: 'Sam', phone, preferredChannel: 'sms', preferredLanguage: language },
    });

  const postStatus = (params: Record<string, string>, signature?: string) =>
    fetch(`${appUrl}/api/channels/sms/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'x-twilio-signature': signature } : {}) },
      body: new URLSearchParams(params).toString(),
    });

  it('sends the acknowledgement by SMS and records the provider id; a signed callback records the delivery', async () => {
    const c = await smsComplaint('+44 7700 900123', 'fa');
    await deliverAll(twilio);
    expect(requests).toHaveLength(1);
    const req = requests[0]!;
    expect(req.path).toBe('/2010-04-01/Accounts/AC123/Messages.json');
    expect(req.authorization).toBe(`Basic ${Buffer.from(`AC123:${TOKEN}`).toString('base64')}`);
    expect(req.form.get('To')).toBe('+44 7700 900123');
    expect(req.form.get('From')).toBe('+15550001111');
    expect(req.form.get('Body')).toContain(c.reference);
    expect(req.form.get('Body')).toContain('شکایت شما دریافت شد');
    expect(req.form.get('StatusCallback')).toBe(`${PUBLIC_URL}/api/channels/sms/status`);
    const attempt = await database.db.selectFrom('delivery_attempts').selectAll().where('provider_message_id', '=', 'SM0001').executeTakeFirstOrThrow();
    expect(attempt.outcome).toBe('sent');
    expect(attempt.channel).toBe('sms:twilio');

    const params = { MessageSid: 'SM0001', MessageStatus: 'delivered', AccountSid: 'AC123', To: '+447700900123' };
    const url = `${PUBLIC_URL}/api/channels/sms/status`;
    expect((await postStatus(params)).status).toBe(403);
    expect((await postStatus(params, twilioSignature('wrong-token', url, params))).status).toBe(403);
    expect((await postStatus({ ...params, MessageStatus: 'failed' }, twilioSignature(TOKEN, url, params))).status).toBe(403); // tampered
    const ok = await postStatus(params, twilioSignature(TOKEN, url, params));
    expect(ok.status).toBe(204);
    const updated = await database.db.selectFrom('delivery_attempts').selectAll().where('id', '=', attempt.id).executeTakeFirstOrThrow();
    expect(updated.provider_status).toBe('delivered');
    expect(updated.provider_status_at).not.toBeNull();
  });

  it('retries when the provider is unavailable and makes a dead letter when it refuses the number', async () => {
    answer = { status: 503, body: { message: 'busy' } };
    const a = await smsComplaint('+44 7700 900124');
    await deliverAll(twilio);
    const rowA = await database.db.selectFrom('outbox').selectAll().where('complaint_id', '=', a.id).where('topic', '=', 'complaint.received').executeTakeFirstOrThrow();
    expect(rowA.status).toBe('pending');
    answer = { status: 400, body: { code: 21211, message: "The 'To' number is not valid" } };
    const b = await smsComplaint('+44 7700 900125');
    await deliverAll(twilio);
    const rowB = await database.db.selectFrom('outbox').selectAll().where('complaint_id', '=', b.id).where('topic', '=', 'complaint.received').executeTakeFirstOrThrow();
    expect(rowB.status).toBe('dead');
    expect(rowB.last_error).toContain('400');
    expect(rowB.last_error).not.toContain('900125');
    answer = { status: 201, body: { sid: 'SM0002', status: 'queued' } };
  });

  it('logs instead of sending with the logging provider, without the number or the text', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
    await smsComplaint('+44 7700 900126');
    await database.db.updateTable('outbox').set({ status: 'sent' }).where('status', '=', 'pending').where('topic', '=', 'complaint.received').where('attempts', '>', 0).execute();
    await deliverAll(new LoggingSmsProvider(log));
    const attempt = await database.db.selectFrom('delivery_attempts').selectAll().where('channel', '=', 'sms:log').executeTakeFirstOrThrow();
    expect(attempt.outcome).toBe('sent');
    expect(lines.join('')).toContain('SMS (log provider)');
    expect(lines.join('')).not.toContain('900126');
  });
});
