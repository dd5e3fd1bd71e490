import { and, eq, ne } from 'drizzle-orm';
import type { GatewayTx } from '../db/client';
import { authSessions, authUsers, oneTimeTokens, users } from '../db/schema';
import { findUserByEmail, reloadUser, type AuthContext } from './context';
import { AuthError, emailExists } from './errors';
import { dispatchMail } from './mail-outbox';
import { checkUserMetadata, mergeMetadata } from './metadata';
import { issueOneTimeToken } from './one-time-tokens';
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords';
import { requestPhoneChange } from './phone';
import { serializeUser, type AuthUserRow } from './serialize';
import { NAME_KEYS, profileName } from './signup';
import { endSessions } from './sessions';
import type { AccessClaims } from './tokens';

/**
 * PUT /user: metadata and password change at once; a new email address or phone number only once the code mailed
 * or texted to it comes back.
 */
export async function updateUser(
  ctx: AuthContext,
  current: { claims: AccessClaims; user: AuthUserRow },
  input: { email?: string; password?: string; phone?: string; data?: Record<string, unknown> | null; redirectTo?: string },
  correlationId?: string,
  ip = 'unknown',
) {
  const { user, claims } = current;
  let mailId: string | undefined;
  let smsId: string | undefined;
  if (input.phone !== undefined && input.phone !== user.phone) await ctx.limits.phoneChange(user.id, ip);
  const updated = await ctx.db.transaction(async (tx) => {
    const changes: Partial<typeof authUsers.$inferInsert> = { updatedAt: new Date() };
    if (input.data) changes.rawUserMetaData = await mergeUserMetadata(tx, user, input.data, ctx.config.AUTH_USER_METADATA_MAX_BYTES);
    if (input.password !== undefined) {
      checkPasswordStrength(input.password, ctx.config.AUTH_PASSWORD_MIN_LENGTH);
      if (await verifyPassword(user.encryptedPassword, input.password)) {
        throw new AuthError(422, 'same_password', 'New password should be different from the old password.');
      }
      changes.encryptedPassword = await hashPassword(input.password);
      // A new password ends every other session and voids pending recovery links.
      await endSessions(tx, and(eq(authSessions.userId, user.id), ne(authSessions.id, claims.session_id)));
      await tx.delete(oneTimeTokens).where(and(eq(oneTimeTokens.userId, user.id), eq(oneTimeTokens.tokenType, 'recovery_token')));
    }
    await tx.update(authUsers).set(changes).where(eq(authUsers.id, user.id));
    const newEmail = input.email?.toLowerCase();
    if (newEmail && newEmail !== user.email) {
      if (await findUserByEmail(tx, newEmail)) throw emailExists();
      await ctx.limits.mail(newEmail);
      await tx.update(authUsers).set({ emailChange: newEmail }).where(eq(authUsers.id, user.id));
      mailId = await issueOneTimeToken(ctx, tx, user, 'email_change_token_new', newEmail, input.redirectTo);
    }
    if (input.phone !== undefined) smsId = await requestPhoneChange(tx, user, input.phone, ctx.config, ctx.limits);
    return reloadUser(tx, user.id);
  });
  if (mailId) await dispatchMail(ctx, mailId, correlationId);
  if (smsId) await dispatchMail(ctx, smsId, correlationId);
  return serializeUser(updated);
}

/**
 * `data` merged into the user's metadata as GoTrue merges it, within the size limit. The founder's name lives on
 * the profile too (`customer_name`): it follows the metadata in the same commit.
 */
export async function mergeUserMetadata(tx: GatewayTx, user: AuthUserRow, data: Record<string, unknown>, maxBytes: number): Promise<Record<string, unknown>> {
  const merged = mergeMetadata(user.rawUserMetaData, data);
  checkUserMetadata(merged, maxBytes);
  if (NAME_KEYS.some((key) => key in data)) {
    await tx.update(users).set({ customerName: profileName(merged), updatedAt: new Date() }).where(eq(users.authUserId, user.id));
  }
  return merged;
}
