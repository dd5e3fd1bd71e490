import { eq, gte } from 'drizzle-orm';
import { UnrecoverableError } from 'bullmq';
import type { BillingJobs, JobPayloadOf } from '@dreamseed/contracts';
import { withOwnerRole, type JobContext } from '@dreamseed/platform';
import type { Catalog } from '../billing/catalog';
import { expireEnded, runningSubscription } from '../billing/ledger';
import type { ProfileReporter } from '../billing/profile';
import type { PaymentProvider } from '../billing/provider';
import type { BillingDb } from '../db/client';
import { subscriptions } from '../db/schema';

/** Expiries are reported again for a day after they happen, in case a report was lost (the gateway dedupes). */
const REPORT_AGAIN_MS = 24 * 3600 * 1000;

/** The founder's own cancellations and plan changes, and the scheduled end of subscriptions whose time is up. */
export class SubscriptionJobs {
  constructor(
    private readonly db: BillingDb,
    private readonly catalog: Catalog,
    private readonly provider: PaymentProvider,
    private readonly reporter: ProfileReporter,
    private readonly graceDays: number,
  ) {}

  /** Cancel at the period's end: the founder keeps access until then; Stripe's `updated` event confirms it. */
  async cancel({ userId, requestId }: JobPayloadOf<BillingJobs, 'cancel-subscription'>, { log }: JobContext) {
    const sub = await withOwnerRole(this.db, 'billing', (tx) => runningSubscription(tx, userId));
    if (!sub) return { outcome: 'no-subscription' };
    if (sub.cancelAtPeriodEnd) return { outcome: 'already-cancelled' };
    if (sub.provider === 'stripe') {
      this.requireStripe('cancelled');
      await this.provider.cancelAtPeriodEnd(sub.providerSubscriptionId, `cancel-${requestId}`);
    }
    await withOwnerRole(this.db, 'billing', (tx) =>
      tx.update(subscriptions).set({ cancelAtPeriodEnd: true, updatedAt: new Date() }).where(eq(subscriptions.id, sub.id)),
    );
    log.info({ provider: sub.provider }, 'subscription set to end with its period');
    return { outcome: 'cancelled-at-period-end' };
  }

  /**
   * Moves the running subscription to another plan now (the provider prorates), lifting a pending cancellation;
   * to the plan it already runs, only lifts the cancellation (a resume). The row stays locked across the provider
   * call: a double click's second job waits, then finds the change made and does nothing. The row is written at
   * once, as a cancellation's is, and Stripe's `updated` event then confirms it (the package follows its price).
   */
  async change({ userId, plan, requestId }: JobPayloadOf<BillingJobs, 'change-subscription'>, { log, correlationId }: JobContext) {
    const pkg = this.catalog.planPackage(plan);
    if (!pkg) throw new UnrecoverableError(`no package on sale is the ${plan} plan`);
    const outcome = await withOwnerRole(this.db, 'billing', async (tx) => {
      const sub = await runningSubscription(tx, userId, true);
      if (!sub) return 'no-subscription';
      const resume = sub.plan === plan;
      if (resume && !sub.cancelAtPeriodEnd) return 'unchanged';
      if (sub.provider === 'stripe') {
        this.requireStripe('changed');
        const idempotencyKey = `change-${requestId}`;
        await (resume ? this.provider.resume(sub.providerSubscriptionId, idempotencyKey) : this.provider.changePlan(sub.providerSubscriptionId, pkg, idempotencyKey));
      }
      await tx
        .update(subscriptions)
        .set({ ...(resume ? {} : { packageId: pkg.id, plan }), cancelAtPeriodEnd: false, canceledAt: null, updatedAt: new Date() })
        .where(eq(subscriptions.id, sub.id));
      return resume ? 'resumed' : 'changed';
    });
    // Only a new plan is news to the profile: a cancellation pending or lifted does not show there.
    if (outcome === 'changed') await this.reporter.report(userId, `change-${requestId}`, correlationId);
    log.info({ plan, outcome }, 'subscription plan change handled');
    return { outcome };
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

  /** A Stripe subscription is Stripe's to change: billing without STRIPE_SECRET_KEY never can. */
  private requireStripe(verb: string) {
    if (this.provider.name !== 'stripe') throw new UnrecoverableError(`a Stripe subscription cannot be ${verb} without STRIPE_SECRET_KEY`);
  }
}
