import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.ts';
import { requestLanguage } from '../server/http/locale.ts';
import { languages, type Language } from '../shared/vocabulary.ts';
import type { ChallengeOptions } from './challenge.ts';
import { portalPage } from './content/pages.ts';
import { renderMarkup } from './content/markup.ts';
import { directionOf, formatters, translator } from './i18n.ts';
import { CSRF_COOKIE, csrfToken, csrfValid, newCsrfCookie, serverKey } from './security.ts';
import type { View } from './ui/view.ts';

export interface PortalLimits {
  /** Look-ups (reference + secret) per address, and per reference, in `trackWindowMs`. */
  trackPerAddress: number;
  trackPerReference: number;
  trackWindowMs: number;
  /** Submissions from one address in `submitWindowMs` after which the challenge is asked. */
  submitChallengeAfter: number;
  submitWindowMs: number;
  /** Submissions from one address in an hour, challenge or not. */
  submitPerAddressPerHour: number;
  /** Submissions per minute overall after which everybody gets the challenge. */
  submitGlobalPerMinute: number;
  /** Actions (reply, accept …) per address in ten minutes. */
  actionsPerAddress: number;
}

export const defaultLimits: PortalLimits = {
  trackPerAddress: 20,
  trackPerReference: 8,
  trackWindowMs: 15 * 60_000,
  submitChallengeAfter: 3,
  submitWindowMs: 10 * 60_000,
  submitPerAddressPerHour: 20,
  submitGlobalPerMinute: 30,
  actionsPerAddress: 60,
};

export interface PortalOptions {
  /** The address people use, for the links shown on screen and sent by e-mail. */
  publicUrl?: string;
  /** Time zone for dates shown to complainants. */
  timeZone?: string;
  cookieSecure?: boolean;
  limits?: Partial<PortalLimits>;
  challenge?: Partial<ChallengeOptions>;
}

export interface PortalConfig {
  publicUrl: string;
  timeZone: string;
  cookieSecure: boolean;
  limits: PortalLimits;
  challenge: ChallengeOptions;
}

export const LANG_COOKIE = 'redress_lang';

export function cookieOptions(config: PortalConfig, o: { path?: string; maxAge?: number } = {}) {
  return { path: o.path ?? '/', httpOnly: true, sameSite: 'lax' as const, secure: config.cookieSecure, ...(o.maxAge ? { maxAge: o.maxAge } : {}) };
}

/** `?lang=` (then remembered in a cookie), the remembered choice, or Accept-Language. */
export function portalLanguage(request: FastifyRequest, reply: FastifyReply, config: PortalConfig): Language {
  const query = (request.query ?? {}) as { lang?: unknown };
  if (typeof query.lang === 'string' && (languages as readonly string[]).includes(query.lang)) {
    reply.setCookie(LANG_COOKIE, query.lang, cookieOptions(config, { maxAge: 365 * 86_400 }));
    return query.lang as Language;
  }
  const remembered = request.cookies[LANG_COOKIE];
  if (remembered && (languages as readonly string[]).includes(remembered)) return remembered as Language;
  return requestLanguage(request.headers);
}

/** The browser's CSRF cookie, created on first sight. */
export function csrfCookie(request: FastifyRequest, reply: FastifyReply, config: PortalConfig): string {
  const existing = request.cookies[CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{20,64}$/.test(existing)) return existing;
  const fresh = newCsrfCookie();
  reply.setCookie(CSRF_COOKIE, fresh, cookieOptions(config));
  request.cookies[CSRF_COOKIE] = fresh;
  return fresh;
}

/** Everything a page needs, in the visitor's language. */
export async function viewFor(db: Db, config: PortalConfig, request: FastifyRequest, reply: FastifyReply): Promise<View> {
  const lang = portalLanguage(request, reply, config);
  const key = await serverKey(db);
  const cookie = csrfCookie(request, reply, config);
  const site = await portalPage(db, 'site', lang);
  return {
    lang,
    dir: directionOf(lang),
    t: translator(lang),
    fmt: formatters(lang, config.timeZone),
    path: request.url.split('?')[0] ?? '/',
    csrf: (form) => csrfToken(key, cookie, form),
    site: { name: site.title, footer: renderMarkup(site.body) },
  };
}

/** A POST is accepted only with this form's token for this browser, and never from another site. */
export async function csrfAccepted(db: Db, request: FastifyRequest, form: string, token: string): Promise<boolean> {
  if (request.headers['sec-fetch-site'] === 'cross-site') return false;
  return csrfValid(await serverKey(db), request.cookies[CSRF_COOKIE], form, token);
}
