import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Db } from '../db/client.ts';
import { adminRoutes } from '../admin/routes.ts';
import { analyticsRoutes } from '../analytics/routes.ts';
import { importRoutes } from '../imports/routes.ts';
import { exportRoutes } from '../exports/routes.ts';
import { improvementRoutes } from '../improvement/routes.ts';
import { auditRoutes } from '../audit/routes.ts';
import { catalogueRoutes } from '../catalogue/routes.ts';
import { channelRoutes, type ChannelRouteOptions } from '../channels/routes.ts';
import { complaintRoutes } from '../complaints/routes.ts';
import { deadlineRoutes } from '../deadlines/routes.ts';
import { identityRoutes } from '../identity/routes.ts';
import { portalApiRoutes } from '../portal/api-routes.ts';
import type { PortalOptions } from '../portal/context.ts';
import { portalPlugin } from '../portal/routes.ts';
import { installAuthentication } from './http/auth.ts';
import { installErrorHandling } from './http/problem.ts';
import { healthRoutes } from './health-routes.ts';
import { webAppRoutes } from './static.ts';

export interface AppOptions {
  db: Db;
  logLevel?: string;
  sessionTtlHours?: number;
  cookieSecure?: boolean;
  /** Where logs go (stdout by default); tests capture them to check that nothing personal is written. */
  logStream?: NodeJS.WritableStream;
  /** The complainant portal (public URL for tracking links, time zone, rate limits, challenge difficulty). */
  portal?: PortalOptions;
  /** Channel administration and the SMS status callback (public URL, SMS provider). */
  channels?: ChannelRouteOptions;
  /** The staff workspace at /app (its build directory; dist/web by default). */
  web?: { dir?: string };
}

/**
 * Builds the web application (used by `serve` and by the tests, which call it over real HTTP).
 * Logs never carry secrets or personal data (PRIV-5): no bodies, no query strings, no auth headers.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'info',
      ...(options.logStream ? { stream: options.logStream } : {}),
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      serializers: {
        // The portal's private tracking links carry their token in the path: it never reaches the logs either.
        req: (req: { method: string; url: string; id: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0]?.replace(/^\/t\/[^/]+/, '/t/…'),
        }),
      },
    },
    bodyLimit: 1024 * 1024,
    trustProxy: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Redress API',
        version: '0.1.0',
        description: 'Complaint management following ISO 10002. Errors are RFC 9457 problem documents.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from `redress api-key create`' },
          session: { type: 'apiKey', in: 'cookie', name: 'redress_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  installErrorHandling(app);
  installAuthentication(app, options.db, options.sessionTtlHours ?? 12);

  healthRoutes(app, options.db);
  identityRoutes(app, options.db, {
    sessionTtlHours: options.sessionTtlHours ?? 12,
    cookieSecure: options.cookieSecure ?? false,
  });
  catalogueRoutes(app, options.db);
  complaintRoutes(app, options.db);
  deadlineRoutes(app, options.db);
  auditRoutes(app, options.db);
  channelRoutes(app, options.db, options.channels ?? { publicUrl: 'http://localhost', sms: null });
  adminRoutes(app, options.db, { publicUrl: options.channels?.publicUrl });
  importRoutes(app, options.db);
  exportRoutes(app, options.db);
  analyticsRoutes(app, options.db);
  improvementRoutes(app, options.db);
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  const portal: PortalOptions = {
    cookieSecure: options.cookieSecure ?? false,
    publicUrl: options.channels?.publicUrl,
    ...options.portal,
  };
  portalApiRoutes(app, options.db, portal);
  await app.register(portalPlugin, { db: options.db, options: portal });
  webAppRoutes(app, options.web);
  return app;
}
