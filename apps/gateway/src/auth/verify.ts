import { and, eq, gt } from 'drizzle-orm';
import { authUsers, oneTimeTokens, users } from '../db/schema';
import { voidTypedCodes } from './codes';
import { findUserByEmail, reloadUser, type AuthContext, type ClientInfo } from './context';
import { AuthError, otpExpired, validationFailed } from './errors';
import type { OneTimeTokenType, VerifyType } from './one-time-tokens';
import { PHONE_CODE_KIND, confirmPhone } from './phone';
import { startSession } from './sessions';
import { oneTimeTokenHash } from './tokens';

const VERIFY_TOKEN_TYPES: Record<VerifyType, (OneTimeTokenType | typeof PHONE_CODE_KIND)[]> = {
  signup: ['confirmation_token'],
  invite: ['confirmation_token'],
  recovery: ['recovery_token'],
  magiclink: ['recovery_token'],
  email: ['confirmation_token', 'recovery_token'],
  email_change: ['email_change_token_new'],
  phone_change: [PHONE_CODE_KIND],
};

/**
 * Confirms a one-time token (typed code with the email or, for a phone change, the phone; or the hash a link
 * carries) and signs the user in.
 */
export async function verify(
  ctx: AuthContext,
  input: { type: VerifyType; email?: string; phone?: string; token?: string; tokenHash?: string },
  client: ClientInfo,
) {
  await ctx.limits.verify(client.ip);
  const address = input.type === 'phone_change' ? input.phone : input.email?.toLowerCase();
  const tokenHash = input.tokenHash ?? (address && input.token ? oneTimeTokenHash(address, input.token) : undefined);
  if (!tokenHash) throw validationFailed('Verify requires either a token with an email (or phone), or a token_hash');
  // Six digits are guessable: each address gets a few typed tries per code, then its codes are void (link
  // hashes are not guessable and need no count).
  const typedFor = input.tokenHash ? undefined : address;
  if (typedFor && !(await ctx.limits.codeAttempt(typedFor))) {
    await voidTypedCodes(ctx.db, typedFor);
    await ctx.limits.resetCodeAttempts(typedFor);
    throw otpExpired();
  }
  const session = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(oneTimeTokens)
      .where(and(eq(oneTimeTokens.tokenHash, tokenHash), gt(oneTimeTokens.expiresAt, new Date())))
      .for('update');
    if (!row || !VERIFY_TOKEN_TYPES[input.type].some((type) => type === row.tokenType)) throw otpExpired();
    await tx.delete(oneTimeTokens).where(eq(oneTimeTokens.id, row.id));
    const user = await reloadUser(tx, row.userId);
    if (user.deletedAt) throw otpExpired();
    const now = new Date();
    if (row.tokenType === PHONE_CODE_KIND) {
      await confirmPhone(tx, user.id, row.relatesTo, now);
    } else if (row.tokenType === 'email_change_token_new') {
      const taken = await findUserByEmail(tx, row.relatesTo);
      if (taken && taken.id !== user.id) throw new AuthError(422, 'email_exists', 'A user with this email address has already been registered');
      await tx.update(authUsers).set({ email: row.relatesTo, emailChange: null, updatedAt: now }).where(eq(authUsers.id, user.id));
      await tx.update(users).set({ customerEmail: row.relatesTo, updatedAt: now }).where(eq(users.authUserId, user.id));
    } else if (!user.emailConfirmedAt) {
      // A recovery link proves the address as well as a confirmation does.
      await tx
        .update(authUsers)
        .set({ emailConfirmedAt: now, updatedAt: now, rawUserMetaData: { ...(user.rawUserMetaData as object), email_verified: true } })
        .where(eq(authUsers.id, user.id));
      await tx.update(users).set({ emailConfirmed: true, updatedAt: now }).where(eq(users.authUserId, user.id));
    }
    return startSession(ctx, tx, await reloadUser(tx, user.id), 'otp', client);
  });
  if (typedFor) await ctx.limits.resetCodeAttempts(typedFor);
  return session;
}
