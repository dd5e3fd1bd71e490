import { randomUUID } from 'node:crypto';
import { jobIdFrom } from '@dreamseed/platform';
import { STRIPE_FIXTURE_VERSIONS, type StripeFixtureSet, type StripeTestEvent } from '@dreamseed/testing';
import { DAY, event, invoiceAt, nowSeconds, stripeHarness, stripeId } from '../__fixtures__/stripe-events';
import { billingOnFakeStripe, founder, type TestFounder } from '../__fixtures__/test-billing';

describe('Stripe events by API version', () => {
  const running = billingOnFakeStripe();

  const { deliver, activeSubscription, payments, subscriptionOf, lastReport } = stripeHarness(running.billing);
  const eventRow = async (id: string) =>
    (await running.billing().pool.query('select outcome, api_version, error from billing.billing_events where id = $1', [id])).rows[0];
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

  /** A founder a month into a monthly plan, and the invoice.paid of its renewal: in the shapes of `set`. */
  async function renewal(who: TestFounder, set: StripeFixtureSet, apiVersion?: string | null) {
    const t = nowSeconds() - 60;
    const periodEnd = t + 5;
    const { checkout, subId } = await activeSubscription(who, periodEnd, t, set);
    const renewalEnd = periodEnd + 30 * DAY;
    const invoice = invoiceAt(set, who, checkout.checkoutId, subId, `in_${subId}_renewal`, 'subscription_cycle', renewalEnd);
    return { subId, periodEnd, renewalEnd, paid: event('invoice.paid', invoice, t + 100, set, apiVersion) };
  }

  it.each<StripeFixtureSet>(['2020-08-27', 'dahlia'])('renews a subscription from an invoice.paid in the %s shapes', async (set) => {
    const who = await founder();
    const { subId, periodEnd, renewalEnd, paid } = await renewal(who, set);
    const [before] = await subscriptionOf(who);
    expect(await deliver(paid)).toEqual({ outcome: 'applied' });
    const [sub] = await subscriptionOf(who);
    expect(sub).toMatchObject({ provider_subscription_id: subId, status: 'active' });
    // The period came from the subscription's own fields before Basil, from its items after; the renewal extends it.
    expect([before.current_period_end.toISOString(), sub.current_period_end.toISOString()]).toEqual([iso(periodEnd), iso(renewalEnd)]);
    expect((await payments(who)).map((p) => [p.status, p.invoice_id])).toEqual([
      ['paid', null],
      ['paid', `in_${subId}_renewal`],
    ]);
    expect(await lastReport(who)).toMatchObject({ paymentStatus: 'paid', amountPaid: 5800, subscriptionExpiresAt: iso(renewalEnd) });
    expect(await eventRow(paid.id)).toEqual({ outcome: 'applied', api_version: STRIPE_FIXTURE_VERSIONS[set], error: null });
  });

  it('takes the founder from subscription_details.metadata on a pre-Basil invoice whose subscription billing has not seen', async () => {
    const who = await founder();
    const subId = stripeId('sub');
    const invoice = invoiceAt('2020-08-27', who, randomUUID(), subId, `in_${subId}_1`, 'subscription_cycle', nowSeconds() + 30 * DAY, {
      subscription_details: { metadata: { businessId: who.profileId, packageId: 'monthly' } },
    });
    expect(await deliver(event('invoice.paid', invoice, nowSeconds(), '2020-08-27'))).toEqual({ outcome: 'applied' });
    expect(await payments(who)).toEqual([expect.objectContaining({ status: 'paid', invoice_id: `in_${subId}_1`, amount_minor: 2900, package_id: 'monthly' })]);
  });

  /** Delivers an event billing must refuse: the job fails for good, once, and the event's row says why. */
  async function refused(evt: StripeTestEvent, payload: Record<string, unknown> = {}) {
    await expect(deliver(evt, '', payload)).rejects.toThrow(/which billing does not read/);
    const job = await running.billing().producer.queue('billing').getJob(jobIdFrom('stripe', evt.id));
    expect([await job?.getState(), job?.attemptsMade]).toEqual(['failed', 1]);
    const row = await eventRow(evt.id);
    expect(row).toMatchObject({ outcome: 'unsupported', error: job?.failedReason });
    return row;
  }

  it('keeps an event at a version billing does not read, fails its job for good in view of the failed-jobs list and metric, and applies it when it comes at a version it reads', async () => {
    const who = await founder();
    const { subId, renewalEnd, paid } = await renewal(who, 'dahlia', '2019-12-03');
    expect(await refused(paid)).toMatchObject({ api_version: '2019-12-03', error: expect.stringContaining('API version "2019-12-03"') });
    expect(await payments(who)).toHaveLength(1);
    expect((await subscriptionOf(who))[0].current_period_end.toISOString()).not.toBe(iso(renewalEnd));

    const failed = await running.billing().producer.queue('billing').getJobs(['failed']);
    expect(failed.map((job) => job.id)).toContain(jobIdFrom('stripe', paid.id));
    const metrics = await (await fetch(running.billing().metricsUrl)).text();
    const failedCount = /^bullmq_queue_jobs\{(?=[^}]*queue="billing")(?=[^}]*state="failed")[^}]*\} (\d+)$/m.exec(metrics)?.[1];
    expect(Number(failedCount)).toBeGreaterThanOrEqual(1);

    // The same event once billing reads its version (a retry after the version is added looks the same).
    const readable = { ...paid, api_version: STRIPE_FIXTURE_VERSIONS.dahlia };
    expect(await deliver(readable, '-readable')).toEqual({ outcome: 'applied' });
    expect(await eventRow(paid.id)).toEqual({ outcome: 'applied', api_version: STRIPE_FIXTURE_VERSIONS.dahlia, error: null });
    const [sub] = await subscriptionOf(who);
    expect([sub.provider_subscription_id, sub.current_period_end.toISOString()]).toEqual([subId, iso(renewalEnd)]);
  });

  it('refuses an event with no API version or one it cannot parse', async () => {
    const who = await founder();
    expect(await refused((await renewal(who, 'dahlia', null)).paid)).toMatchObject({ api_version: null, error: expect.stringContaining('no API version') });
    expect(await refused((await renewal(await founder(), 'dahlia', 'latest')).paid)).toMatchObject({ api_version: 'latest' });
    expect(await payments(who)).toHaveLength(1);
  });

  it('applies a job queued by a gateway from before versions were forwarded, reading either shape', async () => {
    const who = await founder();
    const { paid } = await renewal(who, '2020-08-27');
    expect(await deliver(paid, '', { apiVersion: undefined })).toEqual({ outcome: 'applied' });
    expect(await payments(who)).toHaveLength(2);
  });
});
