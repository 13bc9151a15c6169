import { describe, expect, it } from 'vitest';
import { composeEmail } from './smtp-sender.ts';
import { MAX_ATTACHMENT_BYTES, staffMail, staffMailPayload, summariseAttachments } from './staff-mail.ts';

describe('report e-mails with attachments', () => {
  const file = {
    filename: 'kpis-2026-11.xlsx',
    contentType: 'application/octet-stream',
    content: new Uint8Array([80, 75, 3, 4, 0, 255]),
  };

  it('carries the file as base64 in the payload and refuses oversized files', () => {
    const p = staffMail({ to: ['a@example.org'], subject: 'S', text: 'T', attachments: [file] });
    expect(p.attachments[0]!.contentBase64).toBe(Buffer.from(file.content).toString('base64'));
    expect(staffMailPayload.safeParse(JSON.parse(JSON.stringify(p))).success).toBe(true);
    expect(() =>
      staffMail({
        to: ['a@example.org'],
        subject: 'S',
        text: 'T',
        attachments: [{ ...file, content: new Uint8Array(MAX_ATTACHMENT_BYTES + 1) }],
      }),
    ).toThrow(RangeError);
    expect(() => staffMail({ to: ['not an address'], subject: 'S', text: 'T', attachments: [] })).toThrow();
  });

  it('shows administrators file names and sizes, not content', () => {
    const p = staffMail({ to: ['a@example.org'], subject: 'S', text: 'T', attachments: [file] });
    expect(summariseAttachments(p as unknown as Record<string, unknown>).attachments).toEqual([
      { filename: file.filename, contentType: file.contentType, bytes: 6 },
    ]);
    expect(summariseAttachments({ x: 1 })).toEqual({ x: 1 });
  });

  it('composes a multipart message whose attachment decodes to the same bytes', async () => {
    const raw = (
      await composeEmail({
        from: 'r@example.org',
        to: 'a@example.org',
        subject: 'Report',
        text: 'see attached',
        html: '',
        language: 'en',
        messageId: '<x@redress>',
        attachments: [{ ...file, content: Buffer.from(file.content) }],
      })
    ).toString();
    expect(raw).toMatch(/Content-Type: multipart\/mixed/);
    expect(raw).toContain('filename=kpis-2026-11.xlsx');
    expect(raw).not.toContain('text/html');
    expect(raw).toContain(Buffer.from(file.content).toString('base64'));
  });
});
