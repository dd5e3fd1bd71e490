import { randomUUID } from 'node:crypto';
import { jobIdFrom } from '@dreamseed/platform';
import { stripeEvent, stripeFixtures, stripeObject, type FakeStripe, type StripeFixtureSet, type StripeTestEvent } from '@dreamseed/testing';
import type { TestBilling, TestFounder } from './test-billing';

/**
 * Stripe events for billing's tests, from Stripe's own fixtures (libs/testing/fixtures/stripe): `dahlia` objects
 * have the shapes of Basil onwards, `2020-08-27` ones those before it. Only our ids, amounts, times and metadata
 * are laid over them.
 */
export const DAY = 24 * 3600;
export const nowSeconds = () => Math.floor(Date.now() / 1000);
/** Stripe ids unique to the run: every run adds to the same database. */
export const stripeId = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 16)}`;

type Fields = Record<string, unknown>;
export interface Checkout {
  checkoutId: string;
  sessionId: string;
}

const ourMetadata = (who: TestFounder, checkoutId: string, packageId?: string) => ({ paymentId: checkoutId, businessId: who.profileId, ...(packageId ? { packageId } : {}) });

export function event(type: string, object: Fields, created = nowSeconds(), set: StripeFixtureSet = 'dahlia', apiVersion?: string | null) {
  return stripeEvent(set, type, object, { created, apiVersion });
}

export function session(who: TestFounder, checkout: Checkout, fields: Fields, set: StripeFixtureSet = 'dahlia') {
  return stripeObject(set, 'checkout.session', {
    id: checkout.sessionId,
    client_reference_id: who.profileId,
    status: 'complete',
    payment_status: 'paid',
    currency: 'usd',
    metadata: ourMetadata(who, checkout.checkoutId),
    ...fields,
  });
}

/** A monthly subscription of ours whose current period ends at `periodEnd`, in the set's shape. */
export function subscriptionAt(set: StripeFixtureSet, who: TestFounder, checkoutId: string, id: string, status: string, periodEnd: number, extra: Fields = {}) {
  const period = { current_period_start: periodEnd - 30 * DAY, current_period_end: periodEnd };
  return stripeObject(set, 'subscription', {
    id,
    status,
    customer: 'cus_sub',
    cancel_at_period_end: false,
    canceled_at: null,
    ended_at: null,
    metadata: ourMetadata(who, checkoutId, 'monthly'),
    // Basil moved the period from the subscription to its items.
    ...(set === '2020-08-27' ? period : { cancel_at: null, items: { data: [period] } }),
    ...extra,
  });
}

/** The one item of the subscriptions the fake Stripe API hands out (Stripe's fixture's). */
export const SUBSCRIPTION_ITEM_ID = stripeFixtures.dahlia.subscription.items.data[0]?.id ?? '';

/**
 * What a plan change reads from and makes at Stripe, taught to the fake Stripe API: any subscription asked for is
 * Stripe's fixture under that id (one item, SUBSCRIPTION_ITEM_ID), and products are created.
 */
export function stripeKnowsPlans(stripe: FakeStripe) {
  stripe.server.route('GET /v1/subscriptions/:id', (request) => ({ body: stripeObject('dahlia', 'subscription', { id: request.params.id }) }));
  stripe.server.route('POST /v1/products', (request) => ({
    body: { id: stripeId('prod'), object: 'product', name: new URLSearchParams(request.rawBody).get('name') },
  }));
}

/** A paid invoice of a subscription for the period ending at `periodEnd`, in the set's shape. */
export function invoiceAt(set: StripeFixtureSet, who: TestFounder, checkoutId: string, subId: string, id: string, reason: string, periodEnd: number, extra: Fields = {}) {
  const details = { subscription: subId, metadata: ourMetadata(who, checkoutId, 'monthly') };
  return stripeObject(set, 'invoice', {
    id,
    status: 'paid',
    billing_reason: reason,
    customer: 'cus_sub',
    amount_paid: 2900,
    amount_due: 2900,
    currency: 'usd',
    // Basil moved the subscription (and its metadata) under `parent`.
    ...(set === '2020-08-27'
      ? { subscription: subId }
      : { subscription: undefined, parent: { type: 'subscription_details', quote_details: null, subscription_details: details } }),
    lines: { data: [{ period: { start: periodEnd - 30 * DAY, end: periodEnd } }] },
    ...extra,
  });
}

/**
 * Delivering events to a test billing service as the gateway does, and looking at what they changed. The
 * service is asked for at each call: a suite starts it in `beforeAll`.
 */
export function stripeHarness(billingOf: () => TestBilling) {
  /** Queues the event as the gateway would; `again` makes a second job (the event id is the dedupe under test). */
  const deliver = (evt: StripeTestEvent, again = '', payload: Fields = {}) =>
    billingOf().run(
      'billing',
      'stripe-event',
      { v: 1, eventId: evt.id, type: evt.type, apiVersion: evt.api_version, receivedAt: new Date().toISOString(), event: evt, ...payload },
      jobIdFrom('stripe', evt.id) + again,
    );

  async function startCheckout(who: TestFounder, pkg: string): Promise<Checkout> {
    const billing = billingOf();
    const response = await billing.call('POST', '/checkout', who, { package: pkg });
    const { checkoutId } = (await response.json()) as { checkoutId: string };
    const row = await billing.pool.query('select checkout_session_id from billing.payments where id = $1', [checkoutId]);
    return { checkoutId, sessionId: row.rows[0].checkout_session_id as string };
  }

  /** A monthly plan bought through checkout and made active by Stripe's subscription event, at `t`. */
  async function activeSubscription(who: TestFounder, periodEnd: number, t = nowSeconds() - 60, set: StripeFixtureSet = 'dahlia') {
    const checkout = await startCheckout(who, 'monthly');
    const subId = stripeId('sub');
    await deliver(event('checkout.session.completed', session(who, checkout, { mode: 'subscription', subscription: subId, amount_total: 2900 }, set), t, set));
    await deliver(event('customer.subscription.updated', subscriptionAt(set, who, checkout.checkoutId, subId, 'active', periodEnd), t, set));
    return { checkout, subId };
  }

  const rowsOf = async (table: 'payments' | 'subscriptions', who: TestFounder) =>
    (await billingOf().pool.query(`select * from billing.${table} where business_id = $1 order by created_at`, [who.profileId])).rows;

  return {
    deliver,
    startCheckout,
    activeSubscription,
    payments: (who: TestFounder) => rowsOf('payments', who),
    subscriptionOf: (who: TestFounder) => rowsOf('subscriptions', who),
    lastReport: async (who: TestFounder) => (await billingOf().profileReports(who.profileId)).at(-1),
  };
}
