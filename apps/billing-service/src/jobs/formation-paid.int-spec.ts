import { stripeObject } from '@dreamseed/testing';
import { event, nowSeconds, session, stripeHarness, stripeId } from '../__fixtures__/stripe-events';
import { billingOnFakeStripe, founder, startTestBilling, type TestBilling } from '../__fixtures__/test-billing';

/** What the gateway hears when a formation package is paid (`formation-package-paid`), by either provider. */
describe('the news of a formation package paid', () => {
  describe('with the local provider', () => {
    let billing: TestBilling;
    beforeAll(async () => {
      billing = await startTestBilling();
    });
    afterAll(async () => {
      await billing.stop();
    });

    const checkout = async (who: Awaited<ReturnType<typeof founder>>, pkg: string) => {
      const response = await billing.call('POST', '/checkout', who, { package: pkg });
      return ((await response.json()) as { checkoutId: string }).checkoutId;
    };

    it('tells the gateway once when the confirmation pays it, however often the confirmation runs', async () => {
      const who = await founder();
      const checkoutId = await checkout(who, 'formation-premium');
      expect(await billing.formationsPaid(who.profileId)).toEqual([]);

      await billing.run('billing', 'confirm-local-checkout', { v: 1, checkoutId });
      // A retry of the job after its commit, under another job id: recorded as a duplicate, sent under the same id.
      expect(await billing.run('billing', 'confirm-local-checkout', { v: 1, checkoutId }, `again-${checkoutId}`)).toEqual({ outcome: 'duplicate' });

      const { rows } = await billing.pool.query('select paid_at from billing.payments where id = $1', [checkoutId]);
      expect(await billing.formationsPaid(who.profileId)).toEqual([
        {
          v: 1,
          correlationId: expect.any(String),
          userId: who.profileId,
          eventId: `formation-paid-${checkoutId}`,
          occurredAt: (rows[0].paid_at as Date).toISOString(),
          paymentId: checkoutId,
          packageId: 'formation-premium',
          includesDomain: true,
        },
      ]);
      const job = await billing.producer.queue('gateway').getJob(`formation-paid-${checkoutId}`);
      expect(job?.name).toBe('formation-package-paid');
    });

    it('says that Formation Basic buys no domain, and sends nothing for a subscription', async () => {
      const basic = await founder();
      await billing.run('billing', 'confirm-local-checkout', { v: 1, checkoutId: await checkout(basic, 'formation-basic') });
      expect(await billing.formationsPaid(basic.profileId)).toEqual([expect.objectContaining({ packageId: 'formation-basic', includesDomain: false })]);

      const subscriber = await founder();
      await billing.run('billing', 'confirm-local-checkout', { v: 1, checkoutId: await checkout(subscriber, 'monthly') });
      expect(await billing.profileReports(subscriber.profileId)).toContainEqual(expect.objectContaining({ paymentStatus: 'paid', subscriptionType: 'monthly' }));
      expect(await billing.formationsPaid(subscriber.profileId)).toEqual([]);
    });
  });

  describe('with Stripe', () => {
    const running = billingOnFakeStripe();
    const { deliver, startCheckout, activeSubscription, payments } = stripeHarness(running.billing);

    it('tells the gateway once per payment: repeated events, a second success event and a refund add nothing', async () => {
      const who = await founder();
      const checkout = await startCheckout(who, 'formation-standard');
      const intent = stripeId('pi');
      const t = nowSeconds();
      const completed = event('checkout.session.completed', session(who, checkout, { mode: 'payment', payment_intent: intent, amount_total: 19900 }), t);
      expect(await deliver(completed)).toEqual({ outcome: 'applied' });
      expect(await deliver(completed, '-again')).toEqual({ outcome: 'duplicate' });
      // Another event saying the same money came in (a delayed method's success) finds the payment paid already.
      const succeeded = event('checkout.session.async_payment_succeeded', session(who, checkout, { mode: 'payment', payment_intent: intent, amount_total: 19900 }), t + 1);
      expect(await deliver(succeeded)).toEqual({ outcome: 'stale' });
      const charge = stripeObject('dahlia', 'charge', { id: stripeId('ch'), amount: 19900, amount_refunded: 19900, refunded: true, currency: 'usd', payment_intent: intent });
      expect(await deliver(event('charge.refunded', charge, t + 10))).toEqual({ outcome: 'applied' });
      expect((await payments(who))[0].status).toBe('refunded');

      expect(await running.billing().formationsPaid(who.profileId)).toEqual([
        expect.objectContaining({
          eventId: `formation-paid-${checkout.checkoutId}`,
          occurredAt: new Date(t * 1000).toISOString(),
          paymentId: checkout.checkoutId,
          packageId: 'formation-standard',
          includesDomain: true,
        }),
      ]);
    });

    it('sends nothing for a checkout that is not paid yet, nor for a subscription', async () => {
      const waiting = await founder();
      const checkout = await startCheckout(waiting, 'formation-premium');
      await deliver(event('checkout.session.completed', session(waiting, checkout, { mode: 'payment', payment_status: 'unpaid' })));
      expect(await running.billing().formationsPaid(waiting.profileId)).toEqual([]);

      const subscriber = await founder();
      await activeSubscription(subscriber, nowSeconds() + 30 * 24 * 3600);
      expect((await payments(subscriber))[0].status).toBe('paid');
      expect(await running.billing().formationsPaid(subscriber.profileId)).toEqual([]);
    });
  });
});
