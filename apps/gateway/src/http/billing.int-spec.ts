import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { freePort, testInfra, uniquePrefix, waitFor, waitForHttpOk, type RunningProcess } from '@dreamseed/testing';
import { startOwner, startTestGateway, uniqueEmail, uniquePhone, type TestGateway } from '../__fixtures__/test-gateway';

interface Account {
  token: string;
  profileId: string;
}

/**
 * The founder's payment journey offline: the billing service runs as its own process with the local provider
 * (no Stripe key); the founder, signed in, confirms the checkout and the profile follows.
 */
describe('billing through the gateway, local provider', () => {
  let gateway: TestGateway;
  let billing: RunningProcess;
  let redis: Redis;
  const prefix = uniquePrefix('billing-journey');

  const call = (account: Account | undefined, method: string, path: string, body?: unknown) =>
    fetch(`${gateway.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(account ? { authorization: `Bearer ${account.token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  async function signUp(): Promise<Account> {
    const { data, error } = await gateway.client().signUp({ email: uniqueEmail(), password: 'correct horse battery', options: { data: { phone: uniquePhone() } } });
    if (error) throw error;
    return { token: data.session?.access_token ?? '', profileId: String(data.user?.app_metadata.profile_id) };
  }

  const profile = async (account: Account) => (await (await call(account, 'GET', '/v1/me')).json()) as Record<string, unknown>;

  /** Whether a confirmation job exists for the checkout, in the queue billing and the gateway share. */
  const confirmationQueued = async (checkoutId: string) => (await redis.exists(`${prefix}:billing:confirm-${checkoutId}`)) === 1;

  beforeAll(async () => {
    const [billingPort, gatewayPort] = [await freePort(), await freePort()];
    redis = new Redis(testInfra().redisUrl);
    billing = startOwner('billing-service', billingPort, prefix, {
      PUBLIC_URL: `http://127.0.0.1:${gatewayPort}`,
    });
    gateway = await startTestGateway({
      AUTH_AUTOCONFIRM: 'true',
      BILLING_SERVICE_URL: `http://127.0.0.1:${billingPort}`,
      PORT: String(gatewayPort),
      QUEUE_PREFIX: prefix,
    });
    await waitForHttpOk(`http://127.0.0.1:${billingPort}/health/ready`, 30_000, billing);
  });
  afterAll(async () => {
    await gateway.stop();
    billing.kill('SIGTERM');
    await billing.exited;
    redis.disconnect();
  });

  it('lists the packages without a token', async () => {
    const response = await call(undefined, 'GET', '/v1/billing/packages');
    expect(response.status).toBe(200);
    const { packages } = (await response.json()) as { packages: { id: string; formation: boolean; includes_domain: boolean }[] };
    expect(packages.map((p) => p.id)).toContain('formation-standard');
    // What each buys beyond the payment: a formation case, and the chosen domain's registration.
    expect(packages.find((p) => p.id === 'formation-premium')).toMatchObject({ formation: true, includes_domain: true });
    expect(packages.find((p) => p.id === 'formation-basic')).toMatchObject({ formation: true, includes_domain: false });
    expect(packages.find((p) => p.id === 'monthly')).toMatchObject({ formation: false, includes_domain: false });
  });

  it('pays a package: checkout, confirm link, then the profile is paid', async () => {
    const founder = await signUp();
    const response = await call(founder, 'POST', '/v1/billing/checkout', { package_id: 'formation-standard' });
    expect(response.status).toBe(201);
    const { checkout_id: checkoutId, url } = (await response.json()) as { checkout_id: string; url: string };
    expect(url).toBe(`${gateway.url}/v1/billing/checkout/${checkoutId}/confirm`);
    await waitFor(async () => (await profile(founder)).payment_status === 'pending', 'the profile to show the pending payment');

    // The link, opened in a browser, only explains: there is nothing on it that pays.
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('local test payment provider');
    expect(html).not.toMatch(/<form|<button|<script/i);

    // The confirm link alone, another founder, or an id that names nothing: no payment and no job.
    const stranger = await signUp();
    const unknown = randomUUID();
    expect((await fetch(url, { method: 'POST', headers: { accept: 'application/json' } })).status).toBe(401);
    expect((await fetch(url, { method: 'POST', headers: { accept: 'text/html' } })).status).toBe(401);
    const foreign = await call(stranger, 'POST', `/v1/billing/checkout/${checkoutId}/confirm`);
    expect(foreign.status).toBe(404);
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect((await call(founder, 'POST', `/v1/billing/checkout/${unknown}/confirm`)).status).toBe(404);
    expect(await confirmationQueued(checkoutId)).toBe(false);
    expect(await confirmationQueued(unknown)).toBe(false);
    expect((await profile(founder)).payment_status).toBe('pending');

    const confirmed = await call(founder, 'POST', `/v1/billing/checkout/${checkoutId}/confirm`);
    expect(confirmed.status).toBe(202);
    expect(await confirmed.json()).toEqual({ checkout_id: checkoutId, confirming: true });

    const paid = await waitFor(async () => {
      const p = await profile(founder);
      return p.payment_status === 'paid' && p;
    }, 'the profile to be paid');
    expect(paid).toMatchObject({ status: 'paid', payment_status: 'paid', amount_paid: 19900, subscription_type: null });
    expect(paid.payment_date).toEqual(expect.any(String));

    // Confirming again is harmless: the same answer, one payment.
    expect((await call(founder, 'POST', `/v1/billing/checkout/${checkoutId}/confirm`)).status).toBe(202);
    const payments = (await (await call(founder, 'GET', '/v1/billing/payments')).json()) as { payments: { id: string; status: string }[] };
    expect(payments.payments).toEqual([expect.objectContaining({ id: checkoutId, status: 'paid', package_id: 'formation-standard' })]);
    expect((await profile(founder)).amount_paid).toBe(19900);
  });

  it('upgrades a formation package for the difference, and refuses one the founder already has', async () => {
    const founder = await signUp();
    const pay = async (pkg: string) => {
      const response = await call(founder, 'POST', '/v1/billing/checkout', { package: pkg });
      expect(response.status).toBe(201);
      const { checkout_id: checkoutId } = (await response.json()) as { checkout_id: string };
      expect((await call(founder, 'POST', `/v1/billing/checkout/${checkoutId}/confirm`)).status).toBe(202);
      return checkoutId;
    };
    await pay('formation-standard');
    await waitFor(async () => (await profile(founder)).amount_paid === 19900, 'the standard package to be paid');
    for (const pkg of ['formation-basic', 'formation-standard']) {
      const refused = await call(founder, 'POST', '/v1/billing/checkout', { package: pkg });
      expect([refused.status, ((await refused.json()) as { error: { code: string } }).error.code]).toEqual([409, 'formation_already_purchased']);
    }
    const upgrade = await pay('formation-premium');
    await waitFor(async () => (await profile(founder)).amount_paid === 39900, 'the upgrade to be paid');
    const { payments } = (await (await call(founder, 'GET', '/v1/billing/payments')).json()) as { payments: { id: string; package_id: string; amount: number }[] };
    expect(payments[0]).toMatchObject({ id: upgrade, package_id: 'formation-premium', amount: 20000, currency: 'usd' });
  });

  it('runs a monthly subscription and cancels it at the period end', async () => {
    const founder = await signUp();
    const codeOf = async (response: Response) => [response.status, ((await response.json()) as { error: { code: string } }).error.code];
    expect(await codeOf(await call(founder, 'POST', '/v1/billing/subscription/cancel'))).toEqual([404, 'no_subscription']);
    const response = await call(founder, 'POST', '/v1/billing/checkout', { package: 'monthly' });
    const { url } = (await response.json()) as { url: string };
    await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${founder.token}` } });
    const subscribed = await waitFor(async () => {
      const p = await profile(founder);
      return p.subscription_type === 'monthly' && p;
    }, 'the profile to show the plan');
    expect(subscribed).toMatchObject({ status: 'paid', payment_status: 'paid', amount_paid: 2900 });
    expect(Date.parse(String(subscribed.subscription_expires_at))).toBeGreaterThan(Date.now() + 27 * 86400_000);

    expect((await call(founder, 'POST', '/v1/billing/subscription/cancel')).status).toBe(202);
    const cancelled = await waitFor(async () => {
      const { subscription } = (await (await call(founder, 'GET', '/v1/billing/subscription')).json()) as { subscription: { cancel_at_period_end: boolean } | null };
      return subscription?.cancel_at_period_end && subscription;
    }, 'the subscription to be set to end');
    expect(cancelled).toMatchObject({ plan: 'monthly', status: 'active' });
    expect(await codeOf(await call(founder, 'POST', '/v1/billing/subscription/cancel'))).toEqual([409, 'already_cancelled']);
  });

  it('answers bad input with a clear 4xx', async () => {
    const founder = await signUp();
    const unknown = await call(founder, 'POST', '/v1/billing/checkout', { package: 'gold-plated' });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('unknown_package');
    expect((await call(founder, 'POST', '/v1/billing/checkout', {})).status).toBe(400);
    expect((await call(undefined, 'POST', '/v1/billing/checkout', { package: 'monthly' })).status).toBe(401);
    expect((await call(undefined, 'GET', '/v1/billing/payments')).status).toBe(401);
    expect((await call(undefined, 'POST', '/v1/billing/checkout/not-a-checkout/confirm')).status).toBe(401);
    expect((await call(founder, 'POST', '/v1/billing/checkout/not-a-checkout/confirm')).status).toBe(404);
    expect(await (await call(founder, 'GET', '/v1/billing/subscription')).json()).toEqual({ subscription: null });
  });
});
