import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import { createComplaint } from '../../complaints/create-complaint.ts';
import { executeAction, type ActionHandler } from '../../complaints/execute-action.ts';
import { handlers } from '../../complaints/handlers.ts';
import type { CreateComplaintInput } from '../../complaints/schemas.ts';
import { complainantActor } from '../../identity/roles.ts';
import { derivedCredentials, storeCredentials, type Credentials } from '../credentials.ts';
import type { CheckedFile } from './validate.ts';

/**
 * A web submission (PORT-1, INT-1…INT-8). Files that passed the checks are staged under the form's submission id
 * while the rest of the form is corrected, so nothing already sent is lost; the submission id is also the
 * idempotency key, so a double click or a resubmission gives the same complaint and the same credentials.
 */
export const sourceKeyOf = (submissionId: string) => `portal:${submissionId}`;
export const validSubmissionId = (s: string) => /^[A-Za-z0-9_-]{32,64}$/.test(s);

const STAGED_TTL_MS = 24 * 3_600_000;

export async function stageUploads(db: Db, submissionId: string, files: CheckedFile[]): Promise<void> {
  await db.deleteFrom('portal_uploads').where('created_at', '<', new Date(Date.now() - STAGED_TTL_MS)).execute();
  if (files.length === 0) return;
  await db
    .insertInto('portal_uploads')
    .values(files.map((f) => ({ id: randomUUID(), submission_id: submissionId, filename: f.filename, mime: f.mime, size: f.size, sha256: f.sha256, content: f.bytes })))
    .execute();
}

export interface StagedUpload {
  id: string;
  filename: string;
  size: number;
}

export async function stagedUploads(db: Db, submissionId: string): Promise<StagedUpload[]> {
  return db.selectFrom('portal_uploads').select(['id', 'filename', 'size']).where('submission_id', '=', submissionId).orderBy('created_at').orderBy('id').execute();
}

/** Keeps only the staged files the person left ticked. */
export async function keepUploads(db: Db, submissionId: string, keep: readonly string[]): Promise<void> {
  const ids = keep.filter((k) => /^[0-9a-f-]{36}$/.test(k));
  let q = db.deleteFrom('portal_uploads').where('submission_id', '=', submissionId);
  if (ids.length > 0) q = q.where('id', 'not in', ids);
  await q.execute();
}

export async function findSubmission(db: Db, submissionId: string) {
  return db
    .selectFrom('complaints')
    .select(['id', 'reference', 'type', 'next_due_at', 'received_at', 'complainant_id'])
    .where('source_key', '=', sourceKeyOf(submissionId))
    .executeTakeFirst();
}

class AlreadyAttached extends Error {}

/**
 * Attaches a staged upload and removes it from the staging table in the same transaction: crash-safe, and once
 * only — two concurrent resubmissions queue on the complaint's row lock and the second finds nothing to attach.
 */
const attachStaged =
  (uploadId: string): ActionHandler<'add_attachment'> =>
  async (ctx) => {
    const removed = await ctx.tx.deleteFrom('portal_uploads').where('id', '=', uploadId).executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) throw new AlreadyAttached();
    return handlers.add_attachment(ctx);
  };

export async function submitComplaint(
  db: Db,
  key: Buffer,
  s: { input: CreateComplaintInput; submissionId: string; language: string; publicUrl: string },
): Promise<{ id: string; reference: string; created: boolean; credentials: Credentials }> {
  const actor = complainantActor('portal');
  const created = await createComplaint(db, actor, { ...s.input, sourceKey: sourceKeyOf(s.submissionId) });
  const credentials = derivedCredentials(key, s.submissionId);
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('portal_submissions')
      .values({ complaint_id: created.id, submission_id: s.submissionId, language: s.language, consented_at: new Date() })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await storeCredentials(tx, created, credentials, { publicUrl: s.publicUrl, language: s.language, reason: 'submitted' });
  });
  const uploads = await db.selectFrom('portal_uploads').select(['id', 'filename', 'content']).where('submission_id', '=', s.submissionId).orderBy('created_at').orderBy('id').execute();
  for (const u of uploads) {
    try {
      const input = { filename: u.filename, contentBase64: Buffer.from(u.content).toString('base64') };
      await executeAction(db, actor, created.reference, 'add_attachment', input, attachStaged(u.id));
    } catch (error) {
      if (!(error instanceof AlreadyAttached)) throw error;
    }
  }
  return { ...created, credentials };
}
