import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { DeliveryRefused } from '../outbox-worker.ts';

/** Outbound SMS through a provider adapter (CHAN-2). */
export interface SmsMessage {
  to: string;
  body: string;
  /** Where the provider reports delivery status (absent for providers without callbacks). */
  statusCallbackUrl?: string;
}

export interface SmsResult {
  providerMessageId: string;
  status: string;
}

export interface SmsProvider {
  readonly name: string;
  send(message: SmsMessage): Promise<SmsResult>;
  /** Checks a delivery-status callback's signature; false when it is not from the provider. */
  verifyCallback(url: string, params: Record<string, string>, signature: string | undefined): boolean;
}

/** For development: logs that a message would be sent (never the number or the text: PRIV-5). */
export class LoggingSmsProvider implements SmsProvider {
  readonly name = 'log';
  constructor(private readonly log: Pick<Logger, 'info'>) {}
  async send(message: SmsMessage): Promise<SmsResult> {
    const providerMessageId = `log-${randomUUID()}`;
    this.log.info({ providerMessageId, characters: message.body.length }, 'SMS (log provider): not sent');
    return { providerMessageId, status: 'logged' };
  }
  verifyCallback(): boolean {
    return false;
  }
}

/** Twilio's request signature: HMAC-SHA1 over the full URL followed by the POST parameters sorted by name. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = url + Object.keys(params).sort().map((k) => `${k}${params[k]}`).join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

export interface TwilioOptions {
  apiUrl: string;
  accountSid: string;
  authToken: string;
  from: string;
  timeoutMs?: number;
}

/**
 * A Twilio-style HTTP API: `POST {apiUrl}/2010-04-01/Accounts/{sid}/Messages.json` (form-encoded To, From, Body,
 * StatusCallback; HTTP Basic with the account SID and auth token), answered with `{ sid, status }`.
 */
export class TwilioSmsProvider implements SmsProvider {
  readonly name = 'twilio';
  constructor(private readonly options: TwilioOptions) {}

  async send(message: SmsMessage): Promise<SmsResult> {
    const { apiUrl, accountSid, authToken, from } = this.options;
    const form = new URLSearchParams({ To: message.to, From: from, Body: message.body });
    if (message.statusCallbackUrl) form.set('StatusCallback', message.statusCallbackUrl);
    const response = await fetch(`${apiUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
    });
    const text = await response.text();
    let body: { sid?: string; status?: string; code?: number; message?: string } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      /* not JSON */
    }
    if (!response.ok) {
      const detail = `SMS provider answered ${response.status}${body.code ? ` (code ${body.code})` : ''}`;
      // 4xx (bad number, refused) will not change on retry; 429 and 5xx may.
      throw new DeliveryRefused(detail, response.status >= 400 && response.status < 500 && response.status !== 429);
    }
    if (!body.sid) throw new Error('SMS provider answered without a message id');
    return { providerMessageId: body.sid, status: body.status ?? 'queued' };
  }

  verifyCallback(url: string, params: Record<string, string>, signature: string | undefined): boolean {
    if (!signature) return false;
    const expected = Buffer.from(twilioSignature(this.options.authToken, url, params));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
