import { createHash, createHmac, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { PayloadSealer } from '@dreamseed/platform';
import { VAPI_STANDING_REPLIES } from '@dreamseed/contracts';
import {
  VAPI_SYNC_TYPES,
  deletePrefix,
  freePort,
  runTs,
  startFakeServer,
  testInfra,
  uniquePrefix,
  validateVapiReply,
  vapiMessageFixture,
  waitFor,
  waitForHttpOk,
  type FakeServer,
  type RunningProcess,
} from '@dreamseed/testing';
import { startTestGateway, uniqueEmail, uniquePhone, type TestGateway } from '../__fixtures__/test-gateway';
import { throwawayRedis } from '../__fixtures__/throwaway-redis';
import { vapiEventKey } from './vapi';

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

const FALLBACKS: { label: string; env: Record<string, string> }[] = [
  { label: 'no fallback configured', env: {} },
  { label: 'a fallback assistant and transfer number', env: { VAPI_FALLBACK_ASSISTANT_ID: 'assistant-fallback', VAPI_FALLBACK_TRANSFER_NUMBER: '+14155550100' } },
];

describe.each(FALLBACKS)('POST /webhooks/vapi while the voice service is down, $label', ({ env }) => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ VAPI_WEBHOOK_SECRET: SECRET, VOICE_SERVICE_URL: `http://127.0.0.1:${await freePort()}`, ...env });
  });
  afterAll(() => gateway.stop());

  it.each(VAPI_SYNC_TYPES)("answers %s itself, as VAPI's reply schema for the type requires", async (type) => {
    const response = await post(gateway, vapiMessageFixture(type));
    expect(response.status).toBe(200);
    expect(validateVapiReply(type, await response.json())).toEqual({ ok: true, errors: [] });
  });

  it('answers a legacy function-call with { result } (VAPI publishes no schema for it)', async () => {
    const response = await post(gateway, { message: { type: 'function-call', call: { id: randomUUID() }, functionCall: { name: 'check_domain', parameters: { domain: 'seed.com' } } } });
    expect(await response.json()).toEqual({ result: 'This could not be completed right now. Please carry on without it.' });
  });

  it('answers with the configured fallbacks, or spoken errors without them', async () => {
    const answer = async (type: 'assistant-request' | 'transfer-destination-request' | 'handoff-destination-request') =>
      (await post(gateway, vapiMessageFixture(type))).json();
    const configured = 'VAPI_FALLBACK_ASSISTANT_ID' in env;
    expect(await answer('assistant-request')).toEqual(configured ? { assistantId: 'assistant-fallback' } : { error: expect.stringMatching(/can't take your call/) });
    expect(await answer('transfer-destination-request')).toEqual(
      configured ? { destination: { type: 'number', number: '+14155550100' } } : { error: 'No one is available to take the call right now.' },
    );
    expect(await answer('handoff-destination-request')).toEqual(VAPI_STANDING_REPLIES['handoff-destination-request']);
  });
});

/**
 * The voice service as its own process (its own code, as deployed) behind this gateway: what VAPI sends with the
 * server objects of the assistants and tools the voice service answered with passes the gateway's real check.
 */
describe("VAPI messages sent with the voice service's own server objects", () => {
  let gateway: TestGateway;
  let voice: RunningProcess;
  const voicePrefix = uniquePrefix('vapi-credential');

  beforeAll(async () => {
    const voicePort = await freePort();
    // Founders' numbers count once confirmed; these tests are about the webhook, not the texted code.
    gateway = await startTestGateway({ VAPI_WEBHOOK_SECRET: SECRET, VOICE_SERVICE_URL: `http://127.0.0.1:${voicePort}`, AUTH_PHONE_AUTOCONFIRM: 'true' });
    voice = runTs('apps/voice-service/src/main.ts', {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: testInfra().databaseUrl,
      REDIS_URL: testInfra().redisUrl,
      QUEUE_PREFIX: voicePrefix,
      PORT: String(voicePort),
      HOST: '127.0.0.1',
      INTERNAL_API_SECRET: 'internal-secret-for-tests',
      GATEWAY_URL: gateway.url,
      // The server URL follows the gateway's public address: VAPI is sent straight back to this gateway.
      PUBLIC_URL: gateway.url,
      VAPI_SERVER_URL: undefined,
      VAPI_WEBHOOK_SECRET: SECRET,
    });
    await waitForHttpOk(`http://127.0.0.1:${voicePort}/health/ready`, 30_000, voice);
  });
  afterAll(async () => {
    voice.kill('SIGTERM');
    await voice.exited;
    await gateway.stop();
    await deletePrefix(testInfra().redisUrl, voicePrefix);
  });

  interface Server {
    url: string;
    headers?: Record<string, string>;
  }
  interface Answer {
    assistant: { name: string; server: Server; model: { tools: { function: { name: string }; server: Server }[] } };
  }
  /** A delivery as VAPI makes it: to `server.url`, with `server.headers`. */
  const asVapi = (server: Server, body: unknown) =>
    fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...server.headers }, body: JSON.stringify(body) });

  it("pass the gateway's check: the assistant's messages and each tool's calls, for a new caller and for a founder", async () => {
    const phone = uniquePhone();
    const { data } = await gateway.client().signUp({ email: uniqueEmail(), password: 'a long enough passphrase', options: { data: { full_name: 'Gil Founder', phone } } });
    const profileId = (data.user?.app_metadata as { profile_id?: string } | undefined)?.profile_id;
    for (const [number, name] of [[uniquePhone(), 'DreamSeed intake'], [phone, 'DreamSeed discovery']]) {
      const callId = randomUUID();
      const answered = await post(gateway, { message: { type: 'assistant-request', call: { id: callId }, customer: { number } } });
      const { assistant } = (await answered.json()) as Answer;
      expect(assistant.name).toBe(name);
      expect(assistant.server.url).toBe(`${gateway.url}/webhooks/vapi`);

      expect((await asVapi(assistant.server, statusUpdate(callId, 'in-progress'))).status).toBe(200);
      expect((await asVapi({ url: assistant.server.url }, statusUpdate(callId, 'in-progress'))).status).toBe(401);
      for (const tool of assistant.model.tools) {
        const toolCallList = [{ id: `tc-${randomUUID()}`, type: 'function', function: { name: tool.function.name, arguments: {} } }];
        const reply = await asVapi(tool.server, { message: { type: 'tool-calls', call: { id: callId }, toolCallList, toolWithToolCallList: [] } });
        expect(reply.status).toBe(200);
        const results = await reply.json();
        expect(validateVapiReply('tool-calls', results)).toEqual({ ok: true, errors: [] });
        // Answered by the voice service's tool, not by the gateway's fallback.
        const [only] = (results as { results: { toolCallId: string; error?: string }[] }).results;
        expect(only?.toolCallId).toBe(toolCallList[0]?.id);
        expect(only?.error).not.toBe('This could not be completed right now. Please carry on without it.');
      }
    }
    // The founder's call was bound to them by the voice service as it answered.
    const bound = await gateway.pool.query(`select user_id, source from voice.call_founders where user_id = $1`, [profileId]);
    expect(bound.rows).toEqual([{ user_id: profileId, source: 'assistant-request' }]);
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
