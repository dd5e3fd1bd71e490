import { createHash, createHmac, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { PayloadSealer } from '@dreamseed/platform';
import { startFakeServer, testInfra, validateVapiReply, type FakeServer } from '@dreamseed/testing';
import { startTestGateway, uniqueEmail, uniquePhone, type TestGateway } from '../__fixtures__/test-gateway';
import { SECRET, opened, post, statusUpdate } from './__fixtures__/vapi-webhook';
import { vapiEventKey } from './vapi';

// The webhook itself, against a fake voice service: how it checks, holds, answers and refuses deliveries.
// Its behaviour beside real or failing neighbours (voice service, Redis) is in vapi-neighbours.int-spec.ts.

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
    // Founders' numbers count once confirmed; these tests are about the webhook, not the texted code.
    gateway = await startTestGateway({ VAPI_WEBHOOK_SECRET: SECRET, VOICE_SERVICE_URL: voice.url, VAPI_SYNC_TIMEOUT_MS: '300', AUTH_PHONE_AUTOCONFIRM: 'true' });
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

  it('takes a message without a type that carries a tool call list as tool-calls, as VAPI\'s schema allows', async () => {
    const callId = randomUUID();
    const response = await post(gateway, {
      message: {
        call: { id: callId },
        toolCallList: [{ id: 'tc-untyped', type: 'function', function: { name: 'check_domain', arguments: { domain: 'seed.com' } } }],
        toolWithToolCallList: [],
      },
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(validateVapiReply('tool-calls', body)).toEqual({ ok: true, errors: [] });
    expect((body as { results: { toolCallId: string }[] }).results.map((r) => r.toolCallId)).toEqual(['tc-untyped']);
    // The voice service was asked with the type written in.
    const forwarded = voice.requests.filter((request) => request.path === '/internal/vapi/sync').at(-1)?.body as { message: { type: string; call: { id: string } } };
    expect(forwarded.message).toMatchObject({ type: 'tool-calls', call: { id: callId } });
    // Without a type and without a tool call list, the message is still refused.
    expect((await post(gateway, { message: { call: { id: callId } } })).status).toBe(400);
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

  it('refuses poison input with 400 and holds nothing: a NUL or lone surrogate in the call id or type, a body nested too deep', async () => {
    const codes = async (response: Response) => [response.status, ((await response.json()) as { error?: { code: string } }).error?.code];
    const held = async (raw: string) => {
      const { message } = JSON.parse(raw) as { message: Parameters<typeof vapiEventKey>[0] };
      const jobId = `vapi-${createHash('sha256').update(vapiEventKey(message, Buffer.from(raw))).digest('hex').slice(0, 40)}`;
      const inbox = await gateway.pool.query(`select count(*)::int as n from core.webhook_inbox where job_id = $1`, [jobId]);
      return { queued: Boolean(await voiceQueue.getJob(jobId)), inbox: inbox.rows[0].n as number };
    };
    const refused = async (raw: string, code: string) => {
      expect(await codes(await post(gateway, raw))).toEqual([400, code]);
      expect(await held(raw)).toEqual({ queued: false, inbox: 0 });
    };

    for (const id of [`${randomUUID()}\u0000`, `\u0000`, `${randomUUID()}\udc00`, `\ud800${randomUUID()}`]) {
      await refused(JSON.stringify(statusUpdate(id, 'in-progress')), 'invalid_envelope');
    }
    await refused(JSON.stringify({ message: { type: 'status-update\u0000', call: { id: randomUUID() } } }), 'invalid_envelope');
    const deep = (levels: number) => `{"message":{"type":"status-update","status":"ended","call":{"id":"${randomUUID()}"},"x":${'['.repeat(levels)}${']'.repeat(levels)}}}`;
    await refused(deep(100_000), 'json_too_deep');
    await refused(deep(70), 'json_too_deep');
    // Refused from the bytes, before anything parses or walks a structure this deep.
    await refused(`{"message":{"type":"status-update","x":${'['.repeat(900_000)}${']'.repeat(900_000)}}}`, 'json_too_deep');

    // What VAPI's schema allows stays welcome: ids of any storable text (other control characters included), nesting well within the limit, and brackets,
    // quotes and escapes inside strings, which are not nesting.
    for (const id of [randomUUID(), `call_${randomUUID()} ünïcødé 🌱`, 'x'.repeat(500), `${randomUUID()}\n\u0085\u0001`]) {
      const raw = JSON.stringify(statusUpdate(id, 'in-progress'));
      expect((await post(gateway, raw)).status).toBe(200);
      expect(await held(raw)).toMatchObject({ queued: true });
    }
    const { message } = statusUpdate(randomUUID(), 'ended');
    const words = JSON.stringify({ message: { ...message, said: '[{"\\'.repeat(10_000), nested: deepObject(40) } });
    expect((await post(gateway, words)).status).toBe(200);
    expect(await held(words)).toMatchObject({ queued: true });
  });
});

/** `{ a: { a: ... } }`, `levels` objects deep. */
function deepObject(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i += 1) value = { a: value };
  return value;
}

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
