/**
 * E-mail to staff addresses with files attached (topic `report.scheduled`, written by src/exports/). The whole message
 * is in the outbox row's payload — recipients, subject, text and each file as base64 — so the row is self-contained:
 * the same row always yields the same message (same Message-ID, same bytes), and the outbox's hand-over mark and
 * in-doubt rules apply unchanged.
 */
import { z } from 'zod';

export const REPORT_TOPIC = 'report.scheduled';

/** Largest total of attachments in one message (before base64), well under common SMTP size limits. */
export const MAX_ATTACHMENT_BYTES = 15 * 1024 * 1024;

export const staffMailPayload = z.object({
  to: z.array(z.email()).min(1).max(50),
  subject: z.string().min(1).max(300),
  text: z.string().max(20_000),
  language: z.string().min(2).max(10).default('en'),
  attachments: z
    .array(
      z.object({
        filename: z.string().min(1).max(200),
        contentType: z.string().min(1).max(200),
        contentBase64: z.string(),
      }),
    )
    .max(10)
    .default([]),
});
export type StaffMailPayload = z.infer<typeof staffMailPayload>;

/** The payload of a report e-mail; refuses attachments over MAX_ATTACHMENT_BYTES. */
export function staffMail(input: {
  to: string[];
  subject: string;
  text: string;
  language?: string;
  attachments: Array<{ filename: string; contentType: string; content: Uint8Array }>;
}): StaffMailPayload {
  const total = input.attachments.reduce((n, a) => n + a.content.length, 0);
  if (total > MAX_ATTACHMENT_BYTES) throw new RangeError(`attachments too large (${total} bytes)`);
  return staffMailPayload.parse({
    to: input.to,
    subject: input.subject,
    text: input.text,
    language: input.language ?? 'en',
    attachments: input.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      contentBase64: Buffer.from(a.content).toString('base64'),
    })),
  });
}

/** Payload fields shown to administrators: files by name and size, never their content. */
export function summariseAttachments(payload: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(payload.attachments)) return payload;
  return {
    ...payload,
    attachments: (payload.attachments as Array<Record<string, unknown>>).map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      bytes: typeof a.contentBase64 === 'string' ? Buffer.from(a.contentBase64, 'base64').length : null,
    })),
  };
}
