import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { LIVE_SUBSCRIPTION_STATUSES } from '@dreamseed/contracts';
import type { BillingTx, PaymentRow, SubscriptionRow } from '../db/client';
import { payments, subscriptions } from '../db/schema';
import {
  billedOf,
  fromSeconds,
  invoicePeriodEnd,
  invoiceSubscriptionOf,
  periodOf,
  type ChargeObject,
  type InvoiceObject,
  type SubscriptionObject,
} from '../stripe/objects';
import { addInterval, planOf, type Catalog } from './catalog';
import {
  accessEnd,
  invoiceFailureIsNews,
  invoiceFailureLapses,
  invoicePaidChange,
  isNewer,
  later,
  MONEY_TAKEN,
  refundOf,
  SUBSCRIPTION_STATUSES,
} from './ledger-rules';

/** What an event did: changed state, was not ours or not understood, or came after a newer one. */
export type Outcome = 'applied' | 'ignored' | 'stale';
export interface Effect {
  outcome: Outcome;
  /** The founder whose billing state the event concerned, when known. */
  businessId?: string;
  /** The event paid a formation package: the gateway is told (`formation-package-paid`). */
  formationPaid?: FormationPaid;
}

/** A formation package's payment that became paid, as billing tells the gateway of it. */
export interface FormationPaid {
  paymentId: string;
  packageId: string;
  includesDomain: boolean;
  /** ISO 8601: when the money came in. */
  paidAt: string;
}

/** A checkout that completed: from Stripe's session events or the local provider's confirm link. */
export interface Completion {
  at: Date;
  paymentIntentId?: string | null;
  customerId?: string | null;
  /** The provider's subscription id, for subscription checkouts. */
  subscriptionId?: string | null;
  amountMinor?: number | null;
}

const ignored = (): Effect => ({ outcome: 'ignored' });

/**
 * The billing state machine over `payments` and `subscriptions`, inside the caller's transaction. Every change
 * locks the rows it reads, and compares the event's time with the row's `last_event_at`: an event older than the
 * one last applied changes nothing, and money taken is never "untaken" by a late failure. The decisions
 * themselves are in `ledger-rules.ts`.
 */
export class Ledger {
  constructor(private readonly catalog: Catalog) {}

  async checkoutPayment(tx: BillingTx, refs: { sessionId?: string | null; paymentId?: string | null }): Promise<PaymentRow | undefined> {
    if (refs.sessionId) {
      const [bySession] = await tx.select().from(payments).where(eq(payments.checkoutSessionId, refs.sessionId)).for('update');
      if (bySession) return bySession;
    }
    if (!refs.paymentId) return undefined;
    const [byId] = await tx.select().from(payments).where(eq(payments.id, refs.paymentId)).for('update');
    return byId;
  }

  /** The checkout's money is in: the payment is paid and, for a plan, the subscription exists. */
  async completeCheckout(tx: BillingTx, payment: PaymentRow, done: Completion): Promise<Effect> {
    const businessId = payment.businessId;
    if (MONEY_TAKEN.has(payment.status)) return { outcome: 'stale', businessId };
    // A replaced (expired) or failed checkout whose money arrived anyway is paid all the same.
    await tx
      .update(payments)
      .set({
        status: 'paid',
        paidAt: done.at,
        paymentIntentId: done.paymentIntentId ?? payment.paymentIntentId,
        providerCustomerId: done.customerId ?? payment.providerCustomerId,
        amountMinor: done.amountMinor ?? payment.amountMinor,
        lastEventAt: later(payment.lastEventAt, done.at),
        updatedAt: new Date(),
      })
      .where(eq(payments.id, payment.id));
    if (payment.kind === 'subscription') await this.startSubscription(tx, payment, done);
    // What the package was when it was paid for decides, should the catalog change before the gateway hears of it.
    const pkg = this.catalog.find(payment.packageId);
    const formationPaid = pkg?.formation
      ? { paymentId: payment.id, packageId: pkg.id, includesDomain: pkg.includesDomain, paidAt: done.at.toISOString() }
      : undefined;
    return { outcome: 'applied', businessId, ...(formationPaid ? { formationPaid } : {}) };
  }

  async failCheckout(tx: BillingTx, payment: PaymentRow, at: Date): Promise<Effect> {
    const businessId = payment.businessId;
    if (payment.status !== 'pending') return { outcome: 'stale', businessId };
    await tx.update(payments).set({ status: 'failed', failedAt: at, lastEventAt: at, updatedAt: new Date() }).where(eq(payments.id, payment.id));
    return { outcome: 'applied', businessId };
  }

  async expireCheckout(tx: BillingTx, payment: PaymentRow, at: Date): Promise<Effect> {
    const businessId = payment.businessId;
    if (payment.status !== 'pending') return { outcome: 'stale', businessId };
    await tx.update(payments).set({ status: 'expired', lastEventAt: at, updatedAt: new Date() }).where(eq(payments.id, payment.id));
    return { outcome: 'applied', businessId };
  }

  /**
   * The subscription a paid checkout started. Locally it is ours to run: active for one interval from now. At
   * Stripe it is Stripe's: a placeholder until its own events arrive (no `last_event_at`, so none is stale).
   */
  private async startSubscription(tx: BillingTx, payment: PaymentRow, done: Completion) {
    const pkg = this.catalog.find(payment.packageId);
    const plan = pkg && planOf(pkg);
    if (!pkg?.interval || !plan) return;
    const local = payment.provider === 'local';
    const providerSubscriptionId = local ? `local_${payment.id}` : done.subscriptionId;
    if (!providerSubscriptionId) return;
    await tx
      .insert(subscriptions)
      .values({
        businessId: payment.businessId,
        provider: payment.provider,
        providerSubscriptionId,
        providerCustomerId: done.customerId ?? null,
        packageId: pkg.id,
        plan,
        status: 'active',
        currentPeriodStart: done.at,
        currentPeriodEnd: addInterval(done.at, pkg.interval),
        lastEventAt: local ? done.at : null,
      })
      .onConflictDoNothing();
  }

  /** `customer.subscription.created` / `updated` / `deleted`. */
  async applySubscription(tx: BillingTx, sub: SubscriptionObject, deleted: boolean, at: Date): Promise<Effect> {
    const status = deleted ? 'canceled' : sub.status;
    if (!SUBSCRIPTION_STATUSES.includes(status)) return ignored();
    let existing = await this.stripeSubscription(tx, sub.id);
    const businessId = existing?.businessId ?? sub.metadata?.businessId;
    // The package follows the price billed, so a plan change (ours, or one made in Stripe's dashboard) moves it.
    const pkg = this.catalog.billedPackage(billedOf(sub), [sub.metadata?.packageId, existing?.packageId]);
    const plan = pkg ? planOf(pkg) : null;
    if (!businessId || !pkg || !plan) return ignored();

    const period = periodOf(sub);
    const endedAt = fromSeconds(sub.ended_at);
    const values = {
      packageId: pkg.id,
      plan,
      status,
      currentPeriodStart: period.start ?? existing?.currentPeriodStart ?? null,
      currentPeriodEnd: accessEnd(period.end ?? null, endedAt, existing?.currentPeriodEnd ?? null),
      cancelAtPeriodEnd: sub.cancel_at_period_end ?? false,
      canceledAt: fromSeconds(sub.canceled_at),
      providerCustomerId: sub.customer ?? existing?.providerCustomerId ?? null,
      lastEventAt: at,
    };
    if (!existing) {
      const inserted = await tx
        .insert(subscriptions)
        .values({ businessId, provider: 'stripe', providerSubscriptionId: sub.id, ...values })
        .onConflictDoNothing()
        .returning({ id: subscriptions.id });
      if (inserted.length) return { outcome: 'applied', businessId };
      // Another event created it a moment ago: compare with what it wrote.
      existing = await this.stripeSubscription(tx, sub.id);
      if (!existing) return ignored();
    }
    if (!isNewer(existing, status, at)) return { outcome: 'stale', businessId };
    await tx
      .update(subscriptions)
      .set({ ...values, expiredAt: status === 'expired' ? existing.expiredAt : null, updatedAt: new Date() })
      .where(eq(subscriptions.id, existing.id));
    return { outcome: 'applied', businessId };
  }

  /** `invoice.paid`: a period is paid for (the first one, or a renewal). */
  async applyInvoicePaid(tx: BillingTx, inv: InvoiceObject, at: Date): Promise<Effect> {
    const context = await this.invoiceContext(tx, inv);
    if (!context) return ignored();
    const { businessId, pkg, sub, subscriptionId, metadata: meta } = context;
    let changed = false;

    const [billed] = await tx.select().from(payments).where(eq(payments.invoiceId, inv.id)).for('update');
    const checkout =
      !billed && inv.billing_reason === 'subscription_create' && meta?.paymentId
        ? await this.checkoutPayment(tx, { paymentId: meta.paymentId })
        : undefined;
    if (billed) {
      changed = (await this.markInvoicePaymentPaid(tx, billed, at)) || changed;
    } else if (checkout?.provider === 'stripe' && !checkout.invoiceId) {
      // The first invoice of a checkout's subscription is that checkout's payment, not a second one.
      await tx.update(payments).set({ invoiceId: inv.id, updatedAt: new Date() }).where(eq(payments.id, checkout.id));
      changed = (await this.completeCheckout(tx, { ...checkout, invoiceId: inv.id }, { at, subscriptionId, customerId: inv.customer })).outcome === 'applied' || changed;
    } else {
      await this.insertInvoicePayment(tx, context, inv, at, {
        amountMinor: inv.amount_paid ?? pkg.amountMinor,
        status: 'paid',
        paidAt: fromSeconds(inv.status_transitions?.paid_at) ?? at,
      });
      changed = true;
    }

    const current = sub ?? (await this.stripeSubscription(tx, subscriptionId));
    if (current) {
      const { newer, recovers, periodEnd, extendsAccess } = invoicePaidChange(current, at, invoicePeriodEnd(inv));
      if (newer || extendsAccess) {
        await tx
          .update(subscriptions)
          .set({
            currentPeriodEnd: periodEnd,
            ...(recovers ? { status: 'active', expiredAt: null } : {}),
            ...(newer ? { lastEventAt: at } : {}),
            updatedAt: new Date(),
          })
          .where(eq(subscriptions.id, current.id));
        changed ||= recovers || extendsAccess;
      }
    }
    return { outcome: changed ? 'applied' : 'stale', businessId };
  }

  /** `invoice.payment_failed`: a renewal (or first) payment did not go through; Stripe retries it. */
  async applyInvoiceFailed(tx: BillingTx, inv: InvoiceObject, at: Date): Promise<Effect> {
    const context = await this.invoiceContext(tx, inv);
    if (!context) return ignored();
    const { businessId, pkg, sub } = context;
    let changed = false;
    const [billed] = await tx.select().from(payments).where(eq(payments.invoiceId, inv.id)).for('update');
    if (!billed) {
      await this.insertInvoicePayment(tx, context, inv, at, { amountMinor: inv.amount_due ?? pkg.amountMinor, status: 'failed', failedAt: at });
      changed = true;
    } else if (invoiceFailureIsNews(billed, at)) {
      await tx.update(payments).set({ status: 'failed', failedAt: at, lastEventAt: at, updatedAt: new Date() }).where(eq(payments.id, billed.id));
      changed = true;
    }
    if (sub && invoiceFailureLapses(sub, at)) {
      await tx.update(subscriptions).set({ status: 'past_due', lastEventAt: at, updatedAt: new Date() }).where(eq(subscriptions.id, sub.id));
      changed = true;
    }
    return { outcome: changed ? 'applied' : 'stale', businessId };
  }

  /**
   * `charge.refunded`: full or partial. Refunded amounts only grow, so late or repeated events change nothing.
   * The charge names its payment intent: a checkout's payment has it; a subscription invoice's payment is found
   * through `invoiceOf` (Stripe's invoice payments), and keeps the intent for next time.
   */
  async applyRefund(tx: BillingTx, ch: ChargeObject, at: Date, invoiceOf: (paymentIntentId: string) => Promise<string | null>): Promise<Effect> {
    const intent = ch.payment_intent;
    let payment: PaymentRow | undefined;
    if (intent) [payment] = await tx.select().from(payments).where(eq(payments.paymentIntentId, intent)).for('update');
    payment ??= ch.metadata?.paymentId ? await this.checkoutPayment(tx, { paymentId: ch.metadata.paymentId }) : undefined;
    if (!payment && intent) {
      const invoiceId = await invoiceOf(intent);
      if (invoiceId) [payment] = await tx.select().from(payments).where(eq(payments.invoiceId, invoiceId)).for('update');
      if (payment) payment = { ...payment, paymentIntentId: intent };
    }
    if (!payment || !MONEY_TAKEN.has(payment.status)) return ignored();
    const businessId = payment.businessId;
    const refund = refundOf(payment, ch);
    if (!refund) return { outcome: 'stale', businessId };
    await tx
      .update(payments)
      .set({
        ...refund,
        paymentIntentId: payment.paymentIntentId,
        refundedAt: at,
        lastEventAt: later(payment.lastEventAt, at),
        updatedAt: new Date(),
      })
      .where(eq(payments.id, payment.id));
    return { outcome: 'applied', businessId };
  }

  private async stripeSubscription(tx: BillingTx, id: string): Promise<SubscriptionRow | undefined> {
    if (!id) return undefined;
    const [row] = await tx
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.provider, 'stripe'), eq(subscriptions.providerSubscriptionId, id)))
      .for('update');
    return row;
  }

  /** A subscription invoice's payment row, the first time Stripe tells us about that invoice (paid or failed). */
  private async insertInvoicePayment(
    tx: BillingTx,
    { businessId, pkg }: { businessId: string; pkg: { id: string; amountMinor: number; currency: string } },
    inv: InvoiceObject,
    at: Date,
    outcome: Pick<typeof payments.$inferInsert, 'amountMinor' | 'status' | 'paidAt' | 'failedAt'>,
  ) {
    await tx.insert(payments).values({
      businessId,
      provider: 'stripe',
      packageId: pkg.id,
      kind: 'subscription',
      invoiceId: inv.id,
      providerCustomerId: inv.customer ?? null,
      currency: (inv.currency ?? pkg.currency).toLowerCase(),
      lastEventAt: at,
      ...outcome,
    });
  }

  /** The founder and plan of a subscription invoice: from our row, else from the metadata we set at checkout. */
  private async invoiceContext(tx: BillingTx, inv: InvoiceObject) {
    const { subscriptionId, metadata } = invoiceSubscriptionOf(inv);
    if (!subscriptionId) return undefined;
    const sub = await this.stripeSubscription(tx, subscriptionId);
    const businessId = sub?.businessId ?? metadata?.businessId;
    const pkg = this.catalog.find(sub?.packageId ?? metadata?.packageId);
    if (!businessId || !pkg) return undefined;
    return { businessId, pkg, sub, subscriptionId, metadata };
  }

  private async markInvoicePaymentPaid(tx: BillingTx, payment: PaymentRow, at: Date): Promise<boolean> {
    if (MONEY_TAKEN.has(payment.status)) return false;
    await tx
      .update(payments)
      .set({ status: 'paid', paidAt: at, lastEventAt: later(payment.lastEventAt, at), updatedAt: new Date() })
      .where(eq(payments.id, payment.id));
    return true;
  }
}

/**
 * The founder's running subscription (the one ending last, should there be two), locked when it is to be
 * changed, so that a second change or cancellation waits and then reads what the first made of it.
 */
export async function runningSubscription(tx: BillingTx, businessId: string, lock = false): Promise<SubscriptionRow | undefined> {
  const query = tx
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.businessId, businessId), isNull(subscriptions.expiredAt), inArray(subscriptions.status, [...LIVE_SUBSCRIPTION_STATUSES])))
    .orderBy(desc(subscriptions.currentPeriodEnd))
    .limit(1);
  const [row] = await (lock ? query.for('update') : query);
  return row;
}

/** Subscriptions whose access has ended: past their period's end by more than the grace period. */
export async function expireEnded(tx: BillingTx, now: Date, graceDays: number) {
  const cutoff = new Date(now.getTime() - graceDays * 24 * 3600 * 1000);
  return tx
    .update(subscriptions)
    .set({ status: 'expired', expiredAt: now, lastEventAt: sql`greatest(${subscriptions.lastEventAt}, ${now})`, updatedAt: now })
    .where(and(sql`${subscriptions.expiredAt} is null`, sql`${subscriptions.currentPeriodEnd} < ${cutoff}`))
    .returning({ id: subscriptions.id, businessId: subscriptions.businessId });
}
