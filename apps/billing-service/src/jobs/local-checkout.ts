import type { BillingJobs, JobPayloadOf } from '@dreamseed/contracts';
import type { JobContext } from '@dreamseed/platform';
import { applyOnce } from '../billing/events';
import type { Ledger } from '../billing/ledger';
import type { ProfileReporter } from '../billing/profile';
import type { BillingDb } from '../db/client';

/**
 * The local provider's confirm link was used: the checkout completes exactly as a Stripe
 * `checkout.session.completed` would (the ledger's one path), recorded once as a local billing event.
 * Only an open local checkout can be confirmed; the link of one that was replaced or already used does nothing.
 */
export class LocalCheckouts {
  constructor(
    private readonly db: BillingDb,
    private readonly ledger: Ledger,
    private readonly reporter: ProfileReporter,
  ) {}

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
