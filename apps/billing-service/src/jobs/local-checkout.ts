import { eq } from 'drizzle-orm';
import type { BillingJobs, JobPayloadOf } from '@dreamseed/contracts';
import { jobIdFrom, notFound, withFounder, type Founder, type JobContext, type JobProducer } from '@dreamseed/platform';
import { applyOnce } from '../billing/events';
import type { Ledger } from '../billing/ledger';
import type { ProfileReporter } from '../billing/profile';
import type { PaymentProvider } from '../billing/provider';
import type { BillingDb } from '../db/client';
import { payments } from '../db/schema';

/**
 * The local provider's confirmations. Its founder, signed in, asks to confirm their open checkout (`request`);
 * the job then completes it exactly as a Stripe `checkout.session.completed` would (the ledger's one path),
 * recorded once as a local billing event. Only an open local checkout can be confirmed; one that was replaced or
 * already used does nothing.
 */
export class LocalCheckouts {
  constructor(
    private readonly db: BillingDb,
    private readonly ledger: Ledger,
    private readonly reporter: ProfileReporter,
    private readonly producer: JobProducer,
    private readonly provider: Pick<PaymentProvider, 'name'>,
  ) {}

  /**
   * Queues the confirmation of the founder's own open local checkout. Anything else is "no such checkout", so
   * the answer tells nobody whether another founder's id exists. Billing on Stripe has no local checkouts to
   * confirm, even old ones from a local past.
   */
  async request(founder: Founder, checkoutId: string, correlationId?: string): Promise<void> {
    const missing = () => notFound('No such checkout.');
    if (this.provider.name !== 'local') throw missing();
    // Read as the founder: row-level security hides every other founder's checkouts.
    const [payment] = await withFounder(this.db, founder, (tx) =>
      tx.select({ provider: payments.provider, status: payments.status, expiresAt: payments.expiresAt }).from(payments).where(eq(payments.id, checkoutId)).limit(1),
    );
    if (payment?.provider !== 'local') throw missing();
    // A repeated confirmation (a retry, a double click) answers as the first did and changes nothing.
    if (payment.status === 'paid') return;
    if (payment.status !== 'pending' || (payment.expiresAt && payment.expiresAt.getTime() <= Date.now())) throw missing();
    await this.producer.enqueue('billing', 'confirm-local-checkout', { v: 1, checkoutId }, { jobId: jobIdFrom('confirm', checkoutId), correlationId });
  }

  async confirm({ checkoutId }: JobPayloadOf<BillingJobs, 'confirm-local-checkout'>, { log, correlationId }: JobContext) {
    const now = new Date();
    const event = { id: `confirm-${checkoutId}`, provider: 'local' as const, type: 'checkout.session.completed', createdAt: now, receivedAt: now, objectId: checkoutId, correlationId };
    const result = await applyOnce(this.db, this.reporter, event, async (tx) => {
      const payment = await this.ledger.checkoutPayment(tx, { paymentId: checkoutId });
      if (payment?.provider !== 'local' || payment.status !== 'pending') return { outcome: 'ignored' };
      return this.ledger.completeCheckout(tx, payment, { at: now });
    });
    log.info({ outcome: result.outcome }, 'local checkout confirmation handled');
    return result;
  }
}
