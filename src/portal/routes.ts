import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import multipart from '@fastify/multipart';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.ts';
import { AppError } from '../shared/errors.ts';
import { portalScript } from './assets/portal-script.ts';
import type { PageKey } from './content/defaults.ts';
import { portalPage } from './content/pages.ts';
import { defaultLimits, viewFor, type PortalConfig, type PortalOptions } from './context.ts';
import { MAX_FILE_BYTES, parseUrlEncoded } from './forms.ts';
import { escapeHtml } from './html.ts';
import { contentPage, errorPage, homePage, notFoundPage } from './public-pages.ts';
import { securityHeaders } from './security.ts';
import { submitRoutes } from './submit/routes.ts';
import { trackRoutes } from './track/routes.ts';
import { layout, type Section } from './ui/layout.ts';
import type { View } from './ui/view.ts';

/** The static files: read once, served with a long cache (their URLs carry a content hash) and gzip when accepted. */
const file = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url));
const assets = new Map<string, { type: string; body: Buffer; gzip: Buffer }>(
  (
    [
      ['portal.css', 'text/css; charset=utf-8', file('portal.css')],
      ['portal.js', 'text/javascript; charset=utf-8', Buffer.from(portalScript)],
      ['icon.svg', 'image/svg+xml', file('icon.svg')],
    ] as const
  ).map(([name, type, body]) => [name, { type, body, gzip: gzipSync(body, { level: 9 }) }]),
);
export const assetSizes = () => [...assets].map(([name, a]) => ({ name, bytes: a.body.length, gzipBytes: a.gzip.length }));

export function portalConfig(options: PortalOptions = {}): PortalConfig {
  return {
    publicUrl: options.publicUrl ?? process.env.PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 3000}`,
    timeZone: options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    cookieSecure: options.cookieSecure ?? false,
    limits: { ...defaultLimits, ...options.limits },
    challenge: { bits: 16, waitSeconds: 20, lifetimeMs: 2 * 3_600_000, ...options.challenge },
  };
}

const contentPaths: Record<string, PageKey & Section> = { '/policy': 'policy', '/process': 'process', '/commitments': 'commitments', '/escalation': 'escalation' };

/**
 * The complainant portal (SPEC section 7): server-rendered HTML in six languages that works without JavaScript, in
 * its own encapsulated context — its own body parsers (forms, multipart), its HTML error pages and 404, and strict
 * security headers — so that the JSON API beside it is untouched.
 */
export async function portalPlugin(app: FastifyInstance, opts: { db: Db; options?: PortalOptions }) {
  const { db } = opts;
  const config = portalConfig(opts.options);
  // Pages, not API operations: kept out of the OpenAPI document.
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, hide: true };
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_req, body, done) =>
    done(null, parseUrlEncoded(String(body))),
  );
  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: { fieldNameSize: 100, fieldSize: 256 * 1024, fields: 80, fileSize: MAX_FILE_BYTES, files: 20, parts: 100, headerPairs: 200 },
  });
  app.addHook('onSend', async (request, reply, payload) => {
    securityHeaders(reply, request.url.startsWith('/portal/assets/'));
    reply.header('vary', 'Cookie, Accept-Language, Accept-Encoding');
    // Pages are small, but a slow phone line is slower still: HTML goes gzipped when the browser accepts it.
    if (typeof payload === 'string' && payload.length > 1024 && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      reply.header('content-encoding', 'gzip');
      reply.removeHeader('content-length');
      return gzipSync(payload);
    }
    return payload;
  });

  const sendPage = (reply: FastifyReply, v: View, page: { title: string; body: import('./html.ts').Html }, section: Parameters<typeof layout>[1]['section'], status = 200) =>
    reply.code(status).type('text/html; charset=utf-8').send(layout(v, { ...page, section }));

  app.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const status = error instanceof AppError ? error.status : error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: { type: error.name, message: error.message, stack: error.stack } }, 'portal request failed');
    const kind = status === 413 ? 'too_large' : status >= 500 ? 'internal' : status === 403 ? 'forbidden' : 'bad_request';
    try {
      const v = await viewFor(db, config, request, reply);
      return sendPage(reply, v, errorPage(v, kind), 'none', status);
    } catch {
      return reply.code(status).type('text/html; charset=utf-8').send(`<!doctype html><html lang="en"><title>Error</title><h1>${escapeHtml(String(status))}</h1>`);
    }
  });

  app.get('/', async (request, reply) => {
    const v = await viewFor(db, config, request, reply);
    const [home, ways] = await Promise.all([portalPage(db, 'home', v.lang), portalPage(db, 'ways', v.lang)]);
    return sendPage(reply, v, homePage(v, home, ways), 'home');
  });
  for (const [path, key] of Object.entries(contentPaths)) {
    app.get(path, async (request, reply) => {
      const v = await viewFor(db, config, request, reply);
      return sendPage(reply, v, contentPage(v, key, await portalPage(db, key, v.lang)), key);
    });
  }

  submitRoutes(app, db, config);
  trackRoutes(app, db, config);

  app.get<{ Params: { name: string } }>('/portal/assets/:name', async (request, reply) => {
    const asset = assets.get(request.params.name);
    if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    reply.type(asset.type).header('cache-control', 'public, max-age=31536000, immutable');
    if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(asset.gzip);
    return reply.send(asset.body);
  });

  // Any other page: an HTML 404 in the visitor's language (the API keeps its problem documents).
  app.get('/*', async (request, reply) => {
    if (request.url.startsWith('/api/') || request.url === '/api') return reply.callNotFound();
    const v = await viewFor(db, config, request, reply);
    return sendPage(reply, { ...v, path: '/' }, notFoundPage(v), 'none', 404);
  });
}
