import { freePort, uniquePrefix, waitFor, waitForHttpOk, type RunningProcess } from '@dreamseed/testing';
import { startOwner, startTestGateway, uniquePhone, type TestGateway } from '../__fixtures__/test-gateway';

interface Subscription {
  plan: string;
  status: string;
  cancel_at_period_end: boolean;
}

/**
 * A founder's plan change through the gateway, offline: the billing service runs as its own process with the
 * local provider, which changes its own ledger as Stripe would change the subscription.
 */
describe('plan changes through the gateway, local provider', () => {
  let gateway: TestGateway;
  let billing: RunningProcess;

  const call = (token: string, method: string, path: string, body?: unknown) =>
    fetch(`${gateway.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const changeTo = (token: string, plan: unknown) => call(token, 'POST', '/v1/billing/subscription/change', { plan });
  const errorOf = async (response: Response) => ({ status: response.status, ...((await response.json()) as { error: { code: string; message: string } }).error });
  const subscriptionWhere = (token: string, what: string, check: (s: Subscription) => boolean) =>
    waitFor(async () => {
      const { subscription } = (await (await call(token, 'GET', '/v1/billing/subscription')).json()) as { subscription: Subscription | null };
      return subscription && check(subscription) && subscription;
    }, what);

  beforeAll(async () => {
    const [billingPort, gatewayPort] = [await freePort(), await freePort()];
    const prefix = uniquePrefix('billing-plan-change');
    billing = startOwner('billing-service', billingPort, prefix, {
      PUBLIC_URL: `http://127.0.0.1:${gatewayPort}`,
    });
    gateway = await startTestGateway({ AUTH_AUTOCONFIRM: 'true', BILLING_SERVICE_URL: `http://127.0.0.1:${billingPort}`, PORT: String(gatewayPort), QUEUE_PREFIX: prefix });
    await waitForHttpOk(`http://127.0.0.1:${billingPort}/health/ready`, 30_000, billing);
  });
  afterAll(async () => {
    await gateway.stop();
    billing.kill('SIGTERM');
    await billing.exited;
  });

  it('switches a monthly plan set to cancel at its period end to yearly, which a second checkout could not', async () => {
    const { token } = await gateway.signUp({ phone: uniquePhone() });
    expect(await errorOf(await changeTo(token, 'yearly'))).toMatchObject({ status: 404, code: 'no_subscription' });

    const opened = await call(token, 'POST', '/v1/billing/checkout', { package: 'monthly' });
    const { url } = (await opened.json()) as { url: string };
    expect((await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(202);
    await subscriptionWhere(token, 'the monthly plan to run', (s) => s.plan === 'monthly' && s.status === 'active');
    expect(await errorOf(await changeTo(token, 'monthly'))).toMatchObject({ status: 409, code: 'same_plan' });
    for (const body of [{ plan: 'weekly' }, { plan: 'yearly', when: 'now' }, {}]) {
      expect((await call(token, 'POST', '/v1/billing/subscription/change', body)).status).toBe(400);
    }

    expect((await call(token, 'POST', '/v1/billing/subscription/cancel')).status).toBe(202);
    await subscriptionWhere(token, 'the plan to be set to end', (s) => s.cancel_at_period_end);
    // What the issue found: the yearly plan refused. A checkout still is, and says where the change is.
    const checkout = await errorOf(await call(token, 'POST', '/v1/billing/checkout', { package: 'yearly' }));
    expect(checkout).toMatchObject({ status: 409, code: 'already_subscribed', message: expect.stringContaining('/v1/billing/subscription/change') });

    const changed = await changeTo(token, 'yearly');
    expect(changed.status).toBe(202);
    expect(await changed.json()).toEqual({ changing: true, plan: 'yearly' });
    const yearly = await subscriptionWhere(token, 'the yearly plan to run', (s) => s.plan === 'yearly');
    expect(yearly).toMatchObject({ status: 'active', cancel_at_period_end: false });
    await waitFor(async () => {
      const profile = (await (await call(token, 'GET', '/v1/me')).json()) as { subscription_type?: string };
      return profile.subscription_type === 'yearly';
    }, 'the profile to show the yearly plan');
    expect(await errorOf(await changeTo(token, 'yearly'))).toMatchObject({ status: 409, code: 'same_plan' });
  });

  it('resumes a subscription set to end when asked for the plan it runs', async () => {
    const { token } = await gateway.signUp({ phone: uniquePhone() });
    const opened = await call(token, 'POST', '/v1/billing/checkout', { package: 'yearly' });
    const { url } = (await opened.json()) as { url: string };
    await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    await subscriptionWhere(token, 'the yearly plan to run', (s) => s.plan === 'yearly');
    expect((await call(token, 'POST', '/v1/billing/subscription/cancel')).status).toBe(202);
    await subscriptionWhere(token, 'the plan to be set to end', (s) => s.cancel_at_period_end);

    const resumed = await changeTo(token, 'yearly');
    expect(resumed.status).toBe(202);
    expect(await resumed.json()).toEqual({ changing: true, plan: 'yearly' });
    await subscriptionWhere(token, 'the plan to renew again', (s) => !s.cancel_at_period_end && s.plan === 'yearly');
    // It can be cancelled again: the cancellation is lifted, not hidden.
    expect((await call(token, 'POST', '/v1/billing/subscription/cancel')).status).toBe(202);
  });
});
