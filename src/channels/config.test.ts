import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/config.ts';

describe('channel configuration (validated with the rest, OPS-3)', () => {
  it('has working defaults: no inbound channels, the logging SMS provider', () => {
    const c = loadConfig({}).channels;
    expect(c.smtpInbound).toBeNull();
    expect(c.imap.mailboxes).toEqual([]);
    expect(c.sms).toEqual({ provider: 'log' });
    expect(c.workerConcurrency).toBe(4);
    expect(c.outboxLeaseSeconds).toBe(60);
  });

  it('reads the SMTP receiver, IMAP mailboxes (labels without credentials) and the Twilio provider', () => {
    const c = loadConfig({
      REDRESS_SMTP_INBOUND_PORT: '2525',
      REDRESS_SMTP_INBOUND_DOMAINS: 'Redress.example, other.example',
      REDRESS_IMAP_URLS: 'imaps://user:secret@mail.example/Complaints imap://u:p@127.0.0.1:1143',
      SMS_PROVIDER: 'twilio',
      TWILIO_ACCOUNT_SID: 'AC1',
      TWILIO_AUTH_TOKEN: 'tok',
      TWILIO_FROM: '+15550001111',
    }).channels;
    expect(c.smtpInbound).toEqual({ port: 2525, host: '0.0.0.0', maxBytes: 25 * 1024 * 1024, domains: ['redress.example', 'other.example'] });
    expect(c.imap.mailboxes.map((m) => m.label)).toEqual(['mail.example/Complaints', '127.0.0.1:1143/INBOX']);
    expect(JSON.stringify(c.imap.mailboxes.map((m) => m.label))).not.toContain('secret');
    expect(c.sms).toMatchObject({ provider: 'twilio', accountSid: 'AC1', from: '+15550001111' });
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ SMS_PROVIDER: 'twilio', REDRESS_IMAP_URLS: 'http://mail.example', REDRESS_SMTP_INBOUND_PORT: 'x', OUTBOX_LEASE_SECONDS: '1' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const key of ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM', 'REDRESS_IMAP_URLS', 'REDRESS_SMTP_INBOUND_PORT', 'OUTBOX_LEASE_SECONDS']) {
        expect(problems).toContain(key);
      }
    }
  });
});
