import { DrizzleQueryError } from 'drizzle-orm';
import type { z } from 'zod';

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

/**
 * A validation failure as it may be sent back or logged: paths and messages only. zod's messages do not echo
 * values, so no personal data ends up in errors or logs. For the HTTP error shape, the producer and the worker.
 */
export function summarizeIssues(issues: readonly z.core.$ZodIssue[]): { path: string; message: string }[] {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

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

/**
 * A database error as it may be logged or kept as a job's failure reason: the SQLSTATE, what Postgres said with
 * any value it quoted back cut off, and the names of the table, column and constraint. Never the statement's
 * parameters (drizzle puts them in its message), the row (Postgres's `detail`) or the value that was refused.
 */
export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';

  constructor(
    message: string,
    readonly code: string | undefined,
    readonly table?: string,
    readonly column?: string,
    readonly constraint?: string,
  ) {
    super(message);
  }
}

interface PostgresErrorFields {
  code?: unknown;
  message?: unknown;
  table?: unknown;
  column?: unknown;
  constraint?: unknown;
  severity?: unknown;
}

const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);

/** Postgres's own error (node-postgres's DatabaseError): it has a severity and a SQLSTATE. */
function isPostgresError(error: unknown): error is Error & PostgresErrorFields {
  return error instanceof Error && typeof (error as PostgresErrorFields).severity === 'string' && pgErrorCode(error) !== undefined;
}

/**
 * `error`, or for a database error (drizzle's `DrizzleQueryError`, or Postgres's own) a `DatabaseError` that
 * carries no data: for log lines and the failure reasons BullMQ stores and the admin API shows. The stack frames
 * are kept; the SQLSTATE stays readable by `pgErrorCode`.
 */
export function withoutData(error: unknown): unknown {
  const wrapped = error instanceof DrizzleQueryError;
  const cause: unknown = wrapped ? error.cause : error;
  if (!wrapped && !isPostgresError(cause)) return error;
  const fields = (cause ?? {}) as PostgresErrorFields;
  const code = pgErrorCode(cause);
  // "invalid input syntax for type uuid: "…"" and the like end with the refused value.
  const said = text(fields.message)?.replace(/:\s*".*$/s, '') ?? 'the query failed';
  const safe = new DatabaseError(
    code ? `database error ${code}: ${said}` : `database error: ${said}`,
    code,
    text(fields.table),
    text(fields.column),
    text(fields.constraint),
  );
  const frames = ((error as Error).stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  safe.stack = [`${safe.name}: ${safe.message}`, ...frames.slice(0, 20)].join('\n');
  return safe;
}
