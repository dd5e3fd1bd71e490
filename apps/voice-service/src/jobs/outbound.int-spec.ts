import { randomUUID } from 'node:crypto';
import { freePort, sleep, startFakeServer, waitFor, type FakeServer, type FakeRequest } from '@dreamseed/testing';
import { startTestVoice, type TestVoice } from '../__fixtures__/test-voice';
import { queueCallCompleted } from '../calls/founders';
import { createCallProvider } from '../vapi/provider';

const TOKEN = 'internal-secret-for-tests';

describe('voice service: outbound calls', () => {
  /** What the fake VAPI answers, by the founder the call is for. */
  const vapiAnswers = new Map<string, { status: number; body: unknown }>();
  let vapi: FakeServer;
  let gateway: FakeServer;
  let voice: TestVoice;

  beforeAll(async () => {
    vapi = await startFakeServer({
      'POST /call': (request) => {
        const userId = (request.body as { assistantOverrides: { metadata: { userId: string } } }).assistantOverrides.metadata.userId;
        return vapiAnswers.get(userId) ?? { status: 201, body: { id: `vapi-${randomUUID()}`, status: 'queued' } };
      },
    });
    gateway = await startFakeServer({
      'GET /internal/founders/:id': (request) =>
        request.headers['x-internal-token'] === TOKEN
          ? { body: { id: request.params.id, customerPhone: '+14155550123', customerName: 'Ada', businessName: 'Seed Bakery', businessType: 'bakery', currentCallStage: 2, assistantType: 'shared', individualAssistantId: null, status: 'in_consultation' } }
          : { status: 401, body: {} },
    });
    voice = await startTestVoice({
      INTERNAL_API_SECRET: TOKEN,
      GATEWAY_URL: gateway.url,
      VAPI_API_KEY: 'vapi-private-key',
      VAPI_BASE_URL: vapi.url,
      VAPI_PHONE_NUMBER_ID: 'pn-1',
      VAPI_ASSISTANT_ID_STAGE_2: 'assistant-positioning',
    });
  });
  afterAll(async () => {
    await voice.stop();
    await Promise.all([vapi.close(), gateway.close()]);
  });

  const plan = (userId: string, callStage: number, inMs: number) =>
    voice.producer.enqueue('voice', 'schedule-next-call', { v: 1, userId, callStage, notBefore: new Date(Date.now() + inMs).toISOString() });
  const rowsOf = async (userId: string) => (await voice.pool.query('select * from voice.voice_calls where user_id = $1 order by created_at', [userId])).rows;
  const callsFor = (userId: string): FakeRequest[] =>
    vapi.requests.filter((r) => (r.body as { assistantOverrides?: { metadata?: { userId?: string } } }).assistantOverrides?.metadata?.userId === userId);

  it('places the call at its time through VAPI, with the founder, the stage assistant and metadata', async () => {
    const userId = randomUUID();
    await plan(userId, 2, 300);
    const [row] = await waitFor(async () => ((await rowsOf(userId))[0]?.status === 'placed' ? rowsOf(userId) : undefined), 'the call to be placed');
    const sent = callsFor(userId);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.headers.authorization).toBe('Bearer vapi-private-key');
    expect(sent[0]?.body).toMatchObject({
      assistantId: 'assistant-positioning',
      phoneNumberId: 'pn-1',
      customer: { number: '+14155550123' },
      assistantOverrides: { metadata: { userId, callStage: 2 }, variableValues: { founderName: 'Ada' } },
    });
    const session = await voice.pool.query('select user_id, call_stage, direction from voice.call_sessions where vapi_call_id = $1', [row.vapi_call_id]);
    expect(session.rows[0]).toEqual({ user_id: userId, call_stage: 2, direction: 'outbound' });
    const reports = (await voice.producer.queue('gateway').getJobs(['waiting'])).filter((job) => job.data.userId === userId);
    expect(reports[0]?.data).toMatchObject({ callStage: 2 });
  });

  it('moves a planned call when it is planned again, and places it once', async () => {
    const userId = randomUUID();
    await plan(userId, 3, 60_000);
    await waitFor(async () => (await rowsOf(userId)).length === 1, 'the first plan');
    await plan(userId, 3, 300);
    await waitFor(async () => (await rowsOf(userId))[0]?.status === 'placed', 'the moved call to be placed');
    expect(await rowsOf(userId)).toHaveLength(1);
    await sleep(300);
    expect(callsFor(userId)).toHaveLength(1);
  });

  it('cancels a planned call', async () => {
    const userId = randomUUID();
    await plan(userId, 2, 60_000);
    await waitFor(async () => (await rowsOf(userId)).length === 1, 'the plan');
    await voice.producer.enqueue('voice', 'cancel-next-call', { v: 1, userId, requestId: randomUUID() });
    await waitFor(async () => (await rowsOf(userId))[0]?.status === 'cancelled', 'the cancellation');
    const job = await voice.producer.queue('voice').getJob(`place-${(await rowsOf(userId))[0]?.id}`);
    expect(job).toBeUndefined();
  });

  it('cancels an earlier stage\'s plan when a later stage is planned, and removes its place job', async () => {
    const userId = randomUUID();
    await plan(userId, 2, 60_000);
    const [stage2] = await waitFor(async () => ((await rowsOf(userId)).length === 1 ? rowsOf(userId) : undefined), 'the stage 2 plan');
    await plan(userId, 3, 60_000);
    await waitFor(async () => (await rowsOf(userId)).length === 2, 'the stage 3 plan');
    const rows = await rowsOf(userId);
    expect(rows.map((row) => [row.call_stage, row.status])).toEqual([
      [2, 'cancelled'],
      [3, 'scheduled'],
    ]);
    expect(await voice.producer.queue('voice').getJob(`place-${stage2.id}`)).toBeUndefined();
  });

  it('never dials a stage the founder has already done (they called in): the plan is cancelled at its time', async () => {
    const userId = randomUUID();
    const session = await voice.pool.query(
      `insert into voice.call_sessions (vapi_call_id, user_id, call_stage, direction, status) values ($1, $2, 2, 'inbound', 'ended') returning id`,
      [`inbound-${userId}`, userId],
    );
    await voice.pool.query(`insert into voice.transcripts (call_session_id, user_id, call_stage, text) values ($1, $2, 2, 'AI: Hello')`, [session.rows[0].id, userId]);
    await plan(userId, 2, 0);
    const [row] = await waitFor(async () => ((await rowsOf(userId))[0]?.status === 'cancelled' ? rowsOf(userId) : undefined), 'the plan to be cancelled');
    expect(row.last_error).toBe('stage 2 is already done');
    expect(callsFor(userId)).toEqual([]);
    const reports = (await voice.producer.queue('gateway').getJobs(['waiting'])).filter((job) => job.data.userId === userId);
    expect(reports.map((job) => job.data)).toContainEqual(expect.objectContaining({ callStage: 2, scheduledAt: null }));
  });

  it('after the last stage, cancels every plan up to it and clears the next call on the profile', async () => {
    const userId = randomUUID();
    await plan(userId, 4, 60_000);
    await waitFor(async () => (await rowsOf(userId)).length === 1, 'the stage 4 plan');
    await queueCallCompleted(voice.producer, { userId, callStage: 4, vapiCallId: `last-${userId}`, endedAt: new Date().toISOString() }, undefined);
    await waitFor(async () => (await rowsOf(userId))[0]?.status === 'cancelled', 'the stage 4 plan to be cancelled');
    const reports = (await voice.producer.queue('gateway').getJobs(['waiting'])).filter((job) => job.data.userId === userId).map((job) => [job.name, job.data]);
    expect(reports).toContainEqual(['profile-next-call-scheduled', expect.objectContaining({ eventId: expect.stringMatching(/^consultation-done-/), scheduledAt: null })]);
    expect(reports.filter(([name]) => name === 'profile-call-completed')).toHaveLength(1);
    expect((await voice.producer.queue('voice').getJobs(['waiting', 'delayed'])).filter((job) => job.name === 'schedule-next-call' && job.data.userId === userId)).toEqual([]);
  });

  it('records a refusal by VAPI as a permanent failure, and retries a 5xx', async () => {
    const refused = randomUUID();
    vapiAnswers.set(refused, { status: 400, body: { message: 'customer.number must be a valid phone number' } });
    await plan(refused, 2, 0);
    const [failed] = await waitFor(async () => ((await rowsOf(refused))[0]?.status === 'failed' ? rowsOf(refused) : undefined), 'the failure');
    expect(failed.last_error).toContain('VAPI answered 400');

    const flaky = randomUUID();
    vapiAnswers.set(flaky, { status: 503, body: {} });
    await plan(flaky, 2, 0);
    await waitFor(async () => callsFor(flaky).length === 1 && (await rowsOf(flaky))[0]?.status === 'scheduled', 'a retry to be planned');
    const job = await voice.producer.queue('voice').getJob(`place-${(await rowsOf(flaky))[0]?.id}`);
    expect(await job?.getState()).toBe('delayed');
    expect(job?.attemptsMade).toBe(1);
  });

  /** Plans a call a minute away, lets the test change its row, then runs its place job now. */
  const planThenPlaceNow = async (userId: string, change: string) => {
    await plan(userId, 2, 60_000);
    const [row] = await waitFor(async () => ((await rowsOf(userId)).length === 1 ? rowsOf(userId) : undefined), 'the plan');
    const job = await waitFor(() => voice.producer.queue('voice').getJob(`place-${row.id}`), 'the place job');
    await voice.pool.query(`update voice.voice_calls set ${change} where id = $1`, [row.id]);
    await job.promote();
    await waitFor(async () => ['completed', 'failed'].includes(await job.getState()), 'the place job to finish');
    return { rowId: row.id as string, job: await voice.producer.queue('voice').getJob(job.id as string) };
  };

  it('never dials again once a request has gone out: an earlier try that stopped after sending leaves the outcome unknown', async () => {
    const userId = randomUUID();
    const { job } = await planThenPlaceNow(userId, `status = 'dialing', claim_id = gen_random_uuid(), request_sent_at = now()`);
    expect(job?.returnvalue).toEqual({ outcome: 'unknown' });
    expect(callsFor(userId)).toHaveLength(0);
    const [row] = await rowsOf(userId);
    expect(row).toMatchObject({ status: 'failed' });
    expect(row.last_error).toContain('outcome unknown');
  });

  it('takes over a claim whose try stopped before sending (a crash, a shutdown), and places the call once', async () => {
    const userId = randomUUID();
    const { job } = await planThenPlaceNow(userId, `status = 'dialing', claim_id = gen_random_uuid(), request_sent_at = null`);
    expect(job?.returnvalue).toMatchObject({ outcome: 'placed' });
    expect(callsFor(userId)).toHaveLength(1);
    expect((await rowsOf(userId))[0]).toMatchObject({ status: 'placed', claim_id: null });
  });

  it('records an answer without a call id as an unknown outcome, and does not dial again', async () => {
    const userId = randomUUID();
    vapiAnswers.set(userId, { status: 200, body: { status: 'queued' } });
    await plan(userId, 2, 0);
    const [row] = await waitFor(async () => ((await rowsOf(userId))[0]?.status === 'failed' ? rowsOf(userId) : undefined), 'the unknown outcome');
    expect(row.last_error).toContain('may have been placed');
    const job = await voice.producer.queue('voice').getJob(`place-${row.id}`);
    expect(await job?.getState()).toBe('failed');
    expect(callsFor(userId)).toHaveLength(1);
  });

  it('places a call planned again after its place job had finished (the job id was still taken)', async () => {
    const userId = randomUUID();
    // The place job finds the row not scheduled and finishes; then the row is open again, as a reset leaves it.
    const { rowId, job } = await planThenPlaceNow(userId, `status = 'failed'`);
    expect(job?.returnvalue).toEqual({ outcome: 'skipped' });
    await voice.pool.query(`update voice.voice_calls set status = 'scheduled' where id = $1`, [rowId]);
    await plan(userId, 2, 100);
    await waitFor(async () => (await rowsOf(userId))[0]?.status === 'placed', 'the call to be placed');
    expect(callsFor(userId)).toHaveLength(1);
  });

  it('does not dial before the planned time when the plan moved later while its job was already running', async () => {
    const userId = randomUUID();
    // The plan is a minute away; its job runs now, as one does that had started before the plan moved.
    const { rowId, job } = await planThenPlaceNow(userId, `status = 'scheduled'`);
    expect(job?.returnvalue).toMatchObject({ outcome: 'deferred' });
    expect(callsFor(userId)).toHaveLength(0);
    expect((await rowsOf(userId))[0]?.status).toBe('scheduled');
    const waiting = await voice.producer.queue('voice').getJob(`place-${rowId}-at-${new Date(job?.returnvalue.until).getTime()}`);
    expect(await waiting?.getState()).toBe('delayed');
    // When that time comes (here: now), the call is placed once.
    await voice.pool.query(`update voice.voice_calls set scheduled_for = now() where id = $1`, [rowId]);
    await waiting?.promote();
    await waitFor(async () => (await rowsOf(userId))[0]?.status === 'placed', 'the call to be placed');
    expect(callsFor(userId)).toHaveLength(1);
  });

  it('reports a cancellation again when the cancel is retried after it had cancelled the row', async () => {
    const userId = randomUUID();
    await plan(userId, 2, 60_000);
    const [row] = await waitFor(async () => ((await rowsOf(userId)).length === 1 ? rowsOf(userId) : undefined), 'the plan');
    const requestId = randomUUID();
    const report = () => voice.producer.queue('gateway').getJob(`next-call-${row.id}-cancelled`);
    await voice.run('voice', 'cancel-next-call', { v: 1, userId, requestId });
    expect((await rowsOf(userId))[0]?.status).toBe('cancelled');
    // The first try's report never reached the gateway (here: removed); its retry finds the row cancelled already.
    await (await report())?.remove();
    expect(await voice.run('voice', 'cancel-next-call', { v: 1, userId, requestId }, `cancel-retry-${requestId}`)).toEqual({ cancelled: 1 });
    expect((await report())?.data).toMatchObject({ userId, callStage: 2, scheduledAt: null });
  });
});

describe('the VAPI call provider', () => {
  const request = { assistant: { assistantId: 'a' }, customerNumber: '+14155550123', variableValues: {}, metadata: { userId: 'u', callStage: 1 } };

  it('tells a request VAPI never saw (retried) from one whose answer was lost (the call may exist)', async () => {
    const slow = await startFakeServer({ 'POST /call': () => ({ delayMs: 1000, status: 201, body: { id: 'late' } }) });
    try {
      const timedOut = createCallProvider({ apiKey: 'k', baseUrl: slow.url, timeoutMs: 100 }).place(request);
      await expect(timedOut).rejects.toMatchObject({ retryable: false, outcomeUnknown: true });
      // A port nothing listens on: the connection is refused before anything is sent.
      const refused = createCallProvider({ apiKey: 'k', baseUrl: `http://127.0.0.1:${await freePort()}` }).place(request);
      await expect(refused).rejects.toMatchObject({ retryable: true, outcomeUnknown: false });
    } finally {
      await slow.close();
    }
  });
});

describe('the local call provider', () => {
  it('records a simulated call when no VAPI key is configured', async () => {
    const provider = createCallProvider({ baseUrl: 'https://api.vapi.ai' });
    expect(provider.name).toBe('local');
    const placed = await provider.place({ assistant: { assistantId: 'a' }, customerNumber: '+14155550123', variableValues: {}, metadata: { userId: 'u', callStage: 1 } });
    expect(placed.vapiCallId).toMatch(/^simulated-/);
  });
});
