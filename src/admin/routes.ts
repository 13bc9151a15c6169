import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/client.ts';
import { bulkRoutes } from './bulk-routes.ts';
import { catalogueAdminRoutes } from './catalogue-routes.ts';
import { composerRoutes } from './composer-routes.ts';
import { staffAdminRoutes } from './staff-routes.ts';
import { subjectAccountRoutes } from './subject-account-routes.ts';
import { templateRoutes } from './template-routes.ts';
import { workspaceRoutes } from './workspace-routes.ts';

/** The staff workspace's API and the administration of the organisation (registered by buildApp). */
export function adminRoutes(app: FastifyInstance, db: Db, options: { publicUrl?: string | undefined } = {}) {
  workspaceRoutes(app, db);
  composerRoutes(app, db, options);
  bulkRoutes(app, db);
  templateRoutes(app, db);
  catalogueAdminRoutes(app, db);
  staffAdminRoutes(app, db);
  subjectAccountRoutes(app, db);
}
