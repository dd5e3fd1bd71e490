import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { AppError, pgErrorCode, toErrorResponse } from '@dreamseed/platform';
import { API_VERSION, API_VERSION_HEADER } from '../http/api-version';

/**
 * Errors of the auth API, in GoTrue's shape so that `@supabase/auth-js` reads them: the current body
 * `{ code, message }` (with the `X-Supabase-Api-Version` response header) plus the legacy `error_code` and
 * `msg`, which keep the code readable when a browser cannot see that header.
 */
export class AuthError extends AppError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    headers?: Record<string, string>,
  ) {
    super(status, code, message, undefined, headers);
    this.name = 'AuthError';
  }
}

export const invalidCredentials = () => new AuthError(400, 'invalid_credentials', 'Invalid login credentials');
export const validationFailed = (message: string) => new AuthError(400, 'validation_failed', message);
export const badJwt = (message = 'invalid JWT: unable to parse or verify signature') => new AuthError(403, 'bad_jwt', message);
export const noAuthorization = () =>
  new AuthError(401, 'no_authorization', 'This endpoint requires a Bearer token');
export const sessionNotFound = (status = 403) =>
  new AuthError(status, 'session_not_found', 'Session from session_id claim in JWT does not exist');
export const emailExists = () => new AuthError(422, 'email_exists', 'A user with this email address has already been registered');
/** A write that may take an address another account took since it was checked: that race is 422 email_exists too. */
export async function orEmailExists<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw pgErrorCode(error) === '23505' ? emailExists() : error;
  }
}
export const otpExpired = () => new AuthError(403, 'otp_expired', 'Token has expired or is invalid');
export const overRequestRateLimit = (retryAfterSeconds: number) =>
  new AuthError(429, 'over_request_rate_limit', 'Request rate limit reached', {}, { 'Retry-After': String(retryAfterSeconds) });
const overSendRateLimit = (code: string) => (retryAfterSeconds: number) =>
  new AuthError(
    429,
    code,
    `For security purposes, you can only request this after ${retryAfterSeconds} seconds.`,
    {},
    { 'Retry-After': String(retryAfterSeconds) },
  );
export const overEmailRateLimit = overSendRateLimit('over_email_send_rate_limit');
export const overSmsRateLimit = overSendRateLimit('over_sms_send_rate_limit');

/** A body or query checked against its schema, refused as GoTrue refuses bad input: 400 validation_failed, its first issue. */
export function parseAuthInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw validationFailed(result.error.issues[0]?.message ?? 'Invalid request');
  return result.data;
}

/** The auth router's error handler: every failure in GoTrue's shape, never a bare 500 for client mistakes. */
export function authErrorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const { status, body, headers } = toErrorResponse(error);
    const code = body.error.code === 'invalid_json' ? 'bad_json' : body.error.code;
    if (status >= 500 && !(error instanceof AppError)) (req.log ?? logger).error({ err: error }, 'unhandled auth error');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const extra = error instanceof AuthError ? error.extra : {};
    res.set({ ...headers, [API_VERSION_HEADER]: API_VERSION, 'x-sb-error-code': code });
    res.status(status).json({ code, error_code: code, msg: body.error.message, message: body.error.message, ...extra });
  };
}
