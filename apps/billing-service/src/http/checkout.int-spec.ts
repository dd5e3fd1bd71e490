import { event, session, stripeHarness, stripeId } from '../__fixtures__/stripe-events';
import { billingOnFakeStripe, founder, type TestFounder } from '../__fixtures__/test-billing';

interface Checkout {
  checkoutId: string;
  url: string;
}

describe('billing internal API with Stripe (fake Stripe API)', () => {
  const running = billingOnFakeStripe();

  const checkout = async (who: TestFounder, pkg: string) => {
    const response = await running.billing().call('POST', '/checkout', who, { package: pkg });
    return { status: response.status, body: (await response.json()) as Checkout & { error?: { code: string } } };
  };

  it('lists the catalog: three formation packages and two plans, in cents', async () => {
    const response = await running.billing().call('GET', '/packages');
    expect(response.status).toBe(200);
    const { packages } = (await response.json()) as { packages: { id: string; kind: string; interval: string | null; amountMinor: number; currency: string }[] };
    expect(packages.map((p) => p.id)).toEqual(['formation-basic', 'formation-standard', 'formation-premium', 'monthly', 'yearly']);
    expect(packages.find((p) => p.id === 'yearly')).toMatchObject({ kind: 'subscription', interval: 'year', currency: 'usd' });
  });

  it('creates a Stripe Checkout Session with an idempotency key, the founder as client_reference_id and our ids as metadata', async () => {
    const who = await founder();
    const { status, body } = await checkout(who, 'formation-standard');
    expect(status).toBe(201);
    expect(body.url).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_/);
    const [call] = running.stripe().calls('POST', /^\/v1\/checkout\/sessions$/).filter((c) => c.params.get('client_reference_id') === who.profileId);
    expect(call?.idempotencyKey).toBe(`checkout-${body.checkoutId}`);
    expect(Object.fromEntries(call?.params ?? [])).toMatchObject({
      mode: 'payment',
      client_reference_id: who.profileId,
      'metadata[paymentId]': body.checkoutId,
      'metadata[businessId]': who.profileId,
      'metadata[packageId]': 'formation-standard',
      'payment_intent_data[metadata][paymentId]': body.checkoutId,
      'line_items[0][price_data][unit_amount]': '19900',
      'line_items[0][price_data][currency]': 'usd',
      'line_items[0][quantity]': '1',
    });
    const row = await running.billing().pool.query('select status, provider, kind, checkout_session_id, amount_minor from billing.payments where id = $1', [body.checkoutId]);
    expect(row.rows[0]).toMatchObject({ status: 'pending', provider: 'stripe', kind: 'one_time', amount_minor: 19900 });
    expect(body.url).toContain(row.rows[0].checkout_session_id);
  });

  it('creates a subscription checkout with a recurring price and the metadata on the subscription', async () => {
    const who = await founder();
    const { status, body } = await checkout(who, 'monthly');
    expect(status).toBe(201);
    const [call] = running.stripe().calls('POST', /^\/v1\/checkout\/sessions$/).filter((c) => c.params.get('client_reference_id') === who.profileId);
    expect(Object.fromEntries(call?.params ?? [])).toMatchObject({
      mode: 'subscription',
      'line_items[0][price_data][recurring][interval]': 'month',
      'subscription_data[metadata][paymentId]': body.checkoutId,
      'subscription_data[metadata][businessId]': who.profileId,
    });
  });

  it('charges a formation upgrade the difference: the session for a dearer package after a paid one carries only what is left', async () => {
    const who = await founder();
    const harness = stripeHarness(running.billing);
    const basic = await harness.startCheckout(who, 'formation-basic');
    await harness.deliver(event('checkout.session.completed', session(who, basic, { mode: 'payment', payment_intent: stripeId('pi'), amount_total: 9900 })));
    const { status, body } = await checkout(who, 'formation-premium');
    expect(status).toBe(201);
    const sessions = running.stripe().calls('POST', /^\/v1\/checkout\/sessions$/).filter((c) => c.params.get('client_reference_id') === who.profileId);
    expect(sessions).toHaveLength(2);
    expect(Object.fromEntries(sessions[1]?.params ?? [])).toMatchObject({
      mode: 'payment',
      'metadata[paymentId]': body.checkoutId,
      'metadata[packageId]': 'formation-premium',
      'line_items[0][price_data][unit_amount]': '30000',
      'line_items[0][price_data][currency]': 'usd',
      'line_items[0][price_data][product_data][name]': 'Formation Premium (upgrade from Formation Basic)',
    });
    const row = await running.billing().pool.query('select package_id, amount_minor from billing.payments where id = $1', [body.checkoutId]);
    expect(row.rows[0]).toEqual({ package_id: 'formation-premium', amount_minor: 30000 });
  });

  it('reuses an open checkout for the same package and replaces it (expiring the old session) for another', async () => {
    const who = await founder();
    const first = await checkout(who, 'formation-basic');
    const again = await checkout(who, 'formation-basic');
    expect(again).toEqual({ status: 200, body: first.body });
    const other = await checkout(who, 'formation-premium');
    expect(other.status).toBe(201);
    expect(other.body.checkoutId).not.toBe(first.body.checkoutId);
    const rows = await running.billing().pool.query('select id, status, checkout_session_id from billing.payments where business_id = $1 order by created_at', [who.profileId]);
    expect(rows.rows.map((r) => r.status)).toEqual(['expired', 'pending']);
    expect(running.stripe().calls('POST', /\/expire$/).map((c) => c.path)).toContain(`/v1/checkout/sessions/${rows.rows[0].checkout_session_id}/expire`);
    // Concurrent requests still leave one open checkout.
    const racing = await Promise.all([checkout(who, 'formation-basic'), checkout(who, 'formation-basic'), checkout(who, 'formation-basic')]);
    expect(new Set(racing.map((r) => r.body.checkoutId)).size).toBe(1);
    const open = await running.billing().pool.query(`select count(*)::int as n from billing.payments where business_id = $1 and status = 'pending'`, [who.profileId]);
    expect(open.rows[0].n).toBe(1);
  });

  it('answers bad input with a clear 4xx', async () => {
    const who = await founder();
    expect(await checkout(who, 'gold-plated')).toMatchObject({ status: 400, body: { error: { code: 'unknown_package' } } });
    const invalid = await running.billing().call('POST', '/checkout', who, { package: 'formation-basic', extra: 1 });
    expect(invalid.status).toBe(400);
    expect((await running.billing().call('POST', '/checkout', undefined, { package: 'formation-basic' })).status).toBe(401);
    const noInternal = await fetch(`${running.billing().url}/internal/packages`);
    expect(noInternal.status).toBe(401);
    const rows = await running.billing().pool.query('select count(*)::int as n from billing.payments where business_id = $1', [who.profileId]);
    expect(rows.rows[0].n).toBe(0);
  });

  it("confirms no checkout as the local provider's, not even a local one left from before Stripe", async () => {
    const who = await founder();
    const { body } = await checkout(who, 'formation-basic');
    const confirm = (id: string) => running.billing().call('POST', `/checkout/${id}/confirm`, who);
    expect((await confirm(body.checkoutId)).status).toBe(404);
    await running.billing().pool.query(`update billing.payments set status = 'expired' where id = $1`, [body.checkoutId]);
    const local = await running.billing().pool.query(
      `insert into billing.payments (business_id, provider, package_id, kind, amount_minor, currency) values ($1, 'local', 'formation-basic', 'one_time', 9900, 'usd') returning id`,
      [who.profileId],
    );
    const response = await confirm(local.rows[0].id);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const queued = await running.billing().producer.queue('billing').getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']);
    expect(queued.filter((job) => job.name === 'confirm-local-checkout')).toEqual([]);
  });

  it('answers 503 and keeps nothing when Stripe fails', async () => {
    running.stripe().server.route('POST /v1/checkout/sessions', { status: 500, body: { error: { type: 'api_error', message: 'boom' } } });
    try {
      const who = await founder();
      const { status, body } = await checkout(who, 'formation-basic');
      expect(status).toBe(503);
      expect(body.error?.code).toBe('payment_provider_unavailable');
      const rows = await running.billing().pool.query('select count(*)::int as n from billing.payments where business_id = $1', [who.profileId]);
      expect(rows.rows[0].n).toBe(0);
    } finally {
      running.stripe().restore();
    }
  });
});
