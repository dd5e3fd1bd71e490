import { randomUUID } from 'node:crypto';
import { jobIdFrom } from '@dreamseed/platform';
import { waitFor } from '@dreamseed/testing';
import { event, session, stripeHarness } from '../__fixtures__/stripe-events';
import { founder, startTestBilling, type TestBilling, type TestFounder } from '../__fixtures__/test-billing';

describe('the local payment provider (no Stripe key)', () => {
  let billing: TestBilling;

  beforeAll(async () => {
    billing = await startTestBilling();
  });
  afterAll(async () => {
    await billing.stop();
  });

  const checkout = async (who: TestFounder, pkg: string) => {
    const response = await billing.call('POST', '/checkout', who, { package: pkg });
    expect(response.status).toBe(201);
    return (await response.json()) as { checkoutId: string; url: string };
  };
  const confirm = (checkoutId: string, jobId?: string) => billing.run('billing', 'confirm-local-checkout', { v: 1, checkoutId }, jobId);
  /** The founder's own request through the internal API, as the gateway forwards it. */
  const confirmAs = async (who: TestFounder | undefined, checkoutId: string) => {
    const response = await billing.call('POST', `/checkout/${checkoutId}/confirm`, who);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const queuedConfirmation = async (checkoutId: string) => billing.producer.queue('billing').getJob(jobIdFrom('confirm', checkoutId));
  const statusOf = async (checkoutId: string) => (await billing.pool.query('select status from billing.payments where id = $1', [checkoutId])).rows[0]?.status;

  it("returns a confirm link on the gateway; confirming pays the package once, as Stripe's completion would", async () => {
    const who = await founder();
    const { checkoutId, url } = await checkout(who, 'formation-premium');
    expect(url).toBe(`http://gateway.test/v1/billing/checkout/${checkoutId}/confirm`);
    expect(await billing.profileReports(who.profileId)).toEqual([expect.objectContaining({ paymentStatus: 'pending', eventId: `checkout-${checkoutId}` })]);

    expect(await confirm(checkoutId)).toEqual({ outcome: 'applied' });
    expect(await confirm(checkoutId, `again-${checkoutId}`)).toEqual({ outcome: 'duplicate' });
    const payment = await billing.pool.query('select status, provider, paid_at from billing.payments where id = $1', [checkoutId]);
    expect(payment.rows[0]).toMatchObject({ status: 'paid', provider: 'local' });
    const reports = await billing.profileReports(who.profileId);
    expect(reports.at(-1)).toMatchObject({ eventId: `local-confirm-${checkoutId}`, paymentStatus: 'paid', amountPaid: 39900, subscriptionType: null });
  });

  it("confirms the founder's own open checkout when they ask, once however often they ask", async () => {
    const who = await founder();
    const { checkoutId } = await checkout(who, 'formation-standard');
    expect(await confirmAs(who, checkoutId)).toEqual({ status: 202, body: { checkoutId, confirming: true } });
    await waitFor(async () => (await statusOf(checkoutId)) === 'paid', 'the checkout to be paid');
    // A retry or a double click: the same answer, and nothing is paid twice.
    expect(await confirmAs(who, checkoutId)).toEqual({ status: 202, body: { checkoutId, confirming: true } });
    const paidReports = (await billing.profileReports(who.profileId)).filter((report) => report.paymentStatus === 'paid');
    expect(paidReports).toHaveLength(1);
  });

  it("refuses, and queues nothing for, a request without a token, another founder's checkout, an unknown id or a replaced checkout", async () => {
    const owner = await founder();
    const stranger = await founder();
    const { checkoutId } = await checkout(owner, 'formation-basic');

    expect((await confirmAs(undefined, checkoutId)).status).toBe(401);
    expect(await confirmAs(stranger, checkoutId)).toEqual({ status: 404, body: { error: expect.objectContaining({ code: 'not_found' }) } });
    const unknown = randomUUID();
    expect((await confirmAs(owner, unknown)).status).toBe(404);
    expect((await confirmAs(owner, 'not-a-checkout')).status).toBe(404);
    expect(await queuedConfirmation(checkoutId)).toBeUndefined();
    expect(await queuedConfirmation(unknown)).toBeUndefined();
    expect(await statusOf(checkoutId)).toBe('pending');

    await checkout(owner, 'formation-premium');
    expect((await confirmAs(owner, checkoutId)).status).toBe(404);
    expect(await queuedConfirmation(checkoutId)).toBeUndefined();
    expect(await statusOf(checkoutId)).toBe('expired');
  });

  it('confirms nothing for a checkout that was replaced, or that does not exist', async () => {
    const who = await founder();
    const first = await checkout(who, 'formation-basic');
    const second = await checkout(who, 'formation-standard');
    expect(await confirm(first.checkoutId)).toEqual({ outcome: 'ignored' });
    expect(await confirm(randomUUID())).toEqual({ outcome: 'ignored' });
    // A (signed) Stripe event naming a local checkout pays nothing either.
    const forged = session(who, { checkoutId: second.checkoutId, sessionId: 'cs_x' }, { mode: 'payment' });
    expect(await stripeHarness(() => billing).deliver(event('checkout.session.completed', forged))).toEqual({ outcome: 'ignored' });
    expect(await confirm(second.checkoutId)).toEqual({ outcome: 'applied' });
    const rows = await billing.pool.query('select package_id, status from billing.payments where business_id = $1 order by created_at', [who.profileId]);
    expect(rows.rows).toEqual([
      { package_id: 'formation-basic', status: 'expired' },
      { package_id: 'formation-standard', status: 'paid' },
    ]);
  });

  it('runs a local yearly subscription: active for a year, cancelled at its end, then expired after the grace period', async () => {
    const who = await founder();
    const { checkoutId } = await checkout(who, 'yearly');
    await confirm(checkoutId);
    const [sub] = (await billing.pool.query('select * from billing.subscriptions where business_id = $1', [who.profileId])).rows;
    expect(sub).toMatchObject({ provider: 'local', provider_subscription_id: `local_${checkoutId}`, plan: 'yearly', status: 'active' });
    const days = (sub.current_period_end.getTime() - sub.current_period_start.getTime()) / 86400000;
    expect(days).toBeGreaterThanOrEqual(365);
    expect(days).toBeLessThanOrEqual(366);
    expect((await billing.profileReports(who.profileId)).at(-1)).toMatchObject({
      paymentStatus: 'paid',
      subscriptionType: 'yearly',
      subscriptionExpiresAt: sub.current_period_end.toISOString(),
    });

    expect(await billing.run('billing', 'cancel-subscription', { v: 1, userId: who.profileId, requestId: randomUUID() })).toEqual({ outcome: 'cancelled-at-period-end' });
    const view = (await (await billing.call('GET', '/subscription', who)).json()) as { subscription: Record<string, unknown> };
    expect(view.subscription).toMatchObject({ plan: 'yearly', status: 'active', cancelAtPeriodEnd: true, provider: 'local' });

    // A year later (the row's period moved back rather than the clock forward: other tests share the database).
    const endedDaysAgo = async (days: number) => {
      await billing.pool.query(`update billing.subscriptions set current_period_end = now() - make_interval(days => $2) where id = $1`, [sub.id, days]);
      await billing.run('billing', 'expire-subscriptions', { v: 1 });
      return (await billing.pool.query('select status from billing.subscriptions where id = $1', [sub.id])).rows[0].status;
    };
    expect(await endedDaysAgo(1)).toBe('active');
    expect(await endedDaysAgo(4)).toBe('expired');
    expect((await billing.profileReports(who.profileId)).at(-1)).toMatchObject({ paymentStatus: 'none', subscriptionType: null });
  });
});
