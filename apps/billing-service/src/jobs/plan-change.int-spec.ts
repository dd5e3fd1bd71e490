import { randomUUID } from 'node:crypto';
import { DAY, event, nowSeconds, stripeHarness, stripeKnowsPlans, SUBSCRIPTION_ITEM_ID, subscriptionAt, type Checkout } from '../__fixtures__/stripe-events';
import { billingOnFakeStripe, founder, startTestBilling, type TestBilling, type TestFounder } from '../__fixtures__/test-billing';

const change = (billing: TestBilling, who: TestFounder, plan: 'monthly' | 'yearly', requestId = randomUUID()) =>
  billing.run('billing', 'change-subscription', { v: 1, userId: who.profileId, plan, requestId });
const cancel = (billing: TestBilling, who: TestFounder) => billing.run('billing', 'cancel-subscription', { v: 1, userId: who.profileId, requestId: randomUUID() });

/** A second plan's checkout while one runs: refused, pointing to the change. */
async function secondCheckout(billing: TestBilling, who: TestFounder, pkg: string) {
  const response = await billing.call('POST', '/checkout', who, { package: pkg });
  return { status: response.status, error: ((await response.json()) as { error: { code: string; message: string } }).error };
}

describe('plan changes with Stripe (fake Stripe API)', () => {
  const running = billingOnFakeStripe();
  const { deliver, activeSubscription, subscriptionOf, lastReport } = stripeHarness(running.billing);
  beforeAll(() => stripeKnowsPlans(running.stripe()));

  /** The requests that updated this subscription at Stripe, as form parameters. */
  const updatesOf = (subId: string) =>
    running
      .stripe()
      .calls('POST', new RegExp(`^/v1/subscriptions/${subId}$`))
      .map((call) => ({ params: Object.fromEntries(call.params), idempotencyKey: call.idempotencyKey }));

  /** Stripe's `updated` event after a change to yearly: the item bills the yearly price from `start`. */
  const yearlyAt = (who: TestFounder, checkout: Checkout, subId: string, start: number, fields: Record<string, unknown> = {}) =>
    subscriptionAt('dahlia', who, checkout.checkoutId, subId, 'active', start + 365 * DAY, {
      metadata: { paymentId: checkout.checkoutId, businessId: who.profileId, packageId: 'yearly' },
      items: { data: [{ current_period_start: start, current_period_end: start + 365 * DAY, price: { id: 'price_yearly_inline', recurring: { interval: 'year' } } }] },
      ...fields,
    });

  it('switches a monthly plan set to end with its period to yearly: the item gets the yearly price, prorated, the cancellation lifted, and the updated event moves the ledger', async () => {
    const who = await founder();
    const t = nowSeconds();
    const { checkout, subId } = await activeSubscription(who, t + 20 * DAY, t - 100);
    expect(await cancel(running.billing(), who)).toEqual({ outcome: 'cancelled-at-period-end' });
    await deliver(event('customer.subscription.updated', subscriptionAt('dahlia', who, checkout.checkoutId, subId, 'active', t + 20 * DAY, { cancel_at_period_end: true }), t - 50));

    // What the issue found refused: a checkout stays refused, and its answer points to the change, which works.
    expect(await secondCheckout(running.billing(), who, 'yearly')).toEqual({
      status: 409,
      error: expect.objectContaining({ code: 'already_subscribed', message: expect.stringContaining('/v1/billing/subscription/change') }),
    });
    const requestId = randomUUID();
    expect(await change(running.billing(), who, 'yearly', requestId)).toEqual({ outcome: 'changed' });

    const [update] = updatesOf(subId).filter((u) => u.params['items[0][id]']);
    expect(update).toEqual({
      idempotencyKey: `change-${requestId}`,
      params: {
        'items[0][id]': SUBSCRIPTION_ITEM_ID,
        'items[0][price_data][currency]': 'usd',
        'items[0][price_data][unit_amount]': '29000',
        'items[0][price_data][recurring][interval]': 'year',
        'items[0][price_data][product]': expect.stringMatching(/^prod_/),
        proration_behavior: 'create_prorations',
        cancel_at_period_end: 'false',
        'metadata[packageId]': 'yearly',
      },
    });
    const [product] = running.stripe().calls('POST', /^\/v1\/products$/).filter((c) => c.idempotencyKey === `change-${requestId}-product`);
    expect(product?.params.get('name')).toBe('DreamSeed Yearly');
    expect((await subscriptionOf(who))[0]).toMatchObject({ plan: 'yearly', package_id: 'yearly', cancel_at_period_end: false, canceled_at: null });
    expect(await lastReport(who)).toMatchObject({ subscriptionType: 'yearly', eventId: `change-${requestId}` });

    // Stripe confirms: a new yearly period from now, no cancellation.
    const confirmed = event('customer.subscription.updated', yearlyAt(who, checkout, subId, t), t + 1);
    expect(await deliver(confirmed)).toEqual({ outcome: 'applied' });
    const [sub] = await subscriptionOf(who);
    expect(sub).toMatchObject({ plan: 'yearly', package_id: 'yearly', status: 'active', cancel_at_period_end: false });
    expect(sub.current_period_end.toISOString()).toBe(new Date((t + 365 * DAY) * 1000).toISOString());
    expect(await lastReport(who)).toMatchObject({ subscriptionType: 'yearly', subscriptionExpiresAt: new Date((t + 365 * DAY) * 1000).toISOString() });
  });

  it('changes once on a double click, and a retried job reuses its idempotency key without a second change', async () => {
    const who = await founder();
    const { subId } = await activeSubscription(who, nowSeconds() + 10 * DAY);
    const requestIds = [randomUUID(), randomUUID()];
    const outcomes = await Promise.all(requestIds.map((requestId) => change(running.billing(), who, 'yearly', requestId)));
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['changed', 'unchanged']);
    expect(await change(running.billing(), who, 'yearly', requestIds[0])).toEqual({ outcome: 'unchanged' });
    const updates = updatesOf(subId);
    expect(updates).toHaveLength(1);
    expect(requestIds.map((id) => `change-${id}`)).toContain(updates[0]?.idempotencyKey);
  });

  it('resumes a cancelling subscription asked for the plan it runs, and changes nothing for one that is not cancelling or a founder with none', async () => {
    const who = await founder();
    const { subId } = await activeSubscription(who, nowSeconds() + 10 * DAY);
    expect(await change(running.billing(), who, 'monthly')).toEqual({ outcome: 'unchanged' });
    expect(updatesOf(subId)).toEqual([]);

    await cancel(running.billing(), who);
    const requestId = randomUUID();
    expect(await change(running.billing(), who, 'monthly', requestId)).toEqual({ outcome: 'resumed' });
    const resumed = updatesOf(subId).at(-1);
    expect(resumed).toEqual({ idempotencyKey: `change-${requestId}`, params: { cancel_at_period_end: 'false' } });
    expect((await subscriptionOf(who))[0]).toMatchObject({ plan: 'monthly', package_id: 'monthly', cancel_at_period_end: false });

    expect(await change(running.billing(), await founder(), 'yearly')).toEqual({ outcome: 'no-subscription' });
  });

  it('follows a plan changed at Stripe by its price, whatever the metadata set at checkout says', async () => {
    const who = await founder();
    const t = nowSeconds();
    const { checkout, subId } = await activeSubscription(who, t + 10 * DAY, t - 100);
    // A change made in Stripe's dashboard: the price moves, our metadata still names the monthly package.
    const monthlyMetadata = { metadata: { paymentId: checkout.checkoutId, businessId: who.profileId, packageId: 'monthly' } };
    expect(await deliver(event('customer.subscription.updated', yearlyAt(who, checkout, subId, t, monthlyMetadata), t))).toEqual({ outcome: 'applied' });
    expect((await subscriptionOf(who))[0]).toMatchObject({ plan: 'yearly', package_id: 'yearly' });
    expect(await lastReport(who)).toMatchObject({ subscriptionType: 'yearly' });
    // An event from before the change, arriving late, does not move it back.
    const older = event('customer.subscription.updated', subscriptionAt('dahlia', who, checkout.checkoutId, subId, 'active', t + 10 * DAY), t - 10);
    expect(await deliver(older)).toEqual({ outcome: 'stale' });
    expect((await subscriptionOf(who))[0]).toMatchObject({ plan: 'yearly' });
  });
});

describe('plan changes with the local provider', () => {
  let billing: TestBilling;
  beforeAll(async () => {
    billing = await startTestBilling();
  });
  afterAll(async () => {
    await billing.stop();
  });

  it('switches a monthly plan set to end with its period to yearly in the ledger: plan and package now, the cancellation lifted, the period kept', async () => {
    const who = await founder();
    const opened = await billing.call('POST', '/checkout', who, { package: 'monthly' });
    const { checkoutId } = (await opened.json()) as { checkoutId: string };
    await billing.run('billing', 'confirm-local-checkout', { v: 1, checkoutId });
    expect(await cancel(billing, who)).toEqual({ outcome: 'cancelled-at-period-end' });
    const rowOf = async () => (await billing.pool.query('select * from billing.subscriptions where business_id = $1', [who.profileId])).rows[0];
    const before = await rowOf();

    expect(await secondCheckout(billing, who, 'yearly')).toMatchObject({ status: 409, error: { code: 'already_subscribed' } });
    expect(await change(billing, who, 'yearly')).toEqual({ outcome: 'changed' });
    const after = await rowOf();
    expect(after).toMatchObject({ provider: 'local', plan: 'yearly', package_id: 'yearly', status: 'active', cancel_at_period_end: false });
    expect(after.current_period_end).toEqual(before.current_period_end);
    expect((await billing.profileReports(who.profileId)).at(-1)).toMatchObject({ subscriptionType: 'yearly' });
    const view = (await (await billing.call('GET', '/subscription', who)).json()) as { subscription: Record<string, unknown> };
    expect(view.subscription).toMatchObject({ plan: 'yearly', packageId: 'yearly', cancelAtPeriodEnd: false });

    expect(await change(billing, who, 'yearly')).toEqual({ outcome: 'unchanged' });
    expect(await change(billing, who, 'monthly')).toEqual({ outcome: 'changed' });
    expect(await rowOf()).toMatchObject({ plan: 'monthly', package_id: 'monthly' });
  });
});
