import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { decodeJwt } from 'jose';
import pino from 'pino';
import type { GatewayJobs, JobInputOf } from '@dreamseed/contracts';
import { JobProducer, createRedis, founderEventsKey, publishFounderEvent, waitForRedis } from '@dreamseed/platform';
import { openEventStream, sleep, testInfra, waitFor, type EventStreamClient } from '@dreamseed/testing';
import { randomIp, startTestGateway, type TestGateway } from '../__fixtures__/test-gateway';

const HEARTBEAT_MS = 300;
const AT = '2026-11-20T10:00:00.000Z';

interface Founder {
  token: string;
  profileId: string;
}

/**
 * The founder's live events (GET /v1/me/events): tickets, delivery of committed milestones with their stream
 * ids, resuming, heartbeats and the stream's end with its session or its gateway. Two gateways share Postgres,
 * Redis and a queue prefix here, as replicas do.
 */
describe('live events', () => {
  const prefix = `events-${randomUUID().slice(0, 8)}`;
  const redis = createRedis(testInfra().redisUrl, 'producer', { name: 'test' });
  const logLines: string[] = [];
  let one: TestGateway;
  let other: TestGateway;
  let producer: JobProducer;
  const open: EventStreamClient[] = [];

  beforeAll(async () => {
    const env = { AUTH_AUTOCONFIRM: 'true', QUEUE_PREFIX: prefix, EVENTS_HEARTBEAT_MS: String(HEARTBEAT_MS) };
    const capture = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    [one, other] = await Promise.all([startTestGateway(env, pino({ level: 'info' }, capture)), startTestGateway(env)]);
    await waitForRedis(redis, 2000);
    producer = new JobProducer({ connection: redis, prefix, logger: pino({ level: 'silent' }) });
  });
  afterEach(() => open.splice(0).forEach((stream) => stream.close()));
  afterAll(async () => {
    await producer.close();
    redis.disconnect();
    await Promise.all([one.stop(), other.stop()]);
  });

  async function signUp(gateway: TestGateway = one): Promise<Founder> {
    const { token } = await gateway.signUp();
    const profileId = (decodeJwt(token).app_metadata as { profile_id: string }).profile_id;
    return { token, profileId };
  }

  async function ticketFor(founder: Founder, gateway: TestGateway = one): Promise<string> {
    const response = await fetch(`${gateway.url}/v1/me/events/ticket`, { method: 'POST', headers: { authorization: `Bearer ${founder.token}` } });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { ticket: string; expires_at: string };
    expect(Date.parse(body.expires_at) - Date.now()).toBeGreaterThan(50_000);
    return body.ticket;
  }

  async function stream(gateway: TestGateway, query: string, headers: Record<string, string> = {}): Promise<EventStreamClient> {
    const client = await openEventStream(`${gateway.url}/v1/me/events?${query}`, headers);
    open.push(client);
    return client;
  }

  async function streamFor(founder: Founder, gateway: TestGateway = one, query = '', headers: Record<string, string> = {}) {
    const client = await stream(gateway, `ticket=${await ticketFor(founder, gateway)}${query}`, headers);
    expect(client.status).toBe(200);
    return client;
  }

  /** Enqueues a profile report and waits until a gateway has handled it; returns the handler's outcome. */
  async function report<N extends keyof GatewayJobs & string>(name: N, payload: JobInputOf<GatewayJobs, N>) {
    const { jobId } = await producer.enqueue('gateway', name, payload);
    const queue = producer.queue('gateway');
    await waitFor(async () => ['completed', 'failed'].includes(await queue.getJobState(jobId)), `${name} to be handled`);
    return ((await queue.getJob(jobId))?.returnvalue as { outcome: string }).outcome;
  }

  const callCompleted = (founder: Founder, callStage = 1) =>
    report('profile-call-completed', { v: 1, userId: founder.profileId, eventId: randomUUID(), occurredAt: AT, callStage, callId: `call-${randomUUID()}` });

  const entryIds = async (founder: Founder) => (await redis.xrange(founderEventsKey(prefix, founder.profileId), '-', '+')).map(([id]) => id);

  it('opens with a ticket: an event stream that proxies neither cache nor buffer', async () => {
    const client = await streamFor(await signUp());
    expect(client.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(client.headers['cache-control']).toBe('no-store');
    expect(client.headers['x-accel-buffering']).toBe('no');
  });

  it('takes a ticket once; a used, unknown or expired one is 401 invalid_ticket, as JSON', async () => {
    const founder = await signUp();
    const ticket = await ticketFor(founder);
    expect((await stream(one, `ticket=${ticket}`)).status).toBe(200);
    const expired = await ticketFor(founder);
    const [key] = await redis.keys(`${prefix}:events:ticket:*`);
    await redis.pexpire(key as string, 1);
    await sleep(20);
    for (const bad of [ticket, 'x'.repeat(43), 'not-a-ticket', expired]) {
      const refused = await stream(one, `ticket=${bad}`);
      expect(refused.status).toBe(401);
      expect(refused.headers['content-type']).toMatch(/^application\/json/);
      expect((JSON.parse(refused.body) as { error: { code: string } }).error.code).toBe('invalid_ticket');
    }
  });

  it('asks for a bearer token when there is no ticket, and takes one from a non-browser client', async () => {
    const refused = await stream(one, '');
    expect(refused.status).toBe(401);
    expect((JSON.parse(refused.body) as { error: { code: string } }).error.code).toBe('no_authorization');
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer/);
    const founder = await signUp();
    const client = await stream(one, '', { authorization: `Bearer ${founder.token}` });
    expect(client.status).toBe(200);
    expect(await callCompleted(founder)).toBe('applied');
    expect((await client.next()).event).toBe('call.completed');
  });

  it('pushes a profile report once applied, with its stream entry id, and nothing for a duplicate', async () => {
    const founder = await signUp();
    const client = await streamFor(founder);
    const event = { v: 1 as const, userId: founder.profileId, eventId: randomUUID(), occurredAt: AT, callStage: 1, callId: 'call-a' };
    expect(await report('profile-call-completed', event)).toBe('applied');
    const received = await client.next();
    expect(received).toMatchObject({ event: 'call.completed', id: (await entryIds(founder))[0] });
    expect(JSON.parse(received.data)).toEqual({ call_stage: 1, occurred_at: AT });
    expect(await report('profile-call-completed', event)).toBe('duplicate');
    expect(
      await report('profile-payment-updated', {
        v: 1,
        userId: founder.profileId,
        eventId: randomUUID(),
        occurredAt: AT,
        paymentStatus: 'paid',
        amountPaid: 49900,
        currency: 'usd',
        subscriptionType: 'yearly',
      }),
    ).toBe('applied');
    const payment = await client.next();
    expect(payment.event).toBe('payment.updated');
    expect(JSON.parse(payment.data)).toEqual({ payment_status: 'paid', amount_paid: 49900, currency: 'usd', subscription_type: 'yearly', occurred_at: AT });
    expect(client.events.map((e) => e.event)).toEqual(['call.completed', 'payment.updated']);
    expect(await entryIds(founder)).toHaveLength(2);
  });

  it('resumes after Last-Event-ID or ?last_event_id=, without loss or repeats, then carries on live', async () => {
    const founder = await signUp();
    for (const stage of [1, 2, 3]) await callCompleted(founder, stage);
    const [first, ...rest] = await entryIds(founder);
    const resumes: { query: string; headers: Record<string, string> }[] = [
      { query: '', headers: { 'last-event-id': first as string } },
      { query: `&last_event_id=${first}`, headers: {} },
    ];
    for (const resume of resumes) {
      const client = await streamFor(founder, one, resume.query, resume.headers);
      await client.next();
      await client.next();
      expect(client.events.map((e) => e.id)).toEqual(rest);
      expect(client.events.map((e) => JSON.parse(e.data).call_stage)).toEqual([2, 3]);
    }
    const live = await streamFor(founder, one, `&last_event_id=${rest[1]}`);
    await callCompleted(founder, 4);
    const fourth = await live.next();
    expect(JSON.parse(fourth.data).call_stage).toBe(4);
    expect(live.events).toHaveLength(1);
    const malformed = await stream(one, `ticket=${await ticketFor(founder)}&last_event_id=tomorrow`);
    expect(malformed.status).toBe(400);
  });

  it('sends a fresh stream only what happens after it opens', async () => {
    const founder = await signUp();
    await callCompleted(founder, 1);
    const client = await streamFor(founder);
    await callCompleted(founder, 2);
    await client.next();
    expect(client.events.map((e) => JSON.parse(e.data).call_stage)).toEqual([2]);
  });

  it('sends a heartbeat comment', async () => {
    const client = await streamFor(await signUp());
    await waitFor(() => client.comments.includes('ping'), 'a ping', HEARTBEAT_MS * 5);
  });

  it('never shows one founder another\'s events', async () => {
    const [a, b] = [await signUp(), await signUp()];
    const [streamA, streamB] = [await streamFor(a), await streamFor(b)];
    await callCompleted(a, 1);
    await streamA.next();
    await callCompleted(b, 2);
    expect(JSON.parse((await streamB.next()).data).call_stage).toBe(2);
    expect(streamA.events).toHaveLength(1);
    expect(streamB.events).toHaveLength(1);
  });

  it('delivers an event published by another process to a stream served by another replica, whose ticket it takes too', async () => {
    const founder = await signUp();
    const client = await stream(one, `ticket=${await ticketFor(founder, other)}`);
    expect(client.status).toBe(200);
    const id = await publishFounderEvent(redis, prefix, founder.profileId, 'dream_dna.changed', { version: 2, occurred_at: AT });
    expect(await client.next()).toMatchObject({ id, event: 'dream_dna.changed', data: JSON.stringify({ version: 2, occurred_at: AT }) });
  });

  it('catches up from the stream when its Redis connection dropped and a wake-up was lost', async () => {
    const founder = await signUp();
    const client = await streamFor(founder);
    // This prefix's hubs' subscribers only: other tests share the Redis.
    const clients = String(await redis.call('CLIENT', 'LIST', 'TYPE', 'pubsub')).split('\n');
    const ids = clients.filter((line) => line.includes(` name=${prefix}-gateway-events:`)).map((line) => /\bid=(\d+)/.exec(line)?.[1]);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) await redis.client('KILL', 'ID', id as string);
    // Appended without its wake-up: only reading the stream again finds it.
    const id = await redis.xadd(founderEventsKey(prefix, founder.profileId), '*', 'type', 'domain.selected', 'data', JSON.stringify({ domain: 'seedbakery.com', occurred_at: AT }));
    expect(await client.next(5000)).toMatchObject({ id, event: 'domain.selected' });
  });

  it('ends the stream when its session ends, and refuses a ticket minted before the sign-out', async () => {
    const founder = await signUp();
    const client = await streamFor(founder);
    const early = await ticketFor(founder);
    const logout = await fetch(`${one.authUrl}/logout?scope=local`, { method: 'POST', headers: { authorization: `Bearer ${founder.token}`, 'x-forwarded-for': randomIp() } });
    expect(logout.status).toBe(204);
    const ended = await Promise.race([client.ended.then(() => true), sleep(HEARTBEAT_MS * 4).then(() => false)]);
    expect(ended).toBe(true);
    const refused = await stream(one, `ticket=${early}`);
    expect(refused.status).toBe(401);
    expect((JSON.parse(refused.body) as { error: { code: string } }).error.code).toBe('invalid_ticket');
  });

  it('never writes the ticket to the access log', async () => {
    const ticket = await ticketFor(await signUp());
    await stream(one, `ticket=${ticket}`);
    await stream(one, `ticket=${ticket}`);
    await waitFor(() => logLines.some((line) => line.includes('/v1/me/events') && line.includes('"statusCode":401')), 'the refusal logged');
    expect(logLines.filter((line) => line.includes(ticket))).toEqual([]);
  });

  it('ends every stream at once when the gateway stops', async () => {
    const own = await startTestGateway({ AUTH_AUTOCONFIRM: 'true' });
    const founder = await signUp(own);
    const clients = [await streamFor(founder, own), await streamFor(founder, own)];
    const started = Date.now();
    await own.stop();
    await Promise.all(clients.map((client) => client.ended));
    // Well inside the shutdown budget (SHUTDOWN_TIMEOUT_MS, 8 s by default), which open streams would use up.
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
