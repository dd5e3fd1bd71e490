import { createHmac, randomUUID } from 'node:crypto';
import { and, asc, eq, gt, isNull, lt, ne, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { E164 } from '@dreamseed/contracts';
import type { JobProducer } from '@dreamseed/platform';
import type { GatewayConfig } from '../config';
import type { GatewayDb, GatewayTx } from '../db/client';
import { authSessions, authUsers, mailOutbox, oneTimeTokens, refreshTokens, userSessions, users } from '../db/schema';
import { AuthError, invalidCredentials, otpExpired, sessionNotFound, validationFailed } from './errors';
import type { AuthLimits } from './limits';
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords';
import { PHONE_CODE_KIND, confirmPhone, phoneExists, requestPhoneChange } from './phone';
import { keepOrUndo, standInAddress } from './rehearsal';
import { serializeUser, type AuthUserRow } from './serialize';
import { describeLifetime, voidTypedCodes } from './codes';
import { checkUserMetadata, fitsInToken } from './metadata';
import { safeRedirect } from './redirects';
import { createSmsSender } from './sms';
import { newOneTimeToken, newRefreshToken, oneTimeTokenHash, sha256, type AccessClaims, type TokenSigner } from './tokens';

export type OneTimeTokenType = 'confirmation_token' | 'recovery_token' | 'email_change_token_new';
export type VerifyType = 'signup' | 'invite' | 'recovery' | 'magiclink' | 'email' | 'email_change' | 'phone_change';

const VERIFY_TOKEN_TYPES: Record<VerifyType, (OneTimeTokenType | typeof PHONE_CODE_KIND)[]> = {
  signup: ['confirmation_token'],
  invite: ['confirmation_token'],
  recovery: ['recovery_token'],
  magiclink: ['recovery_token'],
  email: ['confirmation_token', 'recovery_token'],
  email_change: ['email_change_token_new'],
  phone_change: [PHONE_CODE_KIND],
};

const MAIL_SUBJECTS: Record<OneTimeTokenType, string> = {
  confirmation_token: 'Confirm your DreamSeed account',
  recovery_token: 'Reset your DreamSeed password',
  email_change_token_new: 'Confirm your new DreamSeed email address',
};

const LINK_TYPES: Record<OneTimeTokenType, VerifyType> = {
  confirmation_token: 'signup',
  recovery_token: 'recovery',
  email_change_token_new: 'email_change',
};

export interface ClientInfo {
  ip: string;
  userAgent: string | undefined;
  /** The request's correlation id, carried into the mail job it may cause. */
  correlationId?: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: ReturnType<typeof serializeUser>;
  weak_password?: { message: string; reasons: string[] };
}


/**
 * Supabase Auth's flows over the gateway's `auth` and `core` tables. Each flow runs in one transaction; mails
 * are written to the outbox in that transaction and handed to the `gateway` queue once it commits.
 */
export class AuthService {
  constructor(
    private readonly db: GatewayDb,
    private readonly config: GatewayConfig,
    private readonly signer: TokenSigner,
    private readonly limits: AuthLimits,
    private readonly producer: JobProducer,
    private readonly logger: Logger,
  ) {}

  async signUp(input: { email: string; password: string; data: Record<string, unknown>; redirectTo?: string }, client: ClientInfo) {
    await this.limits.signIn(client.ip);
    if (this.config.AUTH_DISABLE_SIGNUP) throw new AuthError(422, 'signup_disabled', 'Signups not allowed for this instance');
    checkPasswordStrength(input.password, this.config.AUTH_PASSWORD_MIN_LENGTH);
    checkUserMetadata(input.data, this.config.AUTH_USER_METADATA_MAX_BYTES);
    const email = input.email.toLowerCase();
    const phone = profilePhone(input.data);
    if (phone) await this.limits.phoneChange(email, client.ip);
    const passwordHash = await hashPassword(input.password);
    const autoconfirm = this.config.AUTH_AUTOCONFIRM;
    // Spent for every address, registered or not, so that a 429 tells nothing either.
    if (!autoconfirm) await this.limits.mail(email);
    const account = { passwordHash, data: input.data, phone, redirectTo: input.redirectTo };

    const outcome = await this.db.transaction(async (tx) => {
      const existing = await this.findUserByEmail(tx, email);
      if (existing) {
        if (autoconfirm) throw new AuthError(422, 'user_already_exists', 'User already registered');
        if (existing.emailConfirmedAt) {
          // A new account's work for a stand-in, undone: the answer and its time are those of a new address.
          const standIn = await keepOrUndo(tx, false, () => this.createAccount(tx, standInAddress(), account));
          return { kind: 'stand-in' as const, user: { ...standIn.user, email } };
        }
        // Unconfirmed: send the confirmation again; the request's password and data are ignored.
        const mailId = await this.issueOneTimeToken(tx, existing, 'confirmation_token', email, input.redirectTo);
        return { kind: 'user' as const, user: await this.reloadUser(tx, existing.id), mailId };
      }
      const created = await keepOrUndo(tx, true, () => this.createAccount(tx, email, account));
      return created.mailId ? { kind: 'user' as const, ...created, mailId: created.mailId } : { kind: 'session' as const, ...created };
    });

    if (outcome.kind === 'stand-in') return serializeUser(outcome.user);
    if (outcome.kind === 'user') {
      this.dispatchAfterAnswer(outcome.mailId, client.correlationId);
      if (outcome.smsId) this.dispatchAfterAnswer(outcome.smsId, client.correlationId);
      return serializeUser(outcome.user);
    }
    if (outcome.smsId) await this.dispatchMail(outcome.smsId, client.correlationId);
    return this.db.transaction((tx) => this.startSession(tx, outcome.user, 'password', client));
  }

  /** A new account and its profile; with confirmation on, its confirmation mail in the outbox. */
  private async createAccount(
    tx: GatewayTx,
    email: string,
    input: { passwordHash: string; data: Record<string, unknown>; phone: string | null; redirectTo?: string },
  ): Promise<{ user: AuthUserRow; mailId?: string; smsId?: string }> {
    const { phone } = input;
    const autoconfirm = this.config.AUTH_AUTOCONFIRM;
    if (phone) {
      const [owner] = await tx.select({ id: users.id }).from(users).where(and(eq(users.customerPhone, phone), isNull(users.deletedAt)));
      if (owner) throw phoneExists();
    }
    const { user } = await insertAccount(tx, { email, passwordHash: input.passwordHash, data: input.data, name: profileName(input.data), confirmed: autoconfirm });
    // The number given at sign-up is only pending: the profile takes it once its code comes back.
    const smsId = phone ? await requestPhoneChange(tx, user, phone, this.config, this.limits) : undefined;
    const mailId = autoconfirm ? undefined : await this.issueOneTimeToken(tx, user, 'confirmation_token', email, input.redirectTo);
    return { user: await this.reloadUser(tx, user.id), mailId, smsId };
  }

  /**
   * A caller the platform did not know asked to join during the intake call: an account for their address with no
   * password, a profile, and a confirmation mail (its link signs them in; they choose a password in the app). Caller
   * ID can be forged, so the number they called from is only pending, with a code texted to it: until it comes back,
   * calls from that number are a stranger's. A confirmed number again is the same founder; an address that already
   * has an account is refused.
   */
  async registerCaller(input: { phone: string; email: string; name?: string }, correlationId?: string): Promise<
    { kind: 'created' | 'existing'; profileId: string } | { kind: 'email_taken' }
  > {
    if (this.config.AUTH_DISABLE_SIGNUP) throw new AuthError(422, 'signup_disabled', 'Signups not allowed for this instance');
    const email = input.email.toLowerCase();
    const outcome = await this.db.transaction(async (tx) => {
      const [byPhone] = await tx.select({ id: users.id }).from(users).where(and(eq(users.customerPhone, input.phone), isNull(users.deletedAt)));
      if (byPhone) return { kind: 'existing' as const, profileId: byPhone.id };
      if (await this.findUserByEmail(tx, email)) return { kind: 'email_taken' as const };
      const data = { full_name: input.name, phone: input.phone, signed_up_by: 'phone' };
      const { user, profileId } = await insertAccount(tx, { email, passwordHash: null, data, name: input.name ?? null, confirmed: false });
      const smsId = await requestPhoneChange(tx, user, input.phone, this.config, this.limits);
      await this.limits.mail(email);
      const mailId = await this.issueOneTimeToken(tx, user, 'confirmation_token', email, undefined);
      return { kind: 'created' as const, profileId, mailId, smsId };
    });
    if (outcome.kind !== 'created') return outcome;
    await this.dispatchMail(outcome.mailId, correlationId);
    if (outcome.smsId) await this.dispatchMail(outcome.smsId, correlationId);
    return { kind: 'created', profileId: outcome.profileId };
  }

  async signInWithPassword(input: { email: string; password: string }, client: ClientInfo): Promise<TokenResponse> {
    await this.limits.signIn(client.ip);
    const email = input.email.toLowerCase();
    await this.limits.checkAccount(email);
    const user = await this.findUserByEmail(this.db, email);
    const valid = await verifyPassword(user?.encryptedPassword ?? null, input.password);
    if (!user || !valid) {
      await this.limits.failedSignIn(email);
      throw invalidCredentials();
    }
    await this.limits.succeededSignIn(email);
    if (isBanned(user)) throw new AuthError(400, 'user_banned', 'User is banned');
    if (!user.emailConfirmedAt) throw new AuthError(400, 'email_not_confirmed', 'Email not confirmed');
    const response = await this.db.transaction((tx) => this.startSession(tx, user, 'password', client));
    if (input.password.length < this.config.AUTH_PASSWORD_MIN_LENGTH) {
      response.weak_password = { message: 'Password is shorter than the minimum length', reasons: ['length'] };
    }
    return response;
  }

  /**
   * Refresh tokens are single use. A spent one presented again within the reuse interval (two tabs refreshing
   * at once) gets a fresh child; later, it is taken for a stolen token and the whole session is revoked.
   */
  async refresh(token: string, client: ClientInfo): Promise<TokenResponse> {
    await this.limits.tokenRefresh(client.ip);
    if (token.length < 12) throw validationFailed('Invalid Refresh Token: Refresh Token Not Found');
    const outcome = await this.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(refreshTokens)
        .where(eq(refreshTokens.tokenHash, sha256(token)))
        .for('update');
      if (!row) throw new AuthError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
      if (row.revoked) {
        const spentFor = Date.now() - row.updatedAt.getTime();
        if (spentFor > this.config.AUTH_REFRESH_REUSE_INTERVAL_SECONDS * 1000) {
          // Committed before the error is answered: the revocation must outlive this request.
          await this.endSessions(tx, eq(authSessions.id, row.sessionId));
          this.logger.warn({ sessionId: row.sessionId }, 'spent refresh token reused: session revoked');
          return { reused: true as const };
        }
      } else {
        await tx.update(refreshTokens).set({ revoked: true, updatedAt: new Date() }).where(eq(refreshTokens.id, row.id));
      }
      const [session] = await tx.select().from(authSessions).where(eq(authSessions.id, row.sessionId));
      if (!session) throw sessionNotFound(400);
      const user = await this.reloadUser(tx, row.userId);
      if (user.deletedAt) throw sessionNotFound(400);
      if (isBanned(user)) throw new AuthError(400, 'user_banned', 'User is banned');
      const now = new Date();
      await tx.update(authSessions).set({ refreshedAt: now, updatedAt: now }).where(eq(authSessions.id, session.id));
      await tx.update(userSessions).set({ lastSeenAt: now }).where(eq(userSessions.authSessionId, session.id));
      return { reused: false as const, response: await this.tokenResponse(tx, user, session.id, 'password', row.id) };
    });
    if (outcome.reused) throw new AuthError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used');
    return outcome.response;
  }

  /** Checks an access token and that its user and session still exist (GoTrue's JWT endpoints do). */
  async authenticate(accessToken: string): Promise<{ claims: AccessClaims; user: AuthUserRow }> {
    const claims = await this.signer.verify(accessToken);
    // The user, and whether the token's session still exists, in one query.
    const [found] = await this.db
      .select({ user: authUsers, sessionId: authSessions.id })
      .from(authUsers)
      .leftJoin(authSessions, and(eq(authSessions.id, claims.session_id), eq(authSessions.userId, authUsers.id)))
      .where(eq(authUsers.id, claims.sub));
    if (!found || found.user.deletedAt) throw new AuthError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
    if (!found.sessionId) throw sessionNotFound();
    if (isBanned(found.user)) throw new AuthError(403, 'user_banned', 'User is banned');
    return { claims, user: found.user };
  }

  async updateUser(
    current: { claims: AccessClaims; user: AuthUserRow },
    input: { email?: string; password?: string; phone?: string; data?: Record<string, unknown> | null; redirectTo?: string },
    correlationId?: string,
    ip = 'unknown',
  ) {
    const { user, claims } = current;
    let mailId: string | undefined;
    let smsId: string | undefined;
    if (input.phone !== undefined && input.phone !== user.phone) await this.limits.phoneChange(user.id, ip);
    const updated = await this.db.transaction(async (tx) => {
      const changes: Partial<typeof authUsers.$inferInsert> = { updatedAt: new Date() };
      if (input.data) {
        const merged: Record<string, unknown> = { ...(user.rawUserMetaData as Record<string, unknown>) };
        for (const [key, value] of Object.entries(input.data)) {
          if (value === null) delete merged[key];
          else merged[key] = value;
        }
        checkUserMetadata(merged, this.config.AUTH_USER_METADATA_MAX_BYTES);
        changes.rawUserMetaData = merged;
      }
      if (input.password !== undefined) {
        checkPasswordStrength(input.password, this.config.AUTH_PASSWORD_MIN_LENGTH);
        if (await verifyPassword(user.encryptedPassword, input.password)) {
          throw new AuthError(422, 'same_password', 'New password should be different from the old password.');
        }
        changes.encryptedPassword = await hashPassword(input.password);
        // A new password ends every other session and voids pending recovery links.
        await this.endSessions(tx, and(eq(authSessions.userId, user.id), ne(authSessions.id, claims.session_id)));
        await tx.delete(oneTimeTokens).where(and(eq(oneTimeTokens.userId, user.id), eq(oneTimeTokens.tokenType, 'recovery_token')));
      }
      await tx.update(authUsers).set(changes).where(eq(authUsers.id, user.id));
      const newEmail = input.email?.toLowerCase();
      if (newEmail && newEmail !== user.email) {
        const taken = await this.findUserByEmail(tx, newEmail);
        if (taken) throw new AuthError(422, 'email_exists', 'A user with this email address has already been registered');
        await this.limits.mail(newEmail);
        await tx.update(authUsers).set({ emailChange: newEmail }).where(eq(authUsers.id, user.id));
        mailId = await this.issueOneTimeToken(tx, user, 'email_change_token_new', newEmail, input.redirectTo);
      }
      if (input.phone !== undefined) smsId = await requestPhoneChange(tx, user, input.phone, this.config, this.limits);
      return this.reloadUser(tx, user.id);
    });
    if (mailId) await this.dispatchMail(mailId, correlationId);
    if (smsId) await this.dispatchMail(smsId, correlationId);
    return serializeUser(updated);
  }

  async signOut(claims: AccessClaims, scope: 'global' | 'local' | 'others'): Promise<void> {
    const mine = eq(authSessions.userId, claims.sub);
    const condition =
      scope === 'local'
        ? eq(authSessions.id, claims.session_id)
        : scope === 'others'
          ? and(mine, ne(authSessions.id, claims.session_id))
          : mine;
    await this.db.transaction((tx) => this.endSessions(tx, condition));
  }

  /** Always `{}`: whether the address belongs to an account is not the caller's to learn. */
  recover(email: string, client: ClientInfo, redirectTo?: string): Promise<void> {
    return this.mailOnRequest(email, client, redirectTo, (_user, address) => ['recovery_token', address]);
  }

  resend(type: 'signup' | 'email_change', email: string, client: ClientInfo, redirectTo?: string): Promise<void> {
    return this.mailOnRequest(email, client, redirectTo, (user, address) => {
      if (type === 'signup' && !user.emailConfirmedAt) return ['confirmation_token', address];
      if (type === 'email_change' && user.emailChange) return ['email_change_token_new', user.emailChange];
      return undefined;
    });
  }

  /**
   * A mail the caller asked for by address. The limits are spent whether or not the address has an account,
   * so neither the answer nor a 429 tells which addresses are registered.
   */
  private async mailOnRequest(
    email: string,
    client: ClientInfo,
    redirectTo: string | undefined,
    choose: (user: AuthUserRow, address: string) => [OneTimeTokenType, string] | undefined,
  ): Promise<void> {
    await this.limits.signIn(client.ip);
    const address = email.toLowerCase();
    await this.limits.mail(address);
    const mailId = await this.db.transaction(async (tx) => {
      const user = await this.findUserByEmail(tx, address);
      const chosen = user && choose(user, address);
      if (user && chosen) return keepOrUndo(tx, true, () => this.issueOneTimeToken(tx, user, chosen[0], chosen[1], redirectTo));
      // Nothing to send: the same token and outbox writes for a stand-in, undone, so that the time tells nothing.
      // Inserting the stand-in takes the place of the delete of an earlier token: as many statements either way.
      await keepOrUndo(tx, false, async () => {
        const standInEmail = standInAddress();
        const [standIn] = await tx.insert(authUsers).values({ email: standInEmail }).returning();
        if (!standIn) throw new Error('insert returned nothing');
        return this.issueOneTimeToken(tx, standIn, 'recovery_token', standInEmail, redirectTo, true);
      });
      return undefined;
    });
    if (mailId) this.dispatchAfterAnswer(mailId, client.correlationId);
  }

  /**
   * Confirms a one-time token (typed code with the email or, for a phone change, the phone; or the hash a link
   * carries) and signs the user in.
   */
  async verify(input: { type: VerifyType; email?: string; phone?: string; token?: string; tokenHash?: string }, client: ClientInfo) {
    await this.limits.verify(client.ip);
    const address = input.type === 'phone_change' ? input.phone : input.email?.toLowerCase();
    const tokenHash = input.tokenHash ?? (address && input.token ? oneTimeTokenHash(address, input.token) : undefined);
    if (!tokenHash) throw validationFailed('Verify requires either a token with an email (or phone), or a token_hash');
    // Six digits are guessable: each address gets a few typed tries per code, then its codes are void (link
    // hashes are not guessable and need no count).
    const typedFor = input.tokenHash ? undefined : address;
    if (typedFor && !(await this.limits.codeAttempt(typedFor))) {
      await voidTypedCodes(this.db, typedFor);
      await this.limits.resetCodeAttempts(typedFor);
      throw otpExpired();
    }
    const session = await this.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(oneTimeTokens)
        .where(and(eq(oneTimeTokens.tokenHash, tokenHash), gt(oneTimeTokens.expiresAt, new Date())))
        .for('update');
      if (!row || !VERIFY_TOKEN_TYPES[input.type].some((type) => type === row.tokenType)) throw otpExpired();
      await tx.delete(oneTimeTokens).where(eq(oneTimeTokens.id, row.id));
      const user = await this.reloadUser(tx, row.userId);
      if (user.deletedAt) throw otpExpired();
      const now = new Date();
      if (row.tokenType === PHONE_CODE_KIND) {
        await confirmPhone(tx, user.id, row.relatesTo, now);
      } else if (row.tokenType === 'email_change_token_new') {
        const taken = await this.findUserByEmail(tx, row.relatesTo);
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
      return this.startSession(tx, await this.reloadUser(tx, user.id), 'otp', client);
    });
    if (typedFor) await this.limits.resetCodeAttempts(typedFor);
    return session;
  }

  /**
   * Sends (or writes to the outbox) one mail: the `auth-mail-send` job's work. Every failed try is counted on the
   * row with its (address-free) reason; after the job's last try the row is `failed`, so that the relay stops
   * handing it back and an operator sees it. Phone codes share the outbox and the job: those rows go out by SMS.
   */
  async deliverMail(
    mailId: string,
    send: (mail: { to: string; subject: string; text: string }) => Promise<void>,
    kind: 'smtp' | 'outbox',
    lastTry = false,
  ) {
    const [mail] = await this.db.select().from(mailOutbox).where(eq(mailOutbox.id, mailId));
    if (!mail || mail.status !== 'pending') return { skipped: true };
    const sms = mail.kind === PHONE_CODE_KIND ? createSmsSender(this.config) : undefined;
    const channel = sms?.kind ?? kind;
    try {
      if (sms) await sms.send({ to: mail.recipient, text: mail.body });
      else await send({ to: mail.recipient, subject: mail.subject, text: mail.body });
    } catch (error) {
      await this.db
        .update(mailOutbox)
        .set({ ...(lastTry ? { status: 'failed' } : {}), attempts: sql`${mailOutbox.attempts} + 1`, lastError: (error as Error).message.slice(0, 500) })
        .where(and(eq(mailOutbox.id, mailId), eq(mailOutbox.status, 'pending')));
      throw error;
    }
    await this.db
      .update(mailOutbox)
      .set(
        channel !== 'outbox'
          ? { status: 'sent', sentAt: new Date(), body: '[sent]', attempts: sql`${mailOutbox.attempts} + 1` }
          : { status: 'written', sentAt: new Date(), attempts: sql`${mailOutbox.attempts} + 1` },
      )
      .where(eq(mailOutbox.id, mailId));
    return { delivered: channel };
  }

  /**
   * Hands mails still pending after a while back to the queue: those written while Redis was unreachable.
   * The job id is derived from the mail, so a mail already queued is not queued twice.
   */
  async relayPendingMails(olderThanMs: number): Promise<number> {
    const pending = await this.db
      .select({ id: mailOutbox.id })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.status, 'pending'), lt(mailOutbox.createdAt, new Date(Date.now() - olderThanMs))))
      .orderBy(asc(mailOutbox.createdAt))
      .limit(500);
    for (const { id } of pending) await this.dispatchMail(id);
    return pending.length;
  }

  private async startSession(tx: GatewayTx, user: AuthUserRow, method: string, client: ClientInfo): Promise<TokenResponse> {
    const now = new Date();
    const [session] = await tx
      .insert(authSessions)
      .values({ userId: user.id, userAgent: client.userAgent?.slice(0, 500), ip: this.hashIp(client.ip) })
      .returning();
    if (!session) throw new Error('insert returned nothing');
    const [profile] = await tx.select({ id: users.id }).from(users).where(eq(users.authUserId, user.id));
    if (profile) {
      await tx.insert(userSessions).values({
        userId: profile.id,
        authSessionId: session.id,
        ip: this.hashIp(client.ip),
        userAgent: client.userAgent?.slice(0, 500),
      });
    }
    await tx.update(authUsers).set({ lastSignInAt: now }).where(eq(authUsers.id, user.id));
    return this.tokenResponse(tx, { ...user, lastSignInAt: now }, session.id, method);
  }

  private async tokenResponse(tx: GatewayTx, user: AuthUserRow, sessionId: string, method: string, parentId?: number) {
    const refreshToken = newRefreshToken();
    await tx.insert(refreshTokens).values({ tokenHash: sha256(refreshToken), userId: user.id, sessionId, parentId });
    const { token, expiresAt } = await this.signer.sign({
      sub: user.id,
      email: user.email ?? '',
      phone: user.phone ?? '',
      aal: 'aal1',
      amr: [{ method, timestamp: Math.floor(Date.now() / 1000) }],
      session_id: sessionId,
      is_anonymous: user.isAnonymous,
      app_metadata: user.rawAppMetaData as Record<string, unknown>,
      // Metadata stored before its limit existed stays out of the token, or the account could never be used again.
      user_metadata: fitsInToken(user.rawUserMetaData, this.config.AUTH_USER_METADATA_MAX_BYTES)
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

  /** Deletes sessions (their refresh tokens go with them) and closes the matching profile sessions. */
  private async endSessions(tx: GatewayTx, condition: ReturnType<typeof eq> | undefined) {
    const ended = await tx.delete(authSessions).where(condition).returning({ id: authSessions.id });
    for (const { id } of ended) {
      await tx.update(userSessions).set({ endedAt: new Date() }).where(and(eq(userSessions.authSessionId, id), isNull(userSessions.endedAt)));
    }
  }

  /** Replaces any earlier token of the kind, writes the mail to the outbox, and returns the mail's id. */
  private async issueOneTimeToken(
    tx: GatewayTx,
    user: AuthUserRow,
    type: OneTimeTokenType,
    address: string,
    redirectTo?: string,
    /** The user was inserted by this transaction, so it has no earlier token to replace. */
    insertedNow = false,
  ): Promise<string> {
    const { otp, tokenHash } = newOneTimeToken(address);
    const now = new Date();
    if (!insertedNow) await tx.delete(oneTimeTokens).where(and(eq(oneTimeTokens.userId, user.id), eq(oneTimeTokens.tokenType, type)));
    await tx.insert(oneTimeTokens).values({
      userId: user.id,
      tokenType: type,
      tokenHash,
      relatesTo: address,
      expiresAt: new Date(now.getTime() + this.config.AUTH_OTP_EXPIRY_SECONDS * 1000),
    });
    const sentColumn =
      type === 'confirmation_token' ? { confirmationSentAt: now } : type === 'recovery_token' ? { recoverySentAt: now } : { emailChangeSentAt: now };
    await tx.update(authUsers).set(sentColumn).where(eq(authUsers.id, user.id));
    const link = new URL(`${this.config.PUBLIC_URL}/auth/v1/verify`);
    link.searchParams.set('token', tokenHash);
    link.searchParams.set('type', LINK_TYPES[type]);
    link.searchParams.set('redirect_to', this.allowedRedirect(redirectTo));
    const [mail] = await tx
      .insert(mailOutbox)
      .values({
        userId: user.id,
        kind: type,
        recipient: address,
        subject: MAIL_SUBJECTS[type],
        body: `Your code: ${otp}\n\nOr open this link: ${link.toString()}\n\nThe code expires in ${describeLifetime(this.config.AUTH_OTP_EXPIRY_SECONDS)}.`,
      })
      .returning({ id: mailOutbox.id });
    if (!mail) throw new Error('insert returned nothing');
    return mail.id;
  }

  /**
   * A mail an anonymous request caused goes to the queue only once the answer is out: the queue's round trip
   * would otherwise set the answers for registered addresses apart. The mail is committed to the outbox already,
   * so if this process ends first, the relay sends it.
   */
  private dispatchAfterAnswer(mailId: string, correlationId?: string): void {
    setImmediate(() => void this.dispatchMail(mailId, correlationId));
  }

  /** After the transaction commits: hand the mail to the queue. If Redis is down the outbox keeps it. */
  private async dispatchMail(mailId: string, correlationId?: string): Promise<void> {
    try {
      await this.producer.enqueue('gateway', 'auth-mail-send', { v: 1, mailId }, { jobId: `mail-${mailId}`, correlationId });
    } catch (error) {
      this.logger.warn({ err: error, mailId }, 'mail left in the outbox for the relay');
    }
  }

  /** `redirect_to` is honoured only inside the site URL or the allow list; anything else goes to the site. */
  allowedRedirect(redirectTo: string | undefined): string {
    return safeRedirect(redirectTo, this.config.AUTH_SITE_URL, this.config.AUTH_REDIRECT_ALLOW_LIST);
  }

  private hashIp(ip: string): string {
    return createHmac('sha256', this.config.JWT_SECRET).update(ip).digest('hex').slice(0, 32);
  }

  private async findUserByEmail(db: GatewayDb | GatewayTx, email: string): Promise<AuthUserRow | undefined> {
    const [user] = await db
      .select()
      .from(authUsers)
      .where(and(sql`lower(${authUsers.email}) = ${email}`, isNull(authUsers.deletedAt)));
    return user;
  }

  private async reloadUser(tx: GatewayTx, id: string): Promise<AuthUserRow> {
    const [user] = await tx.select().from(authUsers).where(eq(authUsers.id, id));
    if (!user) throw sessionNotFound();
    return user;
  }
}

/**
 * An auth user and the founder profile that goes with it. The profile id travels in app_metadata (server-set, so
 * safe for authorization): every owner's row-level security keys on it. A phone number is never written here: it
 * joins the profile only once confirmed.
 */
async function insertAccount(
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

function isBanned(user: AuthUserRow): boolean {
  return Boolean(user.bannedUntil && user.bannedUntil > new Date());
}

function profileName(data: Record<string, unknown>): string | null {
  const name = data.full_name ?? data.name ?? data.customer_name;
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
