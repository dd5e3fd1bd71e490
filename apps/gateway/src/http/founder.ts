import type { Request } from 'express';
import { eq } from 'drizzle-orm';
import { AppError, notFound, type Founder } from '@dreamseed/platform';
import type { GatewayDb } from '../db/client';
import { users } from '../db/schema';

/**
 * The founder a signed-in request acts for: the profile id from the token's claims (the gateway always puts it
 * in app_metadata), else from the profile row, with the verified claims for row-level security.
 */
export async function founderOf(req: Request, db: GatewayDb): Promise<Founder> {
  const current = req.auth;
  if (!current) throw new AppError(401, 'unauthorized', 'Authentication is required.');
  const claims = current.claims as unknown as Founder['claims'];
  const fromClaims = (current.claims.app_metadata as { profile_id?: unknown } | undefined)?.profile_id;
  if (typeof fromClaims === 'string') return { id: fromClaims, claims };
  const [profile] = await db.select({ id: users.id }).from(users).where(eq(users.authUserId, current.user.id));
  if (!profile) throw notFound('This account has no founder profile.');
  return { id: profile.id, claims };
}
