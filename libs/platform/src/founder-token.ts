import { errors as joseErrors, jwtVerify } from 'jose';
import type { Founder } from './db-roles';
import { AppError } from './errors';

/** Signs local-development tokens only; the gateway refuses to start with it in production. */
export const DEVELOPMENT_JWT_SECRET = 'dreamseed-local-development-jwt-secret-not-for-production';

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
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['HS256'],
        issuer: options.issuer,
        audience: 'authenticated',
        requiredClaims: ['sub', 'exp'],
      });
      const profileId = (payload.app_metadata as { profile_id?: unknown } | undefined)?.profile_id;
      if (payload.role !== 'authenticated' || typeof profileId !== 'string') throw new AppError(403, 'forbidden', 'This token does not belong to a founder.');
      return { id: profileId, claims: payload as Founder['claims'] };
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (error instanceof joseErrors.JOSEError) throw new AppError(403, 'invalid_token', 'The access token is invalid or expired.');
      throw error;
    }
  };
}
