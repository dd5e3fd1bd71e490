import { randomUUID } from 'node:crypto';
import { VAPI_SYNC_TYPES, startFakeServer, validateVapiReply, vapiMessageFixture, type FakeServer } from '@dreamseed/testing';
import { startTestVoice, type TestVoice } from '../__fixtures__/test-voice';

const TOKEN = 'internal-secret-for-tests';
const WEBHOOK_SECRET = 'vapi-webhook-secret-for-tests';
const SERVER_URL = 'https://api.dreamseed.example/webhooks/vapi';
const FOUNDER = randomUUID();
/** Founders as the gateway sends them along with an assistant-request. */
const ADA = { id: FOUNDER, customerName: 'Ada', businessName: 'Seed Bakery', businessType: 'bakery', currentCallStage: 2, assistantType: 'shared', individualAssistantId: null, status: 'in_consultation' };
const BO = { id: randomUUID(), customerName: 'Bo', businessName: null, businessType: null, currentCallStage: 1, assistantType: 'individual', individualAssistantId: 'asst-bo', status: 'registered' };

describe('voice service: answers to VAPI synchronous messages', () => {
  let gateway: FakeServer;
  let domains: FakeServer;
  let voice: TestVoice;

  beforeAll(async () => {
    gateway = await startFakeServer({
      // Answers as the gateway would, but the voice service's synchronous answers must never ask it.
      'POST /internal/founders/lookup': () => ({ status: 404, body: { error: { code: 'not_found' } } }),
      'POST /internal/founders': (request) => {
        if (request.headers['x-internal-token'] !== TOKEN) return { status: 401, body: {} };
        const { phone, email } = request.body as { phone: string; email: string };
        if (email === 'taken@example.com') return { status: 409, body: { error: { code: 'email_exists', message: 'taken' } } };
        if (!email.includes('@')) return { status: 400, body: { error: { code: 'validation_failed', message: 'not valid', details: [{ path: 'email', message: 'Invalid email address' }] } } };
        if (phone === '+14155550199') return { status: 500, body: {} };
        return { status: phone === '+14155550102' ? 200 : 201, body: { id: randomUUID(), created: phone !== '+14155550102' } };
      },
    });
    domains = await startFakeServer({
      'POST /internal/domain-check': (request) => {
        const domain = (request.body as { domain: string }).domain;
        if (domain === 'slow.com') return { delayMs: 2000, body: {} };
        return {
          body: {
            domain,
            available: false,
            definitive: true,
            alternatives: [{ domain: domain.replace('.com', '.co'), available: true, definitive: true, priceMinor: null, currency: null, provider: 'fake', checkedAt: new Date().toISOString() }],
          },
        };
      },
    });
    voice = await startTestVoice({
      INTERNAL_API_SECRET: TOKEN,
      GATEWAY_URL: gateway.url,
      DOMAIN_SERVICE_URL: domains.url,
      DOMAIN_CHECK_TIMEOUT_MS: '300',
      VAPI_SERVER_URL: SERVER_URL,
      VAPI_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
  });
  afterAll(async () => {
    // The caller of an assistant-request comes only with the message: no answer asked the gateway back.
    expect(gateway.requests.filter((request) => request.path === '/internal/founders/lookup')).toEqual([]);
    await voice.stop();
    await Promise.all([gateway.close(), domains.close()]);
  });

  const ask = async (message: Record<string, unknown>, token = TOKEN, alongside: Record<string, unknown> = {}) => {
    const response = await fetch(`${voice.url}/internal/vapi/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-internal-token': token },
      body: JSON.stringify({ message, ...alongside }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  /** An assistant-request as the gateway forwards it: with the caller it found (`founder`), unless it could not say. */
  const askAssistant = async (number: string | undefined, founder: object | null | 'not sent', callId = `call-${randomUUID()}`) => {
    const response = await fetch(`${voice.url}/internal/vapi/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-internal-token': TOKEN },
      body: JSON.stringify({
        message: { type: 'assistant-request', call: { id: callId }, ...(number ? { customer: { number } } : {}) },
        ...(founder === 'not sent' ? {} : { founder }),
      }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const call = { id: 'call-sync-1', type: 'inboundPhoneCall', assistantOverrides: { metadata: { userId: FOUNDER, callStage: 2 } } };

  it('is closed to callers without the internal token', async () => {
    expect((await ask({ type: 'assistant-request' }, 'wrong')).status).toBe(401);
  });

  it("passes the caller's correlation id on to the gateway", async () => {
    const response = await fetch(`${voice.url}/internal/vapi/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-internal-token': TOKEN, 'x-correlation-id': 'vapi-delivery-9' },
      body: JSON.stringify({
        message: {
          type: 'tool-calls',
          call: { id: `intake-${randomUUID()}` },
          customer: { number: '+14155550177' },
          toolCallList: [{ id: 'tc-register-9', type: 'function', function: { name: 'register_caller', arguments: { email: 'cy@example.com' } } }],
        },
      }),
    });
    expect(response.headers.get('x-correlation-id')).toBe('vapi-delivery-9');
    const registration = gateway.requests.filter((request) => request.path === '/internal/founders').at(-1);
    expect(registration?.headers['x-correlation-id']).toBe('vapi-delivery-9');
  });

  it("answers assistant-request with the founder's stage assistant, their context and the call's metadata", async () => {
    const { status, body } = await askAssistant('+14155550101', ADA);
    expect(status).toBe(200);
    expect(validateVapiReply('assistant-request', body)).toEqual({ ok: true, errors: [] });
    expect(body.assistantOverrides).toEqual({
      variableValues: { founderName: 'Ada', businessName: 'Seed Bakery', whatWeFound: 'a bakery business' },
      metadata: { userId: FOUNDER, callStage: 2 },
    });
    const assistant = body.assistant as { name: string; server: object; metadata: object; model: { tools: { function: { name: string }; server: object }[] } };
    expect(assistant.name).toBe('DreamSeed positioning');
    // The metadata rides on the transient assistant too: VAPI records it on `call.assistant`.
    expect(assistant.metadata).toEqual({ userId: FOUNDER, callStage: 2 });
    const server = { url: SERVER_URL, timeoutSeconds: 10, headers: { 'X-Vapi-Secret': WEBHOOK_SECRET } };
    expect(assistant.server).toEqual(server);
    expect(assistant.model.tools.map((t) => t.function.name)).toEqual(['save_business_fact', 'schedule_next_call']);
    for (const tool of assistant.model.tools) expect(tool.server).toEqual(server);
  });

  it("uses a founder's individual assistant, and an intake assistant for a caller who is nobody or hides their number", async () => {
    expect((await askAssistant('+14155550102', BO)).body).toMatchObject({ assistantId: 'asst-bo' });
    expect(((await askAssistant('+14155550177', null)).body.assistant as { name: string }).name).toBe('DreamSeed intake');
    // No founder can own a hidden or non-E.164 number, so the gateway sends none along.
    expect(((await askAssistant(undefined, 'not sent')).body.assistant as { name: string }).name).toBe('DreamSeed intake');
    expect(((await askAssistant('anonymous', 'not sent')).body.assistant as { name: string }).name).toBe('DreamSeed intake');
  });

  it('knows the caller only from the founder the gateway sends along, and apologises when the gateway could not say', async () => {
    const given = { id: randomUUID(), customerName: 'Cleo', businessName: 'Kiln Works', businessType: 'pottery', currentCallStage: 3, assistantType: 'shared', individualAssistantId: null, status: 'in_consultation' };
    const answer = await askAssistant('+14155550188', given);
    expect(answer.body.assistantOverrides).toMatchObject({ variableValues: { founderName: 'Cleo', businessName: 'Kiln Works' }, metadata: { userId: given.id, callStage: 3 } });
    // An E.164 caller without a founder (the gateway's lookup failed), or with something that is not one.
    const apology = { status: 200, body: { error: "Sorry, we can't take your call right now. Please try again in a few minutes." } };
    expect(await askAssistant('+14155550188', 'not sent')).toEqual(apology);
    expect(await askAssistant('+14155550188', { id: 42 })).toEqual(apology);
    expect(validateVapiReply('assistant-request', apology.body)).toEqual({ ok: true, errors: [] });
  });

  it('registers an unknown caller under the number they call from, through the intake assistant', async () => {
    const intake = (await askAssistant('+14155550177', null)).body.assistant as { model: { tools: { function: { name: string } }[] } };
    expect(intake.model.tools.map((tool) => tool.function.name)).toEqual(['register_caller']);
    const register = async (number: string | undefined, args: unknown) => {
      const { body } = await ask({
        type: 'tool-calls',
        call: { id: `intake-${randomUUID()}`, type: 'inboundPhoneCall' },
        ...(number ? { customer: { number } } : {}),
        toolCallList: [{ id: 'tc-register', type: 'function', function: { name: 'register_caller', arguments: args } }],
      });
      return (body.results as { result?: string; error?: string }[])[0];
    };
    expect((await register('+14155550177', { name: 'Cy', email: 'cy@example.com' }))?.result).toMatch(/^Registered\. A confirmation email/);
    expect((await register('+14155550102', { email: 'bo@example.com' }))?.result).toMatch(/already registered/);
    expect((await register('+14155550177', { email: 'taken@example.com' }))?.result).toMatch(/already has an account/);
    expect((await register('+14155550177', { email: 'cy at example' }))?.error).toMatch(/email Invalid email address/);
    expect((await register('+14155550177', {}))?.error).toMatch(/email address is needed/);
    expect((await register(undefined, { email: 'cy@example.com' }))?.error).toMatch(/hidden/);
    expect((await register('+14155550199', { email: 'cy@example.com' }))?.error).toMatch(/not available right now/);
  });

  it('answers every tool call, in one line each, whatever the arguments look like', async () => {
    const started = Date.now();
    const { status, body } = await ask({
      type: 'tool-calls',
      call,
      toolCallList: [
        { id: 'tc-domain', type: 'function', function: { name: 'check_domain', arguments: { domain: 'seedbakery.com' } } },
        { id: 'tc-slow', type: 'function', function: { name: 'check_domain', arguments: '{"domain":"slow.com"}' } },
        { id: 'tc-fact', type: 'function', function: { name: 'save_business_fact', arguments: '{"field":"business_name","value":"Seed Bakery"}' } },
        { id: 'tc-broken', type: 'function', function: { name: 'save_business_fact', arguments: '{"field":' } },
        { id: 'tc-contact', type: 'function', function: { name: 'save_business_fact', arguments: { field: 'owner_email', value: 'ada@example.com' } } },
        { id: 'tc-next', name: 'schedule_next_call', parameters: { at: '2026-12-01T15:00:00Z' } },
        { id: 'tc-unknown', type: 'function', function: { name: 'order_pizza', arguments: {} } },
      ],
    });
    expect(status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1500);
    const results = Object.fromEntries((body.results as { toolCallId: string; result?: string; error?: string }[]).map((r) => [r.toolCallId, r]));
    expect(results['tc-domain']?.result).toBe('seedbakery.com is taken. Available alternatives: seedbakery.co.');
    expect(results['tc-slow']?.result).toMatch(/could not check slow\.com/);
    expect(results['tc-fact']?.result).toBe('Saved: business_name.');
    expect(results['tc-broken']?.error).toMatch(/not valid JSON/);
    expect(results['tc-contact']?.error).toBe(
      'Only these business facts can be saved: business_name, business_type, entity_type, state_of_operation, urgency_level, timeline, package_preference.',
    );
    expect(await voice.producer.queue('analysis').getJob('fact-tc-contact')).toBeUndefined();
    expect(results['tc-next']?.result).toBe('The next call is planned for 2026-12-01T15:00:00.000Z.');
    expect(results['tc-unknown']?.error).toBe('There is no tool called order_pizza.');
    for (const r of Object.values(results)) expect(String(r.result ?? r.error)).not.toContain('\n');

    const fact = await voice.producer.queue('analysis').getJob('fact-tc-fact');
    expect(fact?.data).toMatchObject({ userId: FOUNDER, vapiCallId: 'call-sync-1', field: 'business_name', value: 'Seed Bakery' });
    const next = await voice.producer.queue('voice').getJob('next-call-tool-tc-next');
    expect(next?.data).toMatchObject({ userId: FOUNDER, callStage: 3, notBefore: '2026-12-01T15:00:00.000Z' });
  });

  it('refuses to act for a call that is not tied to a founder', async () => {
    const { body } = await ask({
      type: 'tool-calls',
      call: { id: 'call-anon' },
      toolCallList: [{ id: 'tc-anon', function: { name: 'save_business_fact', arguments: { field: 'x', value: 'y' } } }],
    });
    expect((body.results as { error: string }[])[0]?.error).toMatch(/not tied to a founder/);
  });

  it("uses a tool for the founder recorded at the call's assistant-request when VAPI echoes no metadata", async () => {
    const noEcho = `call-${randomUUID()}`;
    const claimed = `call-${randomUUID()}`;
    const answered = await askAssistant('+14155550101', ADA, noEcho);
    const metadata = (answered.body.assistantOverrides as { metadata: { userId: string; callStage: number } }).metadata;
    const { body } = await ask({
      type: 'tool-calls',
      call: { id: noEcho },
      toolCallList: [
        { id: `fact-${noEcho}`, type: 'function', function: { name: 'save_business_fact', arguments: { field: 'business_type', value: 'bakery' } } },
        { id: `next-${noEcho}`, type: 'function', function: { name: 'schedule_next_call', arguments: {} } },
      ],
    });
    expect((body.results as { result?: string }[]).map((r) => r.result)).toEqual(['Saved: business_type.', 'The next call will be planned.']);
    expect((await voice.producer.queue('analysis').getJob(`fact-fact-${noEcho}`))?.data).toMatchObject({ userId: metadata.userId, vapiCallId: noEcho });
    expect((await voice.producer.queue('voice').getJob(`next-call-tool-next-${noEcho}`))?.data).toMatchObject({ userId: metadata.userId, callStage: metadata.callStage + 1 });

    // An intake call is nobody's, whatever its metadata claims.
    await askAssistant('+14155550178', null, claimed);
    const intake = await ask({
      type: 'tool-calls',
      call: { id: claimed, assistantOverrides: { metadata: { userId: metadata.userId, callStage: 2 } } },
      toolCallList: [{ id: `fact-${claimed}`, function: { name: 'save_business_fact', arguments: { field: 'business_type', value: 'x' } } }],
    });
    expect((intake.body.results as { error?: string }[])[0]?.error).toMatch(/not tied to a founder/);
  });

  it.each(VAPI_SYNC_TYPES)("answers %s as VAPI's reply schema for the type requires", async (type) => {
    // The gateway sends an assistant-request's caller along: here nobody, so the intake assistant answers.
    const { status, body } = await ask(vapiMessageFixture(type).message as unknown as Record<string, unknown>, TOKEN, type === 'assistant-request' ? { founder: null } : {});
    expect(status).toBe(200);
    expect(validateVapiReply(type, body)).toEqual({ ok: true, errors: [] });
  });

  it('answers the types VAPI sends only to servers the platform never configures with harmless values', async () => {
    expect((await ask({ type: 'handoff-destination-request', call, parameters: {} })).body).toEqual({
      destination: {},
      error: 'There is no one to hand this call to; carry on with the caller.',
    });
    expect((await ask({ type: 'campaign.predial', campaignId: 'campaign-1', contact: { number: '+14155550111' } })).body).toEqual({ eligible: false });
    expect((await ask({ type: 'voice-request', call, text: 'Hello', sampleRate: 24000 })).body).toEqual({ data: '' });
    expect((await ask({ type: 'call.endpointing.request', call, messagesOpenAIFormatted: [] })).body).toEqual({ timeoutSeconds: 0.5 });
    expect((await ask({ type: 'a-type-vapi-adds-later', call })).body).toEqual({});
  });

  it('answers a legacy function-call with { result }, through the same tools, once however often it is delivered', async () => {
    const functionCall = (name: string, parameters: unknown) => ({ type: 'function-call', timestamp: 1794931373318, call, functionCall: { name, parameters } });
    const saved = await ask(functionCall('save_business_fact', { field: 'business_type', value: 'bakery' }));
    expect(saved).toEqual({ status: 200, body: { result: 'Saved: business_type.' } });
    await ask(functionCall('save_business_fact', { field: 'business_type', value: 'bakery' }));
    const facts = (await voice.producer.queue('analysis').getJobs(['waiting', 'delayed', 'prioritized'])).filter(
      (job) => job.data.vapiCallId === 'call-sync-1' && job.data.field === 'business_type',
    );
    expect(facts).toHaveLength(1);
    expect(facts[0]?.data.toolCallId).toMatch(/^function-call-[0-9a-f]{40}$/);
    expect((await ask(functionCall('check_domain', '{"domain":"seedbakery.com"}'))).body).toEqual({ result: 'seedbakery.com is taken. Available alternatives: seedbakery.co.' });
    expect((await ask(functionCall('order_pizza', {}))).body).toEqual({ result: 'There is no tool called order_pizza.' });
    expect((await ask(functionCall('save_business_fact', '{"field":'))).body.result).toMatch(/not valid JSON/);
  });

  it("records the founder of the call before answering an assistant-request, whichever assistant answers", async () => {
    const founderOf = async (vapiCallId: string) =>
      (await voice.pool.query('select user_id, call_stage, source from voice.call_founders where vapi_call_id = $1', [vapiCallId])).rows;
    const known = `call-${randomUUID()}`;
    await askAssistant('+14155550101', ADA, known);
    expect(await founderOf(known)).toEqual([{ user_id: FOUNDER, call_stage: 2, source: 'assistant-request' }]);
    // The founder's own assistant (an assistantId answer) is bound the same way.
    const own = `call-${randomUUID()}`;
    const answered = await askAssistant('+14155550102', BO, own);
    expect(answered.body.assistantId).toBe('asst-bo');
    expect(await founderOf(own)).toEqual([{ user_id: (answered.body.assistantOverrides as { metadata: { userId: string } }).metadata.userId, call_stage: 1, source: 'assistant-request' }]);
    // A caller nobody knows: the intake assistant, and no founder.
    const unknown = `call-${randomUUID()}`;
    await askAssistant('+14155550177', null, unknown);
    // An unknown caller's call is recorded as nobody's: registering during it does not make it a consultation.
    expect(await founderOf(unknown)).toEqual([{ user_id: null, call_stage: null, source: 'intake' }]);
  });

  it('still answers an assistant-request when the founder cannot be recorded', async () => {
    const vapiCallId = `call-${randomUUID()}`;
    // An id Postgres refuses (not a uuid): the record fails; the metadata still names the founder.
    const founder = { id: 'not-a-uuid', customerName: 'Di', businessName: null, businessType: null, currentCallStage: 1, assistantType: 'shared', individualAssistantId: null, status: 'registered' };
    const response = await fetch(`${voice.url}/internal/vapi/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-internal-token': TOKEN },
      body: JSON.stringify({ message: { type: 'assistant-request', call: { id: vapiCallId } }, founder }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { assistant: { name: string }; assistantOverrides: object };
    expect(body.assistant.name).toBe('DreamSeed discovery');
    expect(body.assistantOverrides).toMatchObject({ metadata: { userId: 'not-a-uuid', callStage: 1 } });
    expect((await voice.pool.query('select 1 from voice.call_founders where vapi_call_id = $1', [vapiCallId])).rows).toEqual([]);
  });

  it('answers a transfer request without a number, knowledge-base requests, and a broken envelope', async () => {
    expect((await ask({ type: 'transfer-destination-request', call })).body.error).toBeTruthy();
    expect((await ask({ type: 'knowledge-base-request', call })).body).toEqual({ documents: [] });
    const broken = await fetch(`${voice.url}/internal/vapi/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-internal-token': TOKEN },
      body: JSON.stringify({ nothing: true }),
    });
    expect(broken.status).toBe(400);
    const send = (body: string, contentType = 'application/json') =>
      fetch(`${voice.url}/internal/vapi/sync`, { method: 'POST', headers: { 'content-type': contentType, 'x-internal-token': TOKEN }, body });
    const notJson = await send('{"message":');
    expect({ status: notJson.status, code: ((await notJson.json()) as { error: { code: string } }).error.code }).toEqual({ status: 400, code: 'invalid_json' });
    expect((await send('message=hello', 'application/x-www-form-urlencoded')).status).toBe(415);
  });
});

describe('voice service: a transfer request with a number to transfer to', () => {
  let voice: TestVoice;
  beforeAll(async () => {
    voice = await startTestVoice({ INTERNAL_API_SECRET: TOKEN, VOICE_TRANSFER_NUMBER: '+14155550100' });
  });
  afterAll(() => voice.stop());

  it('names the number, and what is said meanwhile in the field VAPI speaks (`content`)', async () => {
    const response = await fetch(`${voice.url}/internal/vapi/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-internal-token': TOKEN },
      body: JSON.stringify(vapiMessageFixture('transfer-destination-request')),
    });
    const body = await response.json();
    expect(body).toEqual({
      destination: { type: 'number', number: '+14155550100' },
      message: { type: 'request-start', content: 'Let me put you through to someone on our team.' },
    });
    expect(validateVapiReply('transfer-destination-request', body)).toEqual({ ok: true, errors: [] });
  });
});
