import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { Db } from '../db/client.ts';

/**
 * The portal's server key (HMAC for CSRF tokens, challenges and the first tracking credentials), created once and
 * kept in the database so that every web process shares it.
 */
const keys = new WeakMap<Db, Promise<Buffer>>();
export function serverKey(db: Db): Promise<Buffer> {
  let key = keys.get(db);
  if (!key) {
    key = (async () => {
      await db
        .insertInto('portal_keys')
        .values({ id: 'hmac', secret: randomBytes(32).toString('base64url') })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      const row = await db.selectFrom('portal_keys').select('secret').where('id', '=', 'hmac').executeTakeFirstOrThrow();
      return Buffer.from(row.secret, 'base64url');
    })();
    key.catch(() => keys.delete(db));
    keys.set(db, key);
  }
  return key;
}

export const hmac = (key: Buffer, message: string) => createHmac('sha256', key).update(message).digest();

export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const CSRF_COOKIE = 'redress_csrf';
export const newCsrfCookie = () => randomBytes(24).toString('base64url');

/** One token per form, bound to the browser's CSRF cookie: the same page renders the same token (no state kept). */
export const csrfToken = (key: Buffer, cookie: string, form: string) => hmac(key, `csrf|${cookie}|${form}`).toString('base64url');

export function csrfValid(key: Buffer, cookie: string | undefined, form: string, given: string | undefined): boolean {
  if (!cookie || !given) return false;
  return sameText(csrfToken(key, cookie, form), given);
}

/** No inline script or style, nothing from another origin, no framing, forms post only here (PORT-6 security). */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export function securityHeaders(reply: FastifyReply, cacheable: boolean) {
  reply.header('content-security-policy', contentSecurityPolicy);
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
  reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
  if (!cacheable) reply.header('cache-control', 'no-store');
}
