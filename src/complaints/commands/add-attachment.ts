import { randomUUID } from 'node:crypto';
import { checkAttachment } from '../../attachments/sniff.ts';
import { AppError } from '../../shared/errors.ts';
import type { ActionHandler } from '../execute-action.ts';

/**
 * Attach a file (INT-6): its type is sniffed from the bytes (never trusted from the client), its name sanitised,
 * its size limited, and its SHA-256 kept so the history proves what was received.
 */
export const addAttachment: ActionHandler<'add_attachment'> = async ({ tx, complaint, actor, input }) => {
  const bytes = new Uint8Array(Buffer.from(input.contentBase64, 'base64'));
  const checked = checkAttachment({ filename: input.filename, bytes });
  if (!checked.ok) {
    throw new AppError(checked.code === 'too_large' ? 413 : checked.code === 'empty' ? 400 : 415, checked.code, checked.message, { field: 'contentBase64' });
  }
  const id = randomUUID();
  await tx
    .insertInto('attachments')
    .values({
      id,
      complaint_id: complaint.id,
      filename: checked.filename,
      mime: checked.mime,
      size: checked.size,
      sha256: checked.sha256,
      content: bytes,
      source: actor.type === 'complainant' ? 'complainant' : 'staff',
      created_by: actor.id,
    })
    .execute();
  return { data: { attachmentId: id, filename: checked.filename, mime: checked.mime, size: checked.size, sha256: checked.sha256 } };
};
