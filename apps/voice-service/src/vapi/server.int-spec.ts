import { randomUUID } from 'node:crypto';
import type { FounderCallContext } from '@dreamseed/contracts';
import { startFakeServer, validateVapiReply, vapiSchemaAt, waitFor, type FakeRequest, type FakeServer } from '@dreamseed/testing';
import { founderContext } from '../__fixtures__/founder-context';
import { startTestVoice, type TestVoice } from '../__fixtures__/test-voice';

const TOKEN = 'internal-secret-for-tests';
const SECRET = 'vapi-webhook-secret-for-tests';
const SERVER_URL = 'https://api.dreamseed.example/webhooks/vapi';
const CREDENTIAL_ID = '7c1e4b2a-9d3f-4e6a-8b5c-1f0d2e3a4b5c';

/** Every server object in a value: an assistant's, each of its tools', a saved assistant's overrides'. */
function serversIn(value: unknown, found: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(value)) value.forEach((item) => serversIn(item, found));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'server') found.push(inner as Record<string, unknown>);
      serversIn(inner, found);
    }
  }
  return found;
}

const SERVER_FIELDS = Object.keys(vapiSchemaAt('#/components/schemas/Server').properties as object);

const MODES: { mode: string; env: Record<string, string>; server: Record<string, unknown>; secretSent: boolean }[] = [
  {
    mode: 'header mode, no credential: the secret as X-Vapi-Secret',
    env: { VAPI_WEBHOOK_SECRET: SECRET },
    server: { url: SERVER_URL, timeoutSeconds: 10, headers: { 'X-Vapi-Secret': SECRET } },
    secretSent: true,
  },
  {
    mode: 'a VAPI credential (hmac mode): its id, and the secret never sent',
    env: { VAPI_WEBHOOK_SECRET: SECRET, VAPI_WEBHOOK_AUTH: 'hmac', VAPI_SERVER_CREDENTIAL_ID: CREDENTIAL_ID },
    server: { url: SERVER_URL, timeoutSeconds: 10, credentialId: CREDENTIAL_ID },
    secretSent: false,
  },
];

describe.each(MODES)('server objects the voice service hands VAPI, $mode', ({ env, server, secretSent }) => {
  const founders = new Map<string, FounderCallContext>();
  /** Founders whose call the fake VAPI refuses, quoting the secret it was sent (as a validation message may). */
  const refused = new Set<string>();
  let gateway: FakeServer;
  let vapi: FakeServer;
  let voice: TestVoice;

  beforeAll(async () => {
    gateway = await startFakeServer({
      'GET /internal/founders/:id': (request) => {
        const founder = founders.get(request.params.id ?? '');
        return founder ? { body: founder } : { status: 404, body: {} };
      },
    });
    vapi = await startFakeServer({
      'POST /call': (request) => {
        if (!refused.has(metadataOf(request).userId ?? '')) return { status: 201, body: { id: `vapi-${randomUUID()}`, status: 'queued' } };
        const quoted = (serversIn(request.body)[0]?.headers as Record<string, string> | undefined)?.['X-Vapi-Secret'] ?? 'none';
        return { status: 400, body: { statusCode: 400, message: [`server.headers.X-Vapi-Secret ${quoted} is not allowed`], error: 'Bad Request' } };
      },
    });
    voice = await startTestVoice({
      INTERNAL_API_SECRET: TOKEN,
      GATEWAY_URL: gateway.url,
      VAPI_SERVER_URL: SERVER_URL,
      VAPI_API_KEY: 'vapi-private-key',
      VAPI_BASE_URL: vapi.url,
      VAPI_PHONE_NUMBER_ID: 'pn-1',
      VAPI_ASSISTANT_ID_STAGE_2: 'assistant-positioning',
      ...env,
    });
  });
  afterAll(async () => {
    await voice.stop();
    await Promise.all([gateway.close(), vapi.close()]);
  });

  const metadataOf = (request: FakeRequest) => ((request.body as { assistantOverrides?: { metadata?: { userId?: string } } }).assistantOverrides?.metadata ?? {});

  const founder = (overrides: Partial<FounderCallContext> = {}): FounderCallContext => {
    const made = founderContext({ id: randomUUID(), ...overrides });
    founders.set(made.id, made);
    return made;
  };

  const assistantRequest = async (given: FounderCallContext | null) => {
    const response = await fetch(`${voice.url}/internal/vapi/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-internal-token': TOKEN },
      body: JSON.stringify({ message: { type: 'assistant-request', call: { id: `call-${randomUUID()}` }, customer: { number: '+14155550123' } }, founder: given }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  };

  const expectTheCredential = (value: unknown, count: number) => {
    const servers = serversIn(value);
    expect(servers).toHaveLength(count);
    for (const each of servers) {
      expect(each).toEqual(server);
      expect(SERVER_FIELDS).toEqual(expect.arrayContaining(Object.keys(each)));
    }
    expect(JSON.stringify(value).includes(SECRET)).toBe(secretSent);
  };

  it('on every assistant-request answer: the intake and stage assistants, each of their tools, and a saved assistant', async () => {
    const answers = {
      intake: await assistantRequest(null),
      stage1: await assistantRequest(founder({ currentCallStage: 1 })),
      stage3: await assistantRequest(founder({ currentCallStage: 3 })),
      stage4: await assistantRequest(founder({ currentCallStage: 4 })),
      shared: await assistantRequest(founder({ currentCallStage: 2 })),
      individual: await assistantRequest(founder({ currentCallStage: 3, assistantType: 'individual', individualAssistantId: 'assistant-of-ada' })),
    };
    for (const answer of Object.values(answers)) expect(validateVapiReply('assistant-request', answer)).toEqual({ ok: true, errors: [] });
    // The assistant and each tool: intake (register_caller), stage 1 (2 tools), stage 3 (3), stage 4 (1).
    expectTheCredential(answers.intake, 2);
    expectTheCredential(answers.stage1, 3);
    expectTheCredential(answers.stage3, 4);
    expectTheCredential(answers.stage4, 2);
    // A saved assistant (shared per stage, or the founder's own): through the overrides.
    expect(answers.shared).toMatchObject({ assistantId: 'assistant-positioning', assistantOverrides: { server } });
    expect(answers.individual).toMatchObject({ assistantId: 'assistant-of-ada', assistantOverrides: { server } });
    expectTheCredential(answers.shared, 1);
    expectTheCredential(answers.individual, 1);
  });

  it('on every outbound call: the transient assistant and its tools, or the overrides of a saved assistant', async () => {
    const transient = founder();
    const shared = founder();
    const individual = founder({ assistantType: 'individual', individualAssistantId: 'assistant-of-bo' });
    const placements = [
      { founder: transient, callStage: 1 },
      { founder: shared, callStage: 2 },
      { founder: individual, callStage: 3 },
    ];
    for (const { founder: f, callStage } of placements) {
      await voice.producer.enqueue('voice', 'schedule-next-call', { v: 1, userId: f.id, callStage, notBefore: new Date().toISOString() });
    }
    const sent = (userId: string) => vapi.requests.find((request) => request.path === '/call' && metadataOf(request).userId === userId)?.body as Record<string, unknown> | undefined;
    const [toTransient, toShared, toIndividual] = await waitFor(() => {
      const bodies = placements.map(({ founder: f }) => sent(f.id));
      return bodies.every(Boolean) ? bodies : undefined;
    }, 'the three calls to reach VAPI');

    expect(toTransient).toMatchObject({ assistant: { name: 'DreamSeed discovery', metadata: { userId: transient.id, callStage: 1 } }, assistantOverrides: { metadata: { userId: transient.id, callStage: 1 } } });
    expectTheCredential(toTransient, 3);
    expect(toShared).toMatchObject({ assistantId: 'assistant-positioning', assistantOverrides: { server, metadata: { userId: shared.id, callStage: 2 } } });
    expectTheCredential(toShared, 1);
    expect(toIndividual).toMatchObject({ assistantId: 'assistant-of-bo', assistantOverrides: { server } });
    expectTheCredential(toIndividual, 1);
  });

  it("keeps the secret out of the call's recorded error when VAPI quotes the request back", async () => {
    const { id } = founder({ assistantType: 'individual', individualAssistantId: 'assistant-of-cy' });
    refused.add(id);
    await voice.producer.enqueue('voice', 'schedule-next-call', { v: 1, userId: id, callStage: 1, notBefore: new Date().toISOString() });
    const row = await waitFor(async () => {
      const { rows } = await voice.pool.query('select status, last_error from voice.voice_calls where user_id = $1', [id]);
      return rows[0]?.status === 'failed' ? rows[0] : undefined;
    }, 'the refused call to be recorded');
    expect(row.last_error).toMatch(/^VAPI answered 400: server\.headers\.X-Vapi-Secret \S+ is not allowed/);
    expect(row.last_error).not.toContain(SECRET);
  });
});
