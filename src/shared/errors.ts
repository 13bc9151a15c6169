/** An error a user (or integrator) is meant to see: a status, a stable machine-readable code and a message. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} was not found`);
export const conflict = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new AppError(409, code, message, details);
export const forbidden = (code: string, message: string) => new AppError(403, code, message);
export const badRequest = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new AppError(400, code, message, details);

/** Per-field validation problems, reported together (RFC 9457 extension member `errors`). */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export class ValidationError extends AppError {
  constructor(readonly errors: FieldError[]) {
    super(400, 'validation_failed', 'Some fields are missing or invalid', { errors });
    this.name = 'ValidationError';
  }
}
