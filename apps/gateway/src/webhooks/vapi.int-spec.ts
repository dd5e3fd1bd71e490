import { createHmac, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { PayloadSealer } from '@dreamseed/platform';
import { startFakeServer, testInfra, waitFor, type FakeServer } from '@dreamseed/testing';
import { startTestGateway, uniqueEmail, uniquePhone, type TestGateway } from '../__fixtures__/test-gateway';
import { throwawayRedis } from '../__fixtures__/throwaway-redis';

const SECRET = 'vapi-webhook-secret-for-tests';

function statusUpdate(callId: string, status: string) {
  return { message: { type: 'status-update', status, timestamp: Date.now(), call: { id: callId, orgId: 'org-1', type: 'inboundPhoneCall' } } };
}

/** The webhook body a job carries sealed, opened with the gateway's key. */
async function opened(gateway: TestGateway, sealedBody: string): Promise<{ message: Record<string, unknown> }> {
  return JSON.parse(Buffer.from(await new PayloadSealer(gateway.config).open(sealedBody)).toString('utf8'));
}

async function post(gateway: TestGateway, body: unknown, headers: Record<string, string> = { 'x-vapi-secret': SECRET }) {
  return fetch(`${gateway.url}/webhooks/vapi`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('POST /webhooks/vapi', () => {
  let gateway: TestGateway;
  let voice: FakeServer;
  let voiceQueue: Queue;
  let redis: Redis;

  beforeAll(async () => {
    voice = await startFakeServer({
      'POST /internal/vapi/sync': (request) => {
        const type = (request.body as { message: { type: string } }).message.type;
        if (type === 'assistant-request') return { body: { assistantId: 'assistant-stage-1' } };
        return { delayMs: 1000, body: { late: true } };
      },
    });
    gateway = await startTestGateway({ VAPI_WEBHOOK_SECRET: SECRET, VOICE_SERVICE_URL: voice.url, VAPI_SYNC_TIMEOUT_MS: '300' });
    redis = new Redis(testInfra().redisUrl, { maxRetriesPerRequest: null });
    voiceQueue = new Queue('voice', { connection: redis, prefix: gateway.config.QUEUE_PREFIX });
  });
  afterAll(async () => {
    await voiceQueue.close();
    redis.disconnect();
    await gateway.stop();
    await voice.close();
  });

  it('refuses a missing or wrong secret with 401, and takes X-Vapi-Secret or a Bearer token', async () => {
    expect((await post(gateway, statusUpdate(randomUUID(), 'ringing'), {})).status).toBe(401);
    expect((await post(gateway, statusUpdate(randomUUID(), 'ringing'), { 'x-vapi-secret': 'nope' })).status).toBe(401);
    expect((await post(gateway, statusUpdate(randomUUID(), 'ringing'), { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await post(gateway, statusUpdate(randomUUID(), 'ringing'))).status).toBe(200);
    expect((await post(gateway, statusUpdate(randomUUID(), 'ringing'), { authorization: `Bearer ${SECRET}` })).status).toBe(200);
  });

  it('queues an informational message once, however often it is delivered', async () => {
    const callId = randomUUID();
    const body = statusUpdate(callId, 'in-progress');
    const responses = await Promise.all([post(gateway, body), post(gateway, body), post(gateway, { ...body })]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await responses[0]?.json()).toEqual({});
    const jobs = (await voiceQueue.getJobs(['waiting', 'active', 'completed', 'delayed', 'prioritized'])).filter(
      (job) => job.data.vapiCallId === callId,
    );
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.data).toMatchObject({ v: 1, messageType: 'status-update', vapiCallId: callId });
    expect(await opened(gateway, jobs[0]?.data.sealedBody)).toEqual(body);
  });

  it('puts the message in the job sealed: neither the number nor what was said is readable in Redis', async () => {
    const callId = randomUUID();
    const number = '+14155550123';
    const said = 'My bakery is called Crumb and Co';
    const body = {
      message: {
        type: 'transcript',
        role: 'user',
        transcriptType: 'final',
        transcript: said,
        timestamp: Date.now(),
        call: { id: callId, customer: { number } },
        customer: { number, name: 'Dana Founder' },
      },
    };
    const response = await post(gateway, body);
    expect(response.status).toBe(200);
    const [job] = (await voiceQueue.getJobs(['waiting', 'active', 'completed', 'delayed', 'prioritized'])).filter((j) => j.data.vapiCallId === callId);
    expect(Object.keys(job?.data ?? {}).sort()).toEqual(['correlationId', 'eventKey', 'messageType', 'receivedAt', 'sealedBody', 'v', 'vapiCallId']);
    expect(job?.data.correlationId).toBe(response.headers.get('x-correlation-id'));
    // Everything Redis holds for the job, as stored.
    const stored = JSON.stringify(await redis.hgetall(`${gateway.config.QUEUE_PREFIX}:voice:${job?.id}`));
    for (const secret of [number, said, 'Dana Founder', number.slice(1)]) expect(stored).not.toContain(secret);
    expect(await opened(gateway, job?.data.sealedBody)).toEqual(body);
    // Another key cannot open it.
    await expect(new PayloadSealer({ PAYLOAD_ENCRYPTION_KEY: 'another-key-of-at-least-thirty-two-characters' }).open(job?.data.sealedBody)).rejects.toThrow(
      /does not hold/,
    );
  });

  it('keeps one end-of-call report per call, and unknown message types with their unknown fields', async () => {
    const callId = randomUUID();
    const report = (summary: string) => ({ message: { type: 'end-of-call-report', endedReason: 'customer-ended-call', call: { id: callId }, analysis: { summary } } });
    await post(gateway, report('first'));
    await post(gateway, report('second delivery'));
    await post(gateway, { message: { type: 'assistant.started', call: { id: callId }, brandNewField: { kept: true } } });
    const jobs = (await voiceQueue.getJobs(['waiting', 'active', 'completed', 'delayed', 'prioritized'])).filter((job) => job.data.vapiCallId === callId);
    expect(jobs.map((job) => job.data.messageType).sort()).toEqual(['assistant.started', 'end-of-call-report']);
    const unknown = jobs.find((job) => job.data.messageType === 'assistant.started');
    expect((await opened(gateway, unknown?.data.sealedBody)).message.brandNewField).toEqual({ kept: true });
  });

  it("answers assistant-request with the voice service's answer", async () => {
    const response = await post(gateway, { message: { type: 'assistant-request', call: { id: randomUUID() }, customer: { number: '+14155550100' } } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ assistantId: 'assistant-stage-1' });
  });

  it('sends the founder calling along with an assistant-request, so that the voice service need not ask back', async () => {
    const phone = uniquePhone();
    const { data } = await gateway.client().signUp({ email: uniqueEmail(), password: 'a long enough passphrase', options: { data: { full_name: 'Fay Founder', phone } } });
    const profileId = (data.user?.app_metadata as { profile_id?: string } | undefined)?.profile_id;
    const forwarded = async (customer: unknown) => {
      await post(gateway, { message: { type: 'assistant-request', call: { id: randomUUID() }, customer } });
      return voice.requests.filter((request) => request.path === '/internal/vapi/sync').at(-1)?.body as Record<string, unknown>;
    };
    expect((await forwarded({ number: phone })).founder).toMatchObject({ id: profileId, customerName: 'Fay Founder', currentCallStage: 1 });
    // Nobody calls from this number: null, which the voice service answers with the intake assistant.
    const nobody = await forwarded({ number: uniquePhone() });
    expect(Object.hasOwn(nobody, 'founder') && nobody.founder).toBeNull();
    // No usable number: nothing added.
    expect(Object.hasOwn(await forwarded({ number: 'anonymous' }), 'founder')).toBe(false);
  });

  it('answers tool calls with a result for every id when the voice service is late', async () => {
    const started = Date.now();
    const response = await post(gateway, {
      message: {
        type: 'tool-calls',
        call: { id: randomUUID() },
        toolCallList: [
          { id: 'tc-1', type: 'function', function: { name: 'check_domain', arguments: { domain: 'seed.com' } } },
          { id: 'tc-2', type: 'function', function: { name: 'save_business_fact', arguments: '{"field":"name"}' } },
        ],
      },
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { results: { toolCallId: string; error: string }[] };
    expect(body.results.map((r) => r.toolCallId)).toEqual(['tc-1', 'tc-2']);
    expect(body.results.every((r) => !r.error.includes('\n'))).toBe(true);
  });

  it('answers bad input with a clear 4xx', async () => {
    const codes = async (response: Response) => [response.status, ((await response.json()) as { error: { code: string } }).error.code];
    expect(await codes(await post(gateway, '{"message":'))).toEqual([400, 'invalid_json']);
    expect(await codes(await post(gateway, { notMessage: true }))).toEqual([400, 'invalid_envelope']);
    expect(await codes(await post(gateway, { message: { type: '' } }))).toEqual([400, 'invalid_envelope']);
    const text = await fetch(`${gateway.url}/webhooks/vapi`, { method: 'POST', headers: { 'content-type': 'text/plain', 'x-vapi-secret': SECRET }, body: 'hi' });
    expect(await codes(text)).toEqual([415, 'unsupported_media_type']);
    const huge = { message: { type: 'conversation-update', call: { id: 'x' }, blob: 'x'.repeat(2.1 * 1024 * 1024) } };
    expect((await post(gateway, huge)).status).toBe(413);
    const big = { message: { type: 'conversation-update', call: { id: randomUUID() }, blob: 'x'.repeat(1.5 * 1024 * 1024) } };
    expect((await post(gateway, big)).status).toBe(200);
  });
});

describe('POST /webhooks/vapi with HMAC signatures', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ VAPI_WEBHOOK_SECRET: SECRET, VAPI_WEBHOOK_AUTH: 'hmac' });
  });
  afterAll(() => gateway.stop());

  const signed = (body: string, timestamp = String(Math.floor(Date.now() / 1000))) => ({
    'x-timestamp': timestamp,
    'x-signature': createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex'),
  });

  it('takes a valid signature over {timestamp}.{body}, and refuses a tampered body, a stale timestamp or the bare secret', async () => {
    const body = JSON.stringify(statusUpdate(randomUUID(), 'ringing'));
    expect((await post(gateway, body, signed(body))).status).toBe(200);
    expect((await post(gateway, body.replace('ringing', 'ended'), signed(body))).status).toBe(401);
    const stale = String(Math.floor(Date.now() / 1000) - 3600);
    expect((await post(gateway, body, signed(body, stale))).status).toBe(401);
    expect((await post(gateway, body, { 'x-vapi-secret': SECRET })).status).toBe(401);
  });
});

describe('POST /webhooks/vapi while Redis is down', () => {
  let redisServer: Awaited<ReturnType<typeof throwawayRedis>>;
  let gateway: TestGateway;
  const stopRedis = () => redisServer.stop();
  const startRedis = () => redisServer.start();

  beforeAll(async () => {
    redisServer = await throwawayRedis();
    gateway = await startTestGateway({
      VAPI_WEBHOOK_SECRET: SECRET,
      REDIS_URL: redisServer.url,
      WEBHOOK_RELAY_INTERVAL_MS: '200',
    });
  });
  afterAll(async () => {
    await gateway.stop().catch(() => undefined);
    await redisServer.stop();
  });

  it('keeps events in the Postgres inbox with a 200, and relays them once Redis is back', async () => {
    await stopRedis();
    const callIds = [randomUUID(), randomUUID(), randomUUID()];
    for (const callId of callIds) {
      const started = Date.now();
      const update = statusUpdate(callId, 'ended');
      // A NUL character, which Postgres's jsonb refuses: held all the same, without it.
      if (callId === callIds[2]) Object.assign(update.message, { note: 'caller said\u0000 nothing' });
      const response = await post(gateway, update, { 'x-vapi-secret': SECRET, 'x-correlation-id': `outage-${callId}` });
      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(2000);
    }
    // A duplicate delivery during the outage is still one event.
    await post(gateway, statusUpdate(callIds[0] as string, 'ended'));
    const held = await gateway.pool.query(`select payload->>'vapiCallId' as call from core.webhook_inbox where payload->>'vapiCallId' = any($1)`, [callIds]);
    expect(held.rows.map((row) => row.call).sort()).toEqual([...callIds].sort());
    // The inbox holds the body sealed, as the job would: the NUL travels inside it to the voice service, which drops it.
    const withNote = await gateway.pool.query(`select payload from core.webhook_inbox where payload->>'vapiCallId' = $1`, [callIds[2]]);
    expect(JSON.stringify(withNote.rows[0].payload)).not.toContain('caller said');
    expect((await opened(gateway, withNote.rows[0].payload.sealedBody)).message.note).toBe('caller said\u0000 nothing');

    await startRedis();
    await waitFor(async () => {
      const left = await gateway.pool.query(`select count(*)::int as n from core.webhook_inbox where payload->>'vapiCallId' = any($1)`, [callIds]);
      return left.rows[0].n === 0;
    }, 'the relay to empty the inbox', 20_000);
    const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
    const queue = new Queue('voice', { connection: redis, prefix: gateway.config.QUEUE_PREFIX });
    const jobs = await queue.getJobs(['waiting', 'active', 'completed', 'delayed', 'prioritized']);
    expect(jobs.map((job) => job.data.vapiCallId).sort()).toEqual([...callIds].sort());
    // Each under the correlation id of the delivery the inbox took.
    for (const job of jobs) expect(job.data.correlationId).toBe(`outage-${job.data.vapiCallId}`);
    await queue.close();
    redis.disconnect();
  });
});
