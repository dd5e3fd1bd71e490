import { and, eq } from 'drizzle-orm';
import type { GatewayConfig } from '../config';
import type { GatewayTx } from '../db/client';
import { authUsers, mailOutbox, oneTimeTokens } from '../db/schema';
import { describeLifetime } from './codes';
import type { AuthContext } from './context';
import { safeRedirect } from './redirects';
import type { AuthUserRow } from './serialize';
import { newOneTimeToken } from './tokens';

/** The kinds of one-time token: mailed, or (the current address's email-change token) only handed out by generate_link. */
export type OneTimeTokenType = 'confirmation_token' | 'recovery_token' | 'email_change_token_new' | 'email_change_token_current';
/** The `type` a code or link is verified as. */
export type VerifyType = 'signup' | 'invite' | 'recovery' | 'magiclink' | 'email' | 'email_change' | 'phone_change';

const MAIL_SUBJECTS: Record<OneTimeTokenType, string> = {
  confirmation_token: 'Confirm your DreamSeed account',
  recovery_token: 'Reset your DreamSeed password',
  email_change_token_new: 'Confirm your new DreamSeed email address',
  email_change_token_current: 'Confirm your DreamSeed email change',
};

const LINK_TYPES: Record<OneTimeTokenType, VerifyType> = {
  confirmation_token: 'signup',
  recovery_token: 'recovery',
  email_change_token_new: 'email_change',
  email_change_token_current: 'email_change',
};

/** A one-time token as issued: the code to type, the hash a link carries, the link, and where the link lands. */
export interface IssuedToken {
  otp: string;
  tokenHash: string;
  link: string;
  redirectTo: string;
}

/** Replaces any earlier token of the kind, writes the mail to the outbox, and returns the mail's id. */
export async function issueOneTimeToken(
  ctx: AuthContext,
  tx: GatewayTx,
  user: AuthUserRow,
  type: OneTimeTokenType,
  address: string,
  redirectTo?: string,
  /** The user was inserted by this transaction, so it has no earlier token to replace. */
  insertedNow = false,
): Promise<string> {
  const token = await storeOneTimeToken(ctx.config, tx, user, type, address, { redirectTo, insertedNow });
  return queueTokenMail(ctx.config, tx, user, type, address, MAIL_SUBJECTS[type], token);
}

/**
 * Replaces any earlier token of the kind and stores the new one, without a mail: the code and link are the
 * caller's to send (`issueOneTimeToken`, an invitation) or to hand back (the admin API's generate_link).
 */
export async function storeOneTimeToken(
  config: GatewayConfig,
  tx: GatewayTx,
  user: AuthUserRow,
  type: OneTimeTokenType,
  address: string,
  options: { redirectTo?: string; insertedNow?: boolean; linkType?: VerifyType } = {},
): Promise<IssuedToken> {
  const { otp, tokenHash } = newOneTimeToken(address);
  const now = new Date();
  if (!options.insertedNow) await tx.delete(oneTimeTokens).where(and(eq(oneTimeTokens.userId, user.id), eq(oneTimeTokens.tokenType, type)));
  await tx.insert(oneTimeTokens).values({
    userId: user.id,
    tokenType: type,
    tokenHash,
    relatesTo: address,
    expiresAt: new Date(now.getTime() + config.AUTH_OTP_EXPIRY_SECONDS * 1000),
  });
  const sentColumn =
    type === 'confirmation_token' ? { confirmationSentAt: now } : type === 'recovery_token' ? { recoverySentAt: now } : { emailChangeSentAt: now };
  await tx.update(authUsers).set(sentColumn).where(eq(authUsers.id, user.id));
  const redirectTo = allowedRedirect(config, options.redirectTo);
  const link = new URL(`${config.PUBLIC_URL}/auth/v1/verify`);
  link.searchParams.set('token', tokenHash);
  link.searchParams.set('type', options.linkType ?? LINK_TYPES[type]);
  link.searchParams.set('redirect_to', redirectTo);
  return { otp, tokenHash, link: link.toString(), redirectTo };
}

/** Writes the mail carrying a token's code and link to the outbox, and returns the mail's id. */
export async function queueTokenMail(
  config: GatewayConfig,
  tx: GatewayTx,
  user: AuthUserRow,
  kind: string,
  address: string,
  subject: string,
  token: IssuedToken,
): Promise<string> {
  const [mail] = await tx
    .insert(mailOutbox)
    .values({
      userId: user.id,
      kind,
      recipient: address,
      subject,
      body: `Your code: ${token.otp}\n\nOr open this link: ${token.link}\n\nThe code expires in ${describeLifetime(config.AUTH_OTP_EXPIRY_SECONDS)}.`,
    })
    .returning({ id: mailOutbox.id });
  if (!mail) throw new Error('insert returned nothing');
  return mail.id;
}

/** `redirect_to` is honoured only inside the site URL or the allow list; anything else goes to the site. */
export function allowedRedirect(config: GatewayConfig, redirectTo: string | undefined): string {
  return safeRedirect(redirectTo, config.AUTH_SITE_URL ?? config.PUBLIC_URL, config.AUTH_REDIRECT_ALLOW_LIST);
}
