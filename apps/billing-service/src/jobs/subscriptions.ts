import { and, desc, eq, gte, inArray, isNull } from 'drizzle-orm';
import { UnrecoverableError } from 'bullmq';
import { LIVE_SUBSCRIPTION_STATUSES, type BillingJobs, type JobPayloadOf } from '@dreamseed/contracts';
import { withOwnerRole, type JobContext } from '@dreamseed/platform';
import { expireEnded } from '../billing/ledger';
import type { ProfileReporter } from '../billing/profile';
import type { PaymentProvider } from '../billing/provider';
import type { BillingDb } from '../db/client';
import { subscriptions } from '../db/schema';

/** Expiries are reported again for a day after they happen, in case a report was lost (the gateway dedupes). */
const REPORT_AGAIN_MS = 24 * 3600 * 1000;

/** The founder's own cancellations, and the scheduled end of subscriptions whose time is up. */
export class SubscriptionJobs {
  constructor(
    private readonly db: BillingDb,
    private readonly provider: PaymentProvider,
    private readonly reporter: ProfileReporter,
    private readonly graceDays: number,
  ) {}

  /** Cancel at the period's end: the founder keeps access until then; Stripe's `updated` event confirms it. */
  async cancel({ userId, requestId }: JobPayloadOf<BillingJobs, 'cancel-subscription'>, { log }: JobContext) {
    const [sub] = await withOwnerRole(this.db, 'billing', (tx) =>
      tx
        .select()
        .from(subscriptions)
        .where(and(eq(subscriptions.businessId, userId), isNull(subscriptions.expiredAt), inArray(subscriptions.status, [...LIVE_SUBSCRIPTION_STATUSES])))
        .orderBy(desc(subscriptions.currentPeriodEnd))
        .limit(1),
    );
    if (!sub) return { outcome: 'no-subscription' };
    if (sub.cancelAtPeriodEnd) return { outcome: 'already-cancelled' };
    if (sub.provider === 'stripe') {
      if (this.provider.name !== 'stripe') throw new UnrecoverableError('a Stripe subscription cannot be cancelled without STRIPE_SECRET_KEY');
      await this.provider.cancelAtPeriodEnd(sub.providerSubscriptionId, `cancel-${requestId}`);
    }
    await withOwnerRole(this.db, 'billing', (tx) =>
      tx.update(subscriptions).set({ cancelAtPeriodEnd: true, updatedAt: new Date() }).where(eq(subscriptions.id, sub.id)),
    );
    log.info({ provider: sub.provider }, 'subscription set to end with its period');
    return { outcome: 'cancelled-at-period-end' };
  }

  /** Ends every subscription past its period's end plus the grace period, and tells each founder's profile. */
  async expire({ now: given }: JobPayloadOf<BillingJobs, 'expire-subscriptions'>, { log, correlationId }: JobContext) {
    const now = given ? new Date(given) : new Date();
    const expired = await withOwnerRole(this.db, 'billing', (tx) => expireEnded(tx, now, this.graceDays));
    const recent = await withOwnerRole(this.db, 'billing', (tx) =>
      tx
        .select({ id: subscriptions.id, businessId: subscriptions.businessId, expiredAt: subscriptions.expiredAt })
        .from(subscriptions)
        .where(gte(subscriptions.expiredAt, new Date(now.getTime() - REPORT_AGAIN_MS))),
    );
    for (const sub of recent) {
      await this.reporter.report(sub.businessId, `expired-${sub.id}-${(sub.expiredAt ?? now).getTime()}`, correlationId);
    }
    if (expired.length) log.info({ expired: expired.length }, 'subscriptions expired');
    return { expired: expired.length };
  }
}
