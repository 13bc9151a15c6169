import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build:web` writes the staff workspace. */
export const defaultWebDir = fileURLToPath(new URL('../../dist/web', import.meta.url));

const types: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  woff2: 'font/woff2',
  json: 'application/json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
};

/**
 * The staff workspace's policy: scripts only from this origin; styles from this origin plus Mantine's `<style>`
 * elements, which carry this response's nonce; style attributes (the response preview is the e-mail exactly as sent,
 * inline styles included, in a sandboxed frame); no framing, no other origin.
 */
export const webContentSecurityPolicy = (nonce: string) =>
  [
    "default-src 'none'",
    "script-src 'self'",
    `style-src-elem 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-src 'self'",
    "manifest-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');

function securityHeaders(reply: FastifyReply) {
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
  reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
}

interface Asset {
  body: Buffer;
  gzip: Buffer | null;
  type: string;
}

/**
 * Serves the built staff workspace at /app: fingerprinted assets (`/app/assets/*`) cached for a year and gzipped
 * once in memory; every other `/app/*` path answers the single page (index.html, never cached, with a fresh CSP
 * nonce), so that deep links and reloads work.
 */
export function webAppRoutes(app: FastifyInstance, options: { dir?: string } = {}) {
  const dir = options.dir ?? defaultWebDir;
  const assets = new Map<string, Promise<Asset | null>>();

  const loadAsset = (name: string) => {
    let hit = assets.get(name);
    if (!hit) {
      hit = readFile(join(dir, 'assets', name)).then(
        (body) => {
          const type = types[name.split('.').pop() ?? ''] ?? 'application/octet-stream';
          const compressible = type.startsWith('text/') || type.includes('json') || type.includes('svg');
          return { body, type, gzip: compressible && body.length > 1024 ? gzipSync(body, { level: 9 }) : null };
        },
        () => null,
      );
      // Not found is not cached: a build made while the server runs becomes visible.
      void hit.then((a) => a === null && assets.delete(name));
      assets.set(name, hit);
    }
    return hit;
  };

  // Read on each request (a few hundred bytes): a rebuild while the server runs is picked up at once.
  const loadIndex = () => readFile(join(dir, 'index.html'), 'utf8').catch(() => null);

  app.get('/app', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/app/', 301));

  app.get('/app/assets/:name', { schema: { hide: true } }, async (request: FastifyRequest<{ Params: { name: string } }>, reply) => {
    const { name } = request.params;
    securityHeaders(reply);
    const asset = /^[\w.-]+$/.test(name) && !name.startsWith('.') ? await loadAsset(name) : null;
    if (!asset) return reply.code(404).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('Not found');
    reply.header('cache-control', 'public, max-age=31536000, immutable').header('vary', 'accept-encoding').type(asset.type);
    if (asset.gzip && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      return reply.header('content-encoding', 'gzip').send(asset.gzip);
    }
    return reply.send(asset.body);
  });

  app.get('/app/*', { schema: { hide: true } }, async (_request, reply) => {
    securityHeaders(reply);
    reply.header('cache-control', 'no-store');
    const html = await loadIndex();
    if (html === null) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The staff workspace is not built. Run `npm run build:web` (npm start does it when the build is missing).');
    }
    const nonce = randomBytes(16).toString('base64');
    reply.header('content-security-policy', webContentSecurityPolicy(nonce));
    return reply.type('text/html; charset=utf-8').send(html.replace('__CSP_NONCE__', nonce));
  });
}
