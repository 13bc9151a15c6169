import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { executeAction } from '../complaints/execute-action.ts';
import { handlers } from '../complaints/handlers.ts';
import { actionInputs } from '../complaints/schemas.ts';
import { requireActor } from '../server/http/auth.ts';
import { localiseIssue, problemTitle, requestLanguage } from '../server/http/locale.ts';
import { AppError, ValidationError } from '../shared/errors.ts';

const bulkActions = { assign: 'assign', recategorise: 'assess' } as const;

export interface BulkItemResult {
  reference: string;
  ok: boolean;
  state?: string;
  status?: number;
  code?: string;
  title?: string;
  detail?: string;
  errors?: Array<{ field: string; code: string; message: string }>;
}

const kindOf = (status: number, code: string) =>
  code === 'validation_failed' ? code : status === 404 ? 'not_found' : status === 403 ? 'forbidden' : status === 409 ? 'conflict' : code;

/**
 * Bulk actions (WORK-4): assign, or recategorise (the assess action with a category), over many complaints; each
 * one runs as its own lifecycle action (its own checks, transaction, history event) and has its own result.
 */
export function bulkRoutes(app: FastifyInstance, db: Db) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/api/complaints/bulk', {
    schema: {
      operationId: 'bulkAction',
      tags: ['lifecycle'],
      summary: 'Assign or recategorise many complaints; a result per complaint',
      body: z.object({
        action: z.enum(['assign', 'recategorise']),
        references: z.array(z.string().min(1).max(40)).min(1).max(200),
        input: z.record(z.string(), z.unknown()),
      }),
    },
    handler: async (request) => {
      const actor = requireActor(request, ['handler', 'manager']);
      const lang = requestLanguage(request.headers, request.query);
      const name = bulkActions[request.body.action];
      const parsed = actionInputs[name].safeParse(request.body.input);
      if (!parsed.success) {
        throw new ValidationError(parsed.error.issues.map((i) => ({ field: ['input', ...i.path].join('.'), code: i.code, message: localiseIssue(i, lang) })));
      }
      const input = parsed.data as Record<string, unknown>;
      const results: BulkItemResult[] = [];
      for (const reference of [...new Set(request.body.references)]) {
        try {
          const row = await executeAction(db, { ...actor, channel: actor.type === 'api_key' ? 'api' : 'web' }, reference, name, input as never, handlers[name] as never);
          results.push({ reference: row.reference, ok: true, state: row.state });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          results.push({
            reference,
            ok: false,
            status: error.status,
            code: error.code,
            title: problemTitle(kindOf(error.status, error.code), lang, error.message),
            detail: error.message,
            ...(error instanceof ValidationError ? { errors: error.errors } : {}),
          });
        }
      }
      return { action: request.body.action, succeeded: results.filter((x) => x.ok).length, failed: results.filter((x) => !x.ok).length, results };
    },
  });
}
