import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AppError, pgErrorCode, summarizeIssues } from './errors';

/** The one error shape of every API, Express routes and raw routes alike. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Maps whatever was thrown to a status and the JSON error shape `{ error: { code, message, details? } }`. */
export function toErrorResponse(error: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (error instanceof AppError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.details !== undefined) body.error.details = error.details;
    return { status: error.status, body, headers: error.headers };
  }
  if (error instanceof z.ZodError) {
    return {
      status: 400,
      body: {
        error: { code: 'validation_failed', message: 'The request is not valid.', details: summarizeIssues(error.issues) },
      },
    };
  }
  // Postgres refusing data the request carried: a conflict or invalid input, not a server fault.
  switch (pgErrorCode(error)) {
    case '42501':
      return clientError(403, 'forbidden', 'You may not change this.');
    case '23505':
      return clientError(409, 'conflict', 'This conflicts with data that already exists.');
    case '23514':
    case '22P02':
    case '22001':
    case '22021': // a NUL character in text
    case '22P05': // a NUL character in JSON
      return clientError(400, 'invalid_input', 'A value in the request is not acceptable.');
  }
  const type = (error as { type?: string } | undefined)?.type;
  const status = (error as { status?: number } | undefined)?.status;
  switch (type) {
    case 'entity.parse.failed':
      return clientError(400, 'invalid_json', 'The request body is not valid JSON.');
    case 'entity.too.large':
      return clientError(413, 'payload_too_large', 'The request body is too large.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return clientError(415, 'unsupported_encoding', 'The request body encoding is not supported.');
    case 'request.aborted':
    case 'request.size.invalid':
      return clientError(400, 'bad_request', 'The request body was incomplete.');
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return clientError(status, 'bad_request', 'The request could not be read.');
  }
  return { status: 500, body: { error: { code: 'internal_error', message: 'Something went wrong on our side.' } } };
}

function clientError(status: number, code: string, message: string) {
  return { status, body: { error: { code, message } } };
}

/** Express's one error handler: the mapped answer, and a log line for what no one meant to throw. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const { status, body, headers } = toErrorResponse(error);
    const log = req.log ?? logger;
    if (status >= 500 && !(error instanceof AppError)) log.error({ err: error }, 'unhandled error');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (headers) res.set(headers);
    res.status(status).json(body);
  };
}
