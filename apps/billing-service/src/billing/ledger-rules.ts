/**
 * The ledger's rules without its storage: which event may overwrite a row, how far access runs, what a refund
 * or a paid invoice changes. `ledger.ts` reads and writes the rows; every decision it takes is one of these.
 */

/** The subscription states Stripe reports; an event naming another is not ours to apply. */
export const SUBSCRIPTION_STATUSES = ['incomplete', 'trialing', 'active', 'past_due', 'unpaid', 'paused', 'canceled', 'incomplete_expired', 'expired'];

/** For events stamped with the same second: the later state in a subscription's life wins. */
export const STATUS_RANK: Record<string, number> = {
  incomplete: 0,
  trialing: 1,
  active: 2,
  past_due: 3,
  unpaid: 4,
  paused: 4,
  canceled: 5,
  incomplete_expired: 5,
  expired: 6,
};

/** Stripe never brings a subscription back from these. */
export const FINAL_AT_STRIPE = new Set(['canceled', 'incomplete_expired']);

/** Payment states in which the money was taken: a late failure or expiry never undoes them. */
export const MONEY_TAKEN = new Set(['paid', 'partially_refunded', 'refunded']);

/** A subscription that a newer paid invoice brings back to `active`. */
const RECOVERABLE = new Set(['past_due', 'unpaid', 'incomplete', 'expired']);

/** A subscription that a failed invoice turns `past_due`. */
const IN_GOOD_STANDING = new Set(['active', 'trialing']);

/** The later of two times, either of which may be missing. */
export const later = (a: Date | null, b: Date | null): Date | null => (!a ? b : !b ? a : a > b ? a : b);

/** What the rules read of a subscription row. */
export interface SubscriptionState {
  status: string;
  lastEventAt: Date | null;
  currentPeriodEnd: Date | null;
}

/**
 * Whether an event at `at` saying `status` may overwrite the row: it is newer than the last applied one (a
 * row no event has touched yet takes any), a tie goes to the later status, and Stripe's final states stay.
 */
export function isNewer(row: Pick<SubscriptionState, 'status' | 'lastEventAt'>, status: string, at: Date): boolean {
  if (!row.lastEventAt) return true;
  if (FINAL_AT_STRIPE.has(row.status) && !FINAL_AT_STRIPE.has(status)) return false;
  if (at.getTime() !== row.lastEventAt.getTime()) return at > row.lastEventAt;
  return (STATUS_RANK[status] ?? 0) >= (STATUS_RANK[row.status] ?? 0);
}

/**
 * Where a subscription's access ends after an update: where it ended, when it ended early (cancelled now
 * rather than at the period's end); else the period's end, or the one already known.
 */
export function accessEnd(periodEnd: Date | null, endedAt: Date | null, knownEnd: Date | null): Date | null {
  return endedAt && (!periodEnd || endedAt < periodEnd) ? endedAt : (periodEnd ?? knownEnd);
}

/**
 * What a paid invoice does to its subscription: one newer than the last change brings a failing or lapsed
 * subscription back; the period it paid for only ever extends access, whatever the order.
 */
export function invoicePaidChange(current: SubscriptionState, at: Date, invoiceEnd: Date | null) {
  const newer = isNewer(current, 'active', at);
  const recovers = newer && RECOVERABLE.has(current.status);
  const periodEnd = later(current.currentPeriodEnd, invoiceEnd);
  const extendsAccess = periodEnd?.getTime() !== current.currentPeriodEnd?.getTime();
  return { newer, recovers, periodEnd, extendsAccess };
}

/** Whether a failed invoice turns its subscription `past_due`: only one in good standing, and only when newer. */
export const invoiceFailureLapses = (sub: Pick<SubscriptionState, 'status' | 'lastEventAt'>, at: Date): boolean =>
  IN_GOOD_STANDING.has(sub.status) && isNewer(sub, 'past_due', at);

/** Whether a failed invoice is news for its payment row: a pending one, or a failure newer than the last. */
export const invoiceFailureIsNews = (billed: { status: string; lastEventAt: Date | null }, at: Date): boolean =>
  billed.status === 'pending' || (billed.status === 'failed' && (!billed.lastEventAt || at > billed.lastEventAt));

/**
 * A refund's effect on a payment whose money was taken, or null when it adds nothing (refunded amounts only
 * grow, so late or repeated events change nothing). Never more than the payment is refunded.
 */
export function refundOf(
  payment: { amountMinor: number; amountRefundedMinor: number },
  charge: { amount_refunded: number; refunded?: boolean | null },
): { amountRefundedMinor: number; status: 'refunded' | 'partially_refunded' } | null {
  const refunded = Math.min(Math.max(payment.amountRefundedMinor, charge.amount_refunded), payment.amountMinor);
  if (refunded <= payment.amountRefundedMinor) return null;
  const full = charge.refunded === true || refunded >= payment.amountMinor;
  return full ? { amountRefundedMinor: payment.amountMinor, status: 'refunded' } : { amountRefundedMinor: refunded, status: 'partially_refunded' };
}
