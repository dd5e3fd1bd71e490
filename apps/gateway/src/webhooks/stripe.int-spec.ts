import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import Stripe from 'stripe';
import { STRIPE_FIXTURE_VERSIONS, stripeEvent, stripeFixtures, stripeObject, testInfra, waitFor, type StripeTestEvent } from '@dreamseed/testing';
import { startTestGateway, type TestGateway } from '../__fixtures__/test-gateway';
import { throwawayRedis } from '../__fixtures__/throwaway-redis';

const SECRET = 'whsec_test_secret_for_the_gateway';

/**
 * A checkout.session.completed as Stripe sends it (Stripe's own fixture), with personal data filled in that the
 * gateway must drop: the customer expanded, contact and shipping details, a metadata key we did not set.
 */
function completedSession(apiVersion?: string | null) {
  const object = stripeObject('dahlia', 'checkout.session', {
    id: `cs_test_${randomUUID().slice(0, 8)}`,
    mode: 'payment',
    status: 'complete',
    payment_status: 'paid',
    amount_total: 19900,
    currency: 'usd',
    client_reference_id: randomUUID(),
    customer: { id: 'cus_123', object: 'customer', email: 'founder@example.com', name: 'Ada Founder' },
    customer_details: { email: 'founder@example.com', name: 'Ada Founder', phone: '+14155550123', address: { line1: '1 Main St', city: 'Austin' } },
    collected_information: { shipping_details: { name: 'Ada Founder', address: { line1: '1 Main St' } } },
    payment_intent: 'pi_123',
    metadata: { paymentId: randomUUID(), businessId: randomUUID(), packageId: 'formation-standard', note: 'call me at +14155550123' },
  });
  return stripeEvent('dahlia', 'checkout.session.completed', object, { apiVersion });
}

const sign = (payload: string, secret = SECRET, timestamp?: number) =>
  Stripe.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp ? { timestamp } : {}) });

async function post(gateway: TestGateway, payload: string, signature?: string) {
  return fetch(`${gateway.url}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) },
    body: payload,
  });
}

describe('POST /webhooks/stripe', () => {
  let gateway: TestGateway;
  let redis: Redis;
  let billingQueue: Queue;

  beforeAll(async () => {
    gateway = await startTestGateway({ STRIPE_WEBHOOK_SECRET: SECRET });
    redis = new Redis(testInfra().redisUrl, { maxRetriesPerRequest: null });
    billingQueue = new Queue('billing', { connection: redis, prefix: gateway.config.QUEUE_PREFIX });
  });
  afterAll(async () => {
    await billingQueue.close();
    redis.disconnect();
    await gateway.stop();
  });

  const jobsFor = async (eventId: string) =>
    (await billingQueue.getJobs(['waiting', 'active', 'completed', 'delayed', 'prioritized'])).filter((job) => job.data.eventId === eventId);

  /** Posts a signed event and gives the job queued for it. */
  async function forwarded(event: StripeTestEvent) {
    const payload = JSON.stringify(event);
    expect((await post(gateway, payload, sign(payload))).status).toBe(200);
    const [job] = await jobsFor(event.id);
    return job?.data;
  }
  const PERSONAL = ['founder@example.com', 'Ada Founder', '+14155550123', 'Main St', 'customer_details', 'shipping_details', 'collected_information', 'secret'];
  const expectNothingPersonal = (data: unknown) => {
    const text = JSON.stringify(data);
    for (const personal of PERSONAL) expect(text).not.toContain(personal);
  };

  it('queues a signed event once, under its event id, with its API version and no personal or card data', async () => {
    const event = completedSession();
    const payload = JSON.stringify(event);
    const responses = await Promise.all([post(gateway, payload, sign(payload)), post(gateway, payload, sign(payload)), post(gateway, payload, sign(payload))]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await responses[0]?.json()).toEqual({ received: true });

    const jobs = await jobsFor(event.id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.id).toBe(`stripe-${event.id}`);
    expect(jobs[0]?.name).toBe('stripe-event');
    const object = event.data.object as { id: string; client_reference_id: string; metadata: Record<string, string> };
    expect(jobs[0]?.data).toMatchObject({
      v: 1,
      eventId: event.id,
      type: 'checkout.session.completed',
      apiVersion: STRIPE_FIXTURE_VERSIONS.dahlia,
      event: {
        id: event.id,
        created: event.created,
        data: {
          object: {
            id: object.id,
            mode: 'payment',
            payment_status: 'paid',
            amount_total: 19900,
            currency: 'usd',
            client_reference_id: object.client_reference_id,
            customer: 'cus_123',
            payment_intent: 'pi_123',
            metadata: { paymentId: object.metadata.paymentId, businessId: object.metadata.businessId, packageId: 'formation-standard' },
          },
        },
      },
    });
    expectNothingPersonal(jobs[0]?.data);
  });

  const ourMetadata = { businessId: 'b', packageId: 'monthly', secret: 'x' };
  const item = { current_period_start: 1, current_period_end: 2 };

  it('keeps subscription item periods, invoice parents and refund amounts (the shapes from Basil on)', async () => {
    const invoice = stripeObject('dahlia', 'invoice', {
      id: 'in_1',
      customer_email: 'founder@example.com',
      amount_paid: 2900,
      billing_reason: 'subscription_cycle',
      subscription: undefined,
      parent: { type: 'subscription_details', quote_details: null, subscription_details: { subscription: 'sub_1', metadata: ourMetadata } },
      lines: { data: [{ description: 'DreamSeed Monthly', period: { start: 1, end: 2 } }] },
    });
    const reduced = (await forwarded(stripeEvent('dahlia', 'invoice.paid', invoice)))?.event.data.object;
    expect(reduced).toMatchObject({
      id: 'in_1',
      object: 'invoice',
      amount_paid: 2900,
      billing_reason: 'subscription_cycle',
      parent: { type: 'subscription_details', subscription_details: { subscription: 'sub_1', metadata: { businessId: 'b', packageId: 'monthly' } } },
      lines: { data: [{ period: { start: 1, end: 2 } }] },
    });
    expect(Object.keys(reduced).sort()).toEqual(
      ['amount_due', 'amount_paid', 'attempt_count', 'billing_reason', 'created', 'currency', 'customer', 'id', 'lines', 'livemode', 'metadata', 'object', 'parent', 'status', 'status_transitions'],
    );

    const subscription = stripeObject('dahlia', 'subscription', { id: 'sub_1', metadata: ourMetadata, items: { data: [item] } });
    const subscriptionData = await forwarded(stripeEvent('dahlia', 'customer.subscription.updated', subscription));
    expect(subscriptionData?.event.data.object.items).toEqual({ data: [{ id: expect.stringMatching(/^si_/), ...item, price: { id: expect.stringMatching(/^price_/), recurring: { interval: 'month' } } }] });

    const charge = stripeObject('dahlia', 'charge', { amount: 2900, amount_refunded: 900, billing_details: { email: 'founder@example.com' } });
    const chargeData = await forwarded(stripeEvent('dahlia', 'charge.refunded', charge));
    expect(chargeData?.event.data.object).toMatchObject({ amount: 2900, amount_refunded: 900, refunded: false });
    expectNothingPersonal([reduced, subscriptionData, chargeData]);
  });

  it("keeps an invoice's top-level subscription and subscription_details and a subscription's own period (the shapes before Basil)", async () => {
    const invoice = stripeObject('2020-08-27', 'invoice', {
      id: 'in_2',
      customer_email: 'founder@example.com',
      subscription: 'sub_2',
      subscription_details: { metadata: ourMetadata },
    });
    const invoiceData = await forwarded(stripeEvent('2020-08-27', 'invoice.paid', invoice));
    expect(invoiceData).toMatchObject({ apiVersion: '2020-08-27' });
    expect(invoiceData?.event.data.object).toMatchObject({ id: 'in_2', subscription: 'sub_2', subscription_details: { metadata: { businessId: 'b', packageId: 'monthly' } } });

    const subscription = stripeObject('2020-08-27', 'subscription', { id: 'sub_2', ...item });
    const subscriptionData = await forwarded(stripeEvent('2020-08-27', 'customer.subscription.updated', subscription));
    expect(subscriptionData?.event.data.object).toMatchObject({ id: 'sub_2', ...item });
    expectNothingPersonal([invoiceData, subscriptionData]);
  });

  it('queues events billing will not read too: unknown types, and API versions it does not support or none (billing keeps them and shows them)', async () => {
    const unknown = stripeEvent('dahlia', 'plan.created', stripeFixtures.dahlia.event.data.object);
    expect(await forwarded(unknown)).toMatchObject({ type: 'plan.created' });
    expect(await forwarded(completedSession('2019-12-03'))).toMatchObject({ apiVersion: '2019-12-03' });
    expect(await forwarded(completedSession(null))).toMatchObject({ apiVersion: null });
  });

  it('refuses a signature dated beyond the tolerance in the future with 400, and takes one within it', async () => {
    const event = completedSession();
    const payload = JSON.stringify(event);
    const now = Math.floor(Date.now() / 1000);
    const ahead = await post(gateway, payload, sign(payload, SECRET, now + 600));
    expect(ahead.status).toBe(400);
    expect(await ahead.json()).toEqual({
      error: { code: 'invalid_signature', message: expect.stringMatching(/^The Stripe signature is dated 60\d s ahead of this server's clock, beyond the 300 s tolerance\.$/) },
    });
    expect(await jobsFor(event.id)).toHaveLength(0);
    // Clocks differ a little: a signature a minute ahead is taken.
    expect((await post(gateway, payload, sign(payload, SECRET, now + 60))).status).toBe(200);
    expect(await jobsFor(event.id)).toHaveLength(1);
  });

  it('refuses a bad, stale or missing signature with 400 and keeps nothing', async () => {
    const codeOf = async (response: Response) => [response.status, ((await response.json()) as { error: { code: string } }).error.code];
    const event = completedSession();
    const payload = JSON.stringify(event);
    const tampered = payload.replace('19900', '1');
    expect(await codeOf(await post(gateway, tampered, sign(payload)))).toEqual([400, 'invalid_signature']);
    expect(await codeOf(await post(gateway, payload, sign(payload, 'whsec_someone_else')))).toEqual([400, 'invalid_signature']);
    const now = Math.floor(Date.now() / 1000);
    expect(await codeOf(await post(gateway, payload, sign(payload, SECRET, now - 600)))).toEqual([400, 'invalid_signature']);
    expect(await codeOf(await post(gateway, payload))).toEqual([400, 'invalid_signature']);
    expect(await codeOf(await post(gateway, payload, 'garbage'))).toEqual([400, 'invalid_signature']);
    expect(await jobsFor(event.id)).toHaveLength(0);
    const inbox = await gateway.pool.query(`select count(*)::int as n from core.webhook_inbox where job_id = $1`, [`stripe-${event.id}`]);
    expect(inbox.rows[0].n).toBe(0);
    // Signed, but not an event.
    const notEvent = JSON.stringify({ hello: 'world' });
    expect((await post(gateway, notEvent, sign(notEvent))).status).toBe(400);
  });

  it('refuses a signed event nested too deep, or with control characters in its id or type, with 400 and keeps nothing', async () => {
    const codeOf = async (response: Response) => [response.status, ((await response.json()) as { error?: { code: string } }).error?.code];
    const kept = async (eventId: string) => {
      const inbox = await gateway.pool.query(`select count(*)::int as n from core.webhook_inbox where job_id like $1`, [`stripe-${eventId.replace(/[^A-Za-z0-9_-]/g, '_')}%`]);
      return { queued: (await jobsFor(eventId)).length, inbox: inbox.rows[0].n as number };
    };
    const refused = async (event: StripeTestEvent, code: string, deep?: string) => {
      // The deep part goes where billing's reduction keeps it (the status), so that the event reaches the queue.
      const payload = JSON.stringify(deep ? { ...event, data: { object: { ...event.data.object, status: '<deep>' } } } : event).replace('"<deep>"', deep ?? '');
      expect(await codeOf(await post(gateway, payload, sign(payload)))).toEqual([400, code]);
      expect(await kept(event.id)).toEqual({ queued: 0, inbox: 0 });
    };
    const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    await refused(completedSession(), 'json_too_deep', nested(100_000));
    await refused(completedSession(), 'json_too_deep', nested(70));
    const poisoned = completedSession();
    await refused({ ...poisoned, id: `${poisoned.id}\u0000` }, 'invalid_event');
    await refused({ ...completedSession(), type: 'checkout.session.completed\n' }, 'invalid_event');
    // Nesting within the limit is Stripe's own: taken.
    const fine = completedSession();
    const payload = JSON.stringify({ ...fine, data: { object: { ...fine.data.object, status: '<deep>' } } }).replace('"<deep>"', nested(40));
    expect((await post(gateway, payload, sign(payload))).status).toBe(200);
    expect(await kept(fine.id)).toEqual({ queued: 1, inbox: 0 });
  });
});

describe('POST /webhooks/stripe while Redis is down', () => {
  it('keeps the event in the Postgres inbox with a 200, and relays it once Redis is back', async () => {
    const redisServer = await throwawayRedis();
    const gateway = await startTestGateway({ STRIPE_WEBHOOK_SECRET: SECRET, REDIS_URL: redisServer.url, WEBHOOK_RELAY_INTERVAL_MS: '200' });
    try {
      await redisServer.stop();
      const event = completedSession();
      const payload = JSON.stringify(event);
      expect((await post(gateway, payload, sign(payload))).status).toBe(200);
      expect((await post(gateway, payload, sign(payload))).status).toBe(200);
      const held = await gateway.pool.query(`select job_id, queue, payload from core.webhook_inbox where job_id = $1`, [`stripe-${event.id}`]);
      expect(held.rows).toHaveLength(1);
      expect(held.rows[0]).toMatchObject({ queue: 'billing', payload: { eventId: event.id } });
      expect(JSON.stringify(held.rows[0].payload)).not.toContain('founder@example.com');

      await redisServer.start();
      await waitFor(async () => {
        const left = await gateway.pool.query(`select count(*)::int as n from core.webhook_inbox where job_id = $1`, [`stripe-${event.id}`]);
        return left.rows[0].n === 0;
      }, 'the relay to empty the inbox', 20_000);
      const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
      const queue = new Queue('billing', { connection: redis, prefix: gateway.config.QUEUE_PREFIX });
      expect((await queue.getJob(`stripe-${event.id}`))?.data.eventId).toBe(event.id);
      await queue.close();
      redis.disconnect();
    } finally {
      await gateway.stop().catch(() => undefined);
      await redisServer.stop();
    }
  });
});
