import { and, asc, eq, lt, sql } from 'drizzle-orm';
import { mailOutbox } from '../db/schema';
import type { AuthContext } from './context';
import { PHONE_CODE_KIND } from './phone';
import { createSmsSender } from './sms';

/**
 * A mail an anonymous request caused goes to the queue only once the answer is out: the queue's round trip
 * would otherwise set the answers for registered addresses apart. The mail is committed to the outbox already,
 * so if this process ends first, the relay sends it.
 */
export function dispatchAfterAnswer(ctx: AuthContext, mailId: string, correlationId?: string): void {
  setImmediate(() => void dispatchMail(ctx, mailId, correlationId));
}

/** After the transaction commits: hand the mail to the queue. If Redis is down the outbox keeps it. */
export async function dispatchMail(ctx: Pick<AuthContext, 'producer' | 'logger'>, mailId: string, correlationId?: string): Promise<void> {
  try {
    await ctx.producer.enqueue('gateway', 'auth-mail-send', { v: 1, mailId }, { jobId: `mail-${mailId}`, correlationId });
  } catch (error) {
    ctx.logger.warn({ err: error, mailId }, 'mail left in the outbox for the relay');
  }
}

/**
 * Sends (or writes to the outbox) one mail: the `auth-mail-send` job's work. Every failed try is counted on the
 * row with its (address-free) reason; after the job's last try the row is `failed`, so that the relay stops
 * handing it back and an operator sees it. Phone codes share the outbox and the job: those rows go out by SMS.
 */
export async function deliverMail(
  ctx: AuthContext,
  mailId: string,
  send: (mail: { to: string; subject: string; text: string }) => Promise<void>,
  kind: 'smtp' | 'outbox',
  lastTry = false,
) {
  const [mail] = await ctx.db.select().from(mailOutbox).where(eq(mailOutbox.id, mailId));
  if (!mail || mail.status !== 'pending') return { skipped: true };
  const sms = mail.kind === PHONE_CODE_KIND ? createSmsSender(ctx.config) : undefined;
  const channel = sms?.kind ?? kind;
  try {
    if (sms) await sms.send({ to: mail.recipient, text: mail.body });
    else await send({ to: mail.recipient, subject: mail.subject, text: mail.body });
  } catch (error) {
    await ctx.db
      .update(mailOutbox)
      .set({ ...(lastTry ? { status: 'failed' } : {}), attempts: sql`${mailOutbox.attempts} + 1`, lastError: (error as Error).message.slice(0, 500) })
      .where(and(eq(mailOutbox.id, mailId), eq(mailOutbox.status, 'pending')));
    throw error;
  }
  await ctx.db
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
export async function relayPendingMails(ctx: AuthContext, olderThanMs: number): Promise<number> {
  const pending = await ctx.db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.status, 'pending'), lt(mailOutbox.createdAt, new Date(Date.now() - olderThanMs))))
    .orderBy(asc(mailOutbox.createdAt))
    .limit(500);
  for (const { id } of pending) await dispatchMail(ctx, id);
  return pending.length;
}
