import type { Request } from 'express';
import { eq, getTableColumns } from 'drizzle-orm';
import { AppError, notFound, readAsFounder, type Founder } from '@dreamseed/platform';
import { liveSession, sessionCheck, type AuthService } from '../auth/service';
import type { AccessClaims } from '../auth/tokens';
import type { GatewayDb } from '../db/client';
import { users } from '../db/schema';
import { apiBearerToken, asApiCaller } from './middleware';

/**
 * The founder a signed-in request acts for: the profile id from the token's claims (the gateway always puts it
 * in app_metadata), else from the profile row, with the verified claims for row-level security.
 */
export async function founderOf(req: Request, db: GatewayDb): Promise<Founder> {
  const current = req.auth;
  if (!current) throw new AppError(401, 'unauthorized', 'Authentication is required.');
  const claims = current.claims as unknown as Founder['claims'];
  const fromClaims = profileIdIn(current.claims);
  if (fromClaims !== undefined) return { id: fromClaims, claims };
  const [profile] = await db.select({ id: users.id }).from(users).where(eq(users.authUserId, current.user.id));
  if (!profile) throw notFound('This account has no founder profile.');
  return { id: profile.id, claims };
}

/** The profile id the gateway puts in every token's `app_metadata`, if this token has one. */
export const profileIdIn = (claims: AccessClaims) => {
  const id = (claims.app_metadata as { profile_id?: unknown } | undefined)?.profile_id;
  return typeof id === 'string' ? id : undefined;
};

/** The profile's columns by name, in Drizzle's order, so that the answer is the one `rowView(users, …)` gives. */
const PROFILE_READ = `select ${Object.values(getTableColumns(users))
  .map((column) => `"${column.name}"`)
  .join(', ')} from core.users where id = $1 and deleted_at is null`;

/**
 * A measured fast path: the founder's own profile for `GET /v1/me`, the session check included, in one round
 * trip to Postgres. The route runs before the router's `requireApiUser`, which would spend a round trip of its own.
 *
 * Why it exists: a round trip is the dearest thing on this path (a socket write and a wake-up on both sides).
 * Done the plain way (`requireApiUser`, then `withFounder`), the request cost four: the session check, then
 * begin with the role, the read and commit. Here `readAsFounder` sends the session check (as the gateway), the
 * founder's role and claims, the read (under row-level security) and commit as one simple query; the profile
 * is answered only if the check, made in the same transaction, finds the session live, so a session ended by
 * sign-out or reuse detection is refused on the very next request, on every replica, as before.
 * What it bought: three round trips of the four, and Drizzle's query building (figures: docs/performance-notes.md#profile-read).
 * What a change must re-measure: `npm run bench`, the `GET /v1/me` rows and their ratio to `/health/live`;
 * `revocation.int-spec.ts` holds it to the plain way's answers and refusals, on two replicas.
 */
export async function readOwnProfile(req: Request, auth: AuthService, db: GatewayDb): Promise<Record<string, unknown> | undefined> {
  const token = apiBearerToken(req);
  const claims = await asApiCaller(() => auth.verifyToken(token));
  let profileId = profileIdIn(claims);
  if (profileId === undefined) {
    // A token without the profile id: checked and looked up the plain way first (rare; the gateway sets it).
    req.auth = await asApiCaller(() => auth.authenticate(token));
    profileId = (await founderOf(req, db)).id;
  }
  const founder = { id: profileId, claims: claims as unknown as Founder['claims'] };
  const { before, rows } = await readAsFounder(db, founder, { text: PROFILE_READ, values: [profileId] }, sessionCheck(claims));
  await asApiCaller(() => liveSession(before[0] as Parameters<typeof liveSession>[0]));
  const [row] = rows;
  return row && Object.fromEntries(Object.entries(row).map(([name, value]) => [name, value instanceof Date ? value.toISOString() : value]));
}
