import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { VAPI_STANDING_REPLIES } from '@dreamseed/contracts';
import {
  VAPI_SYNC_TYPES,
  deletePrefix,
  freePort,
  runTs,
  testInfra,
  uniquePrefix,
  validateVapiReply,
  vapiMessageFixture,
  waitFor,
  waitForHttpOk,
  type RunningProcess,
} from '@dreamseed/testing';
import { startTestGateway, uniqueEmail, uniquePhone, type TestGateway } from '../__fixtures__/test-gateway';
import { throwawayRedis } from '../__fixtures__/throwaway-redis';
import { SECRET, opened, post, statusUpdate } from './__fixtures__/vapi-webhook';

// The VAPI webhook beside its neighbours: with the voice service down, with the voice service's own process
// answering, and with Redis down. The webhook's own checks and answers are in vapi.int-spec.ts.

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
