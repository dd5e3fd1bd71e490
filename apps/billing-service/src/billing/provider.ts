import Stripe from 'stripe';
import { paymentProviderOf, type BillingConfig } from '../config';
import type { BillingPackage } from './catalog';

export interface CheckoutRequest {
  paymentId: string;
  businessId: string;
  pkg: BillingPackage;
}

export interface CreatedCheckout {
  sessionId: string | null;
  url: string;
  expiresAt: Date;
}

/**
 * Where money is taken: Stripe, or the local provider that stands in for it offline. The local provider's
 * "session" is a confirm link on the gateway; using it completes the payment through the same code path as
 * Stripe's `checkout.session.completed`.
 */
export interface PaymentProvider {
  readonly name: 'stripe' | 'local';
  createCheckout(request: CheckoutRequest): Promise<CreatedCheckout>;
  /** Closes an open checkout that a newer one replaces (best effort: it may have completed meanwhile). */
  expireCheckout(sessionId: string): Promise<void>;
  /** Asks the provider to end the subscription when its current period ends. */
  cancelAtPeriodEnd(subscriptionId: string, idempotencyKey: string): Promise<void>;
  /**
   * Moves the subscription to `pkg`'s price now, prorated (Stripe credits the unused time of the old price), and
   * lifts a pending cancellation. Our metadata on it then names the new package.
   */
  changePlan(subscriptionId: string, pkg: BillingPackage, idempotencyKey: string): Promise<void>;
  /** Lifts a pending cancellation: the subscription renews again on its plan. */
  resume(subscriptionId: string, idempotencyKey: string): Promise<void>;
  /** The invoice a payment intent paid, for refunds of subscription payments (their charges name no invoice). */
  invoiceOfPaymentIntent(paymentIntentId: string): Promise<string | null>;
  /** What paid an invoice, for refunding a subscription payment whose row names only its invoice. */
  refundTargetOfInvoice(invoiceId: string): Promise<RefundTarget | null>;
  /**
   * Gives money back: `amountMinor` of it, or all that is left at the provider when absent. The idempotency key
   * makes a repeated request return the first one's refund. Only Stripe holds money to give back: a local
   * payment's refund is written to the ledger by the refund job alone.
   */
  refund(request: RefundRequest, idempotencyKey: string): Promise<MadeRefund>;
  /** The refund made for a refund request (our metadata names it), if the provider made one. */
  findRefund(target: RefundTarget, requestId: string): Promise<MadeRefund | null>;
}

/** What a Stripe refund gives back from, in Stripe's parameter names. */
export type RefundTarget = { payment_intent: string } | { charge: string };

export interface RefundRequest {
  target: RefundTarget;
  amountMinor?: number;
  /** Ids only, as all our Stripe metadata. */
  metadata: { paymentId: string; businessId: string; requestId: string };
}

export interface MadeRefund {
  id: string;
  amountMinor: number;
  status: string | null;
}

const madeRefund = (refund: Stripe.Refund): MadeRefund => ({ id: refund.id, amountMinor: refund.amount, status: refund.status });

/** A local checkout stays open this long, as Stripe's do by default. */
const CHECKOUT_LIFETIME_MS = 24 * 3600 * 1000;

export function createPaymentProvider(config: BillingConfig): PaymentProvider {
  if (paymentProviderOf(config) === 'local') return new LocalProvider(config.PUBLIC_URL);
  // The config refuses BILLING_PROVIDER=stripe without a key.
  return new StripeProvider(config, config.STRIPE_SECRET_KEY ?? '');
}

export function stripeClient(key: string, apiBaseUrl: string): Stripe {
  const base = new URL(apiBaseUrl);
  const protocol = base.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(key, {
    host: base.hostname,
    port: Number(base.port || (protocol === 'http' ? 80 : 443)),
    protocol,
    // Every POST carries an idempotency key, so stripe-node's retries are safe.
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
  });
}

class StripeProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  private readonly stripe: Stripe;

  constructor(
    private readonly config: BillingConfig,
    key: string,
  ) {
    this.stripe = stripeClient(key, config.STRIPE_API_BASE_URL);
  }

  async createCheckout({ paymentId, businessId, pkg }: CheckoutRequest): Promise<CreatedCheckout> {
    // Ids only: Stripe metadata must not carry personal data.
    const metadata = { paymentId, businessId, packageId: pkg.id };
    const lineItem: Stripe.Checkout.SessionCreateParams.LineItem = pkg.stripePriceId
      ? { price: pkg.stripePriceId, quantity: 1 }
      : {
          quantity: 1,
          price_data: {
            currency: pkg.currency,
            unit_amount: pkg.amountMinor,
            product_data: { name: pkg.name },
            ...(pkg.interval ? { recurring: { interval: pkg.interval } } : {}),
          },
        };
    const session = await this.stripe.checkout.sessions.create(
      {
        mode: pkg.kind === 'subscription' ? 'subscription' : 'payment',
        line_items: [lineItem],
        client_reference_id: businessId,
        metadata,
        success_url: this.config.BILLING_SUCCESS_URL ?? `${this.config.PUBLIC_URL}/billing/success?session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: this.config.BILLING_CANCEL_URL ?? `${this.config.PUBLIC_URL}/billing/cancel`,
        ...(pkg.kind === 'subscription' ? { subscription_data: { metadata } } : { payment_intent_data: { metadata } }),
      },
      { idempotencyKey: `checkout-${paymentId}` },
    );
    if (!session.url) throw new Error('Stripe returned a checkout session without a URL');
    return {
      sessionId: session.id,
      url: session.url,
      expiresAt: session.expires_at ? new Date(session.expires_at * 1000) : new Date(Date.now() + CHECKOUT_LIFETIME_MS),
    };
  }

  async expireCheckout(sessionId: string): Promise<void> {
    await this.stripe.checkout.sessions.expire(sessionId, {}, { idempotencyKey: `expire-${sessionId}` });
  }

  async cancelAtPeriodEnd(subscriptionId: string, idempotencyKey: string): Promise<void> {
    await this.stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: true }, { idempotencyKey });
  }

  async changePlan(subscriptionId: string, pkg: BillingPackage, idempotencyKey: string): Promise<void> {
    if (!pkg.interval) throw new Error(`${pkg.id} is not a plan`);
    // The item keeps its id, so the subscription keeps one item whose price is replaced, as Stripe documents it.
    const [item] = (await this.stripe.subscriptions.retrieve(subscriptionId)).items.data;
    if (!item) throw new Error('the Stripe subscription has no item to change');
    const price: Pick<Stripe.SubscriptionUpdateParams.Item, 'price' | 'price_data'> = pkg.stripePriceId
      ? { price: pkg.stripePriceId }
      : {
          // An inline price needs a product: one named after the plan, as Checkout's product_data makes one.
          price_data: {
            currency: pkg.currency,
            unit_amount: pkg.amountMinor,
            recurring: { interval: pkg.interval },
            product: (await this.stripe.products.create({ name: pkg.name }, { idempotencyKey: `${idempotencyKey}-product` })).id,
          },
        };
    await this.stripe.subscriptions.update(
      subscriptionId,
      { items: [{ id: item.id, ...price }], proration_behavior: 'create_prorations', cancel_at_period_end: false, metadata: { packageId: pkg.id } },
      { idempotencyKey },
    );
  }

  async resume(subscriptionId: string, idempotencyKey: string): Promise<void> {
    await this.stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: false }, { idempotencyKey });
  }

  async invoiceOfPaymentIntent(paymentIntentId: string): Promise<string | null> {
    const list = await this.stripe.invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: paymentIntentId }, limit: 1 });
    const invoice = list.data[0]?.invoice;
    return typeof invoice === 'string' ? invoice : (invoice?.id ?? null);
  }

  async refundTargetOfInvoice(invoiceId: string): Promise<RefundTarget | null> {
    const list = await this.stripe.invoicePayments.list({ invoice: invoiceId, status: 'paid', limit: 1 });
    const payment = list.data[0]?.payment;
    const idOf = (ref: string | { id: string } | undefined) => (typeof ref === 'string' ? ref : ref?.id);
    const intent = idOf(payment?.payment_intent);
    const charge = idOf(payment?.charge);
    return intent ? { payment_intent: intent } : charge ? { charge } : null;
  }

  async refund({ target, amountMinor, metadata }: RefundRequest, idempotencyKey: string): Promise<MadeRefund> {
    // The operator's own words stay out of Stripe, as all personal data does: the gateway's audit log keeps them.
    const refund = await this.stripe.refunds.create(
      { ...target, ...(amountMinor === undefined ? {} : { amount: amountMinor }), reason: 'requested_by_customer', metadata },
      { idempotencyKey },
    );
    return madeRefund(refund);
  }

  async findRefund(target: RefundTarget, requestId: string): Promise<MadeRefund | null> {
    for await (const refund of this.stripe.refunds.list({ ...target, limit: 100 })) {
      if (refund.metadata?.requestId === requestId) return madeRefund(refund);
    }
    return null;
  }
}

class LocalProvider implements PaymentProvider {
  readonly name = 'local' as const;

  constructor(private readonly publicUrl: string) {}

  async createCheckout({ paymentId }: CheckoutRequest): Promise<CreatedCheckout> {
    // The page behind this link cannot pay: only its founder, signed in, confirms it (POST with their token).
    const url = `${this.publicUrl.replace(/\/$/, '')}/v1/billing/checkout/${paymentId}/confirm`;
    return { sessionId: null, url, expiresAt: new Date(Date.now() + CHECKOUT_LIFETIME_MS) };
  }

  async expireCheckout(): Promise<void> {
    // A local checkout is closed by its row alone: the link of a replaced one confirms nothing.
  }

  async cancelAtPeriodEnd(): Promise<void> {
    // A local subscription has no one else to tell: its row's flag is the whole cancellation.
  }

  async changePlan(): Promise<void> {
    // As with cancellations, the local subscription's row is the whole of it.
  }

  async resume(): Promise<void> {
    // As with cancellations, the local subscription's row is the whole of it.
  }

  async invoiceOfPaymentIntent(): Promise<string | null> {
    return null;
  }

  async refundTargetOfInvoice(): Promise<RefundTarget | null> {
    return null;
  }

  async refund(): Promise<MadeRefund> {
    throw new Error('the local provider took no money to give back: a local refund is the ledger\'s alone');
  }

  async findRefund(): Promise<MadeRefund | null> {
    return null;
  }
}
