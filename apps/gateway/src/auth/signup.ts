import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { E164 } from '@dreamseed/contracts';
import type { GatewayTx } from '../db/client';
import { authUsers, users } from '../db/schema';
import { findUserByEmail, reloadUser, type AuthContext, type ClientInfo } from './context';
import { AuthError, validationFailed } from './errors';
import { dispatchAfterAnswer, dispatchMail } from './mail-outbox';
import { checkUserMetadata } from './metadata';
import { issueOneTimeToken } from './one-time-tokens';
import { checkPasswordStrength, hashPassword } from './passwords';
import { phoneExists, requestPhoneChange } from './phone';
import { keepOrUndo, standInAddress } from './rehearsal';
import { serializeUser, type AuthUserRow } from './serialize';
import { startSession } from './sessions';

type NewAccount = { passwordHash: string; data: Record<string, unknown>; phone: string | null; redirectTo?: string };

/**
 * Sign-up: with confirmation off, a session at once; with it on, the user and a mailed code. With confirmation on,
 * a registered address gets the answer a new one would (if confirmed) or its confirmation mail again (if not).
 */
export async function signUp(
  ctx: AuthContext,
  input: { email: string; password: string; data: Record<string, unknown>; redirectTo?: string },
  client: ClientInfo,
) {
  await ctx.limits.signIn(client.ip);
  if (ctx.config.AUTH_DISABLE_SIGNUP) throw new AuthError(422, 'signup_disabled', 'Signups not allowed for this instance');
  checkPasswordStrength(input.password, ctx.config.AUTH_PASSWORD_MIN_LENGTH);
  checkUserMetadata(input.data, ctx.config.AUTH_USER_METADATA_MAX_BYTES);
  const email = input.email.toLowerCase();
  const phone = profilePhone(input.data);
  if (phone) await ctx.limits.phoneChange(email, client.ip);
  const passwordHash = await hashPassword(input.password);
  const autoconfirm = ctx.config.AUTH_AUTOCONFIRM;
  // Spent for every address, registered or not, so that a 429 tells nothing either.
  if (!autoconfirm) await ctx.limits.mail(email);
  const account: NewAccount = { passwordHash, data: input.data, phone, redirectTo: input.redirectTo };

  const outcome = await ctx.db.transaction(async (tx) => {
    const existing = await findUserByEmail(tx, email);
    if (existing) {
      if (autoconfirm) throw new AuthError(422, 'user_already_exists', 'User already registered');
      if (existing.emailConfirmedAt) {
        // A new account's work for a stand-in, undone: the answer and its time are those of a new address.
        const standIn = await keepOrUndo(tx, false, () => createAccount(ctx, tx, standInAddress(), account));
        return { kind: 'stand-in' as const, user: { ...standIn.user, email } };
      }
      // Unconfirmed: send the confirmation again; the request's password and data are ignored.
      const mailId = await issueOneTimeToken(ctx, tx, existing, 'confirmation_token', email, input.redirectTo);
      return { kind: 'user' as const, user: await reloadUser(tx, existing.id), mailId };
    }
    const created = await keepOrUndo(tx, true, () => createAccount(ctx, tx, email, account));
    return created.mailId ? { kind: 'user' as const, ...created, mailId: created.mailId } : { kind: 'session' as const, ...created };
  });

  if (outcome.kind === 'stand-in') return serializeUser(outcome.user);
  if (outcome.kind === 'user') {
    dispatchAfterAnswer(ctx, outcome.mailId, client.correlationId);
    if (outcome.smsId) dispatchAfterAnswer(ctx, outcome.smsId, client.correlationId);
    return serializeUser(outcome.user);
  }
  if (outcome.smsId) await dispatchMail(ctx, outcome.smsId, client.correlationId);
  return ctx.db.transaction((tx) => startSession(ctx, tx, outcome.user, 'password', client));
}

/** A new account and its profile; with confirmation on, its confirmation mail in the outbox. */
async function createAccount(
  ctx: AuthContext,
  tx: GatewayTx,
  email: string,
  input: NewAccount,
): Promise<{ user: AuthUserRow; mailId?: string; smsId?: string }> {
  const { phone } = input;
  const autoconfirm = ctx.config.AUTH_AUTOCONFIRM;
  if (phone) {
    const [owner] = await tx.select({ id: users.id }).from(users).where(and(eq(users.customerPhone, phone), isNull(users.deletedAt)));
    if (owner) throw phoneExists();
  }
  const { user } = await insertAccount(tx, { email, passwordHash: input.passwordHash, data: input.data, name: profileName(input.data), confirmed: autoconfirm });
  // The number given at sign-up is only pending: the profile takes it once its code comes back.
  const smsId = phone ? await requestPhoneChange(tx, user, phone, ctx.config, ctx.limits) : undefined;
  const mailId = autoconfirm ? undefined : await issueOneTimeToken(ctx, tx, user, 'confirmation_token', email, input.redirectTo);
  return { user: await reloadUser(tx, user.id), mailId, smsId };
}

/**
 * A caller the platform did not know asked to join during the intake call: an account for their address with no
 * password, a profile, and a confirmation mail (its link signs them in; they choose a password in the app). Caller
 * ID can be forged, so the number they called from is only pending, with a code texted to it: until it comes back,
 * calls from that number are a stranger's. A confirmed number again is the same founder; an address that already
 * has an account is refused.
 */
export async function registerCaller(
  ctx: AuthContext,
  input: { phone: string; email: string; name?: string },
  correlationId?: string,
): Promise<{ kind: 'created' | 'existing'; profileId: string } | { kind: 'email_taken' }> {
  if (ctx.config.AUTH_DISABLE_SIGNUP) throw new AuthError(422, 'signup_disabled', 'Signups not allowed for this instance');
  const email = input.email.toLowerCase();
  const outcome = await ctx.db.transaction(async (tx) => {
    const [byPhone] = await tx.select({ id: users.id }).from(users).where(and(eq(users.customerPhone, input.phone), isNull(users.deletedAt)));
    if (byPhone) return { kind: 'existing' as const, profileId: byPhone.id };
    if (await findUserByEmail(tx, email)) return { kind: 'email_taken' as const };
    const data = { full_name: input.name, phone: input.phone, signed_up_by: 'phone' };
    const { user, profileId } = await insertAccount(tx, { email, passwordHash: null, data, name: input.name ?? null, confirmed: false });
    const smsId = await requestPhoneChange(tx, user, input.phone, ctx.config, ctx.limits);
    await ctx.limits.mail(email);
    const mailId = await issueOneTimeToken(ctx, tx, user, 'confirmation_token', email, undefined);
    return { kind: 'created' as const, profileId, mailId, smsId };
  });
  if (outcome.kind !== 'created') return outcome;
  await dispatchMail(ctx, outcome.mailId, correlationId);
  if (outcome.smsId) await dispatchMail(ctx, outcome.smsId, correlationId);
  return { kind: 'created', profileId: outcome.profileId };
}

/**
 * An auth user and the founder profile that goes with it. The profile id travels in app_metadata (server-set, so
 * safe for authorization): every owner's row-level security keys on it. A phone number is never written here: it
 * joins the profile only once confirmed.
 */
export async function insertAccount(
  tx: GatewayTx,
  input: { email: string; passwordHash: string | null; data: Record<string, unknown>; name: string | null; confirmed: boolean },
): Promise<{ user: AuthUserRow; profileId: string }> {
  const profileId = randomUUID();
  const [user] = await tx
    .insert(authUsers)
    .values({
      email: input.email,
      encryptedPassword: input.passwordHash,
      rawAppMetaData: { provider: 'email', providers: ['email'], profile_id: profileId },
      rawUserMetaData: input.data,
      emailConfirmedAt: input.confirmed ? new Date() : null,
    })
    .returning();
  if (!user) throw new Error('insert returned nothing');
  await tx.insert(users).values({
    id: profileId,
    authUserId: user.id,
    customerEmail: input.email,
    customerName: input.name,
    status: 'registered',
    currentCallStage: 1,
    emailConfirmed: input.confirmed,
  });
  return { user, profileId };
}

/** The metadata keys a founder's name may come under, as auth-js clients send it; the first one set wins. */
export const NAME_KEYS = ['full_name', 'name', 'customer_name'] as const;

/** The profile's `customer_name` from auth metadata. */
export function profileName(data: Record<string, unknown>): string | null {
  const name = NAME_KEYS.map((key) => data[key]).find((value) => value !== undefined && value !== null);
  return typeof name === 'string' && name.trim() ? name.trim().slice(0, 200) : null;
}

/** A phone number given at sign-up must be E.164; it identifies the founder on inbound calls. */
function profilePhone(data: Record<string, unknown>): string | null {
  const phone = data.phone ?? data.customer_phone;
  if (phone === undefined || phone === null || phone === '') return null;
  if (typeof phone !== 'string' || !E164.test(phone)) {
    throw validationFailed('Phone number must be in E.164 format, for example +14155550123');
  }
  return phone;
}
