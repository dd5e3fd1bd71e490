import { randomUUID } from 'node:crypto';
import { event, session, stripeHarness, stripeId } from '../__fixtures__/stripe-events';
import { stripeKnowsRefunds } from '../__fixtures__/stripe-refunds';
import { billingOnFakeStripe, founder, startTestBilling, type TestBilling, type TestFounder } from '../__fixtures__/test-billing';

interface Refund {
  userId: string;
  paymentId: string;
  amount?: number;
  requestId?: string;
}

/**
 * Runs a refund job (under a job id of its own, so that the same request can be queued again) and says how it
 * ended: its result, or why it failed and after how many tries. (`run` throws for a job that failed once and
 * then completed: BullMQ keeps the first failure's reason.)
 */
async function refund(billing: TestBilling, { requestId = randomUUID(), ...rest }: Refund) {
  const jobId = `refund-test-${randomUUID()}`;
  try {
    return await billing.run('billing', 'refund-payment', { v: 1, requestId, ...rest }, jobId);
  } catch (error) {
    const job = await billing.producer.queue('billing').getJob(jobId);
    if ((await job?.getState()) === 'completed') return job?.returnvalue as Record<string, unknown>;
    return { failed: (error as Error).message, attemptsMade: job?.attemptsMade };
  }
}

const paymentRow = async (billing: TestBilling, id: string) =>
  (await billing.pool.query('select status, amount_minor, amount_refunded_minor, refunded_at from billing.payments where id = $1', [id])).rows[0];

describe('refunds with the local provider', () => {
  let billing: TestBilling;
  beforeAll(async () => {
    billing = await startTestBilling();
  });
  afterAll(async () => {
    await billing.stop();
  });

  /** A formation package (9900 cents), paid through the local confirm link. */
  async function paidPackage(who: TestFounder) {
    const { checkoutId } = (await (await billing.call('POST', '/checkout', who, { package: 'formation-basic' })).json()) as { checkoutId: string };
    await billing.run('billing', 'confirm-local-checkout', { v: 1, checkoutId });
    return checkoutId;
  }
  const lastReport = async (who: TestFounder) => (await billing.profileReports(who.profileId)).at(-1);

  it('refunds a whole payment at once and tells the gateway, as a Stripe refund does', async () => {
    const who = await founder();
    const paymentId = await paidPackage(who);
    const requestId = randomUUID();
    expect(await refund(billing, { userId: who.profileId, paymentId, requestId })).toEqual({ outcome: 'refunded', amountMinor: 9900 });
    expect(await paymentRow(billing, paymentId)).toMatchObject({ status: 'refunded', amount_refunded_minor: 9900, refunded_at: expect.any(Date) });
    expect(await lastReport(who)).toMatchObject({ eventId: `local-refund-${requestId}`, paymentStatus: 'refunded', amountPaid: 0, userId: who.profileId });
  });

  it('refunds part of a payment, refuses more than is left for good, and refunds the rest', async () => {
    const who = await founder();
    const paymentId = await paidPackage(who);
    expect(await refund(billing, { userId: who.profileId, paymentId, amount: 2500 })).toEqual({ outcome: 'refunded', amountMinor: 2500 });
    expect(await paymentRow(billing, paymentId)).toMatchObject({ status: 'partially_refunded', amount_refunded_minor: 2500 });
    expect(await lastReport(who)).toMatchObject({ paymentStatus: 'paid', amountPaid: 7400 });

    const reports = (await billing.profileReports(who.profileId)).length;
    // Refused at the first try: no retry can make 7400 cents cover 8000.
    expect(await refund(billing, { userId: who.profileId, paymentId, amount: 8000 })).toEqual({
      failed: expect.stringMatching(/^refund refused \(amount_exceeds_remaining\): 8000 is more than the 7400 left/),
      attemptsMade: 1,
    });
    expect(await paymentRow(billing, paymentId)).toMatchObject({ status: 'partially_refunded', amount_refunded_minor: 2500 });
    expect(await billing.profileReports(who.profileId)).toHaveLength(reports);

    expect(await refund(billing, { userId: who.profileId, paymentId })).toEqual({ outcome: 'refunded', amountMinor: 7400 });
    expect(await paymentRow(billing, paymentId)).toMatchObject({ status: 'refunded', amount_refunded_minor: 9900 });
    expect(await refund(billing, { userId: who.profileId, paymentId, amount: 1 })).toMatchObject({ failed: expect.stringMatching(/^refund refused \(not_refundable\): The payment is refunded/) });
  });

  it('refunds once for one request id, however often its job comes', async () => {
    const who = await founder();
    const paymentId = await paidPackage(who);
    const requestId = randomUUID();
    const jobs = await Promise.all([1, 2, 3].map(() => refund(billing, { userId: who.profileId, paymentId, amount: 1000, requestId })));
    expect(jobs.map((j) => j.outcome).sort()).toEqual(['duplicate', 'duplicate', 'refunded']);
    expect(await refund(billing, { userId: who.profileId, paymentId, amount: 1000, requestId })).toEqual({ outcome: 'duplicate' });
    expect(await paymentRow(billing, paymentId)).toMatchObject({ status: 'partially_refunded', amount_refunded_minor: 1000 });
    const reports = (await billing.profileReports(who.profileId)).filter((r) => r.eventId === `local-refund-${requestId}`);
    expect(reports).toEqual([expect.objectContaining({ amountPaid: 8900 })]);
  });

  it("refuses another founder's payment, an unknown one and one not paid, without touching them", async () => {
    const who = await founder();
    const paymentId = await paidPackage(who);
    const other = await founder();
    expect(await refund(billing, { userId: other.profileId, paymentId })).toMatchObject({ failed: expect.stringContaining('(payment_not_found)'), attemptsMade: 1 });
    expect(await refund(billing, { userId: who.profileId, paymentId: randomUUID() })).toMatchObject({ failed: expect.stringContaining('(payment_not_found)') });
    expect(await paymentRow(billing, paymentId)).toMatchObject({ status: 'paid', amount_refunded_minor: 0 });

    const pending = ((await (await billing.call('POST', '/checkout', other, { package: 'formation-basic' })).json()) as { checkoutId: string }).checkoutId;
    expect(await refund(billing, { userId: other.profileId, paymentId: pending })).toMatchObject({ failed: expect.stringContaining('(not_refundable): The payment is pending') });
  });
});

describe('refunds with Stripe (fake Stripe API)', () => {
  const running = billingOnFakeStripe();
  const { deliver, startCheckout, lastReport } = stripeHarness(running.billing);
  let refunds: ReturnType<typeof stripeKnowsRefunds>;
  beforeAll(() => {
    refunds = stripeKnowsRefunds(running.stripe());
  });

  /** A formation package paid at Stripe with a charge of 9900 cents through a payment intent Stripe knows. */
  async function paidAtStripe(who: TestFounder) {
    const checkout = await startCheckout(who, 'formation-basic');
    const intent = stripeId('pi');
    refunds.charge(intent, 9900);
    await deliver(event('checkout.session.completed', session(who, checkout, { mode: 'payment', payment_intent: intent, amount_total: 9900 })));
    return { paymentId: checkout.checkoutId, intent };
  }
  const requestsWith = (key: string) => refunds.requests().filter((r) => r.idempotencyKey === key);

  it("asks Stripe for the refund in Stripe's form under the request's key; the ledger moves on charge.refunded", async () => {
    const who = await founder();
    const { paymentId, intent } = await paidAtStripe(who);
    const requestId = randomUUID();
    const outcome = await refund(running.billing(), { userId: who.profileId, paymentId, amount: 3000, requestId });
    expect(outcome).toEqual({ outcome: 'requested', refundId: expect.stringMatching(/^re_/), amountMinor: 3000, status: 'succeeded' });
    expect(requestsWith(`refund-${requestId}`)).toEqual([
      {
        idempotencyKey: `refund-${requestId}`,
        params: {
          payment_intent: intent,
          amount: '3000',
          reason: 'requested_by_customer',
          'metadata[paymentId]': paymentId,
          'metadata[businessId]': who.profileId,
          'metadata[requestId]': requestId,
        },
      },
    ]);
    // Nothing moves until Stripe says so.
    expect(await paymentRow(running.billing(), paymentId)).toMatchObject({ status: 'paid', amount_refunded_minor: 0 });

    expect(await deliver(event('charge.refunded', refunds.chargeObject(intent)))).toEqual({ outcome: 'applied' });
    expect(await paymentRow(running.billing(), paymentId)).toMatchObject({ status: 'partially_refunded', amount_refunded_minor: 3000 });
    expect(await lastReport(who)).toMatchObject({ paymentStatus: 'paid', amountPaid: 6900 });
  });

  it('sends a retried job with the same key and form, so Stripe refunds once; a job that comes again after the refund finds it made', async () => {
    const who = await founder();
    const { paymentId, intent } = await paidAtStripe(who);
    const requestId = randomUUID();
    const key = `refund-${requestId}`;
    // The first try is rate limited (Stripe acts on nothing); the job's retry gets through.
    refunds.rateLimitNext();
    const first = await refund(running.billing(), { userId: who.profileId, paymentId, requestId });
    expect(first).toMatchObject({ outcome: 'requested', amountMinor: 9900 });
    const tries = requestsWith(key);
    expect(tries).toHaveLength(2);
    expect(tries[1]).toEqual(tries[0]);
    expect(tries[0]?.params).toEqual({
      payment_intent: intent,
      reason: 'requested_by_customer',
      'metadata[paymentId]': paymentId,
      'metadata[businessId]': who.profileId,
      'metadata[requestId]': requestId,
    });

    // Queued again before Stripe's event: the same request, answered from Stripe's key.
    expect(await refund(running.billing(), { userId: who.profileId, paymentId, requestId })).toEqual(first);
    expect(requestsWith(key)).toHaveLength(3);
    expect(refunds.refundsOf(intent)).toHaveLength(1);

    expect(await deliver(event('charge.refunded', refunds.chargeObject(intent)))).toEqual({ outcome: 'applied' });
    expect(await paymentRow(running.billing(), paymentId)).toMatchObject({ status: 'refunded', amount_refunded_minor: 9900 });
    expect(await lastReport(who)).toMatchObject({ paymentStatus: 'refunded', amountPaid: 0 });

    // Again after the ledger moved (a job that stopped once Stripe had answered): Stripe's refund is found, none asked.
    expect(await refund(running.billing(), { userId: who.profileId, paymentId, requestId })).toEqual(first);
    expect(requestsWith(key)).toHaveLength(3);
  });

  it('refuses more than is left without asking Stripe, and passes on a refusal of Stripe as final', async () => {
    const who = await founder();
    const { paymentId, intent } = await paidAtStripe(who);
    const before = refunds.requests().length;
    expect(await refund(running.billing(), { userId: who.profileId, paymentId, amount: 10_000 })).toMatchObject({
      failed: expect.stringContaining('(amount_exceeds_remaining)'),
      attemptsMade: 1,
    });
    expect(refunds.requests()).toHaveLength(before);

    // Refunded in Stripe's dashboard, its event not here yet: the ledger still says paid, Stripe refuses.
    const dashboard = await fetch(`${running.stripe().url}/v1/refunds`, { method: 'POST', body: new URLSearchParams({ payment_intent: intent }) });
    expect(dashboard.status).toBe(200);
    expect(await refund(running.billing(), { userId: who.profileId, paymentId, amount: 500 })).toMatchObject({
      failed: expect.stringContaining('refund refused (refused_by_stripe): charge_already_refunded'),
      attemptsMade: 1,
    });
  });
});
