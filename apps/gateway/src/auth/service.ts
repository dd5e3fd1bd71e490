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
import { obfuscatedUser, serializeUser, type AuthUserRow } from './serialize';
import { newOneTimeToken, newRefreshToken, oneTimeTokenHash, sha256, type AccessClaims, type TokenSigner } from './tokens';

export type OneTimeTokenType = 'confirmation_token' | 'recovery_token' | 'email_change_token_new';
export type VerifyType = 'signup' | 'invite' | 'recovery' | 'magiclink' | 'email' | 'email_change';

const VERIFY_TOKEN_TYPES: Record<VerifyType, OneTimeTokenType[]> = {
  signup: ['confirmation_token'],
  invite: ['confirmation_token'],
  recovery: ['recovery_token'],
  magiclink: ['recovery_token'],
  email: ['confirmation_token', 'recovery_token'],
  email_change: ['email_change_token_new'],
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
    const email = input.email.toLowerCase();
    const phone = profilePhone(input.data);
    const passwordHash = await hashPassword(input.password);
    const autoconfirm = this.config.AUTH_AUTOCONFIRM;

    const outcome = await this.db.transaction(async (tx) => {
      const existing = await this.findUserByEmail(tx, email);
      if (existing) {
        if (autoconfirm) throw new AuthError(422, 'user_already_exists', 'User already registered');
        if (existing.emailConfirmedAt) return { kind: 'obfuscated' as const };
        // Unconfirmed: send the confirmation again; the request's password and data are ignored.
        await this.limits.mail(email);
        const mailId = await this.issueOneTimeToken(tx, existing, 'confirmation_token', email, input.redirectTo);
        return { kind: 'user' as const, user: await this.reloadUser(tx, existing.id), mailId };
      }
      if (phone) {
        const [owner] = await tx.select({ id: users.id }).from(users).where(and(eq(users.customerPhone, phone), isNull(users.deletedAt)));
        if (owner) throw new AuthError(422, 'phone_exists', 'A user with this phone number has already been registered');
      }
      const now = new Date();
      // The profile id travels in app_metadata (server-set, so safe for authorization): every owner's row-level
      // security keys on it.
      const profileId = randomUUID();
      const [user] = await tx
        .insert(authUsers)
        .values({
          email,
          encryptedPassword: passwordHash,
          rawAppMetaData: { provider: 'email', providers: ['email'], profile_id: profileId },
          rawUserMetaData: input.data,
          emailConfirmedAt: autoconfirm ? now : null,
        })
        .returning();
      if (!user) throw new Error('insert returned nothing');
      await tx.insert(users).values({
        id: profileId,
        authUserId: user.id,
        customerEmail: email,
        customerName: profileName(input.data),
        customerPhone: phone,
        status: 'registered',
        currentCallStage: 1,
        emailConfirmed: autoconfirm,
      });
      if (autoconfirm) return { kind: 'session' as const, user };
      await this.limits.mail(email);
      const mailId = await this.issueOneTimeToken(tx, user, 'confirmation_token', email, input.redirectTo);
      return { kind: 'user' as const, user: await this.reloadUser(tx, user.id), mailId };
    });

    if (outcome.kind === 'obfuscated') return obfuscatedUser(email, input.data, randomUUID());
    if (outcome.kind === 'user') {
      await this.dispatchMail(outcome.mailId, client.correlationId);
      return serializeUser(outcome.user);
    }
    return this.db.transaction((tx) => this.startSession(tx, outcome.user, 'password', client));
  }

  /**
   * A caller the platform did not know asked to join during the intake call: an account for their address with no
   * password, a profile with their number, and a confirmation mail (its link signs them in; they choose a password
   * in the app). The same number again is the same founder; an address that already has an account is refused.
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
      const profileId = randomUUID();
      const data = { full_name: input.name, phone: input.phone, signed_up_by: 'phone' };
      const [user] = await tx
        .insert(authUsers)
        .values({ email, encryptedPassword: null, rawAppMetaData: { provider: 'email', providers: ['email'], profile_id: profileId }, rawUserMetaData: data })
        .returning();
      if (!user) throw new Error('insert returned nothing');
      await tx.insert(users).values({
        id: profileId,
        authUserId: user.id,
        customerEmail: email,
        customerName: input.name ?? null,
        customerPhone: input.phone,
        status: 'registered',
        currentCallStage: 1,
        emailConfirmed: false,
      });
      await this.limits.mail(email);
      const mailId = await this.issueOneTimeToken(tx, user, 'confirmation_token', email, undefined);
      return { kind: 'created' as const, profileId, mailId };
    });
    if (outcome.kind !== 'created') return outcome;
    await this.dispatchMail(outcome.mailId, correlationId);
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
    input: { email?: string; password?: string; data?: Record<string, unknown> | null; redirectTo?: string },
    correlationId?: string,
  ) {
    const { user, claims } = current;
    let mailId: string | undefined;
    const updated = await this.db.transaction(async (tx) => {
      const changes: Partial<typeof authUsers.$inferInsert> = { updatedAt: new Date() };
      if (input.data) {
        const merged: Record<string, unknown> = { ...(user.rawUserMetaData as Record<string, unknown>) };
        for (const [key, value] of Object.entries(input.data)) {
          if (value === null) delete merged[key];
          else merged[key] = value;
        }
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
      return this.reloadUser(tx, user.id);
    });
    if (mailId) await this.dispatchMail(mailId, correlationId);
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
      return user && chosen ? this.issueOneTimeToken(tx, user, chosen[0], chosen[1], redirectTo) : undefined;
    });
    if (mailId) await this.dispatchMail(mailId, client.correlationId);
  }

  /** Confirms a one-time token (typed code with the email, or the hash a link carries) and signs the user in. */
  async verify(input: { type: VerifyType; email?: string; token?: string; tokenHash?: string }, client: ClientInfo) {
    await this.limits.verify(client.ip);
    const tokenHash = input.tokenHash ?? (input.email && input.token ? oneTimeTokenHash(input.email.toLowerCase(), input.token) : undefined);
    if (!tokenHash) throw validationFailed('Verify requires either a token with an email, or a token_hash');
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(oneTimeTokens)
        .where(and(eq(oneTimeTokens.tokenHash, tokenHash), gt(oneTimeTokens.expiresAt, new Date())))
        .for('update');
      if (!row || !VERIFY_TOKEN_TYPES[input.type].includes(row.tokenType as OneTimeTokenType)) throw otpExpired();
      await tx.delete(oneTimeTokens).where(eq(oneTimeTokens.id, row.id));
      const user = await this.reloadUser(tx, row.userId);
      if (user.deletedAt) throw otpExpired();
      const now = new Date();
      if (row.tokenType === 'email_change_token_new') {
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
  }

  /**
   * Sends (or writes to the outbox) one mail: the `auth-mail-send` job's work. Every failed try is counted on the
   * row with its (address-free) reason; after the job's last try the row is `failed`, so that the relay stops
   * handing it back and an operator sees it.
   */
  async deliverMail(
    mailId: string,
    send: (mail: { to: string; subject: string; text: string }) => Promise<void>,
    kind: 'smtp' | 'outbox',
    lastTry = false,
  ) {
    const [mail] = await this.db.select().from(mailOutbox).where(eq(mailOutbox.id, mailId));
    if (!mail || mail.status !== 'pending') return { skipped: true };
    try {
      await send({ to: mail.recipient, subject: mail.subject, text: mail.body });
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
        kind === 'smtp'
          ? { status: 'sent', sentAt: new Date(), body: '[sent]', attempts: sql`${mailOutbox.attempts} + 1` }
          : { status: 'written', sentAt: new Date(), attempts: sql`${mailOutbox.attempts} + 1` },
      )
      .where(eq(mailOutbox.id, mailId));
    return { delivered: kind };
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
      user_metadata: user.rawUserMetaData as Record<string, unknown>,
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
  ): Promise<string> {
    const { otp, tokenHash } = newOneTimeToken(address);
    const now = new Date();
    await tx.delete(oneTimeTokens).where(and(eq(oneTimeTokens.userId, user.id), eq(oneTimeTokens.tokenType, type)));
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
        body: `Your code: ${otp}\n\nOr open this link: ${link.toString()}\n\nThe code expires in ${Math.round(this.config.AUTH_OTP_EXPIRY_SECONDS / 3600)} hours.`,
      })
      .returning({ id: mailOutbox.id });
    if (!mail) throw new Error('insert returned nothing');
    return mail.id;
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
    const allowed = [this.config.AUTH_SITE_URL, ...this.config.AUTH_REDIRECT_ALLOW_LIST.split(',').map((s) => s.trim())].filter(Boolean);
    return redirectTo && allowed.some((prefix) => redirectTo.startsWith(prefix)) ? redirectTo : this.config.AUTH_SITE_URL;
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
