import type { Logger } from 'pino';
import type { JobProducer } from '@dreamseed/platform';
import type { GatewayConfig } from '../config';
import type { GatewayDb } from '../db/client';
import { AuthAdmin, deleteAccount } from './admin';
import type { AuthContext, ClientInfo } from './context';
import type { AuthLimits } from './limits';
import { deliverMail, relayPendingMails } from './mail-outbox';
import { recover, resend } from './mail-requests';
import { allowedRedirect, type VerifyType } from './one-time-tokens';
import type { AuthUserRow } from './serialize';
import { authenticate, refresh, signInWithPassword, signOut } from './sessions';
import { registerCaller, signUp } from './signup';
import type { AccessClaims, TokenSigner } from './tokens';
import { updateUser } from './user-updates';
import { verify } from './verify';

export type { ClientInfo } from './context';
export type { OneTimeTokenType, VerifyType } from './one-time-tokens';
export type { TokenResponse } from './sessions';
export { liveSession, sessionCheck } from './sessions';

/**
 * Supabase Auth's flows over the gateway's `auth` and `core` tables, one file per flow: sign-up (`signup.ts`),
 * sessions (`sessions.ts`), mails asked for by address (`mail-requests.ts`), codes and links redeemed
 * (`verify.ts`), changes to the signed-in user (`user-updates.ts`) and the mail outbox (`mail-outbox.ts`). Each
 * flow runs in one transaction; mails are written to the outbox in that transaction and handed to the `gateway`
 * queue once it commits.
 */
export class AuthService {
  private readonly ctx: AuthContext;
  /** GoTrue's admin API flows (`admin.ts`), for the service-role routes. */
  readonly admin: AuthAdmin;

  constructor(db: GatewayDb, config: GatewayConfig, signer: TokenSigner, limits: AuthLimits, producer: JobProducer, logger: Logger) {
    this.ctx = { db, config, signer, limits, producer, logger };
    this.admin = new AuthAdmin(this.ctx);
  }

  /** The founder deletes their own account (DELETE /v1/me): the same deletion as the admin API's. */
  deleteAccount(authUserId: string): Promise<void> {
    return this.ctx.db.transaction((tx) => deleteAccount(tx, authUserId, this.ctx.config.QUEUE_PREFIX));
  }

  signUp(input: { email: string; password: string; data: Record<string, unknown>; redirectTo?: string }, client: ClientInfo) {
    return signUp(this.ctx, input, client);
  }

  registerCaller(input: { phone: string; email: string; name?: string }, correlationId?: string) {
    return registerCaller(this.ctx, input, correlationId);
  }

  signInWithPassword(input: { email: string; password: string }, client: ClientInfo) {
    return signInWithPassword(this.ctx, input, client);
  }

  refresh(token: string, client: ClientInfo) {
    return refresh(this.ctx, token, client);
  }

  authenticate(accessToken: string) {
    return authenticate(this.ctx, accessToken);
  }

  /** The token's claims, its signature and expiry checked but not its session: for a read that checks the session itself (`sessionCheck`). */
  verifyToken(accessToken: string): Promise<AccessClaims> {
    return this.ctx.signer.verify(accessToken);
  }

  signOut(claims: AccessClaims, scope: 'global' | 'local' | 'others') {
    return signOut(this.ctx, claims, scope);
  }

  updateUser(
    current: { claims: AccessClaims; user: AuthUserRow },
    input: { email?: string; password?: string; phone?: string; data?: Record<string, unknown> | null; redirectTo?: string },
    correlationId?: string,
    ip?: string,
  ) {
    return updateUser(this.ctx, current, input, correlationId, ip);
  }

  recover(email: string, client: ClientInfo, redirectTo?: string) {
    return recover(this.ctx, email, client, redirectTo);
  }

  resend(type: 'signup' | 'email_change', email: string, client: ClientInfo, redirectTo?: string) {
    return resend(this.ctx, type, email, client, redirectTo);
  }

  verify(input: { type: VerifyType; email?: string; phone?: string; token?: string; tokenHash?: string }, client: ClientInfo) {
    return verify(this.ctx, input, client);
  }

  deliverMail(mailId: string, send: (mail: { to: string; subject: string; text: string }) => Promise<void>, kind: 'smtp' | 'outbox', lastTry?: boolean) {
    return deliverMail(this.ctx, mailId, send, kind, lastTry);
  }

  relayPendingMails(olderThanMs: number) {
    return relayPendingMails(this.ctx, olderThanMs);
  }

  allowedRedirect(redirectTo: string | undefined): string {
    return allowedRedirect(this.ctx.config, redirectTo);
  }
}
