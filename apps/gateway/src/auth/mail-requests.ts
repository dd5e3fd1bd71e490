import { authUsers } from '../db/schema';
import { findUserByEmail, type AuthContext, type ClientInfo } from './context';
import { dispatchAfterAnswer } from './mail-outbox';
import { issueOneTimeToken, type OneTimeTokenType } from './one-time-tokens';
import { keepOrUndo, standInAddress } from './rehearsal';
import type { AuthUserRow } from './serialize';

/** Always `{}`: whether the address belongs to an account is not the caller's to learn. */
export function recover(ctx: AuthContext, email: string, client: ClientInfo, redirectTo?: string): Promise<void> {
  return mailOnRequest(ctx, email, client, redirectTo, (_user, address) => ['recovery_token', address]);
}

export function resend(ctx: AuthContext, type: 'signup' | 'email_change', email: string, client: ClientInfo, redirectTo?: string): Promise<void> {
  return mailOnRequest(ctx, email, client, redirectTo, (user, address) => {
    if (type === 'signup' && !user.emailConfirmedAt) return ['confirmation_token', address];
    if (type === 'email_change' && user.emailChange) return ['email_change_token_new', user.emailChange];
    return undefined;
  });
}

/**
 * A mail the caller asked for by address. The limits are spent whether or not the address has an account,
 * so neither the answer nor a 429 tells which addresses are registered.
 */
async function mailOnRequest(
  ctx: AuthContext,
  email: string,
  client: ClientInfo,
  redirectTo: string | undefined,
  choose: (user: AuthUserRow, address: string) => [OneTimeTokenType, string] | undefined,
): Promise<void> {
  await ctx.limits.signIn(client.ip);
  const address = email.toLowerCase();
  await ctx.limits.mail(address);
  const mailId = await ctx.db.transaction(async (tx) => {
    const user = await findUserByEmail(tx, address);
    const chosen = user && choose(user, address);
    if (user && chosen) return keepOrUndo(tx, true, () => issueOneTimeToken(ctx, tx, user, chosen[0], chosen[1], redirectTo));
    // Nothing to send: the same token and outbox writes for a stand-in, undone, so that the time tells nothing.
    // Inserting the stand-in takes the place of the delete of an earlier token: as many statements either way.
    await keepOrUndo(tx, false, async () => {
      const standInEmail = standInAddress();
      const [standIn] = await tx.insert(authUsers).values({ email: standInEmail }).returning();
      if (!standIn) throw new Error('insert returned nothing');
      return issueOneTimeToken(ctx, tx, standIn, 'recovery_token', standInEmail, redirectTo, true);
    });
    return undefined;
  });
  if (mailId) dispatchAfterAnswer(ctx, mailId, client.correlationId);
}
