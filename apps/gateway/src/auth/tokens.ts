import { createHash, randomBytes, randomInt } from 'node:crypto';
import { SignJWT } from 'jose';
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
