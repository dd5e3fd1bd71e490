/**
 * Errors with an HTTP meaning. Anything thrown that is not an AppError is a bug and becomes a logged 500;
 * everything the caller can fix or wait out is an AppError with a stable machine-readable code.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown) =>
  new AppError(400, code, message, details);
export const unauthorized = (message = 'Authentication is required.') => new AppError(401, 'unauthorized', message);
export const forbidden = (message = 'You may not do this.') => new AppError(403, 'forbidden', message);
export const notFound = (message = 'Not found.') => new AppError(404, 'not_found', message);
export const conflict = (code: string, message: string) => new AppError(409, code, message);

/** Redis (and so every queue) cannot be reached: the caller should retry shortly. */
export class QueueUnavailableError extends AppError {
  constructor(cause?: unknown) {
    super(503, 'queue_unavailable', 'The service cannot accept commands right now. Try again shortly.', undefined, {
      'Retry-After': '5',
    });
    this.name = 'QueueUnavailableError';
    this.cause = cause;
  }
}

/** A job payload did not match its contract. Raised before anything reaches Redis. */
export class InvalidJobPayloadError extends AppError {
  constructor(queue: string, jobName: string, issues: unknown) {
    super(422, 'invalid_job_payload', `The ${queue}/${jobName} job payload does not match its contract.`, issues);
    this.name = 'InvalidJobPayloadError';
  }
}

/** The SQLSTATE of a Postgres error, also when a query builder wrapped it (drizzle puts it in `cause`). */
export function pgErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 3; current = (current as { cause?: unknown }).cause, depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}
