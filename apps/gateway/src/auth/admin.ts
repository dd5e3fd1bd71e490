import { and, count, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { GatewayTx } from '../db/client';
import { authSessions, authUsers, oneTimeTokens, users } from '../db/schema';
import { findUserByEmail, reloadUser, type AuthContext } from './context';
import { AuthError, emailExists, orEmailExists, validationFailed } from './errors';
import { generateLink, inviteUser, type LinkRequest } from './admin-links';
import { askOwnersToErase } from './erase';
import { dispatchMail } from './mail-outbox';
import { checkUserMetadata, mergeMetadata } from './metadata';
import { checkPasswordStrength, hashPassword } from './passwords';
import { confirmPhone } from './phone';
import type { AuthUserRow } from './serialize';
import { endSessions } from './sessions';
import { insertAccount, profileName } from './signup';
import { mergeUserMetadata } from './user-updates';
import { confirmEmail } from './verify';

/**
 * GoTrue's admin API over the gateway's tables: accounts listed, read, created, changed and deleted by the holder of
 * the service-role key (`admin-routes.ts`), and by `npm run operator:add` through these same functions. An account
 * is made by sign-up's own `insertAccount`, so it has its founder profile; it is deleted by `deleteAccount`, the
 * founder's own deletion. The flows need the database and the settings only (`AdminContext`); mails they write go
 * to the outbox, and `AuthAdmin` hands them to the queue once the transaction has committed.
 */
export type AdminContext = Pick<AuthContext, 'db' | 'config'>;

/** What POST and PUT /admin/users take, by GoTrue's names (`AdminUserParams`); absent means unchanged. */
export interface AdminUserAttributes {
  email?: string;
  phone?: string;
  password?: string;
  email_confirm?: boolean;
  phone_confirm?: boolean;
  user_metadata?: Record<string, unknown>;
  app_metadata?: Record<string, unknown>;
  /** `none` lifts a ban; otherwise a Go duration from now (`24h`, `1h30m`). */
  ban_duration?: string;
}

/**
 * app_metadata the server writes: how the account signs in, and the founder profile every owner's row-level
 * security keys on. A request may repeat their values (a read-modify-write of the whole object) but not change them.
 */
const SERVER_OWNED_APP_METADATA = ['provider', 'providers', 'profile_id'] as const;

export const userNotFound = () => new AuthError(404, 'user_not_found', 'User not found');

/** Live accounts, newest first, a page at a time, and how many there are (`X-Total-Count`). */
export async function listUsers(ctx: AdminContext, page: number, perPage: number): Promise<{ users: AuthUserRow[]; total: number }> {
  const live = isNull(authUsers.deletedAt);
  const [rows, [counted]] = await Promise.all([
    ctx.db
      .select()
      .from(authUsers)
      .where(live)
      .orderBy(desc(authUsers.createdAt), desc(authUsers.id))
      .limit(perPage)
      .offset((page - 1) * perPage),
    ctx.db.select({ total: count() }).from(authUsers).where(live),
  ]);
  return { users: rows, total: counted?.total ?? 0 };
}

/** One account, a soft-deleted one too (GoTrue shows it, with `deleted_at`). */
export async function getUser(ctx: AdminContext, id: string): Promise<AuthUserRow> {
  const [user] = await ctx.db.select().from(authUsers).where(eq(authUsers.id, id));
  if (!user) throw userNotFound();
  return user;
}

/** The live account with this address, if any: what `operator:add` names its account by. */
export function findUser(ctx: AdminContext, email: string): Promise<AuthUserRow | undefined> {
  return findUserByEmail(ctx.db, email.toLowerCase());
}

/**
 * A new account with its founder profile, as sign-up makes them; unconfirmed unless `email_confirm`, and without a
 * password unless one is given (GoTrue would make one up that nobody knows: none is the same, plainly).
 */
export async function createUser(ctx: AdminContext, input: AdminUserAttributes): Promise<AuthUserRow> {
  if (!input.email) {
    throw validationFailed(input.phone ? 'An email address is required: accounts here sign in by email' : 'Cannot create a user without either an email or phone');
  }
  const email = input.email.toLowerCase();
  const data = input.user_metadata ?? {};
  checkUserMetadata(data, ctx.config.AUTH_USER_METADATA_MAX_BYTES);
  const { passwordHash, bannedUntil } = await prepare(ctx, { ...input, password: input.password || undefined });
  return ctx.db.transaction(async (tx) => {
    if (await findUserByEmail(tx, email)) throw emailExists();
    const { user } = await orEmailExists(() =>
      insertAccount(tx, { email, passwordHash: passwordHash ?? null, data, name: profileName(data), confirmed: false }),
    );
    await applyAttributes(ctx, tx, user, { ...input, email: undefined, password: undefined, user_metadata: undefined }, { bannedUntil });
    return reloadUser(tx, user.id);
  });
}

/** GoTrue's admin update: each attribute given is applied at once, an email address too (no mail round trip). */
export async function updateUserById(ctx: AdminContext, id: string, input: AdminUserAttributes): Promise<AuthUserRow> {
  const prepared = await prepare(ctx, input);
  return ctx.db.transaction(async (tx) => {
    const [user] = await tx
      .select()
      .from(authUsers)
      .where(and(eq(authUsers.id, id), isNull(authUsers.deletedAt)))
      .for('update');
    if (!user) throw userNotFound();
    await applyAttributes(ctx, tx, user, input, prepared);
    return reloadUser(tx, id);
  });
}

/**
 * Deletes an account as its founder does (`deleteAccount`). Without `soft`, GoTrue's hard delete: the account row
 * goes too, its tokens with it, and the profile stays marked deleted for the records other owners keep under its id.
 */
export async function deleteUser(ctx: AdminContext, id: string, soft: boolean): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [user] = await tx.select({ id: authUsers.id }).from(authUsers).where(eq(authUsers.id, id)).for('update');
    if (!user) throw userNotFound();
    await deleteAccount(tx, id, ctx.config.QUEUE_PREFIX);
    if (!soft) await tx.delete(authUsers).where(eq(authUsers.id, id));
  });
}

/**
 * The one deletion of an account, by its founder (DELETE /v1/me) or through the admin API: the profile and the
 * account are marked deleted and every session ends, so its tokens are refused at once on every replica. The owners
 * are asked to erase the founder's words only when the profile is marked now, so a second deletion asks nothing.
 */
export async function deleteAccount(tx: GatewayTx, authUserId: string, queuePrefix: string): Promise<void> {
  const now = new Date();
  const deleted = await tx
    .update(users)
    .set({ deletedAt: now, updatedAt: now })
    .where(and(eq(users.authUserId, authUserId), isNull(users.deletedAt)))
    .returning({ id: users.id });
  for (const profile of deleted) await askOwnersToErase(tx, profile.id, queuePrefix);
  await tx.update(authUsers).set({ deletedAt: now, updatedAt: now }).where(and(eq(authUsers.id, authUserId), isNull(authUsers.deletedAt)));
  await endSessions(tx, eq(authSessions.userId, authUserId));
}

/** The slow and the refusable parts of a change, done before its transaction: the password's hash, the ban's end. */
async function prepare(ctx: AdminContext, input: AdminUserAttributes): Promise<{ passwordHash?: string; bannedUntil?: Date | null }> {
  if (input.password !== undefined) checkPasswordStrength(input.password, ctx.config.AUTH_PASSWORD_MIN_LENGTH);
  return {
    passwordHash: input.password === undefined ? undefined : await hashPassword(input.password),
    bannedUntil: input.ban_duration === undefined ? undefined : banUntil(input.ban_duration),
  };
}

const MAILED_TOKENS = ['confirmation_token', 'recovery_token', 'email_change_token_new', 'email_change_token_current'];

async function applyAttributes(
  ctx: AdminContext,
  tx: GatewayTx,
  user: AuthUserRow,
  input: AdminUserAttributes,
  prepared: { passwordHash?: string; bannedUntil?: Date | null },
): Promise<void> {
  const now = new Date();
  const changes: Partial<typeof authUsers.$inferInsert> = { updatedAt: now };
  const maxBytes = ctx.config.AUTH_USER_METADATA_MAX_BYTES;
  if (input.user_metadata) changes.rawUserMetaData = await mergeUserMetadata(tx, user, input.user_metadata, maxBytes);
  if (input.app_metadata) changes.rawAppMetaData = mergeAppMetadata(user.rawAppMetaData, input.app_metadata, maxBytes);
  if (prepared.bannedUntil !== undefined) changes.bannedUntil = prepared.bannedUntil;
  if (prepared.passwordHash) changes.encryptedPassword = prepared.passwordHash;
  const email = input.email?.toLowerCase();
  if (email && email !== user.email) {
    const taken = await findUserByEmail(tx, email);
    if (taken && taken.id !== user.id) throw emailExists();
    Object.assign(changes, { email, emailChange: null });
    await tx.update(users).set({ customerEmail: email, updatedAt: now }).where(eq(users.authUserId, user.id));
    // Links already mailed went to the old address: whoever reads it there must not act for the account.
    await tx.delete(oneTimeTokens).where(and(eq(oneTimeTokens.userId, user.id), inArray(oneTimeTokens.tokenType, MAILED_TOKENS)));
  }
  await orEmailExists(() => tx.update(authUsers).set(changes).where(eq(authUsers.id, user.id)));
  // A new password ends every session (GoTrue's admin update does) and voids recovery links. app_metadata.role says
  // what the account may do (an operator) and rides in its tokens: a change ends its sessions, so that no token
  // speaks for the role it had.
  if (prepared.passwordHash || (changes.rawAppMetaData && roleOf(changes.rawAppMetaData) !== roleOf(user.rawAppMetaData))) {
    await endSessions(tx, eq(authSessions.userId, user.id));
  }
  if (prepared.passwordHash) {
    await tx.delete(oneTimeTokens).where(and(eq(oneTimeTokens.userId, user.id), eq(oneTimeTokens.tokenType, 'recovery_token')));
  }
  if (input.email_confirm && !user.emailConfirmedAt) await confirmEmail(tx, await reloadUser(tx, user.id), now);
  // A number reaches the profile only confirmed: phone_confirm confirms it (or the one pending); without it the
  // number waits as one the user asked for, and nothing is texted.
  const phone = input.phone ?? (input.phone_confirm ? user.phoneChange : undefined);
  if (phone && !(phone === user.phone && user.phoneConfirmedAt)) {
    if (input.phone_confirm) await confirmPhone(tx, user.id, phone, now);
    else await tx.update(authUsers).set({ phoneChange: phone }).where(eq(authUsers.id, user.id));
  }
}

/** GoTrue's merge of app_metadata (a null removes a key), the server's own keys kept as they are. */
function mergeAppMetadata(current: unknown, changes: Record<string, unknown>, maxBytes: number): Record<string, unknown> {
  const stored = (current ?? {}) as Record<string, unknown>;
  for (const key of SERVER_OWNED_APP_METADATA) {
    if (key in changes && JSON.stringify(changes[key]) !== JSON.stringify(stored[key])) {
      throw validationFailed(`app_metadata.${key} is set by the server and cannot be changed`);
    }
  }
  const merged = mergeMetadata(stored, changes);
  checkUserMetadata(merged, maxBytes, 'App metadata');
  return merged;
}

const roleOf = (appMetadata: unknown) => (appMetadata as { role?: unknown } | null)?.role;

const GO_DURATION = /^[-+]?(?:0|(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/;
const GO_DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;
const GO_UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** Go's longest duration (2^63 ns, about 292 years): longer ones are an error there, so here too. */
const GO_DURATION_MAX_MS = 9_223_372_036_854;

/** GoTrue's `ban_duration`: `none` (or a zero duration) lifts a ban, a Go duration (`24h`, `1h30m`) bans until then. */
export function banUntil(duration: string): Date | null {
  if (duration === 'none') return null;
  const ms = goDurationMs(duration);
  if (ms === undefined) throw validationFailed(`invalid format for ban duration: time: invalid duration "${duration.slice(0, 64)}"`);
  return ms === 0 ? null : new Date(Date.now() + ms);
}

/** A duration as Go's `time.ParseDuration` reads it, in milliseconds; undefined when Go would refuse it. */
function goDurationMs(text: string): number | undefined {
  if (!GO_DURATION.test(text)) return undefined;
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(GO_DURATION_PART)) ms += Number(amount) * (GO_UNIT_MS[unit ?? ''] ?? 0);
  if (ms > GO_DURATION_MAX_MS) return undefined;
  return text.startsWith('-') ? -ms : ms;
}

/**
 * The admin flows with the gateway's whole context (`AuthService.admin`), for the routes: invitations are handed
 * to the queue once written, as every auth mail is.
 */
export class AuthAdmin {
  constructor(private readonly ctx: AuthContext) {}

  listUsers(page: number, perPage: number) {
    return listUsers(this.ctx, page, perPage);
  }

  getUser(id: string) {
    return getUser(this.ctx, id);
  }

  createUser(input: AdminUserAttributes) {
    return createUser(this.ctx, input);
  }

  updateUserById(id: string, input: AdminUserAttributes) {
    return updateUserById(this.ctx, id, input);
  }

  deleteUser(id: string, soft: boolean) {
    return deleteUser(this.ctx, id, soft);
  }

  async invite(input: { email: string; data?: Record<string, unknown>; redirectTo?: string }, correlationId?: string): Promise<AuthUserRow> {
    const { user, mailId } = await inviteUser(this.ctx, input);
    await dispatchMail(this.ctx, mailId, correlationId);
    return user;
  }

  generateLink(input: LinkRequest) {
    return generateLink(this.ctx, input);
  }
}
