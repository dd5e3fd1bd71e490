import { and, eq, gt, inArray } from 'drizzle-orm';
import type { GatewayTx } from '../db/client';
import { authUsers, oneTimeTokens, users } from '../db/schema';
import { voidTypedCodes } from './codes';
import { findUserByEmail, reloadUser, type AuthContext, type ClientInfo } from './context';
import { emailExists, otpExpired, validationFailed } from './errors';
import type { OneTimeTokenType, VerifyType } from './one-time-tokens';
import { PHONE_CODE_KIND, confirmPhone } from './phone';
import type { AuthUserRow } from './serialize';
import { startSession } from './sessions';
import { oneTimeTokenHash } from './tokens';

const VERIFY_TOKEN_TYPES: Record<VerifyType, (OneTimeTokenType | typeof PHONE_CODE_KIND)[]> = {
  signup: ['confirmation_token'],
  invite: ['confirmation_token'],
  recovery: ['recovery_token'],
  magiclink: ['recovery_token'],
  email: ['confirmation_token', 'recovery_token'],
  email_change: ['email_change_token_new', 'email_change_token_current'],
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
    } else if (row.tokenType === 'email_change_token_new' || row.tokenType === 'email_change_token_current') {
      // A token for the current address (only the admin API's generate_link makes one) applies the new address
      // pending on the account; either token, once used, voids the other.
      const newEmail = row.tokenType === 'email_change_token_new' ? row.relatesTo : user.emailChange;
      if (!newEmail) throw otpExpired();
      const taken = await findUserByEmail(tx, newEmail);
      if (taken && taken.id !== user.id) throw emailExists();
      await tx.update(authUsers).set({ email: newEmail, emailChange: null, updatedAt: now }).where(eq(authUsers.id, user.id));
      await tx.update(users).set({ customerEmail: newEmail, updatedAt: now }).where(eq(users.authUserId, user.id));
      await tx
        .delete(oneTimeTokens)
        .where(and(eq(oneTimeTokens.userId, user.id), inArray(oneTimeTokens.tokenType, ['email_change_token_new', 'email_change_token_current'])));
    } else if (!user.emailConfirmedAt) {
      // A recovery link proves the address as well as a confirmation does.
      await confirmEmail(tx, user, now);
    }
    return startSession(ctx, tx, await reloadUser(tx, user.id), 'otp', client);
  });
  if (typedFor) await ctx.limits.resetCodeAttempts(typedFor);
  return session;
}

/** The address is proven: confirmed on the account (and `user_metadata.email_verified`, as GoTrue sets it) and on the profile. */
export async function confirmEmail(tx: GatewayTx, user: AuthUserRow, now: Date): Promise<void> {
  await tx
    .update(authUsers)
    .set({ emailConfirmedAt: now, updatedAt: now, rawUserMetaData: { ...(user.rawUserMetaData as object), email_verified: true } })
    .where(eq(authUsers.id, user.id));
  await tx.update(users).set({ emailConfirmed: true, updatedAt: now }).where(eq(users.authUserId, user.id));
}
