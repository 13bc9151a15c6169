import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../db/client.ts';
import { requireActor } from '../server/http/auth.ts';
import { getCatalogue } from './catalogue.ts';

/** Read access to the catalogues that complaints refer to by key. */
export function catalogueRoutes(app: FastifyInstance, db: Db) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/catalogue', {
    schema: { operationId: 'getCatalogue', tags: ['catalogue'], summary: 'Categories (tree), products, remedies and teams' },
    handler: async (request) => {
      requireActor(request);
      const c = await getCatalogue(db);
      const keyOf = (id: string | null) => (id ? (c.byId.get(id)?.key ?? null) : null);
      return {
        categories: [...c.categories.values()].map((x) => ({ key: x.key, name: x.name, parent: keyOf(x.parentId), team: keyOf(x.teamId) })),
        products: [...c.products.values()].map((x) => ({ key: x.key, name: x.name })),
        remedies: [...c.remedies.values()].map((x) => ({ key: x.key, name: x.name, monetary: x.monetary })),
        teams: [...c.teams.values()].map((x) => ({ key: x.key, name: x.name })),
      };
    },
  });
}
