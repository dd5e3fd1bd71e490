import { randomUUID } from 'node:crypto';
import { stripeFixtures, stripeObject } from '@dreamseed/testing';
import { DAY, event, invoiceAt, nowSeconds, session, stripeHarness, stripeId, subscriptionAt } from '../__fixtures__/stripe-events';
import { billingOnFakeStripe, founder } from '../__fixtures__/test-billing';

describe('Stripe events in the billing service', () => {
  const running = billingOnFakeStripe({ BILLING_GRACE_PERIOD_DAYS: '3' });

  const { deliver, startCheckout, activeSubscription, payments, subscriptionOf, lastReport } = stripeHarness(running.billing);

  it('pays a one-time package once, however often the event is delivered', async () => {
    const who = await founder();
    const checkout = await startCheckout(who, 'formation-basic');
    const intent = stripeId('pi');
    const completed = event('checkout.session.completed', session(who, checkout, { mode: 'payment', payment_intent: intent, amount_total: 9900, customer: 'cus_1' }));
    expect(await deliver(completed)).toEqual({ outcome: 'applied' });
    expect(await deliver(completed, '-again')).toEqual({ outcome: 'duplicate' });
    expect(await deliver(completed, '-third')).toEqual({ outcome: 'duplicate' });

    const [payment] = await payments(who);
    expect(payment).toMatchObject({ status: 'paid', payment_intent_id: intent, provider_customer_id: 'cus_1', amount_minor: 9900 });
    const recorded = await running.billing().pool.query('select outcome, type, object_refs from billing.billing_events where id = $1', [completed.id]);
    expect(recorded.rows).toEqual([
      {
        outcome: 'applied',
        type: 'checkout.session.completed',
        object_refs: {
          objectId: checkout.sessionId,
          businessId: who.profileId,
          formationPaid: { paymentId: checkout.checkoutId, packageId: 'formation-basic', includesDomain: false, paidAt: new Date(completed.created * 1000).toISOString() },
        },
      },
    ]);

    const reports = (await running.billing().profileReports(who.profileId)).filter((r) => r.eventId === `stripe-${completed.id}`);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      paymentStatus: 'paid',
      amountPaid: 9900,
      subscriptionType: null,
      paymentDate: new Date(completed.created * 1000).toISOString(),
    });

    const listed = await running.billing().call('GET', '/payments', who);
    expect(((await listed.json()) as { payments: unknown[] }).payments).toEqual([
      expect.objectContaining({ id: checkout.checkoutId, packageId: 'formation-basic', status: 'paid', amountMinor: 9900, amountRefundedMinor: 0 }),
    ]);
    // Another founder sees none of it.
    const other = await running.billing().call('GET', '/payments', await founder());
    expect(await other.json()).toEqual({ payments: [], next_cursor: null });
  });

  it('waits for a delayed payment method, then pays or fails it', async () => {
    const who = await founder();
    const checkout = await startCheckout(who, 'formation-basic');
    const unpaid = session(who, checkout, { mode: 'payment', payment_status: 'unpaid', payment_intent: stripeId('pi') });
    await deliver(event('checkout.session.completed', unpaid));
    expect((await payments(who))[0].status).toBe('pending');
    await deliver(event('checkout.session.async_payment_failed', unpaid));
    expect((await payments(who))[0].status).toBe('failed');
    expect(await lastReport(who)).toMatchObject({ paymentStatus: 'failed', amountPaid: 0 });

    const second = await founder();
    const checkout2 = await startCheckout(second, 'formation-premium');
    const unpaid2 = session(second, checkout2, { mode: 'payment', payment_status: 'unpaid' });
    await deliver(event('checkout.session.completed', unpaid2));
    await deliver(event('checkout.session.async_payment_succeeded', session(second, checkout2, { mode: 'payment', payment_status: 'paid', amount_total: 39900 })));
    expect((await payments(second))[0].status).toBe('paid');
    expect(await lastReport(second)).toMatchObject({ paymentStatus: 'paid', amountPaid: 39900 });
  });

  it('records partial and full refunds; a late or repeated refund event changes nothing', async () => {
    const who = await founder();
    const checkout = await startCheckout(who, 'formation-basic');
    const t = nowSeconds();
    const intent = stripeId('pi');
    await deliver(event('checkout.session.completed', session(who, checkout, { mode: 'payment', payment_intent: intent, amount_total: 9900 }), t));
    const charge = (refunded: number) => stripeObject('dahlia', 'charge', { id: 'ch_1', amount: 9900, amount_refunded: refunded, refunded: refunded === 9900, currency: 'usd', payment_intent: intent });

    expect(await deliver(event('charge.refunded', charge(3000), t + 10))).toEqual({ outcome: 'applied' });
    expect((await payments(who))[0]).toMatchObject({ status: 'partially_refunded', amount_refunded_minor: 3000 });
    expect(await lastReport(who)).toMatchObject({ paymentStatus: 'paid', amountPaid: 6900 });

    // An earlier partial refund's event arriving late is stale.
    expect(await deliver(event('charge.refunded', charge(1000), t + 5))).toEqual({ outcome: 'stale' });
    expect((await payments(who))[0].amount_refunded_minor).toBe(3000);

    expect(await deliver(event('charge.refunded', charge(9900), t + 20))).toEqual({ outcome: 'applied' });
    expect((await payments(who))[0]).toMatchObject({ status: 'refunded', amount_refunded_minor: 9900 });
    expect(await lastReport(who)).toMatchObject({ paymentStatus: 'refunded', amountPaid: 0 });
  });

  describe('a subscription', () => {
    it('starts from events in any order: one payment, active, never rolled back by an older event', async () => {
      const who = await founder();
      const checkout = await startCheckout(who, 'monthly');
      const subId = stripeId('sub');
      const t = nowSeconds();
      const periodEnd = t + 30 * DAY;
      const created = event('customer.subscription.created', subscriptionAt('dahlia', who, checkout.checkoutId, subId, 'incomplete', periodEnd), t);
      const completed = event('checkout.session.completed', session(who, checkout, { mode: 'subscription', subscription: subId, customer: 'cus_sub', amount_total: 2900 }), t + 1);
      const paid = event('invoice.paid', invoiceAt('dahlia', who, checkout.checkoutId, subId, `in_${subId}_1`, 'subscription_create', periodEnd), t + 1);
      const updated = event('customer.subscription.updated', subscriptionAt('dahlia', who, checkout.checkoutId, subId, 'active', periodEnd), t + 2);

      expect(await deliver(updated)).toEqual({ outcome: 'applied' });
      expect(await deliver(created)).toEqual({ outcome: 'stale' });
      await deliver(paid);
      await deliver(completed);

      const [sub] = await subscriptionOf(who);
      expect(sub).toMatchObject({ provider_subscription_id: subId, status: 'active', plan: 'monthly', package_id: 'monthly' });
      expect(sub.current_period_end.toISOString()).toBe(new Date(periodEnd * 1000).toISOString());
      const rows = await payments(who);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'paid', invoice_id: `in_${subId}_1`, kind: 'subscription' });
      expect(await lastReport(who)).toMatchObject({
        paymentStatus: 'paid',
        subscriptionType: 'monthly',
        amountPaid: 2900,
        subscriptionExpiresAt: new Date(periodEnd * 1000).toISOString(),
      });
      const view = await running.billing().call('GET', '/subscription', who);
      expect(await view.json()).toEqual({
        subscription: expect.objectContaining({ plan: 'monthly', status: 'active', cancelAtPeriodEnd: false, currentPeriodEnd: new Date(periodEnd * 1000).toISOString() }),
      });
      // A second plan while this one runs is refused.
      expect((await running.billing().call('POST', '/checkout', who, { package: 'yearly' })).status).toBe(409);
    });

    it('goes past due when a renewal fails, recovers when the retry is paid (a late failure changes nothing), and finds the renewal again for its refund', async () => {
      const who = await founder();
      const t = nowSeconds();
      const { checkout, subId } = await activeSubscription(who, t + 5);
      const renewalEnd = t + 5 + 30 * DAY;
      const invoiceId = `in_${subId}_renewal`;
      const failed = event('invoice.payment_failed', invoiceAt('dahlia', who, checkout.checkoutId, subId, invoiceId, 'subscription_cycle', renewalEnd, { status: 'open', amount_paid: 0, attempt_count: 1 }), t + 100);
      expect(await deliver(failed)).toEqual({ outcome: 'applied' });
      expect((await subscriptionOf(who))[0].status).toBe('past_due');
      expect((await payments(who)).find((p) => p.invoice_id === invoiceId)).toMatchObject({ status: 'failed', amount_minor: 2900 });
      expect(await lastReport(who)).toMatchObject({ paymentStatus: 'failed', subscriptionType: 'monthly' });

      const paid = event('invoice.paid', invoiceAt('dahlia', who, checkout.checkoutId, subId, invoiceId, 'subscription_cycle', renewalEnd), t + 200);
      expect(await deliver(paid)).toEqual({ outcome: 'applied' });
      const lateFailure = event('invoice.payment_failed', invoiceAt('dahlia', who, checkout.checkoutId, subId, invoiceId, 'subscription_cycle', renewalEnd, { status: 'open', attempt_count: 2 }), t + 150);
      expect(await deliver(lateFailure)).toEqual({ outcome: 'stale' });

      const [sub] = await subscriptionOf(who);
      expect(sub.status).toBe('active');
      expect(sub.current_period_end.toISOString()).toBe(new Date(renewalEnd * 1000).toISOString());
      expect((await payments(who)).map((p) => p.status)).toEqual(['paid', 'paid']);
      expect(await lastReport(who)).toMatchObject({ paymentStatus: 'paid', amountPaid: 5800, subscriptionExpiresAt: new Date(renewalEnd * 1000).toISOString() });

      // The renewal is refunded: its charge names only the payment intent, which Stripe maps to the invoice.
      const intent = stripeId('pi');
      running.stripe().linkInvoicePayment(intent, invoiceId);
      const refund = event('charge.refunded', stripeObject('dahlia', 'charge', { id: stripeId('ch'), amount: 2900, amount_refunded: 2900, refunded: true, payment_intent: intent }), t + 300);
      expect(await deliver(refund)).toEqual({ outcome: 'applied' });
      expect((await payments(who)).find((p) => p.invoice_id === invoiceId)).toMatchObject({ status: 'refunded', payment_intent_id: intent });
      expect(await lastReport(who)).toMatchObject({ amountPaid: 2900 });
      const unknown = event('charge.refunded', stripeObject('dahlia', 'charge', { id: stripeId('ch'), amount: 100, amount_refunded: 100, payment_intent: stripeId('pi') }));
      expect(await deliver(unknown)).toEqual({ outcome: 'ignored' });
    });

    it('stays cancelled when an older update arrives after the deletion', async () => {
      const who = await founder();
      const t = nowSeconds();
      const periodEnd = t + 20 * DAY;
      const { checkout, subId } = await activeSubscription(who, periodEnd, t - 100);
      const deleted = event('customer.subscription.deleted', subscriptionAt('dahlia', who, checkout.checkoutId, subId, 'canceled', periodEnd, { ended_at: t, canceled_at: t }), t + 50);
      const olderUpdate = event('customer.subscription.updated', subscriptionAt('dahlia', who, checkout.checkoutId, subId, 'active', periodEnd), t + 40);
      expect(await deliver(deleted)).toEqual({ outcome: 'applied' });
      expect(await deliver(olderUpdate)).toEqual({ outcome: 'stale' });
      const [sub] = await subscriptionOf(who);
      expect(sub.status).toBe('canceled');
      // Ended now rather than at the period's end: access ends now (plus the grace period).
      expect(sub.current_period_end.toISOString()).toBe(new Date(t * 1000).toISOString());
    });

    it('cancels at the period end through Stripe, with an idempotency key', async () => {
      const who = await founder();
      const { subId } = await activeSubscription(who, nowSeconds() + 10 * DAY);
      const requestId = randomUUID();
      expect(await running.billing().run('billing', 'cancel-subscription', { v: 1, userId: who.profileId, requestId })).toEqual({ outcome: 'cancelled-at-period-end' });
      const [call] = running.stripe().calls('POST', new RegExp(`^/v1/subscriptions/${subId}$`));
      expect(call?.params.get('cancel_at_period_end')).toBe('true');
      expect(call?.idempotencyKey).toBe(`cancel-${requestId}`);
      const view = (await (await running.billing().call('GET', '/subscription', who)).json()) as { subscription: { cancelAtPeriodEnd: boolean; status: string } };
      expect(view.subscription).toMatchObject({ cancelAtPeriodEnd: true, status: 'active' });
      expect(await running.billing().run('billing', 'cancel-subscription', { v: 1, userId: (await founder()).profileId, requestId: randomUUID() })).toEqual({ outcome: 'no-subscription' });
    });

    it('expires a subscription past its end plus the grace period, and tells the profile', async () => {
      const t = nowSeconds();
      const [inGrace, pastGrace] = [await founder(), await founder()];
      await activeSubscription(inGrace, t - 2 * DAY, t - 40 * DAY);
      const { subId } = await activeSubscription(pastGrace, t - 4 * DAY, t - 40 * DAY);
      const result = await running.billing().run('billing', 'expire-subscriptions', { v: 1 });
      expect(result.expired).toBeGreaterThanOrEqual(1);
      expect((await subscriptionOf(inGrace))[0]).toMatchObject({ status: 'active', expired_at: null });
      expect((await subscriptionOf(pastGrace))[0]).toMatchObject({ provider_subscription_id: subId, status: 'expired' });
      expect(await lastReport(inGrace)).toMatchObject({ paymentStatus: 'paid', subscriptionType: 'monthly' });
      expect(await lastReport(pastGrace)).toMatchObject({ paymentStatus: 'none', subscriptionType: null, subscriptionExpiresAt: null });
      const view = (await (await running.billing().call('GET', '/subscription', pastGrace)).json()) as { subscription: { status: string } };
      expect(view.subscription.status).toBe('expired');
    });
  });

  it('records unknown event types and events about objects that are not ours as ignored', async () => {
    // Stripe's own example event: a plan.created, a type billing does not read.
    const unknown = event('plan.created', stripeFixtures.dahlia.event.data.object);
    expect(await deliver(unknown)).toEqual({ outcome: 'ignored' });
    const stranger = event('checkout.session.completed', stripeObject('dahlia', 'checkout.session', { id: 'cs_not_ours', payment_status: 'paid' }));
    expect(await deliver(stranger)).toEqual({ outcome: 'ignored' });
    const rows = await running.billing().pool.query('select id, outcome from billing.billing_events where id = any($1) order by id', [[unknown.id, stranger.id]]);
    expect(rows.rows.map((r) => r.outcome)).toEqual(['ignored', 'ignored']);
  });
});
