import { desc, eq } from 'drizzle-orm';
import type { PaymentStatus } from '@dreamseed/contracts';
import { jobIdFrom, withOwnerRole, type JobProducer } from '@dreamseed/platform';
import type { BillingDb, BillingTx, PaymentRow, SubscriptionRow } from '../db/client';
import type { FormationPaid } from './ledger';
import { payments, subscriptions } from '../db/schema';

/** Subscriptions that still give access (a cancelled one does until the expiry job ends it). */
const CURRENT = new Set(['trialing', 'active', 'past_due', 'unpaid', 'paused', 'canceled']);
const FAILING = new Set(['past_due', 'unpaid']);
/** Payment statuses whose money the platform kept (some of it, when partly refunded). */
export const MONEY_KEPT = new Set(['paid', 'partially_refunded']);

export interface PaymentSummary {
  paymentStatus: PaymentStatus;
  subscriptionType: 'monthly' | 'yearly' | null;
  amountPaid: number;
  /** The currency of what was paid; absent while nothing was. */
  currency?: string;
  paymentDate: Date | null;
  subscriptionExpiresAt: Date | null;
}

/**
 * The founder's billing state in the profile's words. Computed from all their rows rather than from one event,
 * so that whichever report the gateway applies last says the whole truth.
 */
export async function summarize(tx: BillingTx, businessId: string): Promise<PaymentSummary> {
  const pays = await tx.select().from(payments).where(eq(payments.businessId, businessId)).orderBy(desc(payments.createdAt));
  const subs = await tx.select().from(subscriptions).where(eq(subscriptions.businessId, businessId)).orderBy(desc(subscriptions.currentPeriodEnd));
  return summaryOf(pays, subs);
}

type PaymentFacts = Pick<PaymentRow, 'kind' | 'status' | 'amountMinor' | 'amountRefundedMinor' | 'paidAt'> & Partial<Pick<PaymentRow, 'currency'>>;
type SubscriptionFacts = Pick<SubscriptionRow, 'status' | 'plan' | 'expiredAt' | 'currentPeriodEnd'>;

/**
 * The summary of a founder's rows: payments newest first, subscriptions by the latest period end first. A
 * current subscription decides (failing or paid); else a one-time package whose money was kept; else the
 * newest payment that did not expire.
 */
export function summaryOf(pays: readonly PaymentFacts[], subs: readonly SubscriptionFacts[]): PaymentSummary {
  const current = subs.find((s) => !s.expiredAt && CURRENT.has(s.status));
  const packagePaid = pays.some((p) => p.kind === 'one_time' && MONEY_KEPT.has(p.status));
  const latest = pays.find((p) => p.status !== 'expired');

  let paymentStatus: PaymentStatus;
  if (current && FAILING.has(current.status)) paymentStatus = 'failed';
  else if (current || packagePaid) paymentStatus = 'paid';
  else if (latest?.status === 'refunded') paymentStatus = 'refunded';
  else if (latest?.status === 'failed') paymentStatus = 'failed';
  else if (latest?.status === 'pending') paymentStatus = 'pending';
  else paymentStatus = 'none';

  const paidTimes = pays.map((p) => p.paidAt).filter((t): t is Date => t !== null);
  return {
    paymentStatus,
    subscriptionType: current ? (current.plan as 'monthly' | 'yearly') : null,
    amountPaid: pays.filter((p) => p.paidAt).reduce((sum, p) => sum + p.amountMinor - p.amountRefundedMinor, 0),
    currency: pays.find((p) => p.paidAt)?.currency,
    paymentDate: paidTimes.length ? new Date(Math.max(...paidTimes.map(Number))) : null,
    subscriptionExpiresAt: current?.currentPeriodEnd ?? null,
  };
}

/** Sends the founder's billing state to the gateway, which owns the profile. */
export class ProfileReporter {
  constructor(
    private readonly db: BillingDb,
    private readonly producer: JobProducer,
  ) {}

  /**
   * `eventId` names what caused the report and is stable across retries (the gateway applies each id once).
   * `occurredAt` is when this state was read, after the cause's commit: a later read sees every change an
   * earlier one saw, so the gateway's "newest report wins" keeps the newest state. (Provider times, such as
   * Stripe's `created`, order events inside billing; they are another clock than the checkout's.)
   */
  async report(businessId: string, eventId: string, correlationId?: string): Promise<void> {
    const summary = await withOwnerRole(this.db, 'billing', (tx) => summarize(tx, businessId));
    const occurredAt = new Date();
    await this.producer.enqueue(
      'gateway',
      'profile-payment-updated',
      {
        v: 1,
        userId: businessId,
        eventId,
        occurredAt: occurredAt.toISOString(),
        paymentStatus: summary.paymentStatus,
        subscriptionType: summary.subscriptionType,
        amountPaid: summary.amountPaid,
        currency: summary.currency,
        paymentDate: summary.paymentDate?.toISOString() ?? null,
        subscriptionExpiresAt: summary.subscriptionExpiresAt?.toISOString() ?? null,
      },
      { jobId: jobIdFrom('payment', eventId), correlationId },
    );
  }

  /**
   * A formation package was paid: the gateway opens the founder's formation case (and asks for the domain when
   * the package includes one). The id is the payment's, so however often Stripe repeats its events, or this
   * job retries, the gateway hears of one payment once; a later refund does not take it back.
   */
  async formationPaid(businessId: string, paid: FormationPaid, correlationId?: string): Promise<void> {
    const eventId = `formation-paid-${paid.paymentId}`;
    await this.producer.enqueue(
      'gateway',
      'formation-package-paid',
      { v: 1, userId: businessId, eventId, occurredAt: paid.paidAt, paymentId: paid.paymentId, packageId: paid.packageId, includesDomain: paid.includesDomain },
      { jobId: jobIdFrom('formation-paid', paid.paymentId), correlationId },
    );
  }
}
