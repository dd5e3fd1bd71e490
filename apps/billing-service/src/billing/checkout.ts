import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { CheckoutResponse } from '@dreamseed/contracts';
import { AppError, conflict, withOwnerRole, type Founder } from '@dreamseed/platform';
import type { BillingDb } from '../db/client';
import { payments } from '../db/schema';
import type { BillingPackage, Catalog } from './catalog';
import { runningSubscription } from './ledger';
import { MONEY_KEPT, type ProfileReporter } from './profile';
import type { PaymentProvider } from './provider';

/** An open checkout is handed out again only if it stays open at least this long. */
const REUSE_MARGIN_MS = 10 * 60 * 1000;

/** Whether the founder's open checkout answers a new request for `packageId`: the same package, still open a while. */
export function reusableCheckout(
  open: { packageId: string; checkoutUrl: string | null; expiresAt: Date | null } | undefined,
  packageId: string,
  now: number,
): open is { packageId: string; checkoutUrl: string; expiresAt: Date } {
  return open?.packageId === packageId && !!open.checkoutUrl && !!open.expiresAt && open.expiresAt.getTime() > now + REUSE_MARGIN_MS;
}

/** A one-time payment the founder kept: what formation they already have, and what it cost them. */
type KeptPayment = { packageId: string; amountMinor: number; amountRefundedMinor: number };

/**
 * What a formation package costs a founder who may already have one. None yet: its price. A dearer one than any
 * they have: the difference from what they paid (an upgrade). The same or a cheaper one: refused, since theirs
 * includes it.
 */
export function formationPrice(pkg: BillingPackage, kept: readonly KeptPayment[], catalog: Catalog): { amountMinor: number; upgradeFrom: BillingPackage | null } {
  const owned = kept
    .map((payment) => catalog.find(payment.packageId))
    .filter((found): found is BillingPackage => found?.kind === 'one_time')
    .sort((a, b) => b.amountMinor - a.amountMinor)[0];
  if (!owned) return { amountMinor: pkg.amountMinor, upgradeFrom: null };
  if (pkg.amountMinor <= owned.amountMinor) {
    throw conflict('formation_already_purchased', `You already have ${owned.name}, which includes everything in ${pkg.name}.`);
  }
  const paid = kept.reduce((sum, payment) => sum + payment.amountMinor - payment.amountRefundedMinor, 0);
  return { amountMinor: Math.max(pkg.amountMinor - paid, 1), upgradeFrom: owned };
}

/**
 * Starts a checkout for a founder. Each founder has at most one open (pending) checkout: asking again for the
 * same package returns it; asking for another closes it and opens a new one. The founder's checkouts are
 * serialized by a transaction-scoped advisory lock, and the provider's session is created inside that
 * transaction, so a failure leaves nothing behind (and the idempotency key, from the payment id, makes
 * stripe-node's own retries safe).
 */
export class CheckoutService {
  constructor(
    private readonly db: BillingDb,
    private readonly catalog: Catalog,
    private readonly provider: PaymentProvider,
    private readonly reporter: ProfileReporter,
    private readonly logger: Logger,
  ) {}

  async start(founder: Founder, packageId: string, correlationId?: string): Promise<CheckoutResponse & { reused: boolean }> {
    const pkg = this.catalog.find(packageId);
    if (!pkg) throw new AppError(400, 'unknown_package', 'There is no package with this id (see GET /v1/billing/packages).');
    const businessId = founder.id;
    const outcome = await withOwnerRole(this.db, 'billing', async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`billing-checkout:${businessId}`}))`);
      // A running plan is changed in place (prorated by the provider), never doubled by a second checkout.
      if (pkg.kind === 'subscription' && (await runningSubscription(tx, businessId))) {
        throw conflict('already_subscribed', 'You already have a subscription: change its plan with POST /v1/billing/subscription/change.');
      }
      // A formation package on top of one already paid for is an upgrade: the difference is charged.
      const price =
        pkg.kind === 'one_time'
          ? formationPrice(
              pkg,
              await tx
                .select({ packageId: payments.packageId, amountMinor: payments.amountMinor, amountRefundedMinor: payments.amountRefundedMinor })
                .from(payments)
                .where(and(eq(payments.businessId, businessId), eq(payments.kind, 'one_time'), inArray(payments.status, [...MONEY_KEPT]))),
              this.catalog,
            )
          : { amountMinor: pkg.amountMinor, upgradeFrom: null };
      const charged: BillingPackage = price.upgradeFrom
        ? { ...pkg, amountMinor: price.amountMinor, name: `${pkg.name} (upgrade from ${price.upgradeFrom.name})`, stripePriceId: undefined }
        : pkg;
      const [open] = await tx.select().from(payments).where(and(eq(payments.businessId, businessId), eq(payments.status, 'pending'))).for('update');
      // Reused only at the same price: a checkout opened before a cheaper package was paid would charge it all.
      if (reusableCheckout(open, pkg.id, Date.now()) && open.amountMinor === charged.amountMinor) {
        return { checkoutId: open.id, url: open.checkoutUrl, reused: true, replaced: undefined };
      }
      if (open) await tx.update(payments).set({ status: 'expired', updatedAt: new Date() }).where(eq(payments.id, open.id));
      const [payment] = await tx
        .insert(payments)
        .values({ businessId, provider: this.provider.name, packageId: pkg.id, kind: pkg.kind, amountMinor: charged.amountMinor, currency: pkg.currency })
        .returning({ id: payments.id });
      if (!payment) throw new Error('payment row not created');
      const created = await this.provider.createCheckout({ paymentId: payment.id, businessId, pkg: charged }).catch((error: unknown) => {
        this.logger.warn({ err: { name: (error as Error).name, message: (error as Error).message } }, 'payment provider refused or failed the checkout');
        throw new AppError(503, 'payment_provider_unavailable', 'Payments cannot be taken right now. Try again shortly.', undefined, { 'Retry-After': '10' });
      });
      await tx
        .update(payments)
        .set({ checkoutSessionId: created.sessionId, checkoutUrl: created.url, expiresAt: created.expiresAt })
        .where(eq(payments.id, payment.id));
      return { checkoutId: payment.id, url: created.url, reused: false, replaced: open?.provider === this.provider.name ? open.checkoutSessionId : null };
    });
    if (outcome.replaced) {
      // The replaced session is closed at the provider too; if it completed meanwhile, its webhook still pays it.
      await this.provider.expireCheckout(outcome.replaced).catch((error: unknown) => {
        this.logger.warn({ err: { message: (error as Error).message } }, 'replaced checkout not expired at the provider');
      });
    }
    if (!outcome.reused) {
      await this.reporter.report(businessId, `checkout-${outcome.checkoutId}`, correlationId).catch((error: unknown) => {
        this.logger.warn({ err: { message: (error as Error).message } }, 'pending payment not reported to the profile');
      });
    }
    return { checkoutId: outcome.checkoutId, url: outcome.url, reused: outcome.reused };
  }
}
