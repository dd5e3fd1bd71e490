import { UnrecoverableError } from 'bullmq';
import type { BillingJobs, JobPayloadOf } from '@dreamseed/contracts';
import type { JobContext } from '@dreamseed/platform';
import { applyOnce } from '../billing/events';
import type { Effect, Ledger } from '../billing/ledger';
import type { ProfileReporter } from '../billing/profile';
import type { PaymentProvider } from '../billing/provider';
import type { BillingDb, BillingTx } from '../db/client';
import { charge, checkoutSession, invoice, subscription } from '../stripe/objects';
import { stripeShapeOf } from '../stripe/versions';

type StripeEventJob = JobPayloadOf<BillingJobs, 'stripe-event'>;

/** The event as the gateway forwards it: Stripe's envelope with `data.object` reduced to what billing reads. */
interface ForwardedEvent {
  created?: unknown;
  livemode?: unknown;
  data?: { object?: unknown };
}

/** The types billing acts on; every other type is recorded as ignored. */
const HANDLED = new Set([
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
  'invoice.paid',
  'invoice.payment_failed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'charge.refunded',
]);

/**
 * Applies one Stripe event, once (see applyOnce), by its type; unknown types are recorded as ignored. An event
 * at an API version billing does not read is recorded as unsupported and fails for good, so that it shows
 * among the failed jobs (and can be retried there once the version is supported) instead of passing as handled.
 */
export class StripeEventProcessor {
  constructor(
    private readonly db: BillingDb,
    private readonly ledger: Ledger,
    private readonly reporter: ProfileReporter,
    private readonly provider: PaymentProvider,
  ) {}

  async handle(job: StripeEventJob, { log, correlationId }: JobContext) {
    const event = job.event as ForwardedEvent;
    const createdAt = typeof event.created === 'number' ? new Date(event.created * 1000) : new Date(job.receivedAt);
    const object = event.data?.object as { id?: unknown } | undefined;
    // A job queued by a gateway from before versions were forwarded carries no field at all: billing reads both
    // shapes, so it is applied as it was then rather than failed during the upgrade.
    const version = job.apiVersion === undefined ? { shape: 'either' } : stripeShapeOf(job.apiVersion);
    const result = await applyOnce(
      this.db,
      this.reporter,
      {
        id: job.eventId,
        provider: 'stripe',
        type: job.type,
        livemode: event.livemode === true,
        apiVersion: job.apiVersion,
        createdAt,
        receivedAt: new Date(job.receivedAt),
        objectId: typeof object?.id === 'string' ? object.id : null,
        correlationId,
      },
      async (tx) => ('refused' in version ? { outcome: 'unsupported' as const, error: version.refused } : this.apply(tx, job.type, object, createdAt)),
    );
    if (result.outcome === 'unsupported') throw new UnrecoverableError(result.error);
    log.info({ type: job.type, apiVersion: job.apiVersion, outcome: result.outcome }, 'stripe event handled');
    return result;
  }

  private async apply(tx: BillingTx, type: string, object: unknown, at: Date): Promise<Effect> {
    if (!HANDLED.has(type)) return { outcome: 'ignored' };
    if (type.startsWith('checkout.session.')) {
      const parsed = checkoutSession.safeParse(object);
      if (!parsed.success) return { outcome: 'ignored' };
      const session = parsed.data;
      const payment = await this.ledger.checkoutPayment(tx, { sessionId: session.id, paymentId: session.metadata?.paymentId });
      if (payment?.provider !== 'stripe') return { outcome: 'ignored' };
      switch (type) {
        case 'checkout.session.completed':
        case 'checkout.session.async_payment_succeeded':
          // A delayed payment method completes the session unpaid; its money comes with async_payment_succeeded.
          if (session.payment_status === 'unpaid') return { outcome: 'ignored', businessId: payment.businessId };
          return this.ledger.completeCheckout(tx, payment, {
            at,
            paymentIntentId: session.payment_intent,
            customerId: session.customer,
            subscriptionId: session.subscription,
            amountMinor: session.amount_total,
          });
        case 'checkout.session.async_payment_failed':
          return this.ledger.failCheckout(tx, payment, at);
        default:
          return this.ledger.expireCheckout(tx, payment, at);
      }
    }
    if (type.startsWith('customer.subscription.')) {
      const parsed = subscription.safeParse(object);
      return parsed.success ? this.ledger.applySubscription(tx, parsed.data, type === 'customer.subscription.deleted', at) : { outcome: 'ignored' };
    }
    if (type.startsWith('invoice.')) {
      const parsed = invoice.safeParse(object);
      if (!parsed.success) return { outcome: 'ignored' };
      return type === 'invoice.paid' ? this.ledger.applyInvoicePaid(tx, parsed.data, at) : this.ledger.applyInvoiceFailed(tx, parsed.data, at);
    }
    const parsed = charge.safeParse(object);
    return parsed.success ? this.ledger.applyRefund(tx, parsed.data, at, (intent) => this.provider.invoiceOfPaymentIntent(intent)) : { outcome: 'ignored' };
  }
}
