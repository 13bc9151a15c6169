import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/client.ts';
import { getSetting } from '../../admin/settings.ts';
import { getCatalogue } from '../../catalogue/catalogue.ts';
import { ChallengeIssuer, SlidingCounter } from '../challenge.ts';
import { cookieOptions, csrfAccepted, viewFor, type PortalConfig } from '../context.ts';
import { accessByLink, derivedCredentials } from '../credentials.ts';
import { readForm } from '../forms.ts';
import { serverKey } from '../security.ts';
import { expectedDates } from '../track/expected-dates.ts';
import { layout } from '../ui/layout.ts';
import type { Errors, View } from '../ui/view.ts';
import { donePage, submitPage, type SubmitFormState } from './page.ts';
import { findSubmission, keepUploads, stagedUploads, stageUploads, submitComplaint, validSubmissionId } from './submission.ts';
import { checkFiles, validateSubmission } from './validate.ts';

const RECEIPT_COOKIE = 'redress_receipt';

/** `/submit` (PORT-1): the form, its handling (validation, double-submit, rate and challenge), the confirmation. */
export function submitRoutes(app: FastifyInstance, db: Db, config: PortalConfig) {
  const perAddress = new SlidingCounter(config.limits.submitWindowMs);
  const perAddressHour = new SlidingCounter(3_600_000);
  const overall = new SlidingCounter(60_000);
  const challenges = new ChallengeIssuer(() => serverKey(db), config.challenge);
  const hot = (address: string) =>
    perAddress.count(address) >= config.limits.submitChallengeAfter || overall.count('all') >= config.limits.submitGlobalPerMinute;

  async function render(request: FastifyRequest, reply: FastifyReply, v: View, state: Omit<SubmitFormState, 'products' | 'allowAnonymous' | 'challenge'>, status = 200) {
    const catalogue = await getCatalogue(db);
    const products = [...catalogue.products.values()].map((p) => ({ key: p.key, name: p.name })).sort((a, b) => a.name.localeCompare(b.name));
    const challenge = hot(request.ip) ? { token: await challenges.issue(request.ip), bits: config.challenge.bits, waitSeconds: config.challenge.waitSeconds } : null;
    const page = submitPage(v, { ...state, products, allowAnonymous: await getSetting(db, 'allow_anonymous'), challenge });
    return reply.code(status).type('text/html; charset=utf-8').send(layout(v, { ...page, section: 'submit', errors: state.errors.length }));
  }

  app.get('/submit', async (request, reply) => {
    const v = await viewFor(db, config, request, reply);
    return render(request, reply, v, { submissionId: randomBytes(32).toString('base64url'), form: null, errors: [], staged: [] });
  });

  app.post('/submit', async (request, reply) => {
    const form = await readForm(request);
    const v = await viewFor(db, config, request, reply);
    let submissionId = form.get('submissionId');
    if (!validSubmissionId(submissionId)) submissionId = randomBytes(32).toString('base64url');
    const again = (errors: Errors, status: number) => stagedUploads(db, submissionId).then((staged) => render(request, reply, v, { submissionId, form, errors, staged }, status));

    if (!(await csrfAccepted(db, request, 'submit', form.get('_csrf')))) {
      return again([{ field: 'description', message: v.t('errors.csrf') }], 403);
    }
    // A double click or a resubmission of a form already sent: the same confirmation, never a second complaint.
    if (await findSubmission(db, submissionId)) return finish(reply, submissionId);

    await keepUploads(db, submissionId, form.all('keepUpload'));
    const keptFiles = (await stagedUploads(db, submissionId)).length;
    const catalogue = await getCatalogue(db);
    const ctx = {
      t: v.t,
      lang: v.lang,
      products: new Set(catalogue.products.keys()),
      allowAnonymous: await getSetting(db, 'allow_anonymous'),
      keptFiles,
      fmtBytes: v.fmt.bytes,
    };
    const fileErrors: Errors = [];
    await stageUploads(db, submissionId, checkFiles(form, ctx, fileErrors));
    const { errors, input } = validateSubmission(form, ctx);
    const allErrors = [...errors, ...fileErrors];
    if (allErrors.length > 0 || !input) return again(allErrors, 400);

    const waitHour = perAddressHour.count(request.ip) >= config.limits.submitPerAddressPerHour;
    if (waitHour) return again([{ field: 'description', message: v.t('errors.rate_limited') }], 429);
    if (hot(request.ip)) {
      const result = await challenges.verify(request.ip, form.get('pow_challenge') || undefined, form.get('pow_solution') || undefined);
      if (result !== 'ok') return again([{ field: 'challenge', message: v.t('errors.challenge', { seconds: v.fmt.number(config.challenge.waitSeconds) }) }], 429);
    }
    await submitComplaint(db, await serverKey(db), { input, submissionId, language: v.lang, publicUrl: config.publicUrl });
    for (const counter of [perAddress, perAddressHour]) counter.add(request.ip);
    overall.add('all');
    return finish(reply, submissionId);
  });

  function finish(reply: FastifyReply, submissionId: string) {
    reply.setCookie(RECEIPT_COOKIE, submissionId, cookieOptions(config, { path: '/submit', maxAge: 3600 }));
    return reply.code(303).header('location', '/submit/done').send();
  }

  app.get('/submit/done', async (request, reply) => {
    const v = await viewFor(db, config, request, reply);
    const submissionId = request.cookies[RECEIPT_COOKIE] ?? '';
    const found = validSubmissionId(submissionId) ? await findSubmission(db, submissionId) : undefined;
    const credentials = found ? derivedCredentials(await serverKey(db), submissionId) : null;
    // Shown for an hour after sending, and only while the credentials have not been revoked.
    if (!found || !credentials || Date.now() - found.received_at.getTime() > 3_600_000 || !(await accessByLink(db, credentials.link))) {
      return reply.code(303).header('location', '/track').send();
    }
    const contact = found.complainant_id
      ? await db.selectFrom('complainants').select('email').where('id', '=', found.complainant_id).executeTakeFirst()
      : undefined;
    const page = donePage(v, {
      reference: found.reference,
      type: found.type,
      credentials,
      publicUrl: config.publicUrl,
      dates: await expectedDates(db, { id: found.id, next_due_at: found.next_due_at, closed_at: null }),
      receivedAt: found.received_at,
      hasEmail: Boolean(contact?.email),
    });
    return reply.type('text/html; charset=utf-8').send(layout(v, { ...page, section: 'submit' }));
  });
}
