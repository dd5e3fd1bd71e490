import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import Stripe from 'stripe';
import { testInfra, waitFor } from '@dreamseed/testing';
import { startTestGateway, type TestGateway } from '../__fixtures__/test-gateway';
import { throwawayRedis } from '../__fixtures__/throwaway-redis';

const SECRET = 'whsec_test_secret_for_the_gateway';

/** A checkout.session.completed as Stripe sends it, personal data included (the gateway must drop it). */
function completedSession(id = `evt_${randomUUID().replace(/-/g, '')}`) {
  return {
    id,
    object: 'event',
    type: 'checkout.session.completed',
    api_version: '2026-10-28.endive',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: {
      object: {
        id: `cs_test_${randomUUID().slice(0, 8)}`,
        object: 'checkout.session',
        mode: 'payment',
        payment_status: 'paid',
        amount_total: 19900,
        currency: 'usd',
        client_reference_id: randomUUID(),
        customer: { id: 'cus_123', email: 'founder@example.com', name: 'Ada Founder' },
        customer_details: { email: 'founder@example.com', name: 'Ada Founder', phone: '+14155550123', address: { line1: '1 Main St', city: 'Austin' } },
        payment_intent: 'pi_123',
        metadata: { paymentId: randomUUID(), businessId: randomUUID(), packageId: 'formation-standard', note: 'call me at +14155550123' },
        shipping_details: { name: 'Ada Founder', address: { line1: '1 Main St' } },
      },
    },
  };
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

  it('queues a signed event once, under its event id, with no personal or card data', async () => {
    const event = completedSession();
    const payload = JSON.stringify(event);
    const responses = await Promise.all([post(gateway, payload, sign(payload)), post(gateway, payload, sign(payload)), post(gateway, payload, sign(payload))]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await responses[0]?.json()).toEqual({ received: true });

    const jobs = await jobsFor(event.id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.id).toBe(`stripe-${event.id}`);
    expect(jobs[0]?.name).toBe('stripe-event');
    const object = event.data.object;
    expect(jobs[0]?.data).toMatchObject({
      v: 1,
      eventId: event.id,
      type: 'checkout.session.completed',
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
    const text = JSON.stringify(jobs[0]?.data);
    for (const personal of ['founder@example.com', 'Ada Founder', '+14155550123', 'Main St', 'customer_details', 'shipping_details']) {
      expect(text).not.toContain(personal);
    }
  });

  it('keeps subscription periods, invoice parents and refund amounts', async () => {
    const event = {
      id: `evt_${randomUUID().replace(/-/g, '')}`,
      object: 'event',
      type: 'invoice.paid',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: {
        object: {
          id: 'in_1',
          object: 'invoice',
          customer_email: 'founder@example.com',
          amount_paid: 2900,
          billing_reason: 'subscription_cycle',
          parent: { type: 'subscription_details', subscription_details: { subscription: 'sub_1', metadata: { businessId: 'b', secret: 'x' } } },
          lines: { object: 'list', data: [{ id: 'il_1', description: 'DreamSeed Monthly', period: { start: 1, end: 2 } }] },
        },
      },
    };
    const payload = JSON.stringify(event);
    expect((await post(gateway, payload, sign(payload))).status).toBe(200);
    const [job] = await jobsFor(event.id);
    expect(job?.data.event.data.object).toEqual({
      id: 'in_1',
      object: 'invoice',
      amount_paid: 2900,
      billing_reason: 'subscription_cycle',
      parent: { type: 'subscription_details', subscription_details: { subscription: 'sub_1', metadata: { businessId: 'b' } } },
      lines: { data: [{ period: { start: 1, end: 2 } }] },
    });
  });

  it('queues unknown event types too (billing records them as ignored)', async () => {
    const event = { ...completedSession(), type: 'radar.early_fraud_warning.created', data: { object: { id: 'issfr_1', object: 'radar.early_fraud_warning' } } };
    const payload = JSON.stringify(event);
    expect((await post(gateway, payload, sign(payload))).status).toBe(200);
    expect(await jobsFor(event.id)).toHaveLength(1);
  });

  it('refuses a bad, stale or missing signature with 400 and keeps nothing', async () => {
    const codeOf = async (response: Response) => [response.status, ((await response.json()) as { error: { code: string } }).error.code];
    const event = completedSession();
    const payload = JSON.stringify(event);
    const tampered = payload.replace('19900', '1');
    expect(await codeOf(await post(gateway, tampered, sign(payload)))).toEqual([400, 'invalid_signature']);
    expect(await codeOf(await post(gateway, payload, sign(payload, 'whsec_someone_else')))).toEqual([400, 'invalid_signature']);
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    expect(await codeOf(await post(gateway, payload, sign(payload, SECRET, tenMinutesAgo)))).toEqual([400, 'invalid_signature']);
    expect(await codeOf(await post(gateway, payload))).toEqual([400, 'invalid_signature']);
    expect(await codeOf(await post(gateway, payload, 'garbage'))).toEqual([400, 'invalid_signature']);
    expect(await jobsFor(event.id)).toHaveLength(0);
    const inbox = await gateway.pool.query(`select count(*)::int as n from core.webhook_inbox where job_id = $1`, [`stripe-${event.id}`]);
    expect(inbox.rows[0].n).toBe(0);
    // Signed, but not an event.
    const notEvent = JSON.stringify({ hello: 'world' });
    expect((await post(gateway, notEvent, sign(notEvent))).status).toBe(400);
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
