import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/client.ts';
import { AppError } from '../../shared/errors.ts';
import { parseReference } from '../../complaints/reference.ts';
import { SlidingCounter } from '../challenge.ts';
import { cookieOptions, csrfAccepted, viewFor, type PortalConfig } from '../context.ts';
import { accessByLink, accessBySecret, closeSession, openSession, sessionAccess, SESSION_COOKIE, type Access } from '../credentials.ts';
import { readForm, type FormInput } from '../forms.ts';
import { notFoundPage } from '../public-pages.ts';
import { layout } from '../ui/layout.ts';
import type { Errors, View } from '../ui/view.ts';
import { caseActions, runCaseAction, type CaseAction } from './case-actions.ts';
import { loadCase } from './case-data.ts';
import { casePage, flashKeys, type Flash } from './case-page.ts';
import { trackPage } from './track-page.ts';

const FLASH_COOKIE = 'redress_flash';
type Notice = 'link_invalid' | 'session_ended' | 'signed_out';

/** `/track`, `/t/<token>` and `/case` (PORT-2…PORT-4). */
export function trackRoutes(app: FastifyInstance, db: Db, config: PortalConfig) {
  const byAddress = new SlidingCounter(config.limits.trackWindowMs);
  const byReference = new SlidingCounter(config.limits.trackWindowMs);
  const linkFailures = new SlidingCounter(config.limits.trackWindowMs);
  const actionsByAddress = new SlidingCounter(10 * 60_000);
  const send = (reply: FastifyReply, v: View, page: { title: string; body: import('../html.ts').Html }, section: 'track' | 'none', status = 200, errors = 0) =>
    reply.code(status).type('text/html; charset=utf-8').send(layout(v, { ...page, section, errors }));

  async function showTrack(request: FastifyRequest, reply: FastifyReply, v: View, s: { reference?: string; errors?: Errors; notice?: Notice | null }, status = 200) {
    const current = await sessionAccess(db, request.cookies[SESSION_COOKIE]);
    const page = trackPage(v, { reference: s.reference ?? '', errors: s.errors ?? [], signedIn: current?.reference ?? null, notice: s.notice ?? null });
    if (status === 429) reply.header('retry-after', String(Math.ceil(config.limits.trackWindowMs / 1000)));
    return send(reply, v, page, 'track', status, s.errors?.length ?? 0);
  }

  async function enter(reply: FastifyReply, access: Access) {
    const session = await openSession(db, access);
    reply.setCookie(SESSION_COOKIE, session.cookie, { ...cookieOptions(config), expires: session.expiresAt });
    return reply.code(303).header('location', '/case').send();
  }

  app.get('/track', async (request, reply) => {
    const v = await viewFor(db, config, request, reply);
    const notice = takeFlash(request, reply);
    return showTrack(request, reply, v, { notice: notice === 'signed_out' || notice === 'session_ended' ? notice : null });
  });

  app.post('/track', async (request, reply) => {
    const form = await readForm(request);
    const v = await viewFor(db, config, request, reply);
    const reference = form.get('reference').trim().slice(0, 40);
    if (!(await csrfAccepted(db, request, 'track', form.get('_csrf')))) {
      return showTrack(request, reply, v, { reference, errors: [{ field: 'reference', message: v.t('errors.csrf') }] }, 403);
    }
    const missing: Errors = [];
    if (!reference) missing.push({ field: 'reference', message: v.t('errors.required', { field: v.t('track.reference.label') }) });
    if (!form.get('secret').trim()) missing.push({ field: 'secret', message: v.t('errors.required', { field: v.t('track.secret.label') }) });
    if (missing.length) return showTrack(request, reply, v, { reference, errors: missing }, 400);

    // Rate limits per address and per reference (whatever the reference's owner is, guessing its secret stops).
    const parsed = parseReference(reference);
    const refKey = parsed.ok ? parsed.reference : 'malformed';
    if (byAddress.count(request.ip) >= config.limits.trackPerAddress || byReference.count(refKey) >= config.limits.trackPerReference) {
      return showTrack(request, reply, v, { reference, errors: [{ field: 'reference', message: v.t('errors.rate_limited') }] }, 429);
    }
    byAddress.add(request.ip);
    byReference.add(refKey);
    const access = await accessBySecret(db, reference, form.get('secret'));
    // One answer for a wrong reference and a wrong secret: the same status, the same words, the same page.
    if (!access) return showTrack(request, reply, v, { reference, errors: [{ field: 'reference', message: v.t('errors.not_found') }] }, 400);
    return enter(reply, access);
  });

  app.get<{ Params: { token: string } }>('/t/:token', async (request, reply) => {
    if (linkFailures.count(request.ip) >= config.limits.trackPerAddress) {
      const v = await viewFor(db, config, request, reply);
      return showTrack(request, reply, v, { errors: [{ field: 'reference', message: v.t('errors.rate_limited') }] }, 429);
    }
    const access = await accessByLink(db, request.params.token);
    if (access) return enter(reply, access);
    linkFailures.add(request.ip);
    const v = await viewFor(db, config, request, reply);
    return showTrack(request, reply, { ...v, path: '/track' }, { notice: 'link_invalid' }, 404);
  });

  async function showCase(reply: FastifyReply, v: View, access: Access, s: { flash?: Flash | null; errors?: Errors; form?: FormInput | null }, status = 200) {
    const data = await loadCase(db, access.complaintId);
    if (!data) return reply.code(303).header('location', '/track').send();
    const page = casePage(v, data, { flash: s.flash ?? null, errors: s.errors ?? [], form: s.form ?? null });
    return send(reply, v, page, 'track', status, s.errors?.length ?? 0);
  }

  function takeFlash(request: FastifyRequest, reply: FastifyReply): string | null {
    const flash = request.cookies[FLASH_COOKIE];
    if (!flash) return null;
    reply.clearCookie(FLASH_COOKIE, { path: '/' });
    return flash;
  }

  app.get('/case', async (request, reply) => {
    const access = await sessionAccess(db, request.cookies[SESSION_COOKIE]);
    if (!access) {
      reply.setCookie(FLASH_COOKIE, 'session_ended', cookieOptions(config, { maxAge: 60 }));
      return reply.code(303).header('location', '/track').send();
    }
    const v = await viewFor(db, config, request, reply);
    const flash = takeFlash(request, reply);
    return showCase(reply, v, access, { flash: flash && flash in flashKeys ? (flash as Flash) : null });
  });

  app.post<{ Params: { action: string } }>('/case/:action', async (request, reply) => {
    const form = await readForm(request);
    const v = await viewFor(db, config, request, reply);
    const action = request.params.action;
    const access = await sessionAccess(db, request.cookies[SESSION_COOKIE]);
    if (action === 'signout') {
      if (await csrfAccepted(db, request, 'signout', form.get('_csrf'))) {
        await closeSession(db, request.cookies[SESSION_COOKIE]);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        reply.setCookie(FLASH_COOKIE, 'signed_out', cookieOptions(config, { maxAge: 60 }));
      }
      return reply.code(303).header('location', '/track').send();
    }
    if (!(caseActions as readonly string[]).includes(action)) return send(reply, { ...v, path: '/' }, notFoundPage(v), 'none', 404);
    if (!access) {
      reply.setCookie(FLASH_COOKIE, 'session_ended', cookieOptions(config, { maxAge: 60 }));
      return reply.code(303).header('location', '/track').send();
    }
    const firstField = { reply: 'message', accept: 'comment', reject: 'reason', escalate: 'escalation_reason', withdraw: 'confirm', survey: 'q_ease' }[action as CaseAction];
    if (!(await csrfAccepted(db, request, action, form.get('_csrf')))) {
      return showCase(reply, v, access, { form, errors: [{ field: firstField, message: v.t('errors.csrf') }] }, 403);
    }
    if (actionsByAddress.count(request.ip) >= config.limits.actionsPerAddress) {
      return showCase(reply, v, access, { form, errors: [{ field: firstField, message: v.t('errors.rate_limited') }] }, 429);
    }
    actionsByAddress.add(request.ip);
    let outcome;
    try {
      outcome = await runCaseAction(db, access, action as CaseAction, form, { t: v.t, lang: v.lang, fmtBytes: v.fmt.bytes });
    } catch (error) {
      // The case moved on meanwhile (a handler acted, the state no longer allows it): say so, never a 500.
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      outcome = { errors: [], flash: 'not_possible' as const };
    }
    if (outcome.errors.length) return showCase(reply, v, access, { form, errors: outcome.errors }, 400);
    if (outcome.flash) reply.setCookie(FLASH_COOKIE, outcome.flash, cookieOptions(config, { maxAge: 60 }));
    return reply.code(303).header('location', `/case${outcome.anchor ? `#${outcome.anchor}` : ''}`).send();
  });
}
