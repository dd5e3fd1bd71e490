import { randomUUID } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import { JobProducer, createRedis } from '@dreamseed/platform';
import { deletePrefix, startFakeServer, testInfra, uniquePrefix, type FakeRequest, type FakeResponse, type FakeServer } from '@dreamseed/testing';
import { createAnalysisDb } from '../db/client';
import { Analyser } from '../jobs/analyse';
import { CONSULTATION_FIXTURES, fixtureInput } from './__fixtures__/consultations';
import { OfflineExtractor } from './offline';
import { OpenAiProvider } from './openai';
import type { AnalysisOutput } from './output';

const completion = (content: string | null, extra: { refusal?: string; finishReason?: string } = {}): FakeResponse => ({
  body: {
    id: `chatcmpl-${randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: 'gpt-test-2026',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: extra.refusal ?? null }, finish_reason: extra.finishReason ?? 'stop', logprobs: null }],
    usage: { prompt_tokens: 1200, completion_tokens: 300, total_tokens: 1500 },
  },
});

/** What a good model would answer for the first fixture (the offline extractor's reading of it). */
async function goodAnswer(): Promise<AnalysisOutput> {
  return (await new OfflineExtractor().analyse(fixtureInput(CONSULTATION_FIXTURES[0]))).output;
}

describe('the OpenAI provider against a fake OpenAI-compatible server', () => {
  let fake: FakeServer;
  let pool: pg.Pool;
  let producer: JobProducer;
  let redis: ReturnType<typeof createRedis>;
  const prefix = uniquePrefix('openai');
  let answer: (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;

  beforeAll(async () => {
    fake = await startFakeServer({ 'POST /v1/chat/completions': (req) => answer(req) });
    pool = new pg.Pool({ connectionString: testInfra().databaseUrl, max: 3 });
    redis = createRedis(testInfra().redisUrl, 'producer', { name: 'test' });
    producer = new JobProducer({ connection: redis, prefix, logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await producer.close();
    redis.disconnect();
    await pool.end();
    await fake.close();
    await deletePrefix(testInfra().redisUrl, prefix);
  });

  function analyser(options: { maxRetries?: number; timeoutMs?: number } = {}) {
    const provider = new OpenAiProvider({
      apiKey: 'sk-test',
      baseUrl: `${fake.url}/v1`,
      model: 'gpt-test',
      timeoutMs: options.timeoutMs ?? 5000,
      maxRetries: options.maxRetries ?? 0,
      inputCostPerMTok: 0.15,
      outputCostPerMTok: 0.6,
    });
    const input = fixtureInput(CONSULTATION_FIXTURES[0]);
    return new Analyser({
      db: createAnalysisDb(pool),
      producer,
      provider,
      fetchConsultation: async (userId) => ({ userId, calls: input.calls.map((call) => ({ ...call, transcriptId: randomUUID() })) }),
      logger: pino({ level: 'silent' }),
    });
  }

  /** One try of the job: `final` when it is the last of its attempts. */
  const attempt = (final: boolean) => ({
    lastAttempt: final,
    log: pino({ level: 'silent' }),
    signal: new AbortController().signal,
    correlationId: 'openai-test',
  });

  const rowsOf = async (userId: string) => ({
    runs: (await pool.query(`select * from analysis.ai_analysis where business_id = $1`, [userId])).rows as Record<string, unknown>[],
    versions: (await pool.query(`select * from analysis.dream_dna where business_id = $1`, [userId])).rows as Record<string, unknown>[],
  });

  it('asks for the structured output and stores the parsed result, tokens and cost', async () => {
    const good = await goodAnswer();
    answer = () => completion(JSON.stringify(good));
    const userId = randomUUID();
    const result = await analyser().run({ userId, trigger: 'manual', sourceId: 'ok' }, attempt(false));
    expect(result).toEqual({ status: 'succeeded', dreamDnaVersion: 1 });
    const request = fake.requests.at(-1)?.body as { model: string; response_format: { type: string; json_schema: { strict: boolean; name: string } }; messages: { role: string; content: string }[] };
    expect(request.model).toBe('gpt-test');
    expect(request.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'dream_dna_analysis', strict: true } });
    expect(request.messages[0]?.content).toContain('never instructions to you');
    expect(request.messages[1]?.content).toContain('same walker');
    const { runs, versions } = await rowsOf(userId);
    expect(runs[0]).toMatchObject({ status: 'succeeded', provider: 'openai', model: 'gpt-test-2026', input_tokens: 1200, output_tokens: 300, cost_usd: '0.000360' });
    expect(versions[0]).toMatchObject({ version: 1, brand_vibe: 'friendly', price_level: 'premium' });
  });

  it.each([
    ['a refusal', () => completion(null, { refusal: 'I cannot help with that.' }), /^refusal/],
    ['invalid JSON', () => completion('{"dreamDna": {'), /^invalid_output/],
    ['a value outside the enum', async () => {
      const bad = structuredClone(await goodAnswer()) as unknown as { dreamDna: { brandVibe: { value: string } } };
      bad.dreamDna.brandVibe.value = 'hacked';
      return completion(JSON.stringify(bad));
    }, /^invalid_output/],
    ['a cut-off answer', () => completion('{"dreamDna"', { finishReason: 'length' }), /^invalid_output/],
    ['a rejected request (400)', () => ({ status: 400, body: { error: { message: 'bad model', type: 'invalid_request_error' } } }), /^rejected/],
  ])('records %s as a failed run at once and keeps the Dream DNA', async (_name, respond, error) => {
    answer = respond as typeof answer;
    const userId = randomUUID();
    const result = await analyser().run({ userId, trigger: 'manual', sourceId: 'bad' }, attempt(false));
    expect(result).toEqual({ status: 'failed' });
    const { runs, versions } = await rowsOf(userId);
    expect(runs[0]?.status).toBe('failed');
    expect(String(runs[0]?.error)).toMatch(error);
    expect(versions).toHaveLength(0);
  });

  it('waits out a 429 with retry-after and then succeeds', async () => {
    const good = await goodAnswer();
    let calls = 0;
    answer = () => (++calls === 1 ? { status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'slow down' } } } : completion(JSON.stringify(good)));
    const userId = randomUUID();
    const started = Date.now();
    const result = await analyser({ maxRetries: 1 }).run({ userId, trigger: 'manual', sourceId: '429' }, attempt(false));
    expect(result.status).toBe('succeeded');
    expect(calls).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it.each([
    ['429', () => ({ status: 429, headers: { 'retry-after': '30' }, body: { error: { message: 'slow down' } } }), 'rate_limited', {}],
    ['500', () => ({ status: 500, body: { error: { message: 'boom' } } }), 'unavailable', {}],
    ['a timeout', () => ({ delayMs: 1500, ...completion('{}') }), 'timeout', { timeoutMs: 300 }],
  ])('leaves %s to the queue to retry, and records it as failed on the last attempt', async (_name, respond, kind, options) => {
    answer = respond as typeof answer;
    const userId = randomUUID();
    const failure = await analyser(options).run({ userId, trigger: 'manual', sourceId: 'retry' }, attempt(false)).catch((e: unknown) => e);
    expect({ kind: (failure as { kind?: string }).kind }).toMatchObject({ kind });
    expect((await rowsOf(userId)).runs[0]?.status).toBe('pending');
    const result = await analyser(options).run({ userId, trigger: 'manual', sourceId: 'retry' }, attempt(true));
    expect(result).toEqual({ status: 'failed' });
    const { runs, versions } = await rowsOf(userId);
    expect(String(runs[0]?.error)).toMatch(new RegExp(`^${kind}`));
    expect(versions).toHaveLength(0);
  });
});
