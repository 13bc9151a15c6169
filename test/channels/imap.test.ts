import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imapLabel } from '../../src/channels/config.ts';
import type { InboundResult } from '../../src/channels/email/inbound.ts';
import { PROCESSED_KEYWORD, runImapPoller } from '../../src/channels/email/imap-poller.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { hasDovecot, silentLog, startDovecot, type Dovecot } from './helpers.ts';

const MAIL_FROM = 'Redress <complaints@redress.example>';

function message(from: string, subject: string, body: string, id: string) {
  return Buffer.from(
    `From: ${from}\r\nTo: complaints@redress.example\r\nSubject: ${subject}\r\nMessage-ID: <${id}>\r\nDate: ${new Date().toUTCString()}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${body}\r\n`,
  );
}

describe.skipIf(!hasDovecot)('inbound e-mail from a real IMAP server (dovecot)', () => {
  let dovecot: Dovecot;
  let database: TestDatabase;
  let imap: ImapFlow;

  beforeAll(async () => {
    dovecot = await startDovecot();
    database = await createTestDatabase();
    // Only APPENDs on this connection: no automatic IDLE in between (it has no mailbox selected).
    imap = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false, disableAutoIdle: true });
    await imap.connect();
  });
  afterAll(async () => {
    imap?.close();
    await database?.drop();
    await dovecot?.stop();
  });

  it('records the waiting messages, then picks up a new one at once through IDLE, and marks and moves them', { timeout: 120_000 }, async () => {
    await imap.append('INBOX', message('Wojciech <wojtek@example.pl>', 'Reklamacja karty', 'Moja karta została zablokowana bez powodu i nie mogę zapłacić za zakupy.', 'pl-1@example.pl'));
    await imap.append('INBOX', message('劉芳 <liufang@example.cn>', '=?UTF-8?B?5oqV6K+J77ya6LSm5oi36KKr6ZSZ6K+v5omj6LS5?=', '我的账户被错误扣费，请尽快退款。', 'zh-1@example.cn'));
    await imap.append('INBOX', message('MAILER-DAEMON@example.org', 'Undelivered Mail Returned to Sender', 'Could not deliver.', 'bounce-1@example.org'));

    const results: InboundResult[] = [];
    const abort = new AbortController();
    const url = dovecot.url('INBOX');
    const poller = runImapPoller(database.db, {
      mailbox: { url, label: imapLabel(url) },
      pollSeconds: 120, // far longer than the test: only IDLE can bring the next message in time
      processedMailbox: 'Processed',
      settings: { mailFrom: MAIL_FROM },
      log: silentLog,
      signal: abort.signal,
      onIngested: (r) => results.push(r),
    });
    const waitFor = async (n: number) => {
      const deadline = Date.now() + 30_000;
      while (results.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} messages, got ${results.length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await waitFor(3);
      expect(results.map((r) => r.outcome).sort()).toEqual(['complaint', 'complaint', 'rejected']);
      const started = Date.now();
      await imap.append('INBOX', message('Sanne <sanne@example.nl>', 'Klacht over kosten', 'Ik heb twee keer betaald voor dezelfde bestelling en krijg mijn geld niet terug.', 'nl-1@example.nl'));
      await waitFor(4);
      expect(Date.now() - started).toBeLessThan(30_000); // the poll interval is 120 s: only IDLE brings it this soon
      expect(results[3]!.outcome).toBe('complaint');
    } finally {
      abort.abort();
      await poller;
    }

    const complaints = await database.db.selectFrom('complaints').select(['channel', 'language', 'description']).orderBy('created_at').execute();
    expect(complaints.map((c) => c.channel)).toEqual(['email', 'email', 'email']);
    expect(complaints.map((c) => c.language).sort()).toEqual(['nl', 'pl', 'zh']);
    expect(complaints.find((c) => c.language === 'zh')!.description).toContain('投诉：账户被错误扣费');
    const inbound = await database.db.selectFrom('inbound_messages').select(['source', 'mailbox']).execute();
    expect(inbound).toHaveLength(4);
    expect(inbound.every((i) => i.source === 'imap' && i.mailbox === `127.0.0.1:${dovecot.port}/INBOX`)).toBe(true);
    expect(JSON.stringify(inbound)).not.toContain(dovecot.password);

    // Recorded messages were flagged and moved out of the inbox (checked on a fresh connection).
    const check = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false, disableAutoIdle: true });
    await check.connect();
    try {
      const inbox = await check.mailboxOpen('INBOX');
      expect(inbox.exists).toBe(0);
      await check.mailboxOpen('Processed');
      const flagged = await check.search({ keyword: PROCESSED_KEYWORD }, { uid: true });
      expect(Array.isArray(flagged) && flagged.length).toBe(4);
    } finally {
      await check.logout();
    }
  });
});
