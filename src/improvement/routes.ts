import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db, Tx } from '../db/client.ts';
import { recordSystemEvent } from '../audit/record-system-event.ts';
import { getCatalogue } from '../catalogue/catalogue.ts';
import { presentComplaint } from '../complaints/presenter.ts';
import type { Actor, Role } from '../identity/roles.ts';
import { requireActor } from '../server/http/auth.ts';
import { requestLanguage } from '../server/http/locale.ts';
import { badRequest, conflict, forbidden, notFound, ValidationError } from '../shared/errors.ts';
import { languages } from '../shared/vocabulary.ts';
import { capaKinds, capaStatuses, formatCapaRef } from './capa-states.ts';
import { assertWriter, createCapa, getCapa, linkComplaint, listCapas, updateCapa } from './capa.ts';
import { setComplaintRootCause } from './complaint-root-cause.ts';
import { findRecurring } from './recurring.ts';
import { listRootCauses, rootCauseLabels } from './root-causes.ts';
import { issueStatuses, systemicDimensions } from './systemic.ts';
import {
  createSystemicRule,
  ensureScanJob,
  getIssue,
  listIssues,
  ruleRefs,
  updateIssue,
} from './systemic-issues.ts';

const tags = ['improvement'];
const improveRoles: readonly Role[] = ['manager', 'quality', 'auditor', 'admin'];
const taxonomyRoles: readonly Role[] = ['quality', 'admin'];
const issueWriteRoles: readonly Role[] = ['manager', 'quality', 'admin'];

const rcKey = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(
    /^[a-z0-9][a-z0-9._-]*$/,
    'must be lower-case letters, digits, dots, dashes, underscores, e.g. process.delay',
  );
const names = z
  .partialRecord(z.enum(languages), z.string().trim().min(1).max(200))
  .describe('The name in each language, e.g. { "ar": "…" }');
const isoDate = z.iso.date();
const ref = z.object({ ref: z.string().min(1).max(20) });

function staff(request: FastifyRequest): Actor {
  const actor = requireActor(request);
  if (actor.type === 'complainant') throw forbidden('role_not_permitted', 'Staff only');
  return actor;
}

function version(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const n = Number(String(header).replace(/^W\//, '').replaceAll('"', ''));
  if (!Number.isInteger(n) || n < 1)
    throw badRequest('invalid_if_match', 'If-Match must be the version, e.g. "3"');
  return n;
}

const capaFields = {
  title: z.string().trim().min(1).max(300),
  description: z.string().trim().max(20_000),
  kind: z.enum(capaKinds),
  rootCause: rcKey.nullable().describe('Root-cause key'),
  category: z.string().min(1).max(100).nullable().describe('Category key (scope)'),
  product: z.string().min(1).max(100).nullable().describe('Product key (scope)'),
  ownerId: z.uuid().nullable(),
  dueOn: isoDate.nullable(),
  windowDays: z
    .number()
    .int()
    .min(7)
    .max(730)
    .describe('Effectiveness window before and after completion, in days'),
  minDrop: z
    .number()
    .gt(0)
    .max(1)
    .describe('Share by which the complaint rate must fall to count as effective, e.g. 0.3'),
};

/** Root causes, corrective and preventive actions, systemic issues (IMP-3, IMP-4): the HTTP API (registered by buildApp). */
export function improvementRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const lang = (request: FastifyRequest) => requestLanguage(request.headers, request.query);
  const systemChange = async <T>(
    actor: Actor,
    action: string,
    data: Record<string, unknown>,
    work: (tx: Tx) => Promise<T>,
  ) =>
    db.transaction().execute(async (tx) => {
      const out = await work(tx);
      await recordSystemEvent(tx, actor, action, data);
      return out;
    });

  // ------------------------------------------------------------ root-cause taxonomy
  r.get('/api/improvement/root-causes', {
    schema: {
      operationId: 'listRootCauses',
      tags,
      summary: "The root-cause taxonomy (parents before children), labelled in the requester's language",
      querystring: z.object({ lang: z.string().optional() }),
    },
    handler: async (request) => {
      staff(request);
      return { items: await listRootCauses(db, lang(request)) };
    },
  });

  r.post('/api/improvement/root-causes', {
    schema: {
      operationId: 'createRootCause',
      tags,
      summary: 'Add a root cause (quality, admin)',
      body: z.object({
        key: rcKey,
        parent: rcKey.optional(),
        name: z.string().trim().min(1).max(200),
        names: names.optional(),
      }),
    },
    handler: async (request, reply) => {
      const actor = requireActor(request, taxonomyRoles);
      const b = request.body;
      await systemChange(
        actor,
        'root_cause_created',
        { key: b.key, parent: b.parent ?? null },
        async (tx) => {
          if (await tx.selectFrom('root_causes').select('key').where('key', '=', b.key).executeTakeFirst())
            throw conflict('key_taken', `Root cause "${b.key}" exists`);
          if (
            b.parent &&
            !(await tx.selectFrom('root_causes').select('key').where('key', '=', b.parent).executeTakeFirst())
          )
            throw new ValidationError([
              { field: 'parent', code: 'unknown_root_cause', message: `No root cause "${b.parent}"` },
            ]);
          const sort = await tx
            .selectFrom('root_causes')
            .select(sql<number>`coalesce(max(sort), 0) + 1`.as('n'))
            .executeTakeFirstOrThrow();
          await tx
            .insertInto('root_causes')
            .values({
              key: b.key,
              parent_key: b.parent ?? null,
              name: b.name,
              names: JSON.stringify({ en: b.name, ...b.names }),
              sort: sort.n,
            })
            .execute();
        },
      );
      return reply.code(201).send((await listRootCauses(db, lang(request))).find((x) => x.key === b.key));
    },
  });

  r.patch('/api/improvement/root-causes/:key', {
    schema: {
      operationId: 'updateRootCause',
      tags,
      summary:
        'Rename a root cause or (de)activate it (quality, admin); one in use is never deleted, only deactivated',
      params: z.object({ key: z.string().min(1).max(100) }),
      body: z.object({
        name: z.string().trim().min(1).max(200).optional(),
        names: names.optional(),
        active: z.boolean().optional(),
      }),
    },
    handler: async (request) => {
      const actor = requireActor(request, taxonomyRoles);
      const b = request.body;
      await systemChange(
        actor,
        'root_cause_updated',
        { key: request.params.key, active: b.active, renamed: b.name !== undefined || b.names !== undefined },
        async (tx) => {
          const row = await tx
            .selectFrom('root_causes')
            .selectAll()
            .where('key', '=', request.params.key)
            .forUpdate()
            .executeTakeFirst();
          if (!row) throw notFound(`Root cause ${request.params.key}`);
          const merged = { ...row.names, ...(b.name ? { en: b.name } : {}), ...b.names };
          await tx
            .updateTable('root_causes')
            .set({
              ...(b.name ? { name: b.name } : {}),
              names: JSON.stringify(merged),
              ...(b.active !== undefined ? { active: b.active } : {}),
            })
            .where('key', '=', row.key)
            .execute();
        },
      );
      return (await listRootCauses(db, lang(request))).find((x) => x.key === request.params.key);
    },
  });

  r.delete('/api/improvement/root-causes/:key', {
    schema: {
      operationId: 'deleteRootCause',
      tags,
      summary:
        'Delete an unused root cause (quality, admin); 409 root_cause_in_use otherwise — deactivate it instead',
      params: z.object({ key: z.string().min(1).max(100) }),
    },
    handler: async (request, reply) => {
      const actor = requireActor(request, taxonomyRoles);
      const key = request.params.key;
      await systemChange(actor, 'root_cause_deleted', { key }, async (tx) => {
        const row = await tx
          .selectFrom('root_causes')
          .select('key')
          .where('key', '=', key)
          .forUpdate()
          .executeTakeFirst();
        if (!row) throw notFound(`Root cause ${key}`);
        const used = await sql<{ n: number }>`select
            (select count(*) from complaints where root_cause = ${key})::int
          + (select count(*) from capa where root_cause = ${key})::int
          + (select count(*) from root_causes where parent_key = ${key})::int
          + (select count(*) from systemic_issues where signature = ${`root_cause:${key}`})::int as n`.execute(
          tx,
        );
        if ((used.rows[0]?.n ?? 0) > 0)
          throw conflict(
            'root_cause_in_use',
            `Root cause "${key}" is in use (complaints, actions, issues or sub-causes): deactivate it instead`,
          );
        await tx.deleteFrom('root_causes').where('key', '=', key).execute();
      });
      return reply.code(204).send();
    },
  });

  // ------------------------------------------------------------ a complaint's root cause
  r.put('/api/complaints/:reference/root-cause', {
    schema: {
      operationId: 'setComplaintRootCause',
      tags: ['complaints'],
      summary:
        "Record or change the root cause before closure (manager, quality, the handler who owns it); in the complaint's history",
      params: z.object({ reference: z.string().min(1).max(20) }),
      body: z.object({ rootCause: rcKey.nullable() }),
    },
    handler: async (request) => {
      const actor = staff(request);
      const updated = await setComplaintRootCause(
        db,
        actor,
        request.params.reference,
        request.body.rootCause,
        version(request),
      );
      return presentComplaint(updated, actor, await getCatalogue(db));
    },
  });

  // ------------------------------------------------------------ CAPA
  r.get('/api/improvement/capa', {
    schema: {
      operationId: 'listCapa',
      tags,
      summary: 'Corrective and preventive actions (handlers see the ones they own)',
      querystring: z.object({
        status: z.enum(capaStatuses).optional(),
        owner: z.union([z.uuid(), z.literal('me')]).optional(),
        overdue: z
          .enum(['true', 'false'])
          .transform((v) => v === 'true')
          .optional(),
        rootCause: z.string().max(100).optional(),
        lang: z.string().optional(),
      }),
    },
    handler: async (request) => listCapas(db, staff(request), lang(request), request.query),
  });

  r.post('/api/improvement/capa', {
    schema: {
      operationId: 'createCapa',
      tags,
      summary:
        'Raise a corrective or preventive action (manager, quality, admin), optionally linking complaints or a systemic issue',
      body: z.object({
        title: capaFields.title,
        description: capaFields.description.optional(),
        kind: capaFields.kind,
        rootCause: capaFields.rootCause.optional(),
        category: capaFields.category.optional(),
        product: capaFields.product.optional(),
        ownerId: capaFields.ownerId.optional(),
        dueOn: capaFields.dueOn.optional(),
        windowDays: capaFields.windowDays.optional(),
        minDrop: capaFields.minDrop.optional(),
        complaints: z
          .array(z.string().min(1).max(20))
          .max(500)
          .optional()
          .describe('References of complaints to link'),
        systemicIssue: z
          .string()
          .min(1)
          .max(20)
          .optional()
          .describe('Reference of the systemic issue this action answers, e.g. SI-0003'),
      }),
    },
    handler: async (request, reply) => {
      const actor = staff(request);
      assertWriter(actor);
      const created = await createCapa(db, actor, request.body);
      return reply.code(201).send(await getCapa(db, actor, lang(request), created));
    },
  });

  r.get('/api/improvement/capa/:ref', {
    schema: {
      operationId: 'getCapa',
      tags,
      summary: 'One action: its complaints, effectiveness check and history',
      params: ref,
      querystring: z.object({ lang: z.string().optional() }),
    },
    handler: async (request) => getCapa(db, staff(request), lang(request), request.params.ref),
  });

  r.patch('/api/improvement/capa/:ref', {
    schema: {
      operationId: 'updateCapa',
      tags,
      summary:
        'Change an action or its status (owner: status only; verified_effective/ineffective: quality). Send If-Match: "<version>" to refuse a stale update',
      params: ref,
      body: z.object({
        title: capaFields.title.optional(),
        description: capaFields.description.optional(),
        kind: capaFields.kind.optional(),
        rootCause: capaFields.rootCause.optional(),
        category: capaFields.category.optional(),
        product: capaFields.product.optional(),
        ownerId: capaFields.ownerId.optional(),
        dueOn: capaFields.dueOn.optional(),
        windowDays: capaFields.windowDays.optional(),
        minDrop: capaFields.minDrop.optional(),
        status: z.enum(capaStatuses).optional(),
      }),
    },
    handler: async (request) => {
      const actor = staff(request);
      await updateCapa(db, actor, request.params.ref, request.body, version(request));
      return getCapa(db, actor, lang(request), request.params.ref);
    },
  });

  r.post('/api/improvement/capa/:ref/complaints', {
    schema: {
      operationId: 'linkCapaComplaint',
      tags,
      summary: 'Link a complaint to an action',
      params: ref,
      body: z.object({ reference: z.string().min(1).max(20) }),
    },
    handler: async (request) => {
      const actor = staff(request);
      await linkComplaint(db, actor, request.params.ref, request.body.reference, false);
      return getCapa(db, actor, lang(request), request.params.ref);
    },
  });

  r.delete('/api/improvement/capa/:ref/complaints/:reference', {
    schema: {
      operationId: 'unlinkCapaComplaint',
      tags,
      summary: 'Remove a complaint from an action',
      params: z.object({ ref: z.string().min(1).max(20), reference: z.string().min(1).max(20) }),
    },
    handler: async (request) => {
      const actor = staff(request);
      await linkComplaint(db, actor, request.params.ref, request.params.reference, true);
      return getCapa(db, actor, lang(request), request.params.ref);
    },
  });

  // ------------------------------------------------------------ recurring problems
  r.get('/api/improvement/recurring', {
    schema: {
      operationId: 'recurringProblems',
      tags,
      summary:
        '(category or product) × root cause combinations that recur across periods or exceed a count, with the actions covering them',
      querystring: z.object({
        from: isoDate.optional().describe('Default: a year before `to`'),
        to: isoDate.optional().describe('Default: today'),
        by: z.enum(['category', 'product']).default('category'),
        period: z.enum(['month', 'quarter']).default('month'),
        minPeriods: z.coerce.number().int().min(1).max(60).default(3),
        minCount: z.coerce.number().int().min(1).max(100_000).default(5),
        lang: z.string().optional(),
      }),
    },
    handler: async (request) => {
      requireActor(request, improveRoles);
      const q = request.query;
      const to = q.to ?? new Date().toISOString().slice(0, 10);
      const from = q.from ?? new Date(Date.parse(to) - 365 * 86_400_000).toISOString().slice(0, 10);
      if (from > to)
        throw new ValidationError([{ field: 'from', code: 'after_to', message: 'must not be after `to`' }]);
      const column = q.by === 'category' ? sql.ref('c.category_id') : sql.ref('c.product_id');
      const bucket =
        q.period === 'month'
          ? sql`to_char(c.received_at at time zone 'UTC', 'YYYY-MM')`
          : sql`to_char(c.received_at at time zone 'UTC', 'YYYY-"Q"Q')`;
      const rows = await sql<{ scope: string; root_cause: string; period: string; n: number }>`
        select ${column}::text as scope, c.root_cause, ${bucket} as period, count(*)::int as n
        from complaints c
        where c.type = 'complaint' and c.root_cause is not null and ${column} is not null
          and c.received_at >= ${`${from}T00:00:00Z`}::timestamptz and c.received_at < (${to}::date + 1)::timestamptz
        group by 1, 2, 3`.execute(db);
      const found = findRecurring(
        rows.rows.map((x) => ({ scope: x.scope, rootCause: x.root_cause, period: x.period, count: x.n })),
        { minPeriods: q.minPeriods, minCount: q.minCount },
      );
      const [catalogue, labels, parents, capas] = await Promise.all([
        getCatalogue(db),
        rootCauseLabels(db, lang(request)),
        db.selectFrom('root_causes').select(['key', 'parent_key']).execute(),
        db
          .selectFrom('capa')
          .select(['seq', 'title', 'status', 'root_cause', 'category_id', 'product_id'])
          .where('status', '<>', 'cancelled')
          .execute(),
      ]);
      const parentOf = new Map(parents.map((p) => [p.key, p.parent_key]));
      const covers = (capa: (typeof capas)[number], scope: string, rc: string) => {
        const rcMatch =
          capa.root_cause === null || capa.root_cause === rc || parentOf.get(rc) === capa.root_cause;
        const own = q.by === 'category' ? capa.category_id : capa.product_id;
        const other = q.by === 'category' ? capa.product_id : capa.category_id;
        const scopeMatch = own === scope || (own === null && other === null && capa.root_cause !== null);
        return rcMatch && scopeMatch && (capa.root_cause !== null || own !== null);
      };
      const items = found.map((p) => {
        const entry = catalogue.byId.get(p.scope);
        const actions = capas
          .filter((c) => covers(c, p.scope, p.rootCause))
          .map((c) => ({ ref: formatCapaRef(c.seq), title: c.title, status: c.status }));
        return {
          scope: { key: entry?.key ?? p.scope, name: entry?.name ?? p.scope },
          rootCause: { key: p.rootCause, label: labels.get(p.rootCause) ?? p.rootCause },
          total: p.total,
          periods: p.periods,
          series: p.series,
          actions,
          covered: actions.some((a) => a.status !== 'ineffective'),
        };
      });
      return { from, to, by: q.by, period: q.period, minPeriods: q.minPeriods, minCount: q.minCount, items };
    },
  });

  // ------------------------------------------------------------ systemic issues
  const ruleBody = z.object({
    name: z.string().trim().min(1).max(200),
    dimension: z.enum(systemicDimensions),
    threshold: z.number().int().min(2).max(10_000),
    windowDays: z.number().int().min(1).max(730),
    minSimilarity: z
      .number()
      .gt(0)
      .max(1)
      .optional()
      .describe('For text rules: the similarity (0…1) two complaints need, default 0.5'),
    ownerId: z.uuid().nullable().optional(),
    team: z.string().min(1).max(100).nullable().optional().describe('Team key'),
    active: z.boolean().optional(),
  });
  const presentRule = async (id?: string) => {
    let q = db
      .selectFrom('systemic_rules')
      .leftJoin('teams', 'teams.id', 'systemic_rules.team_id')
      .leftJoin('users', 'users.id', 'systemic_rules.owner_id')
      .selectAll('systemic_rules')
      .select(['teams.key as team_key', 'users.name as owner_name'])
      .orderBy('systemic_rules.created_at');
    if (id) q = q.where('systemic_rules.id', '=', id);
    return (await q.execute()).map((x) => ({
      id: x.id,
      name: x.name,
      dimension: x.dimension,
      threshold: x.threshold,
      windowDays: x.window_days,
      minSimilarity: Number(x.min_similarity),
      owner: x.owner_id ? { id: x.owner_id, name: x.owner_name ?? '?' } : null,
      team: x.team_key,
      active: x.active,
    }));
  };
  r.get('/api/improvement/systemic-rules', {
    schema: { operationId: 'listSystemicRules', tags, summary: 'Rules that raise systemic issues' },
    handler: async (request) => {
      requireActor(request, improveRoles);
      return { items: await presentRule() };
    },
  });

  r.post('/api/improvement/systemic-rules', {
    schema: {
      operationId: 'createSystemicRule',
      tags,
      summary: 'Add a rule (quality, admin): N similar complaints within D days raise an issue for the owner',
      body: ruleBody,
    },
    handler: async (request, reply) => {
      const actor = requireActor(request, taxonomyRoles);
      const b = request.body;
      const id = await createSystemicRule(db, actor, b);
      return reply.code(201).send((await presentRule(id))[0]);
    },
  });

  r.patch('/api/improvement/systemic-rules/:id', {
    schema: {
      operationId: 'updateSystemicRule',
      tags,
      summary: 'Change or (de)activate a rule (quality, admin)',
      params: z.object({ id: z.uuid() }),
      body: ruleBody.partial(),
    },
    handler: async (request) => {
      const actor = requireActor(request, taxonomyRoles);
      const b = request.body;
      await systemChange(
        actor,
        'systemic_rule_updated',
        {
          id: request.params.id,
          dimension: b.dimension,
          threshold: b.threshold,
          windowDays: b.windowDays,
          active: b.active,
        },
        async (tx) => {
          const res = await tx
            .updateTable('systemic_rules')
            .set({
              ...(b.name !== undefined ? { name: b.name } : {}),
              ...(b.dimension !== undefined ? { dimension: b.dimension } : {}),
              ...(b.threshold !== undefined ? { threshold: b.threshold } : {}),
              ...(b.windowDays !== undefined ? { window_days: b.windowDays } : {}),
              ...(b.minSimilarity !== undefined ? { min_similarity: b.minSimilarity } : {}),
              ...(b.active !== undefined ? { active: b.active } : {}),
              ...(await ruleRefs(tx, b)),
              updated_at: new Date(),
            })
            .where('id', '=', request.params.id)
            .executeTakeFirst();
          if (Number(res.numUpdatedRows) === 0) throw notFound('Rule');
          await ensureScanJob(tx);
        },
      );
      return (await presentRule(request.params.id))[0];
    },
  });

  r.get('/api/improvement/systemic-issues', {
    schema: {
      operationId: 'listSystemicIssues',
      tags,
      summary: 'Systemic issues raised by the rules',
      querystring: z.object({ status: z.enum(issueStatuses).optional() }),
    },
    handler: async (request) => {
      requireActor(request, improveRoles);
      return { items: await listIssues(db, request.query) };
    },
  });

  r.get('/api/improvement/systemic-issues/:ref', {
    schema: {
      operationId: 'getSystemicIssue',
      tags,
      summary: 'One systemic issue with its complaints and history',
      params: ref,
    },
    handler: async (request) => {
      requireActor(request, improveRoles);
      return getIssue(db, request.params.ref);
    },
  });

  r.patch('/api/improvement/systemic-issues/:ref', {
    schema: {
      operationId: 'updateSystemicIssue',
      tags,
      summary: 'Investigate, close, re-assign, or link an issue to an action (manager, quality, admin)',
      params: ref,
      body: z.object({
        status: z.enum(issueStatuses).optional(),
        ownerId: z.uuid().nullable().optional(),
        capa: z.string().min(1).max(20).nullable().optional().describe('Action reference, e.g. CAPA-0002'),
      }),
    },
    handler: async (request) => {
      const actor = requireActor(request, issueWriteRoles);
      await updateIssue(db, actor, request.params.ref, request.body);
      return getIssue(db, request.params.ref);
    },
  });
}
