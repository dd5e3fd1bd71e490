import type Stripe from 'stripe';
import { stripeFixtures, stripeObject, stripeShapeErrors, type StripeFixtureSet } from '@dreamseed/testing';
import { charge, checkoutSession, invoice, invoiceSubscriptionOf, periodOf, subscription } from './objects';

/**
 * The fields billing reads (objects.ts), typed as stripe-node types them at the API version it pins. The
 * current (dahlia) fixtures must agree on every one of them: a field Stripe renames, removes or retypes fails
 * the typecheck. Only these fields: the full objects differ in ways billing does not care about (see
 * libs/testing/fixtures/stripe/README.md).
 */
type SessionReads = Pick<
  Stripe.Checkout.Session,
  'id' | 'mode' | 'payment_status' | 'status' | 'client_reference_id' | 'customer' | 'payment_intent' | 'subscription' | 'amount_total' | 'currency' | 'metadata'
>;
type SubscriptionReads = Pick<Stripe.Subscription, 'id' | 'status' | 'customer' | 'cancel_at_period_end' | 'canceled_at' | 'ended_at' | 'metadata'> & {
  items: {
    data: (Pick<Stripe.SubscriptionItem, 'current_period_start' | 'current_period_end'> & {
      price: Pick<Stripe.Price, 'id'> & { recurring: Pick<Stripe.Price.Recurring, 'interval'> | null };
    })[];
  };
};
type InvoiceReads = Pick<Stripe.Invoice, 'id' | 'status' | 'customer' | 'billing_reason' | 'amount_paid' | 'amount_due' | 'currency' | 'attempt_count'> & {
  parent: { subscription_details: Pick<Stripe.Invoice.Parent.SubscriptionDetails, 'subscription' | 'metadata'> | null } | null;
  lines: { data: { period: Pick<Stripe.InvoiceLineItem.Period, 'start' | 'end'> }[] };
  status_transitions: Pick<Stripe.Invoice.StatusTransitions, 'paid_at'>;
};
type ChargeReads = Pick<Stripe.Charge, 'id' | 'amount' | 'amount_refunded' | 'refunded' | 'currency' | 'payment_intent' | 'metadata'>;
type EventReads = Pick<Stripe.Event, 'id' | 'type' | 'created' | 'livemode' | 'api_version'> & { data: { object: object } };
/** A JSON import types Stripe's enums as plain strings: the SDK's types with their string literals widened. */
type Json<T> = T extends string ? string : T extends (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

const { dahlia } = stripeFixtures;
const currentFixtures = {
  'checkout.session': dahlia['checkout.session'] satisfies Json<SessionReads>,
  subscription: dahlia.subscription satisfies Json<SubscriptionReads>,
  invoice: dahlia.invoice satisfies Json<InvoiceReads>,
  charge: dahlia.charge satisfies Json<ChargeReads>,
  event: dahlia.event satisfies Json<EventReads>,
};

const SETS: StripeFixtureSet[] = ['2020-08-27', 'dahlia'];
const RESOURCES = ['checkout.session', 'subscription', 'invoice', 'charge', 'event'] as const;

describe("Stripe's objects as billing reads them", () => {
  it('has current fixtures that agree with stripe-node on the fields billing reads (checked by the typecheck)', () => {
    expect(Object.keys(currentFixtures)).toEqual([...RESOURCES]);
  });

  it('has pre-Basil fixtures that are valid against the 2020-08-27 spec, which refuses a Basil field on them', () => {
    for (const resource of RESOURCES) expect([resource, stripeShapeErrors('2020-08-27', resource, stripeFixtures['2020-08-27'][resource])]).toEqual([resource, []]);
    const basilInvoice = { ...stripeFixtures['2020-08-27'].invoice, parent: { type: 'subscription_details' } };
    expect(stripeShapeErrors('2020-08-27', 'invoice', basilInvoice)).toEqual(['/parent is not a field of invoice at 2020-08-27']);
    expect(() => stripeObject('2020-08-27', 'subscription', { current_period_end: 'soon' })).toThrow(/current_period_end must be integer/);
  });

  it.each(SETS)('parses every %s fixture', (set) => {
    const fixtures = stripeFixtures[set];
    for (const [schema, fixture] of [[checkoutSession, fixtures['checkout.session']], [subscription, fixtures.subscription], [invoice, fixtures.invoice], [charge, fixtures.charge]] as const) {
      expect(schema.safeParse(fixture).error).toBeUndefined();
    }
  });

  it('finds the subscription and our metadata of an invoice in both shapes', () => {
    const metadata = { businessId: '0e0e8c0a-54a5-4c36-9d1b-7e6a5f4f1e11', packageId: 'monthly' };
    const before = invoice.parse(stripeObject('2020-08-27', 'invoice', { subscription: 'sub_before', subscription_details: { metadata } }));
    const after = invoice.parse(
      stripeObject('dahlia', 'invoice', { subscription: undefined, parent: { type: 'subscription_details', subscription_details: { subscription: 'sub_after', metadata } } }),
    );
    expect(invoiceSubscriptionOf(before)).toEqual({ subscriptionId: 'sub_before', metadata });
    expect(invoiceSubscriptionOf(after)).toEqual({ subscriptionId: 'sub_after', metadata });
    expect(invoiceSubscriptionOf(invoice.parse(stripeObject('2020-08-27', 'invoice', { subscription: null })))).toEqual({ subscriptionId: null, metadata: null });
  });

  it('finds the period of a subscription in both shapes: its own before Basil, the widest of its items after', () => {
    const before = subscription.parse(stripeObject('2020-08-27', 'subscription', { current_period_start: 1_700_000_000, current_period_end: 1_702_592_000 }));
    const items = { data: [{ current_period_start: 1_700_000_000, current_period_end: 1_702_592_000 }, { current_period_start: 1_700_100_000, current_period_end: 1_702_600_000 }] };
    const after = subscription.parse(stripeObject('dahlia', 'subscription', { items }));
    expect(periodOf(before)).toEqual({ start: new Date(1_700_000_000_000), end: new Date(1_702_592_000_000) });
    expect(periodOf(after)).toEqual({ start: new Date(1_700_000_000_000), end: new Date(1_702_600_000_000) });
  });
});
