/**
 * KPIs, trends and regulator returns (IMP-1, IMP-2, IMP-5): the HTTP API (registered by buildApp). Read by managers,
 * quality, auditors and administrators; customer counts changed by administrators and quality.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import type { Role } from '../identity/roles.ts';
import { requireActor } from '../server/http/auth.ts';
import { requestLanguage } from '../server/http/locale.ts';
import { ValidationError } from '../shared/errors.ts';
import { CSV_CONTENT_TYPE, toCsv, toXlsx, XLSX_CONTENT_TYPE, type Table } from '../exports/tabular.ts';
import { ALL_PRODUCTS, loadCustomers, replaceCustomers } from './customers.ts';
import { loadDimensions } from './dimensions.ts';
import { fcaReturn, fcaTables } from './fca-return.ts';
import { PERIODS } from './formulas.ts';
import { GROUP_BYS, getKpis, kpiTables } from './get-kpis.ts';
import { CHART_METRICS, controlChart, PARETO_DIMENSIONS, paretoReport } from './trends.ts';

export const analyticsRoles: readonly Role[] = ['manager', 'quality', 'auditor', 'admin'];
export const customerEditorRoles: readonly Role[] = ['admin', 'quality'];
const tags = ['analytics'];

const date = z.string().max(10).describe('Local date YYYY-MM-DD in the organisation time zone');
const key = z.string().min(1).max(100);
const filters = {
  from: date,
  to: date,
  category: key.optional().describe('Category key (includes its sub-categories)'),
  product: key.optional().describe('Product key'),
  channel: key.optional(),
  team: key.optional().describe('Team key'),
  type: z
    .enum(['complaint', 'suggestion', 'compliment', 'all'])
    .optional()
    .describe('Feedback type (default: all)'),
  lang: z.string().max(10).optional(),
};
const format = z.enum(['json', 'csv', 'xlsx']).default('json');

const kpiQuery = z.object({
  ...filters,
  groupBy: z.enum(GROUP_BYS).default('none'),
  period: z.enum(PERIODS).default('month'),
  format,
});
const paretoQuery = z.object({ ...filters, dimension: z.enum(PARETO_DIMENSIONS).default('category') });
const chartQuery = z.object({
  ...filters,
  metric: z.enum(CHART_METRICS),
  period: z.enum(['week', 'month']).default('month'),
});
const fcaQuery = z.object({ from: date, to: date, format, lang: z.string().max(10).optional() });
const customersBody = z.object({
  items: z
    .array(
      z.object({
        product: key.describe(`Product key, or "${ALL_PRODUCTS}" for all customers of the organisation`),
        validFrom: z.iso.date(),
        customers: z.number().int().positive().max(2_000_000_000),
      }),
    )
    .max(10_000),
});

async function send(
  reply: FastifyReply,
  fmt: 'csv' | 'xlsx',
  tables: Table[],
  filename: string,
  timeZone: string,
) {
  if (fmt === 'csv') {
    return reply
      .header('content-type', CSV_CONTENT_TYPE)
      .header('content-disposition', `attachment; filename="${filename}.csv"`)
      .send(toCsv(tables[0]!, { timeZone }));
  }
  return reply
    .header('content-type', XLSX_CONTENT_TYPE)
    .header('content-disposition', `attachment; filename="${filename}.xlsx"`)
    .send(Buffer.from(toXlsx(tables, { timeZone })));
}

export function analyticsRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/analytics/kpis', {
    schema: {
      operationId: 'getKpis',
      tags,
      summary: 'Complaint KPIs for a range, in total and by a dimension',
      querystring: kpiQuery,
    },
    handler: async (request, reply) => {
      requireActor(request, analyticsRoles);
      const q = request.query;
      const report = await getKpis(db, { ...q, language: requestLanguage(request.headers, q) });
      if (q.format === 'json') return report;
      return send(reply, q.format, kpiTables(report), `kpis-${report.from}-${report.to}`, report.timeZone);
    },
  });

  r.get('/api/analytics/pareto', {
    schema: {
      operationId: 'getPareto',
      tags,
      summary: 'Pareto of complaints received by a dimension',
      querystring: paretoQuery,
    },
    handler: async (request) => {
      requireActor(request, analyticsRoles);
      return paretoReport(db, {
        ...request.query,
        language: requestLanguage(request.headers, request.query),
      });
    },
  });

  r.get('/api/analytics/control-chart', {
    schema: {
      operationId: 'getControlChart',
      tags,
      summary: 'p- or u-chart of a metric by week or month',
      querystring: chartQuery,
    },
    handler: async (request) => {
      requireActor(request, analyticsRoles);
      return controlChart(db, {
        ...request.query,
        language: requestLanguage(request.headers, request.query),
      });
    },
  });

  r.get('/api/analytics/fca-return', {
    schema: {
      operationId: 'getFcaReturn',
      tags,
      summary: 'The FCA complaints return (DISP 1.10) for a period',
      querystring: fcaQuery,
    },
    handler: async (request, reply) => {
      requireActor(request, analyticsRoles);
      const q = request.query;
      const report = await fcaReturn(db, {
        from: q.from,
        to: q.to,
        language: requestLanguage(request.headers, q),
      });
      if (q.format === 'json') return report;
      return send(
        reply,
        q.format,
        fcaTables(report),
        `fca-return-${report.from}-${report.to}`,
        report.timeZone,
      );
    },
  });

  const customersOut = async (language: string) => {
    const [rows, dims] = await Promise.all([loadCustomers(db), loadDimensions(db, language)]);
    const withRows = new Set(rows.map((c) => c.product));
    return {
      items: [
        ...rows.map((c) => ({
          ...c,
          label: c.product === ALL_PRODUCTS ? null : (dims.productsByKey.get(c.product)?.name ?? c.product),
        })),
        // Products without a count yet: one row each, to fill in.
        ...[...dims.productsByKey.values()]
          .filter((p) => !withRows.has(p.key))
          .map((p) => ({ product: p.key, label: p.name, validFrom: null, customers: null })),
      ],
    };
  };

  r.get('/api/analytics/customers', {
    schema: {
      operationId: 'getCustomerCounts',
      tags,
      summary: 'Customer counts per product and period (denominators)',
    },
    handler: async (request) => {
      requireActor(request, analyticsRoles);
      return customersOut(requestLanguage(request.headers, request.query));
    },
  });

  r.put('/api/analytics/customers', {
    schema: {
      operationId: 'putCustomerCounts',
      tags,
      summary: 'Replace the customer counts',
      body: customersBody,
    },
    handler: async (request) => {
      requireActor(request, customerEditorRoles);
      const dims = await loadDimensions(db);
      const errors = request.body.items.flatMap((c, i) =>
        c.product === ALL_PRODUCTS || dims.productsByKey.has(c.product)
          ? []
          : [{ field: `items.${i}.product`, code: 'unknown_product', message: `No product "${c.product}"` }],
      );
      const seen = new Set<string>();
      request.body.items.forEach((c, i) => {
        const k = `${c.product}|${c.validFrom}`;
        if (seen.has(k))
          errors.push({
            field: `items.${i}.validFrom`,
            code: 'duplicate',
            message: 'Two counts for the same product and date',
          });
        seen.add(k);
      });
      if (errors.length) throw new ValidationError(errors);
      await replaceCustomers(db, request.body.items);
      return customersOut(requestLanguage(request.headers, request.query));
    },
  });
}
