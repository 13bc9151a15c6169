import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, ValidationError, type FieldError } from '../../shared/errors.ts';
import { localiseIssue, problemTitle, requestLanguage } from './locale.ts';

const kindOf = (status: number, code: string) => {
  if (code === 'validation_failed') return 'validation_failed';
  if (status === 404) return 'not_found';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  return code;
};

/** Sends an RFC 9457 problem document. */
export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
) {
  const lang = requestLanguage(request.headers, request.query);
  return reply
    .code(status)
    .type('application/problem+json')
    .send({
      type: `https://redress.invalid/problems/${code}`,
      title: problemTitle(kindOf(status, code), lang, detail),
      status,
      code,
      detail,
      instance: request.url.split('?')[0],
      ...extra,
    });
}

/** Maps every error to a problem document: never a stack trace, never a bare 500 page. */
export function installErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const lang = requestLanguage(request.headers, request.query);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'body';
      const errors: FieldError[] = error.validation.map((v) => {
        const segments = v.instancePath.split('/').filter(Boolean);
        const issue = { ...(v.params as object), code: v.keyword, message: v.message ?? 'is invalid', path: segments } as z.core.$ZodIssue;
        const path = [where === 'body' ? '' : where, ...segments].filter(Boolean).join('.');
        return { field: path || where, code: v.keyword, message: localiseIssue(issue, lang) };
      });
      return sendProblem(request, reply, 400, 'validation_failed', 'Some fields are missing or invalid', { errors });
    }
    if (error instanceof ValidationError) {
      return sendProblem(request, reply, 400, 'validation_failed', error.message, { errors: error.errors });
    }
    if (error instanceof AppError) {
      return sendProblem(request, reply, error.status, error.code, error.message, error.details);
    }
    const status = error.statusCode ?? 500;
    if (status < 500) {
      const code =
        error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'payload_too_large'
          : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? 'unsupported_media_type'
            : error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
              ? 'malformed_json'
              : 'bad_request';
      return sendProblem(request, reply, status, code, error.message);
    }
    request.log.error({ err: { type: error.name, message: error.message, stack: error.stack } }, 'request failed');
    return sendProblem(request, reply, 500, 'internal_error', 'Something went wrong on our side; please try again');
  });
  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, 404, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}`));
}
