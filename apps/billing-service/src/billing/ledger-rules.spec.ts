import fc from 'fast-check';
import {
  accessEnd,
  FINAL_AT_STRIPE,
  invoiceFailureIsNews,
  invoiceFailureLapses,
  invoicePaidChange,
  isNewer,
  refundOf,
  STATUS_RANK,
  SUBSCRIPTION_STATUSES,
  type SubscriptionState,
} from './ledger-rules';

const at = (second: number) => new Date(Date.UTC(2026, 0, 1) + second * 1000);
const NOT_FINAL = SUBSCRIPTION_STATUSES.filter((status) => !FINAL_AT_STRIPE.has(status));
const FINAL = [...FINAL_AT_STRIPE];

/** What the ledger keeps of a subscription after each delivery, applied the way `applySubscription` does. */
function deliver(events: readonly { status: string; at: Date }[]) {
  let row: Pick<SubscriptionState, 'status' | 'lastEventAt'> = { status: 'active', lastEventAt: null };
  for (const event of events) {
    if (isNewer(row, event.status, event.at)) row = { status: event.status, lastEventAt: event.at };
  }
  return row;
}

/** A subscription's life as Stripe tells it: states one second or more apart, a final state only at the end. */
const stripeHistory = fc
  .tuple(
    fc.array(fc.constantFrom(...NOT_FINAL), { maxLength: 6 }),
    fc.array(fc.constantFrom(...FINAL), { maxLength: 2 }),
    fc.array(fc.integer({ min: 1, max: 3600 }), { minLength: 8, maxLength: 8 }),
  )
  .filter(([open, closed]) => open.length + closed.length > 0)
  .map(([open, closed, gaps]) => {
    let second = 0;
    return [...open, ...closed].map((status, i) => ({ status, at: at((second += gaps[i] ?? 1)) }));
  });

describe('ledger rules: which subscription event wins', () => {
  it('ends on the last state of the history, whatever order the events are delivered in', () => {
    fc.assert(
      fc.property(
        stripeHistory.chain((history) => fc.tuple(fc.constant(history), fc.shuffledSubarray(history, { minLength: history.length }))),
        ([history, delivered]) => {
          const last = history[history.length - 1];
          expect(deliver(delivered)).toEqual({ status: last?.status, lastEventAt: last?.at });
        },
      ),
    );
  });

  it('lets a row no event has touched take any event', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SUBSCRIPTION_STATUSES), fc.constantFrom(...SUBSCRIPTION_STATUSES), fc.integer(), (rowStatus, status, second) => {
        expect(isNewer({ status: rowStatus, lastEventAt: null }, status, at(second))).toBe(true);
      }),
    );
  });

  it('never brings a subscription back from a state Stripe ends it in', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FINAL), fc.constantFrom(...NOT_FINAL), fc.integer({ min: -1000, max: 1000 }), (final, status, offset) => {
        expect(isNewer({ status: final, lastEventAt: at(0) }, status, at(offset))).toBe(false);
      }),
    );
  });

  it('goes by time when the seconds differ', () => {
    expect(isNewer({ status: 'past_due', lastEventAt: at(10) }, 'active', at(11))).toBe(true);
    expect(isNewer({ status: 'active', lastEventAt: at(10) }, 'past_due', at(9))).toBe(false);
    expect(isNewer({ status: 'canceled', lastEventAt: at(10) }, 'incomplete_expired', at(11))).toBe(true);
    expect(isNewer({ status: 'canceled', lastEventAt: at(10) }, 'incomplete_expired', at(9))).toBe(false);
  });

  it.each([
    ['active', 'past_due', true],
    ['past_due', 'active', false],
    ['trialing', 'active', true],
    ['active', 'trialing', false],
    ['unpaid', 'paused', true],
    ['paused', 'unpaid', true],
    ['past_due', 'canceled', true],
    ['canceled', 'incomplete_expired', true],
    ['expired', 'unpaid', false],
    ['active', 'active', true],
  ])('in the same second, %s is followed by %s: %s', (rowStatus, status, expected) => {
    expect(isNewer({ status: rowStatus, lastEventAt: at(5) }, status, at(5))).toBe(expected);
  });

  it('ranks every status Stripe reports, so that a tie never falls back to rank 0 by accident', () => {
    expect(Object.keys(STATUS_RANK).sort()).toEqual([...SUBSCRIPTION_STATUSES].sort());
  });
});

describe('ledger rules: access and invoices', () => {
  it('ends access when a subscription ended early, else at the period end, else where it was', () => {
    expect(accessEnd(at(100), at(50), at(80))).toEqual(at(50));
    expect(accessEnd(at(100), at(150), at(80))).toEqual(at(100));
    expect(accessEnd(null, at(150), at(80))).toEqual(at(150));
    expect(accessEnd(null, null, at(80))).toEqual(at(80));
    expect(accessEnd(null, null, null)).toBeNull();
  });

  const subscription = fc.record({
    status: fc.constantFrom(...SUBSCRIPTION_STATUSES),
    lastEventAt: fc.option(fc.integer({ min: 0, max: 100 }).map(at), { nil: null }),
    currentPeriodEnd: fc.option(fc.integer({ min: 0, max: 100 }).map(at), { nil: null }),
  });
  const when = fc.integer({ min: 0, max: 100 }).map(at);
  const invoiceEnd = fc.option(fc.integer({ min: 0, max: 100 }).map(at), { nil: null });

  it('a paid invoice never shortens access, and extends it exactly when it paid for a later end', () => {
    fc.assert(
      fc.property(subscription, when, invoiceEnd, (sub, paidAt, end) => {
        const change = invoicePaidChange(sub, paidAt, end);
        const times = [sub.currentPeriodEnd, end].filter((t): t is Date => t !== null).map(Number);
        expect(change.periodEnd ? Number(change.periodEnd) : null).toBe(times.length ? Math.max(...times) : null);
        expect(change.extendsAccess).toBe(!!end && (!sub.currentPeriodEnd || end > sub.currentPeriodEnd));
      }),
    );
  });

  it('a paid invoice brings back only a failing or lapsed subscription, and only when it is newer', () => {
    fc.assert(
      fc.property(subscription, when, invoiceEnd, (sub, paidAt, end) => {
        const change = invoicePaidChange(sub, paidAt, end);
        expect(change.newer).toBe(isNewer(sub, 'active', paidAt));
        expect(change.recovers).toBe(change.newer && ['past_due', 'unpaid', 'incomplete', 'expired'].includes(sub.status));
      }),
    );
  });

  it('a failed invoice turns only a subscription in good standing past due, and only when newer', () => {
    expect(invoiceFailureLapses({ status: 'active', lastEventAt: at(1) }, at(2))).toBe(true);
    expect(invoiceFailureLapses({ status: 'trialing', lastEventAt: null }, at(2))).toBe(true);
    expect(invoiceFailureLapses({ status: 'active', lastEventAt: at(3) }, at(2))).toBe(false);
    expect(invoiceFailureLapses({ status: 'unpaid', lastEventAt: at(1) }, at(2))).toBe(false);
    expect(invoiceFailureLapses({ status: 'canceled', lastEventAt: at(1) }, at(2))).toBe(false);
  });

  it('a failed invoice is news for a pending payment, or for a failed one it comes after', () => {
    expect(invoiceFailureIsNews({ status: 'pending', lastEventAt: at(9) }, at(1))).toBe(true);
    expect(invoiceFailureIsNews({ status: 'failed', lastEventAt: null }, at(1))).toBe(true);
    expect(invoiceFailureIsNews({ status: 'failed', lastEventAt: at(1) }, at(2))).toBe(true);
    expect(invoiceFailureIsNews({ status: 'failed', lastEventAt: at(2) }, at(2))).toBe(false);
    for (const status of ['paid', 'partially_refunded', 'refunded', 'expired']) {
      expect(invoiceFailureIsNews({ status, lastEventAt: null }, at(2))).toBe(false);
    }
  });
});

describe('ledger rules: refunds', () => {
  /** A payment and Stripe's charge events for it: each says the total refunded so far, `refunded` once it is all. */
  const refunds = fc.integer({ min: 1, max: 100_000 }).chain((amountMinor) =>
    fc.tuple(
      fc.constant(amountMinor),
      fc
        .array(fc.integer({ min: 1, max: amountMinor }), { minLength: 1, maxLength: 6 })
        .map((totals) => totals.map((total) => ({ amount_refunded: total, refunded: total === amountMinor }))),
    ),
  );

  it('ends at the largest refund reported, whatever the order and however often events repeat', () => {
    fc.assert(
      fc.property(
        refunds.chain(([amountMinor, charges]) => fc.tuple(fc.constant(amountMinor), fc.constant(charges), fc.shuffledSubarray([...charges, ...charges], { minLength: charges.length * 2 }))),
        ([amountMinor, charges, delivered]) => {
          let payment = { amountMinor, amountRefundedMinor: 0, status: 'paid' };
          for (const charge of delivered) {
            const refund = refundOf(payment, charge);
            if (refund) {
              expect(refund.amountRefundedMinor).toBeGreaterThan(payment.amountRefundedMinor);
              payment = { ...payment, ...refund };
            }
          }
          const largest = Math.max(...charges.map((c) => c.amount_refunded));
          expect(payment.amountRefundedMinor).toBe(largest);
          expect(payment.status).toBe(largest === amountMinor ? 'refunded' : 'partially_refunded');
        },
      ),
    );
  });

  it('never refunds more than was paid, and a charge marked refunded refunds it all', () => {
    expect(refundOf({ amountMinor: 1000, amountRefundedMinor: 0 }, { amount_refunded: 5000 })).toEqual({ amountRefundedMinor: 1000, status: 'refunded' });
    expect(refundOf({ amountMinor: 1000, amountRefundedMinor: 0 }, { amount_refunded: 400, refunded: true })).toEqual({ amountRefundedMinor: 1000, status: 'refunded' });
    expect(refundOf({ amountMinor: 1000, amountRefundedMinor: 400 }, { amount_refunded: 400 })).toBeNull();
    expect(refundOf({ amountMinor: 1000, amountRefundedMinor: 400 }, { amount_refunded: 100 })).toBeNull();
    expect(refundOf({ amountMinor: 1000, amountRefundedMinor: 1000 }, { amount_refunded: 1000, refunded: true })).toBeNull();
  });
});
