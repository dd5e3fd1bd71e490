import type { Request, RequestHandler } from 'express';
import type { z } from 'zod';
import { AppError, badRequest, summarizeIssues } from '@dreamseed/platform';
import { AuthError, noAuthorization } from '../auth/errors';
import type { AuthUserRow } from '../auth/serialize';
import type { AuthService } from '../auth/service';
import type { AccessClaims } from '../auth/tokens';

declare module 'express-serve-static-core' {
  interface Request {
    /** The signed-in caller, set by `requireUser`. */
    auth?: { claims: AccessClaims; user: AuthUserRow };
  }
}

const bearerToken = (header: string | undefined) => /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];

/**
 * For `/auth/v1`: verifies the bearer access token and that its session still exists, answering failures as
 * GoTrue does (403 `bad_jwt`, `session_not_found`), which auth-js expects. The caller is on `req.auth`.
 */
export function requireUser(service: AuthService): RequestHandler {
  return async (req, _res, next) => {
    const token = bearerToken(req.get('authorization'));
    if (!token) throw noAuthorization();
    req.auth = await service.authenticate(token);
    next();
  };
}

/** GoTrue's answers that mean the token itself cannot be used: bad or expired, or its user or session is gone. */
const UNUSABLE_TOKEN = new Set(['bad_jwt', 'session_not_found', 'user_not_found']);
const CHALLENGE = 'Bearer realm="dreamseed"';

/**
 * For `/v1`: the same check, answered as RFC 6750 says so that a client's "on 401, refresh and retry" fires. No
 * token is 401 `no_authorization`; a malformed, tampered or expired token, or one whose session has ended, is
 * 401 `invalid_token`; both carry a `WWW-Authenticate: Bearer` challenge. 403 stays for a valid caller who may
 * not (a banned user).
 */
export function requireApiUser(service: AuthService): RequestHandler {
  return async (req, _res, next) => {
    const token = apiBearerToken(req);
    req.auth = await asApiCaller(() => service.authenticate(token));
    next();
  };
}

/** The bearer token of a `/v1` request, or 401 `no_authorization` with a challenge. */
export function apiBearerToken(req: Request): string {
  const token = bearerToken(req.get('authorization'));
  if (!token) throw new AppError(401, 'no_authorization', 'This endpoint requires a Bearer token.', undefined, { 'WWW-Authenticate': CHALLENGE });
  return token;
}

/** A check of a `/v1` caller's token or session, its unusable-token answers turned into 401 `invalid_token`. */
export async function asApiCaller<T>(check: () => T | Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (!(error instanceof AuthError) || !UNUSABLE_TOKEN.has(error.code)) throw error;
    throw new AppError(401, 'invalid_token', 'The access token is invalid, expired or its session has ended; refresh it or sign in again.', undefined, {
      'WWW-Authenticate': `${CHALLENGE}, error="invalid_token"`,
    });
  }
}

/** A request body checked against its schema: the parsed value, or 400 `validation_failed` naming each issue. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw badRequest('validation_failed', 'The request is not valid.', summarizeIssues(result.error.issues));
  return result.data;
}
