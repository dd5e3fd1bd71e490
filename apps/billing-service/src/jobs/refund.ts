import { UnrecoverableError } from 'bullmq';
import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import type { BillingJobs, JobPayloadOf } from '@dreamseed/contracts';
import { withOwnerRole, type JobContext } from '@dreamseed/platform';
import { applyOnce } from '../billing/events';
import type { Ledger } from '../billing/ledger';
import { MONEY_KEPT, type ProfileReporter } from '../billing/profile';
import type { MadeRefund, PaymentProvider, RefundTarget } from '../billing/provider';
import type { BillingDb, PaymentRow } from '../db/client';
import { payments } from '../db/schema';

type RefundJob = JobPayloadOf<BillingJobs, 'refund-payment'>;

/** Why a refund is not made. Retrying changes none of them, so the job fails for good with the code first in its reason. */
export type RefundRefusal =
  | 'payment_not_found'
  | 'not_refundable'
  | 'amount_exceeds_remaining'
  | 'stripe_not_configured'
  | 'no_stripe_payment'
  | 'refused_by_stripe';

/**
 * A refusal is a failed job rather than a quiet no-op: the operator's list of a founder's failed jobs (the job
 * names the founder) shows it with this reason, which carries no personal data.
 */
const refused = (code: RefundRefusal, message: string) => new UnrecoverableError(`refund refused (${code}): ${message}`);

/** What stands in the way of giving back `amount` (absent: all that is left) of a payment, or null when nothing does. */
export function refusalOf(payment: Pick<PaymentRow, 'status' | 'amountMinor' | 'amountRefundedMinor'>, amount: number | undefined): UnrecoverableError | null {
  const left = payment.amountMinor - payment.amountRefundedMinor;
  if (!MONEY_KEPT.has(payment.status) || left <= 0) {
    return refused('not_refundable', `The payment is ${payment.status}: only a paid or partly refunded payment has money to give back.`);
  }
  if (amount !== undefined && amount > left) return refused('amount_exceeds_remaining', `${amount} is more than the ${left} left of this payment (minor units).`);
  return null;
}

export type RefundOutcome =
  | { outcome: 'refunded'; amountMinor: number }
  | { outcome: 'duplicate' }
  | { outcome: 'requested'; refundId: string; amountMinor: number; status: string | null };

/**
 * `refund-payment`: an operator gives back a founder's payment, whole or in part. The gateway checks the payment's
 * state before it queues the job; the same checks are made here again, on the row as it is now.
 *
 * - A Stripe payment is refunded at Stripe under the key `refund-<requestId>`, so every retry of the job asks for
 *   the same refund and Stripe makes it once. The ledger and the founder's profile then follow Stripe's
 *   `charge.refunded`, as for a refund made in Stripe's dashboard.
 * - A local payment took no money: its refund is written to the ledger at once, recorded as a local billing event
 *   `refund-<requestId>` in the same transaction (a second job with that request id does nothing), and the profile
 *   report follows as it does after Stripe's event.
 */
export class Refunds {
  constructor(
    private readonly db: BillingDb,
    private readonly ledger: Ledger,
    private readonly reporter: ProfileReporter,
    private readonly provider: PaymentProvider,
  ) {}

  async refund(job: RefundJob, { log, correlationId }: JobContext): Promise<RefundOutcome> {
    const [payment] = await withOwnerRole(this.db, 'billing', (tx) => tx.select().from(payments).where(eq(payments.id, job.paymentId)));
    // Another founder's payment is refused as a missing one is: the job names one founder and touches only theirs.
    if (payment?.businessId !== job.userId) throw refused('payment_not_found', 'The founder has no payment with this id.');
    const result = payment.provider === 'stripe' ? await this.atStripe(job, payment) : await this.locally(job, correlationId);
    log.info({ paymentId: job.paymentId, provider: payment.provider, ...result }, 'refund handled');
    return result;
  }

  private async locally({ paymentId, amount, requestId }: RefundJob, correlationId: string): Promise<RefundOutcome> {
    const now = new Date();
    let amountMinor = 0;
    const event = { id: `refund-${requestId}`, provider: 'local' as const, type: 'charge.refunded', createdAt: now, receivedAt: now, objectId: paymentId, correlationId };
    const result = await applyOnce(this.db, this.reporter, event, async (tx) => {
      // Locked: a second refund of the same payment waits, then sees what this one left.
      const payment = await this.ledger.checkoutPayment(tx, { paymentId });
      if (!payment) throw refused('payment_not_found', 'The founder has no payment with this id.');
      const refusal = refusalOf(payment, amount);
      if (refusal) throw refusal;
      amountMinor = amount ?? payment.amountMinor - payment.amountRefundedMinor;
      // The ledger's one way to refund: the charge as Stripe would render it after this refund.
      const charge = { id: event.id, amount: payment.amountMinor, amount_refunded: payment.amountRefundedMinor + amountMinor, metadata: { paymentId } };
      return this.ledger.applyRefund(tx, charge, now, async () => null);
    });
    return result.outcome === 'duplicate' ? { outcome: 'duplicate' } : { outcome: 'refunded', amountMinor };
  }

  private async atStripe({ userId, paymentId, amount, requestId }: RefundJob, payment: PaymentRow): Promise<RefundOutcome> {
    if (this.provider.name !== 'stripe') throw refused('stripe_not_configured', 'This is a Stripe payment, and billing runs without STRIPE_SECRET_KEY.');
    const target: RefundTarget | null = payment.paymentIntentId
      ? { payment_intent: payment.paymentIntentId }
      : payment.invoiceId
        ? await this.provider.refundTargetOfInvoice(payment.invoiceId)
        : null;
    if (!target) throw refused('no_stripe_payment', 'Stripe names no payment intent or charge that paid this payment.');
    const refusal = refusalOf(payment, amount);
    if (refusal) {
      // The ledger follows Stripe's events: a job that stopped after Stripe made its refund finds, when it runs
      // again, the ledger moved by that very refund. That is this refund done, not a refusal.
      const made = await this.provider.findRefund(target, requestId);
      if (made) return requested(made);
      throw refusal;
    }
    try {
      return requested(await this.provider.refund({ target, amountMinor: amount, metadata: { paymentId, businessId: userId, requestId } }, `refund-${requestId}`));
    } catch (error) {
      // Stripe refusing the request itself (nothing left on the charge, the key reused with other parameters)
      // refuses it again on every retry; anything else (network, rate limit, Stripe down) is worth retrying.
      if (error instanceof Stripe.errors.StripeInvalidRequestError || error instanceof Stripe.errors.StripeIdempotencyError) {
        throw refused('refused_by_stripe', `${error.code ?? error.type}: ${error.message}`);
      }
      throw error;
    }
  }
}

const requested = (made: MadeRefund): RefundOutcome => ({ outcome: 'requested', refundId: made.id, amountMinor: made.amountMinor, status: made.status });
