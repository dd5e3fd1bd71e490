import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { Founder } from './db-roles';
import { z } from 'zod';
import { AppError, notFound } from './errors';

/** Signs local-development tokens only; the gateway refuses to start with it in production. */
export const DEVELOPMENT_JWT_SECRET = 'dreamseed-local-development-jwt-secret-not-for-production';

/** Why an access token was refused: expired, or anything else (signature, issuer, audience, claims, role). */
export class InvalidAccessTokenError extends Error {
  constructor(
    message: string,
    readonly expired: boolean,
  ) {
    super(message);
    this.name = 'InvalidAccessTokenError';
  }
}

/**
 * The one check of an access token, shared by the gateway and the owners: HS256 with the shared key, the
 * gateway's issuer, audience and role `authenticated`, and the claims the gateway always sets.
 */
export async function verifyAccessToken(token: string, key: Uint8Array, issuer: string): Promise<JWTPayload> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer,
      audience: 'authenticated',
      requiredClaims: ['sub', 'exp', 'iat', 'session_id'],
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new InvalidAccessTokenError('invalid JWT: token is expired', true);
    if (error instanceof joseErrors.JOSEError) throw new InvalidAccessTokenError('invalid JWT: unable to parse or verify signature', false);
    throw error;
  }
  if (payload.role !== 'authenticated') throw new InvalidAccessTokenError('invalid JWT: role is not authenticated', false);
  return payload;
}

/**
 * Checks a founder's access token the way every owner does before reading for them: signature (HS256), issuer,
 * audience `authenticated`, expiry, role. The founder is the profile id in `app_metadata.profile_id`. Whether
 * the session still exists is the gateway's check (it owns the sessions); owners accept the token until it expires.
 */
export function createFounderTokenVerifier(options: { secret: string; issuer: string }) {
  const key = new TextEncoder().encode(options.secret);
  return async (authorization: string | undefined): Promise<Founder> => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw new AppError(401, 'unauthorized', 'A founder access token is required.');
    const payload = await verifyAccessToken(token, key, options.issuer).catch((error: unknown) => {
      throw error instanceof InvalidAccessTokenError ? new AppError(403, 'invalid_token', 'The access token is invalid or expired.') : error;
    });
    const profileId = (payload.app_metadata as { profile_id?: unknown } | undefined)?.profile_id;
    if (typeof profileId !== 'string') throw new AppError(403, 'forbidden', 'This token does not belong to a founder.');
    return { id: profileId, claims: payload as Founder['claims'] };
  };
}

/** The `app_metadata.role` of DreamSeed's staff accounts. */
export const OPERATOR_ROLE = 'operator';

export interface Operator {
  /** The operator's auth user id (`sub`). */
  id: string;
  email: string | null;
}

/**
 * Checks an operator's access token as an owner does before an operator read (`OPERATOR_READ_LIMIT` in the
 * contracts): the same token check as a founder's, and `app_metadata.role` = `operator`. A founder's token is
 * refused with 403. Whether the session still exists and the operator still holds the role right now is the
 * gateway's check, made on the same request before it asks.
 */
export function createOperatorTokenVerifier(options: { secret: string; issuer: string }) {
  const key = new TextEncoder().encode(options.secret);
  return async (authorization: string | undefined): Promise<Operator> => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw new AppError(401, 'unauthorized', 'An operator access token is required.');
    const payload = await verifyAccessToken(token, key, options.issuer).catch((error: unknown) => {
      throw error instanceof InvalidAccessTokenError ? new AppError(403, 'invalid_token', 'The access token is invalid or expired.') : error;
    });
    const role = (payload.app_metadata as { role?: unknown } | undefined)?.role;
    if (role !== OPERATOR_ROLE) throw new AppError(403, 'not_operator', 'This account is not an operator.');
    return { id: payload.sub as string, email: typeof payload.email === 'string' ? payload.email : null };
  };
}

/**
 * The checks every owner's operator read makes before reading (the contracts' `OPERATOR_READ_LIMIT` says how such
 * a read answers): the operator's token (the `Authorization` header), then the founder the path names (`userId`), lower-cased as Postgres writes ids. A
 * `userId` that is not a UUID names no founder: 404 before any query.
 */
export function createOperatorReadCheck(options: { secret: string; issuer: string }) {
  const operatorOf = createOperatorTokenVerifier(options);
  return async (authorization: string | undefined, founderId: unknown): Promise<{ operator: Operator; userId: string }> => {
    const operator = await operatorOf(authorization);
    const userId = z.uuid().safeParse(founderId);
    if (!userId.success) throw notFound('No such founder.');
    return { operator, userId: userId.data.toLowerCase() };
  };
}
