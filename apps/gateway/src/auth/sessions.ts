import { createHmac } from 'node:crypto';
import { and, eq, isNull, ne } from 'drizzle-orm';
import type { LiteralStatement } from '@dreamseed/platform';
import type { GatewayConfig } from '../config';
import type { GatewayTx } from '../db/client';
import { authSessions, authUsers, refreshTokens, userSessions, users } from '../db/schema';
import { findUserByEmail, isBanned, reloadUser, type AuthContext, type ClientInfo } from './context';
import { AuthError, invalidCredentials, sessionNotFound, validationFailed } from './errors';
import { fitsInToken } from './metadata';
import { verifyPassword } from './passwords';
import { serializeUser, type AuthUserRow } from './serialize';
import { newRefreshToken, sha256, type AccessClaims } from './tokens';

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: ReturnType<typeof serializeUser>;
  weak_password?: { message: string; reasons: string[] };
}

export async function signInWithPassword(ctx: AuthContext, input: { email: string; password: string }, client: ClientInfo): Promise<TokenResponse> {
  await ctx.limits.signIn(client.ip);
  const email = input.email.toLowerCase();
  await ctx.limits.checkAccount(email);
  const user = await findUserByEmail(ctx.db, email);
  const valid = await verifyPassword(user?.encryptedPassword ?? null, input.password);
  if (!user || !valid) {
    await ctx.limits.failedSignIn(email);
    throw invalidCredentials();
  }
  await ctx.limits.succeededSignIn(email);
  if (isBanned(user)) throw new AuthError(400, 'user_banned', 'User is banned');
  if (!user.emailConfirmedAt) throw new AuthError(400, 'email_not_confirmed', 'Email not confirmed');
  const response = await ctx.db.transaction((tx) => startSession(ctx, tx, user, 'password', client));
  if (input.password.length < ctx.config.AUTH_PASSWORD_MIN_LENGTH) {
    response.weak_password = { message: 'Password is shorter than the minimum length', reasons: ['length'] };
  }
  return response;
}

/**
 * Refresh tokens are single use. A spent one presented again within the reuse interval (two tabs refreshing
 * at once) gets a fresh child; later, it is taken for a stolen token and the whole session is revoked.
 */
export async function refresh(ctx: AuthContext, token: string, client: ClientInfo): Promise<TokenResponse> {
  await ctx.limits.tokenRefresh(client.ip);
  if (token.length < 12) throw validationFailed('Invalid Refresh Token: Refresh Token Not Found');
  const outcome = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, sha256(token)))
      .for('update');
    if (!row) throw new AuthError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
    if (row.revoked) {
      const spentFor = Date.now() - row.updatedAt.getTime();
      if (spentFor > ctx.config.AUTH_REFRESH_REUSE_INTERVAL_SECONDS * 1000) {
        // Committed before the error is answered: the revocation must outlive this request.
        await endSessions(tx, eq(authSessions.id, row.sessionId));
        ctx.logger.warn({ sessionId: row.sessionId }, 'spent refresh token reused: session revoked');
        return { reused: true as const };
      }
    } else {
      await tx.update(refreshTokens).set({ revoked: true, updatedAt: new Date() }).where(eq(refreshTokens.id, row.id));
    }
    const [session] = await tx.select().from(authSessions).where(eq(authSessions.id, row.sessionId));
    if (!session) throw sessionNotFound(400);
    const user = await reloadUser(tx, row.userId);
    if (user.deletedAt) throw sessionNotFound(400);
    if (isBanned(user)) throw new AuthError(400, 'user_banned', 'User is banned');
    const now = new Date();
    await tx.update(authSessions).set({ refreshedAt: now, updatedAt: now }).where(eq(authSessions.id, session.id));
    await tx.update(userSessions).set({ lastSeenAt: now }).where(eq(userSessions.authSessionId, session.id));
    return { reused: false as const, response: await tokenResponse(ctx, tx, user, session.id, 'password', row.id) };
  });
  if (outcome.reused) throw new AuthError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used');
  return outcome.response;
}

/** Checks an access token and that its user and session still exist (GoTrue's JWT endpoints do). */
export async function authenticate(ctx: AuthContext, accessToken: string): Promise<{ claims: AccessClaims; user: AuthUserRow }> {
  const claims = await ctx.signer.verify(accessToken);
  // The user, and whether the token's session still exists, in one query.
  const [found] = await ctx.db
    .select({ user: authUsers, sessionId: authSessions.id })
    .from(authUsers)
    .leftJoin(authSessions, and(eq(authSessions.id, claims.session_id), eq(authSessions.userId, authUsers.id)))
    .where(eq(authUsers.id, claims.sub));
  const { user } = liveSession(found && { user: found.user, deletedAt: found.user.deletedAt, bannedUntil: found.user.bannedUntil, sessionId: found.sessionId });
  return { claims, user };
}

/**
 * `authenticate`'s question to the database as one statement of the gateway's own role, for a read that carries
 * it in its own round trip (`readAsFounder`): the token's user, and whether its session still exists. Its one
 * row, if any, goes to `liveSession`.
 */
export function sessionCheck(claims: AccessClaims): LiteralStatement {
  return {
    text: `select u.deleted_at as "deletedAt", u.banned_until as "bannedUntil", s.id as "sessionId"
             from auth.users u left join auth.sessions s on s.id = $1 and s.user_id = u.id where u.id = $2`,
    values: [claims.session_id, claims.sub],
  };
}

/** What keeps a verified token usable, refused as GoTrue refuses it: its user is there, its session too, and no ban. */
export function liveSession<T extends { deletedAt: Date | null; bannedUntil: Date | null; sessionId: string | null }>(found: T | undefined): T {
  if (!found || found.deletedAt) throw new AuthError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
  if (!found.sessionId) throw sessionNotFound();
  if (isBanned(found)) throw new AuthError(403, 'user_banned', 'User is banned');
  return found;
}

export async function signOut(ctx: AuthContext, claims: AccessClaims, scope: 'global' | 'local' | 'others'): Promise<void> {
  const mine = eq(authSessions.userId, claims.sub);
  const condition =
    scope === 'local'
      ? eq(authSessions.id, claims.session_id)
      : scope === 'others'
        ? and(mine, ne(authSessions.id, claims.session_id))
        : mine;
  await ctx.db.transaction((tx) => endSessions(tx, condition));
}

/** A new session for the user (and for their founder profile, if they have one), with its first tokens. */
export async function startSession(ctx: AuthContext, tx: GatewayTx, user: AuthUserRow, method: string, client: ClientInfo): Promise<TokenResponse> {
  const now = new Date();
  const [session] = await tx
    .insert(authSessions)
    .values({ userId: user.id, userAgent: client.userAgent?.slice(0, 500), ip: hashIp(ctx.config, client.ip) })
    .returning();
  if (!session) throw new Error('insert returned nothing');
  const [profile] = await tx.select({ id: users.id }).from(users).where(eq(users.authUserId, user.id));
  if (profile) {
    await tx.insert(userSessions).values({
      userId: profile.id,
      authSessionId: session.id,
      ip: hashIp(ctx.config, client.ip),
      userAgent: client.userAgent?.slice(0, 500),
    });
  }
  await tx.update(authUsers).set({ lastSignInAt: now }).where(eq(authUsers.id, user.id));
  return tokenResponse(ctx, tx, { ...user, lastSignInAt: now }, session.id, method);
}

/** Deletes sessions (their refresh tokens go with them) and closes the matching profile sessions. */
export async function endSessions(tx: GatewayTx, condition: ReturnType<typeof eq> | undefined) {
  const ended = await tx.delete(authSessions).where(condition).returning({ id: authSessions.id });
  for (const { id } of ended) {
    await tx.update(userSessions).set({ endedAt: new Date() }).where(and(eq(userSessions.authSessionId, id), isNull(userSessions.endedAt)));
  }
}

async function tokenResponse(ctx: AuthContext, tx: GatewayTx, user: AuthUserRow, sessionId: string, method: string, parentId?: number) {
  const refreshToken = newRefreshToken();
  await tx.insert(refreshTokens).values({ tokenHash: sha256(refreshToken), userId: user.id, sessionId, parentId });
  const { token, expiresAt } = await ctx.signer.sign({
    sub: user.id,
    email: user.email ?? '',
    phone: user.phone ?? '',
    aal: 'aal1',
    amr: [{ method, timestamp: Math.floor(Date.now() / 1000) }],
    session_id: sessionId,
    is_anonymous: user.isAnonymous,
    app_metadata: user.rawAppMetaData as Record<string, unknown>,
    // Metadata stored before its limit existed stays out of the token, or the account could never be used again.
    user_metadata: fitsInToken(user.rawUserMetaData, ctx.config.AUTH_USER_METADATA_MAX_BYTES)
      ? (user.rawUserMetaData as Record<string, unknown>)
      : {},
  });
  return {
    access_token: token,
    token_type: 'bearer' as const,
    expires_in: expiresAt - Math.floor(Date.now() / 1000),
    expires_at: expiresAt,
    refresh_token: refreshToken,
    user: serializeUser(user),
  };
}

function hashIp(config: GatewayConfig, ip: string): string {
  return createHmac('sha256', config.JWT_SECRET).update(ip).digest('hex').slice(0, 32);
}
