import type { Request, RequestHandler } from 'express';
import { AppError, OPERATOR_ROLE, type Operator } from '@dreamseed/platform';
import type { AuthService } from '../auth/service';
import { apiBearerToken, asApiCaller } from './middleware';

/** An operator as a request past the guard knows them: who, the session their token names, and when it expires. */
export type SignedInOperator = Operator & { sessionId: string; /** The token's `exp`, in seconds since the epoch. */ expiresAt: number };

declare module 'express-serve-static-core' {
  interface Request {
    /** The operator acting, set by `requireOperator` (or the queues' guard). */
    operator?: SignedInOperator;
  }
}

/**
 * The cookie a browser shows the queue dashboard (`POST /admin/api/session` sets it): the operator's access token
 * itself, so that it is checked on every request exactly as the bearer token is.
 */
export const OPERATOR_SESSION_COOKIE = 'dreamseed_operator';

/**
 * For `/admin`: a signed-in operator. The token is checked as every `/v1` token is (signature, expiry, and that
 * its session still exists), and the role is read from the account as it is now, not from the token: an operator
 * whose role was taken away is refused on the next request, not when the token expires. A founder is 403
 * `not_operator`, on every route behind this. Checked once a request, however many routers it passes.
 */
export function requireOperator(auth: AuthService): RequestHandler {
  return async (req, _res, next) => {
    req.operator ??= await operatorOfToken(auth, apiBearerToken(req));
    next();
  };
}

/** The operator an access token names, or 401 (no usable token) / 403 (not an operator). */
export async function operatorOfToken(auth: AuthService, token: string): Promise<SignedInOperator> {
  const { claims, user } = await asApiCaller(() => auth.authenticate(token));
  if ((user.rawAppMetaData as { role?: unknown } | null)?.role !== OPERATOR_ROLE) {
    throw new AppError(403, 'not_operator', 'This account is not an operator.');
  }
  return { id: user.id, email: user.email ?? null, sessionId: claims.session_id, expiresAt: claims.exp };
}

/** The operator of a request past `requireOperator`. */
export function operatorOf(req: Request): SignedInOperator {
  if (!req.operator) throw new AppError(401, 'unauthorized', 'An operator session is required.');
  return req.operator;
}

/** The operator session cookie's token, if the request carries one. */
export function sessionCookieToken(req: Request): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === OPERATOR_SESSION_COOKIE) return value.join('=') || undefined;
  }
  return undefined;
}
