import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import { checkAttachment } from '../../attachments/sniff.ts';
import { executeAction, type ActionHandler } from '../../complaints/execute-action.ts';
import { handlers } from '../../complaints/handlers.ts';
import type { ActionName } from '../../complaints/lifecycle.ts';
import type { ActionInputs } from '../../complaints/schemas.ts';
import { complainantActor } from '../../identity/roles.ts';
import type { Access } from '../credentials.ts';
import { MAX_FILE_BYTES, MAX_FILES, type FormInput } from '../forms.ts';
import type { Translate } from '../i18n.ts';
import type { Errors } from '../ui/view.ts';
import { nextEscalationLevel, surveyQuestions, type Flash, type SurveyQuestion } from './case-page.ts';

/**
 * What the complainant does on their case (PORT-3, PORT-4), always through the state machine as the complainant
 * actor, on the complaint their session was opened for. Each form carries a random `once` key, recorded in the
 * action's own transaction: a double click never sends the same reply or decision twice.
 */
export type CaseAction = 'reply' | 'accept' | 'reject' | 'escalate' | 'withdraw' | 'survey';
export const caseActions: readonly CaseAction[] = ['reply', 'accept', 'reject', 'escalate', 'withdraw', 'survey'];

const actor = complainantActor('portal');

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === '23505';

async function onceDone(db: Db, key: string): Promise<boolean> {
  return Boolean(await db.selectFrom('portal_actions').select('id').where('id', '=', key).executeTakeFirst());
}

function recordedOnce<A extends ActionName>(key: string, handler: ActionHandler<A>): ActionHandler<A> {
  return async (ctx) => {
    await ctx.tx.insertInto('portal_actions').values({ id: key, complaint_id: ctx.complaint.id }).execute();
    return handler(ctx);
  };
}

async function act<A extends ActionName>(db: Db, access: Access, name: A, input: ActionInputs[A], key: string): Promise<'done' | 'duplicate'> {
  if (await onceDone(db, key)) return 'duplicate';
  try {
    await executeAction(db, actor, access.reference, name, input, recordedOnce(key, handlers[name] as ActionHandler<A>));
    return 'done';
  } catch (error) {
    if (isUniqueViolation(error) || (await onceDone(db, key))) return 'duplicate';
    throw error;
  }
}

export interface ActionOutcome {
  errors: Errors;
  flash?: Flash;
  anchor?: string;
}

function limitText(form: FormInput, field: string, max: number, t: Translate, label: string, errors: Errors, required = false): string | undefined {
  const value = form.get(field).trim();
  if (!value) {
    if (required) errors.push({ field, message: t('errors.required', { field: label }) });
    return undefined;
  }
  if (value.length > max) errors.push({ field, message: t('errors.too_long', { field: label, max, length: value.length }) });
  return value;
}

export async function runCaseAction(
  db: Db,
  access: Access,
  action: CaseAction,
  form: FormInput,
  v: { t: Translate; lang: string; fmtBytes: (n: number) => string },
): Promise<ActionOutcome> {
  const { t, fmtBytes } = v;
  const errors: Errors = [];
  const onceKey = `${access.complaintId}:${/^[A-Za-z0-9_-]{16,64}$/.test(form.get('once')) ? form.get('once') : randomUUID()}`;
  const complaint = await db.selectFrom('complaints').select(['state', 'escalation_level', 'closed_at']).where('id', '=', access.complaintId).executeTakeFirstOrThrow();

  switch (action) {
    case 'reply': {
      const message = limitText(form, 'message', 20_000, t, t('case.reply.message'), errors);
      const files: Array<{ filename: string; contentBase64: string }> = [];
      const label = t('case.reply.files');
      for (const f of form.files) {
        const checked = f.truncated ? null : checkAttachment({ filename: f.filename, bytes: f.bytes });
        if (!checked || !checked.ok) {
          const key = !checked || checked.code === 'too_large' ? 'errors.file_too_large' : checked.code === 'empty' ? 'errors.file_empty' : 'errors.file_type';
          errors.push({ field: 'files', message: t(key, { field: label, name: f.filename, max: fmtBytes(MAX_FILE_BYTES) }) });
        } else files.push({ filename: checked.filename, contentBase64: Buffer.from(f.bytes).toString('base64') });
      }
      if (form.files.length > MAX_FILES) errors.push({ field: 'files', message: t('errors.too_many_files', { field: label, max: MAX_FILES }) });
      if (!message && form.files.length === 0) errors.push({ field: 'message', message: t('errors.reply_empty') });
      if (errors.length) return { errors };
      let first: 'done' | 'duplicate' = 'done';
      if (complaint.state === 'awaiting_complainant') first = await act(db, access, 'information_received', message ? { message } : {}, onceKey);
      else if (message) first = await act(db, access, 'add_message', { body: message }, onceKey);
      if (first === 'duplicate') return { errors, flash: 'reply_sent' };
      for (const [i, file] of files.entries()) await act(db, access, 'add_attachment', file, `${onceKey}:file:${i}`);
      return { errors, flash: 'reply_sent', anchor: 'messages' };
    }
    case 'accept': {
      const comment = limitText(form, 'comment', 5000, t, t('case.accept.comment'), errors);
      if (errors.length) return { errors };
      await act(db, access, 'complainant_accepts', comment ? { comment } : {}, onceKey);
      return { errors, flash: 'accepted' };
    }
    case 'reject': {
      const reason = limitText(form, 'reason', 2000, t, t('case.reject.reason'), errors);
      if (errors.length) return { errors };
      await act(db, access, 'complainant_rejects', reason ? { reason } : {}, onceKey);
      // Rejecting offers escalation: the page opens on the request for a review.
      return { errors, flash: 'rejected', anchor: 'escalate' };
    }
    case 'escalate': {
      const reason = limitText(form, 'escalation_reason', 2000, t, t('case.escalate.reason'), errors, true);
      if (errors.length || !reason) return { errors };
      const level = nextEscalationLevel(complaint.escalation_level);
      if (!level) return { errors, flash: 'not_possible' };
      await act(db, access, 'escalate', { level, reason }, onceKey);
      return { errors, flash: 'escalated' };
    }
    case 'withdraw': {
      const reason = limitText(form, 'withdraw_reason', 2000, t, t('case.withdraw.reason'), errors);
      if (form.get('confirm') !== 'yes') errors.push({ field: 'confirm', message: t('errors.withdraw_confirm') });
      if (errors.length) return { errors };
      await act(db, access, 'withdraw', reason ? { reason } : {}, onceKey);
      return { errors, flash: 'withdrawn' };
    }
    case 'survey': {
      const answers: Record<string, number> = {};
      for (const q of Object.keys(surveyQuestions) as SurveyQuestion[]) {
        const n = Number(form.get(q));
        if (!Number.isInteger(n) || n < 1 || n > 5) errors.push({ field: q, message: t('errors.survey_answer', { question: t(surveyQuestions[q]) }) });
        else answers[q] = n;
      }
      const comment = limitText(form, 'survey_comment', 2000, t, t('survey.comment'), errors);
      if (errors.length) return { errors };
      if (complaint.state !== 'closed' || !complaint.closed_at) return { errors, flash: 'not_possible' };
      // Once per closure (ISO 10002 8.3): a reopened and closed-again complaint asks again.
      const saved = await db
        .insertInto('portal_surveys')
        .values({ id: randomUUID(), complaint_id: access.complaintId, closed_at: complaint.closed_at, language: v.lang, answers: JSON.stringify(answers), comment: comment ?? null })
        .onConflict((oc) => oc.columns(['complaint_id', 'closed_at']).doNothing())
        .returning('id')
        .execute();
      return { errors, flash: saved.length ? 'survey_thanks' : 'survey_already' };
    }
  }
}
