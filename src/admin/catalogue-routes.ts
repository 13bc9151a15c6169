import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db, Tx } from '../db/client.ts';
import { recordSystemEvent } from '../audit/record-system-event.ts';
import { clearCatalogueCache } from '../catalogue/catalogue.ts';
import { adminRoles, type Actor } from '../identity/roles.ts';
import { requireActor } from '../server/http/auth.ts';
import { conflict, notFound, ValidationError } from '../shared/errors.ts';

const key = z.string().trim().min(1).max(100).regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lower-case letters, digits, dots, dashes, e.g. fees.overdraft');
const name = z.string().trim().min(1).max(200);
const keyParams = z.object({ key: z.string().min(1).max(100) });

/** Administration of the catalogues complaints refer to: teams, the category tree, remedies (changes are in the system history). */
export function catalogueAdminRoutes(app: FastifyInstance, db: Db) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const change = async <T>(actor: Actor, action: string, data: Record<string, unknown>, work: (tx: Tx) => Promise<T>) => {
    const out = await db.transaction().execute(async (tx) => {
      const result = await work(tx);
      await recordSystemEvent(tx, actor, action, data);
      return result;
    });
    clearCatalogueCache(db);
    return out;
  };
  const teamId = async (tx: Tx, k: string | null | undefined) => {
    if (k === undefined || k === null) return k;
    const t = await tx.selectFrom('teams').select('id').where('key', '=', k).executeTakeFirst();
    if (!t) throw new ValidationError([{ field: 'team', code: 'unknown_team', message: `No team "${k}"` }]);
    return t.id;
  };
  const categoryId = async (tx: Tx, k: string | null | undefined) => {
    if (k === undefined || k === null) return k;
    const c = await tx.selectFrom('categories').select('id').where('key', '=', k).executeTakeFirst();
    if (!c) throw new ValidationError([{ field: 'parent', code: 'unknown_category', message: `No category "${k}"` }]);
    return c.id;
  };

  r.get('/api/admin/catalogue', {
    schema: { operationId: 'getFullCatalogue', tags: ['administration'], summary: 'Teams, categories (active or not), products and remedies' },
    handler: async (request) => {
      requireActor(request, adminRoles);
      const [teams, categories, remedies, products] = await Promise.all([
        db.selectFrom('teams').select(['id', 'key', 'name']).orderBy('name').execute(),
        db.selectFrom('categories').selectAll().orderBy('key').execute(),
        db.selectFrom('remedies').selectAll().orderBy('name').execute(),
        db.selectFrom('products').selectAll().orderBy('name').execute(),
      ]);
      const keyOf = new Map([...teams, ...categories].map((x) => [x.id, x.key]));
      return {
        teams: teams.map((t) => ({ key: t.key, name: t.name })),
        categories: categories.map((c) => ({ key: c.key, name: c.name, parent: c.parent_id ? keyOf.get(c.parent_id) : null, team: c.team_id ? keyOf.get(c.team_id) : null, active: c.active })),
        remedies: remedies.map((x) => ({ key: x.key, name: x.name, monetary: x.monetary, active: x.active })),
        products: products.map((x) => ({ key: x.key, name: x.name, active: x.active })),
      };
    },
  });

  r.post('/api/admin/teams', {
    schema: { operationId: 'createTeam', tags: ['administration'], summary: 'Add a team', body: z.object({ key, name }) },
    handler: async (request, reply) => {
      const actor = requireActor(request, adminRoles);
      await change(actor, 'team_created', { key: request.body.key }, async (tx) => {
        if (await tx.selectFrom('teams').select('id').where('key', '=', request.body.key).executeTakeFirst()) throw conflict('key_taken', `Team "${request.body.key}" exists`);
        await tx.insertInto('teams').values({ id: randomUUID(), ...request.body }).execute();
      });
      return reply.code(201).send(request.body);
    },
  });

  r.patch('/api/admin/teams/:key', {
    schema: { operationId: 'updateTeam', tags: ['administration'], summary: 'Rename a team', params: keyParams, body: z.object({ name }) },
    handler: async (request) => {
      const actor = requireActor(request, adminRoles);
      await change(actor, 'team_updated', { key: request.params.key }, async (tx) => {
        const res = await tx.updateTable('teams').set({ name: request.body.name }).where('key', '=', request.params.key).executeTakeFirst();
        if (Number(res.numUpdatedRows) === 0) throw notFound('Team');
      });
      return { key: request.params.key, name: request.body.name };
    },
  });

  r.post('/api/admin/categories', {
    schema: {
      operationId: 'createCategory',
      tags: ['administration'],
      summary: 'Add a category (under a parent, routed to a team)',
      body: z.object({ key, name, parent: key.optional(), team: key.optional() }),
    },
    handler: async (request, reply) => {
      const actor = requireActor(request, adminRoles);
      const b = request.body;
      await change(actor, 'category_created', { key: b.key }, async (tx) => {
        if (await tx.selectFrom('categories').select('id').where('key', '=', b.key).executeTakeFirst()) throw conflict('key_taken', `Category "${b.key}" exists`);
        await tx
          .insertInto('categories')
          .values({ id: randomUUID(), key: b.key, name: b.name, parent_id: (await categoryId(tx, b.parent)) ?? null, team_id: (await teamId(tx, b.team)) ?? null })
          .execute();
      });
      return reply.code(201).send(b);
    },
  });

  r.patch('/api/admin/categories/:key', {
    schema: {
      operationId: 'updateCategory',
      tags: ['administration'],
      summary: 'Change a category: name, parent, team, active',
      params: keyParams,
      body: z.object({ name: name.optional(), parent: key.nullable().optional(), team: key.nullable().optional(), active: z.boolean().optional() }),
    },
    handler: async (request) => {
      const actor = requireActor(request, adminRoles);
      const b = request.body;
      await change(actor, 'category_updated', { key: request.params.key, ...b }, async (tx) => {
        const self = await tx.selectFrom('categories').select('id').where('key', '=', request.params.key).executeTakeFirst();
        if (!self) throw notFound('Category');
        const parent = await categoryId(tx, b.parent);
        if (parent === self.id) throw new ValidationError([{ field: 'parent', code: 'cycle', message: 'A category cannot be its own parent' }]);
        if (Object.keys(b).length === 0) return;
        await tx
          .updateTable('categories')
          .set({
            ...(b.name !== undefined ? { name: b.name } : {}),
            ...(b.parent !== undefined ? { parent_id: parent ?? null } : {}),
            ...(b.team !== undefined ? { team_id: (await teamId(tx, b.team)) ?? null } : {}),
            ...(b.active !== undefined ? { active: b.active } : {}),
          })
          .where('id', '=', self.id)
          .execute();
      });
      return { key: request.params.key, ...b };
    },
  });

  r.post('/api/admin/remedies', {
    schema: { operationId: 'createRemedy', tags: ['administration'], summary: 'Add a remedy', body: z.object({ key, name, monetary: z.boolean().default(false) }) },
    handler: async (request, reply) => {
      const actor = requireActor(request, adminRoles);
      await change(actor, 'remedy_created', { key: request.body.key }, async (tx) => {
        if (await tx.selectFrom('remedies').select('id').where('key', '=', request.body.key).executeTakeFirst()) throw conflict('key_taken', `Remedy "${request.body.key}" exists`);
        await tx.insertInto('remedies').values({ id: randomUUID(), ...request.body }).execute();
      });
      return reply.code(201).send(request.body);
    },
  });

  r.patch('/api/admin/remedies/:key', {
    schema: {
      operationId: 'updateRemedy',
      tags: ['administration'],
      summary: 'Change a remedy: name, monetary, active',
      params: keyParams,
      body: z.object({ name: name.optional(), monetary: z.boolean().optional(), active: z.boolean().optional() }),
    },
    handler: async (request) => {
      const actor = requireActor(request, adminRoles);
      await change(actor, 'remedy_updated', { key: request.params.key, ...request.body }, async (tx) => {
        if (!(await tx.selectFrom('remedies').select('id').where('key', '=', request.params.key).executeTakeFirst())) throw notFound('Remedy');
        if (Object.keys(request.body).length > 0) await tx.updateTable('remedies').set(request.body).where('key', '=', request.params.key).execute();
      });
      return { key: request.params.key, ...request.body };
    },
  });
}
