import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import {
  freePort,
  startFakeStripe,
  stripeEvent,
  stripeObject,
  uniquePrefix,
  waitFor,
  waitForHttpOk,
  type FakeStripe,
  type RunningProcess,
} from '@dreamseed/testing';
import { startOwner, startTestGateway, uniqueEmail, uniquePhone, type TestGateway } from '../__fixtures__/test-gateway';

const WEBHOOK_SECRET = 'whsec_journey_secret';
const DAY = 24 * 3600;

interface Account {
  token: string;
  profileId: string;
}

/**
 * The payment journey with Stripe, all of it real but Stripe: the billing service (own process) creates sessions
 * on a fake Stripe API, and Stripe's events, signed with stripe-node's test helper, come in through the
 * gateway's webhook, as duplicates and out of order.
 */
describe('billing through the gateway, with Stripe', () => {
  let gateway: TestGateway;
  let billing: RunningProcess;
  let stripe: FakeStripe;

  const call = (account: Account | undefined, method: string, path: string, body?: unknown) =>
    fetch(`${gateway.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(account ? { authorization: `Bearer ${account.token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const profile = async (account: Account) => (await (await call(account, 'GET', '/v1/me')).json()) as Record<string, unknown>;
  const profileWhere = (account: Account, what: string, check: (p: Record<string, unknown>) => boolean) =>
    waitFor(async () => {
      const p = await profile(account);
      return check(p) && p;
    }, what);

  async function signUp(): Promise<Account> {
    const { data, error } = await gateway.client().signUp({ email: uniqueEmail(), password: 'correct horse battery', options: { data: { phone: uniquePhone() } } });
    if (error) throw error;
    return { token: data.session?.access_token ?? '', profileId: String(data.user?.app_metadata.profile_id) };
  }

  /** Starts a checkout and returns what Stripe saw: the session id and our metadata. */
  async function checkout(account: Account, pkg: string) {
    const response = await call(account, 'POST', '/v1/billing/checkout', { package: pkg });
    expect(response.status).toBe(201);
    const { url, checkout_id: checkoutId } = (await response.json()) as { url: string; checkout_id: string };
    return { sessionId: url.split('/').pop() as string, checkoutId };
  }

  /** Sends a Stripe event (Stripe's own fixtures, at the dahlia shapes) to the gateway's webhook, signed as Stripe would. */
  async function deliver(type: string, object: Record<string, unknown>, created: number) {
    const payload = JSON.stringify(stripeEvent('dahlia', type, object, { created }));
    const response = await fetch(`${gateway.url}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) },
      body: payload,
    });
    expect(response.status).toBe(200);
    return payload;
  }

  beforeAll(async () => {
    stripe = await startFakeStripe();
    const [billingPort, gatewayPort] = [await freePort(), await freePort()];
    const prefix = uniquePrefix('billing-stripe');
    billing = startOwner('billing-service', billingPort, prefix, {
      STRIPE_SECRET_KEY: 'sk_test_journey',
      STRIPE_API_BASE_URL: stripe.url,
    });
    gateway = await startTestGateway({
      AUTH_AUTOCONFIRM: 'true',
      BILLING_SERVICE_URL: `http://127.0.0.1:${billingPort}`,
      PORT: String(gatewayPort),
      QUEUE_PREFIX: prefix,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    await waitForHttpOk(`http://127.0.0.1:${billingPort}/health/ready`, 30_000, billing);
  });
  afterAll(async () => {
    await gateway.stop();
    billing.kill('SIGTERM');
    await billing.exited;
    await stripe.close();
  });

  it('pays a package on checkout.session.completed (delivered twice), then refunds it', async () => {
    const founder = await signUp();
    const { sessionId, checkoutId } = await checkout(founder, 'formation-basic');
    const t = Math.floor(Date.now() / 1000);
    const intent = `pi_${randomUUID().slice(0, 12)}`;
    const session = stripeObject('dahlia', 'checkout.session', {
      id: sessionId,
      mode: 'payment',
      status: 'complete',
      payment_status: 'paid',
      amount_total: 9900,
      currency: 'usd',
      client_reference_id: founder.profileId,
      payment_intent: intent,
      customer_details: { email: 'someone@example.com', name: 'Some One' },
      metadata: { paymentId: checkoutId, businessId: founder.profileId, packageId: 'formation-basic' },
    });
    await deliver('checkout.session.completed', session, t);
    await deliver('checkout.session.completed', session, t);
    const paid = await profileWhere(founder, 'the profile to be paid', (p) => p.payment_status === 'paid');
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 9900 });
    const { payments } = (await (await call(founder, 'GET', '/v1/billing/payments')).json()) as { payments: unknown[] };
    expect(payments).toHaveLength(1);

    await deliver('charge.refunded', stripeObject('dahlia', 'charge', { id: 'ch_1', amount: 9900, amount_refunded: 9900, refunded: true, payment_intent: intent }), t + 60);
    const refunded = await profileWhere(founder, 'the profile to show the refund', (p) => p.payment_status === 'refunded');
    expect(refunded).toMatchObject({ amount_paid: 0 });
  });

  it('follows a subscription through events out of order, a failed renewal, its recovery and a cancellation', async () => {
    const founder = await signUp();
    const { sessionId, checkoutId } = await checkout(founder, 'monthly');
    const t = Math.floor(Date.now() / 1000) - 60;
    const subId = `sub_${randomUUID().slice(0, 12)}`;
    const metadata = { paymentId: checkoutId, businessId: founder.profileId, packageId: 'monthly' };
    const subscription = (status: string, periodEnd: number) =>
      stripeObject('dahlia', 'subscription', {
        id: subId,
        status,
        customer: 'cus_journey',
        cancel_at_period_end: false,
        cancel_at: null,
        canceled_at: null,
        ended_at: null,
        metadata,
        items: { data: [{ current_period_start: periodEnd - 30 * DAY, current_period_end: periodEnd }] },
      });
    const invoice = (id: string, status: string, reason: string, periodEnd: number) =>
      stripeObject('dahlia', 'invoice', {
        id,
        status,
        billing_reason: reason,
        amount_paid: status === 'paid' ? 2900 : 0,
        amount_due: 2900,
        currency: 'usd',
        customer_email: 'someone@example.com',
        subscription: undefined,
        parent: { type: 'subscription_details', quote_details: null, subscription_details: { subscription: subId, metadata } },
        lines: { data: [{ period: { start: periodEnd - 30 * DAY, end: periodEnd } }] },
      });
    const firstEnd = t + 30 * DAY;

    // Newest first: the activation, then the older creation (incomplete), then the first invoice and the session.
    await deliver('customer.subscription.updated', subscription('active', firstEnd), t + 2);
    await deliver('customer.subscription.created', subscription('incomplete', firstEnd), t);
    await deliver('invoice.paid', invoice(`in_${subId}_1`, 'paid', 'subscription_create', firstEnd), t + 1);
    const session = { id: sessionId, mode: 'subscription', status: 'complete', payment_status: 'paid', amount_total: 2900, subscription: subId, metadata };
    await deliver('checkout.session.completed', stripeObject('dahlia', 'checkout.session', session), t + 1);
    // Events are applied as they come (in any order): wait for the state all four make together.
    const subscribed = await profileWhere(founder, 'the plan on the profile', (p) => p.subscription_type === 'monthly' && p.amount_paid === 2900);
    expect(subscribed).toMatchObject({ status: 'paid', payment_status: 'paid' });
    expect(Date.parse(String(subscribed.subscription_expires_at))).toBe(firstEnd * 1000);
    const view = (await (await call(founder, 'GET', '/v1/billing/subscription')).json()) as { subscription: Record<string, unknown> };
    expect(view.subscription).toMatchObject({ status: 'active', plan: 'monthly' });

    const renewalEnd = firstEnd + 30 * DAY;
    await deliver('invoice.payment_failed', invoice(`in_${subId}_2`, 'open', 'subscription_cycle', renewalEnd), t + 100);
    await profileWhere(founder, 'the failed renewal on the profile', (p) => p.payment_status === 'failed');
    await deliver('invoice.paid', invoice(`in_${subId}_2`, 'paid', 'subscription_cycle', renewalEnd), t + 200);
    const recovered = await profileWhere(founder, 'the recovery on the profile', (p) => p.payment_status === 'paid');
    expect(recovered).toMatchObject({ amount_paid: 5800 });
    expect(Date.parse(String(recovered.subscription_expires_at))).toBe(renewalEnd * 1000);

    expect((await call(founder, 'POST', '/v1/billing/subscription/cancel')).status).toBe(202);
    await waitFor(() => stripe.calls('POST', new RegExp(`^/v1/subscriptions/${subId}$`)).length > 0, 'the cancellation to reach Stripe');
    expect(stripe.calls('POST', new RegExp(`^/v1/subscriptions/${subId}$`))[0]?.params.get('cancel_at_period_end')).toBe('true');
  });
});
