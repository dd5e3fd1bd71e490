import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { InvalidAccessTokenError, verifyAccessToken } from '@dreamseed/platform';
import { badJwt } from './errors';

/** The claims of a Supabase access token, as the platform issues and checks them. */
export interface AccessClaims {
  sub: string;
  aud: 'authenticated';
  role: 'authenticated';
  iss: string;
  iat: number;
  exp: number;
  email: string;
  phone: string;
  aal: 'aal1';
  amr: { method: string; timestamp: number }[];
  session_id: string;
  is_anonymous: boolean;
  app_metadata: Record<string, unknown>;
  user_metadata: Record<string, unknown>;
}

export interface TokenSigner {
  sign(claims: Omit<AccessClaims, 'iat' | 'exp' | 'iss' | 'aud' | 'role'>): Promise<{ token: string; expiresAt: number }>;
  verify(token: string): Promise<AccessClaims>;
}

/** HS256 access tokens with Supabase's claims, via jose. */
export function createTokenSigner(options: { secret: string; issuer: string; expirySeconds: number }): TokenSigner {
  const key = new TextEncoder().encode(options.secret);
  return {
    async sign(claims) {
      const now = Math.floor(Date.now() / 1000);
      const expiresAt = now + options.expirySeconds;
      const token = await new SignJWT({ ...claims, role: 'authenticated' })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(options.issuer)
        .setAudience('authenticated')
        .setSubject(claims.sub)
        .setIssuedAt(now)
        .setExpirationTime(expiresAt)
        .sign(key);
      return { token, expiresAt };
    },
    async verify(token) {
      try {
        return (await verifyAccessToken(token, key, options.issuer)) as unknown as AccessClaims;
      } catch (error) {
        throw error instanceof InvalidAccessTokenError ? badJwt(error.message) : error;
      }
    },
  };
}

/** The role claim of Supabase's service-role key, which the auth admin API requires. */
export const SERVICE_ROLE = 'service_role';

/** A service-role key as Supabase issues one: role `service_role`, issuer `supabase`, HS256 with the JWT secret. */
export function signServiceRoleKey(secret: string, lifetimeSeconds = 10 * 365 * 24 * 3600): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: SERVICE_ROLE })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('supabase')
    .setIssuedAt(now)
    .setExpirationTime(now + lifetimeSeconds)
    .sign(new TextEncoder().encode(secret));
}

/**
 * The claims of a bearer token presented to the admin API, its HS256 signature and expiry checked, as GoTrue checks
 * them before it reads the role: no issuer or audience is required (Supabase's keys carry neither of ours).
 */
export async function verifyBearerClaims(token: string, secret: string): Promise<JWTPayload> {
  try {
    return (await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'] })).payload;
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw badJwt('invalid JWT: token is expired');
    if (error instanceof joseErrors.JOSEError) throw badJwt();
    throw error;
  }
}

/**
 * What is wrong with a configured service-role key, or undefined: a JWT, HS256, signed by the JWT secret, role
 * `service_role`, not expired. Synchronous, as config checks are; requests are checked by `verifyBearerClaims`.
 */
export function serviceRoleKeyProblem(key: string, secret: string): string | undefined {
  const parts = key.split('.');
  const [header, payload, signature] = parts;
  if (parts.length !== 3 || !header || !payload || !signature) return 'must be a JWT (three dot-separated parts)';
  let alg: unknown;
  let claims: { role?: unknown; exp?: unknown };
  try {
    alg = (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown }).alg;
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    return 'must be a JWT (its header and payload base64url-encoded JSON)';
  }
  if (alg !== 'HS256') return 'must be signed with HS256';
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'is not signed by JWT_SECRET';
  if (claims.role !== SERVICE_ROLE) return `must carry the role claim ${SERVICE_ROLE}`;
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now()) return 'has expired';
  return undefined;
}

/** Opaque refresh tokens: 32 random bytes, URL-safe. Only their SHA-256 is stored. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * One-time tokens for mails: a six-digit code the founder can type, and the hash that links carry. As in
 * GoTrue, the hash is the hex SHA-224 of email + code, so `/verify` accepts either form.
 */
export function newOneTimeToken(email: string): { otp: string; tokenHash: string } {
  const otp = String(randomInt(0, 1_000_000)).padStart(6, '0');
  return { otp, tokenHash: oneTimeTokenHash(email, otp) };
}

export function oneTimeTokenHash(email: string, otp: string): string {
  return createHash('sha224').update(email + otp).digest('hex');
}
