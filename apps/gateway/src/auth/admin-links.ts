import { and, eq, inArray } from 'drizzle-orm';
import type { GatewayTx } from '../db/client';
import { authUsers, oneTimeTokens } from '../db/schema';
import type { AdminContext } from './admin';
import { findUserByEmail, reloadUser } from './context';
import { AuthError, emailExists, orEmailExists, validationFailed } from './errors';
import { checkUserMetadata } from './metadata';
import { queueTokenMail, storeOneTimeToken, type IssuedToken } from './one-time-tokens';
import { checkPasswordStrength, hashPassword } from './passwords';
import type { AuthUserRow } from './serialize';
import { insertAccount, profileName } from './signup';
import { mergeUserMetadata } from './user-updates';

/** The links `POST /admin/generate_link` makes, by GoTrue's names. */
export const LINK_TYPES = ['signup', 'invite', 'magiclink', 'recovery', 'email_change_current', 'email_change_new'] as const;
export type LinkType = (typeof LINK_TYPES)[number];

export interface LinkRequest {
  type: string;
  email: string;
  password?: string;
  data?: Record<string, unknown>;
  newEmail?: string;
  redirectTo?: string;
}

/** What generate_link answers beside the user: the link and code a mail would carry, nothing sent. */
export interface LinkProperties {
  action_link: string;
  email_otp: string;
  hashed_token: string;
  redirect_to: string;
  verification_type: LinkType;
}

const INVITE_SUBJECT = 'You are invited to DreamSeed';

/**
 * `POST /invite`: an account for the address, with its profile and without a password, and a mail whose link
 * (verify type `invite`) confirms the address and signs the invitee in to choose one. An address whose account
 * is unconfirmed is invited again; a confirmed one is 422 email_exists.
 */
export async function inviteUser(
  ctx: AdminContext,
  input: { email: string; data?: Record<string, unknown>; redirectTo?: string },
): Promise<{ user: AuthUserRow; mailId: string }> {
  const email = input.email.toLowerCase();
  const data = input.data ?? {};
  checkUserMetadata(data, ctx.config.AUTH_USER_METADATA_MAX_BYTES);
  return ctx.db.transaction(async (tx) => {
    const { user, created } = await unconfirmedAccount(tx, email, { passwordHash: null, data });
    const token = await storeOneTimeToken(ctx.config, tx, user, 'confirmation_token', email, { redirectTo: input.redirectTo, insertedNow: created, linkType: 'invite' });
    await markInvited(tx, user.id);
    const mailId = await queueTokenMail(ctx.config, tx, user, 'invite', email, INVITE_SUBJECT, token);
    return { user: await reloadUser(tx, user.id), mailId };
  });
}

/**
 * `POST /admin/generate_link`: the link and code a mail of that type would carry, handed to the caller and not
 * sent. As in GoTrue: `signup` and `invite` make the account when there is none (a signup needs a password);
 * `magiclink` for an unknown address is a signup link; `recovery` and the email changes need the account.
 */
export async function generateLink(ctx: AdminContext, input: LinkRequest): Promise<{ user: AuthUserRow; properties: LinkProperties }> {
  const requested = LINK_TYPES.find((type) => type === input.type);
  if (!requested) throw validationFailed(`Invalid email action link type requested: ${input.type.slice(0, 40)}`);
  const email = input.email.toLowerCase();
  const data = input.data ?? {};
  checkUserMetadata(data, ctx.config.AUTH_USER_METADATA_MAX_BYTES);
  if (requested === 'signup' && input.password) checkPasswordStrength(input.password, ctx.config.AUTH_PASSWORD_MIN_LENGTH);
  const passwordHash = requested === 'signup' && input.password ? await hashPassword(input.password) : null;
  return ctx.db.transaction(async (tx) => {
    const existing = await findUserByEmail(tx, email);
    const type: LinkType = !existing && requested === 'magiclink' ? 'signup' : requested;
    const { user, token } = await tokenFor(ctx, tx, type, existing, { ...input, email, data, passwordHash, asked: requested });
    return {
      user: await reloadUser(tx, user.id),
      properties: { action_link: token.link, email_otp: token.otp, hashed_token: token.tokenHash, redirect_to: token.redirectTo, verification_type: type },
    };
  });
}

async function tokenFor(
  ctx: AdminContext,
  tx: GatewayTx,
  type: LinkType,
  existing: AuthUserRow | undefined,
  input: LinkRequest & { data: Record<string, unknown>; passwordHash: string | null; asked: LinkType },
): Promise<{ user: AuthUserRow; token: IssuedToken }> {
  const { email, redirectTo } = input;
  if (type === 'signup' || type === 'invite') {
    if (!existing && input.asked === 'signup' && !input.passwordHash) throw new AuthError(422, 'validation_failed', 'Signup requires a valid password');
    const { user, created } = await unconfirmedAccount(tx, email, { passwordHash: input.passwordHash, data: input.data }, existing);
    // A signup link for an account still unconfirmed takes the new data (GoTrue's UpdateUserMetaData).
    if (!created && type === 'signup' && Object.keys(input.data).length) {
      await tx.update(authUsers).set({ rawUserMetaData: await mergeUserMetadata(tx, user, input.data, ctx.config.AUTH_USER_METADATA_MAX_BYTES) }).where(eq(authUsers.id, user.id));
    }
    const token = await storeOneTimeToken(ctx.config, tx, user, 'confirmation_token', email, { redirectTo, insertedNow: created, linkType: type });
    if (type === 'invite') await markInvited(tx, user.id);
    return { user, token };
  }
  if (!existing) throw new AuthError(404, 'user_not_found', 'User with this email not found');
  if (type === 'magiclink' || type === 'recovery') {
    return { user: existing, token: await storeOneTimeToken(ctx.config, tx, existing, 'recovery_token', email, { redirectTo, linkType: type }) };
  }
  if (!input.newEmail) throw validationFailed('An email address is required');
  const newEmail = input.newEmail.toLowerCase();
  const taken = await findUserByEmail(tx, newEmail);
  if (taken && taken.id !== existing.id) throw emailExists();
  // One pending change at a time: a token for an earlier new address must not apply it.
  await tx
    .delete(oneTimeTokens)
    .where(and(eq(oneTimeTokens.userId, existing.id), inArray(oneTimeTokens.tokenType, ['email_change_token_new', 'email_change_token_current'])));
  await tx.update(authUsers).set({ emailChange: newEmail }).where(eq(authUsers.id, existing.id));
  const token =
    type === 'email_change_current'
      ? await storeOneTimeToken(ctx.config, tx, existing, 'email_change_token_current', email, { redirectTo, insertedNow: true })
      : await storeOneTimeToken(ctx.config, tx, existing, 'email_change_token_new', newEmail, { redirectTo, insertedNow: true });
  return { user: existing, token };
}

/**
 * The account an invitation or a signup link is for: the address's own while unconfirmed (422 email_exists once
 * confirmed), else a new one with its founder profile, made as sign-up makes it.
 */
async function unconfirmedAccount(
  tx: GatewayTx,
  email: string,
  account: { passwordHash: string | null; data: Record<string, unknown> },
  existing?: AuthUserRow,
): Promise<{ user: AuthUserRow; created: boolean }> {
  const found = existing ?? (await findUserByEmail(tx, email));
  if (found?.emailConfirmedAt) throw emailExists();
  if (found) return { user: found, created: false };
  const { user } = await orEmailExists(() => insertAccount(tx, { email, ...account, name: profileName(account.data), confirmed: false }));
  return { user, created: true };
}

/** GoTrue's `invited_at`: when the address was last invited, by mail or by a link handed to the caller. */
async function markInvited(tx: GatewayTx, userId: string): Promise<void> {
  await tx.update(authUsers).set({ invitedAt: new Date() }).where(eq(authUsers.id, userId));
}
