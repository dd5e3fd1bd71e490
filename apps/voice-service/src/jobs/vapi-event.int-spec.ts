import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { PayloadSealer, QueueUnavailableError, type JobContext } from '@dreamseed/platform';
import { producerFailingFirst } from '@dreamseed/platform/testing';
import { INTERNAL_PATHS } from '@dreamseed/contracts';
import { startFakeServer, waitFor, type FakeServer } from '@dreamseed/testing';
import { startTestVoice, type TestVoice } from '../__fixtures__/test-voice';
import { createVoiceDb } from '../db/client';
import { VapiEventProcessor } from './vapi-event';

/** The voice service's key, and the one it was rotated from: what the gateway seals with, before and after. */
const KEY = 'voice-tests-payload-key-of-32-characters-or-more';
const OLD_KEY = 'an-older-payload-key-still-opened-after-rotation';

/** Messages in the shapes VAPI sends (see shared/reference/vapi.md §2), for one call of a founder. */
function callMessages(vapiCallId: string, userId: string, callStage: number) {
  const call = {
    id: vapiCallId,
    orgId: 'org-1',
    type: 'outboundPhoneCall',
    assistantId: 'assistant-discovery',
    assistantOverrides: { metadata: { userId, callStage } },
    customer: { number: '+14155550142', name: 'Ada' },
  };
  const envelope = (type: string, extra: Record<string, unknown>) => ({ type, timestamp: Date.now(), call, customer: call.customer, ...extra });
  return {
    status: (status: string) => envelope('status-update', { status }),
    report: () =>
      envelope('end-of-call-report', {
        endedReason: 'customer-ended-call',
        startedAt: '2026-11-20T10:00:00.000Z',
        endedAt: '2026-11-20T10:12:30.000Z',
        cost: 0.4213,
        costBreakdown: { total: 0.4213 },
        artifact: {
          transcript: 'AI: Tell me about the problem.\nUser: Bakeries waste bread every night.',
          messages: [
            { role: 'system', message: 'You are a discovery guide.', secondsFromStart: 0 },
            { role: 'bot', message: 'Tell me about the problem.', secondsFromStart: 1.2, duration: 2100 },
            { role: 'user', message: 'Bakeries waste bread every night.', secondsFromStart: 4.5, duration: 3000 },
          ],
          recording: { stereoUrl: 'https://recordings.example/stereo.wav', mono: { combinedUrl: 'https://recordings.example/mono.wav' } },
        },
        analysis: { summary: 'The founder wants to cut bakery waste.', structuredData: { problem: 'bread waste' }, successEvaluation: 'true' },
      }),
  };
}

describe('voice service: VAPI events', () => {
  let voice: TestVoice;
  /** The gateway's founder lookup by number: nobody, unless a test says otherwise. */
  let gateway: FakeServer;
  beforeAll(async () => {
    gateway = await startFakeServer({ [`POST ${INTERNAL_PATHS.gateway.founderByPhone}`]: { status: 404, body: { error: { code: 'not_found' } } } });
    voice = await startTestVoice({
      INTERNAL_API_SECRET: 'internal-secret-for-tests',
      PAYLOAD_ENCRYPTION_KEY: KEY,
      PAYLOAD_ENCRYPTION_KEY_PREVIOUS: OLD_KEY,
      GATEWAY_URL: gateway.url,
    });
  });
  afterAll(async () => {
    await voice.stop();
    await gateway.close();
  });
  const pool = { query: (text: string, values?: unknown[]) => voice.pool.query(text, values) };

  type Message = Record<string, unknown> & { type: string; call: { id: string } };
  const sealed = (message: Message, key = KEY) => new PayloadSealer({ PAYLOAD_ENCRYPTION_KEY: key }).seal(Buffer.from(JSON.stringify({ message })));
  const eventOf = (message: Message, eventKey: string, key = KEY) => ({
    v: 1 as const,
    eventKey,
    messageType: message.type,
    vapiCallId: message.call.id,
    receivedAt: new Date().toISOString(),
    sealedBody: sealed(message, key),
  });
  /** Delivers a message as the gateway would (the body sealed, its event key; a job id of its own) and waits for it. */
  const deliver = async (message: Message, eventKey: string) => (await voice.run('voice', 'vapi-event', eventOf(message, eventKey))).outcome;

  const followUps = async (queue: 'gateway' | 'analysis' | 'voice', vapiCallId: string) =>
    (await voice.producer.queue(queue).getJobs(['waiting', 'delayed', 'prioritized', 'completed'])).filter((job) =>
      JSON.stringify(job.data).includes(vapiCallId),
    );

  it('stores a call whatever order its messages arrive in, and moves the founder on exactly once', async () => {
    const vapiCallId = `call-${randomUUID()}`;
    const userId = randomUUID();
    const m = callMessages(vapiCallId, userId, 1);

    expect(await deliver(m.status('in-progress'), `status-update|${vapiCallId}|in-progress`)).toBe('stored');
    expect(await deliver(m.report(), `end-of-call-report|${vapiCallId}`)).toBe('stored');
    // Late and repeated deliveries: an older status, the same report again.
    expect(await deliver(m.status('ringing'), `status-update|${vapiCallId}|ringing`)).toBe('stored');
    expect(await deliver(m.report(), `end-of-call-report|${vapiCallId}`)).toBe('duplicate');

    const session = (await pool.query('select * from voice.call_sessions where vapi_call_id = $1', [vapiCallId])).rows[0];
    expect(session).toMatchObject({
      user_id: userId,
      call_stage: 1,
      direction: 'outbound',
      status: 'ended',
      ended_reason: 'customer-ended-call',
      duration_seconds: '750.000',
      recording_url: 'https://recordings.example/mono.wav',
      stereo_recording_url: 'https://recordings.example/stereo.wav',
      summary: 'The founder wants to cut bakery waste.',
      success_evaluation: 'true',
    });
    expect(Number(session.cost_usd)).toBeCloseTo(0.4213);
    const transcript = (await pool.query('select * from voice.transcripts where call_session_id = $1', [session.id])).rows;
    expect(transcript).toHaveLength(1);
    expect(transcript[0].text).toContain('Bakeries waste bread');
    const turns = (await pool.query(
      `select t.role, t.content from voice.conversation_turns t join voice.conversations c on c.id = t.conversation_id
        where c.call_session_id = $1 order by t.seq`,
      [session.id],
    )).rows;
    // What was said only: the system prompt is not a turn, and VAPI's `bot` is the assistant.
    expect(turns.map((t) => t.role)).toEqual(['assistant', 'user']);

    const profileChanges = (await followUps('gateway', vapiCallId)).filter((job) => job.name === 'profile-call-completed');
    expect(profileChanges).toHaveLength(1);
    expect(profileChanges[0]?.data).toMatchObject({ userId, callStage: 1, callId: vapiCallId, occurredAt: '2026-11-20T10:12:30.000Z' });
    expect(await followUps('analysis', vapiCallId)).toHaveLength(1);

    // What the analysis service reads: the founder's ended calls, turn by turn, behind the internal token.
    const consultation = (token?: string) =>
      fetch(`${voice.url}/internal/founders/${userId}/consultation`, { headers: token ? { 'x-internal-token': token } : {} });
    expect((await consultation()).status).toBe(401);
    const read = (await (await consultation('internal-secret-for-tests')).json()) as { calls: Record<string, unknown>[] };
    expect(read.calls).toEqual([
      expect.objectContaining({
        vapiCallId,
        callStage: 1,
        summary: 'The founder wants to cut bakery waste.',
        structuredData: { problem: 'bread waste' },
        turns: [
          { role: 'assistant', content: 'Tell me about the problem.' },
          { role: 'user', content: 'Bakeries waste bread every night.' },
        ],
      }),
    ]);
  });

  it("sends the follow-ups under the report's correlation id, so one id runs from VAPI's delivery onwards", async () => {
    const vapiCallId = `call-${randomUUID()}`;
    const m = callMessages(vapiCallId, randomUUID(), 2);
    const report = { ...eventOf(m.report(), `end-of-call-report|${vapiCallId}`), correlationId: 'vapi-delivery-7' };
    expect((await voice.run('voice', 'vapi-event', report)).outcome).toBe('stored');
    const nextCall = await voice.producer.queue('voice').getJob(`next-call-${vapiCallId}`);
    const sent = [...(await followUps('gateway', vapiCallId)), ...(await followUps('analysis', vapiCallId)), ...(nextCall ? [nextCall] : [])];
    expect(sent.map((job) => job.name).sort()).toEqual(['analyse-founder', 'founder-attention', 'founder-attention', 'profile-call-completed', 'schedule-next-call']);
    for (const job of sent) expect(job.data.correlationId).toBe('vapi-delivery-7');
  });

  it('keeps the report final when status updates come after it', async () => {
    const vapiCallId = `call-${randomUUID()}`;
    const m = callMessages(vapiCallId, randomUUID(), 2);
    await deliver(m.report(), `end-of-call-report|${vapiCallId}`);
    await deliver(m.status('queued'), `status-update|${vapiCallId}|queued`);
    await deliver(m.status('in-progress'), `status-update|${vapiCallId}|in-progress`);
    const session = (await pool.query('select status from voice.call_sessions where vapi_call_id = $1', [vapiCallId])).rows[0];
    expect(session.status).toBe('ended');
    expect((await followUps('gateway', vapiCallId)).filter((job) => job.name === 'profile-call-completed')).toHaveLength(1);
  });

  it('logs every message with the caller, what was said and what the call analysis drew from it redacted', async () => {
    const vapiCallId = `call-${randomUUID()}`;
    const m = callMessages(vapiCallId, randomUUID(), 1);
    // VAPI's legacy top-level summary too, and the analysis on the call object as its API returns it.
    const report = { ...m.report(), summary: 'The founder wants to cut bakery waste.' };
    const analysis = (report as Record<string, unknown>).analysis;
    const withAnalysis = { ...report, call: { ...report.call, analysis, artifact: { structuredOutputs: { problem: 'bread waste' } } } };
    await deliver(withAnalysis, `end-of-call-report|${vapiCallId}`);
    const logged = (await pool.query('select payload, status from voice.webhook_logs where vapi_call_id = $1', [vapiCallId])).rows[0];
    expect(logged.status).toBe('processed');
    const copies = (await pool.query('select analysis, raw from voice.vapi_calls where vapi_call_id = $1', [vapiCallId])).rows[0];
    for (const copy of [logged.payload, copies.analysis, copies.raw]) {
      const text = JSON.stringify(copy);
      for (const personal of ['+14155550142', 'Bakeries waste bread', 'cut bakery waste', 'bread waste']) expect(text).not.toContain(personal);
    }
    expect(logged.payload.endedReason).toBe('customer-ended-call');
    expect(logged.payload.analysis).toEqual({ summary: '[redacted]', structuredData: '[redacted]', successEvaluation: 'true' });
    // The call's own record keeps what the product shows the founder and the analysis reads.
    const session = (await pool.query('select summary, structured_data from voice.call_sessions where vapi_call_id = $1', [vapiCallId])).rows[0];
    expect(session).toEqual({ summary: 'The founder wants to cut bakery waste.', structured_data: { problem: 'bread waste' } });
  });

  it('records messages without a call, and calls it cannot tie to a founder, without failing', async () => {
    expect(await deliver({ type: 'hang', call: { id: '' } } as never, `hang|no-call|${randomUUID()}`)).toBe('ignored');
    const vapiCallId = `call-${randomUUID()}`;
    const anonymous = { type: 'end-of-call-report', call: { id: vapiCallId, type: 'inboundPhoneCall' }, endedReason: 'customer-busy', artifact: { transcript: '' } };
    expect(await deliver(anonymous, `end-of-call-report|${vapiCallId}`)).toBe('stored');
    expect(await followUps('gateway', vapiCallId)).toHaveLength(0);
  });

  it('stores a call whose messages hold NUL characters (Postgres takes none), without them', async () => {
    const vapiCallId = `call-${randomUUID()}`;
    const messages = callMessages(vapiCallId, randomUUID(), 1);
    const report = messages.report() as ReturnType<typeof messages.report> & { artifact: { transcript: string } };
    report.artifact.transcript = 'AI: Hello.\u0000\nUser: Hi\u0000 there.';
    expect(await deliver({ ...messages.status('in-progress'), note: '\u0000' }, `status-update|${vapiCallId}|in-progress`)).toBe('stored');
    expect(await deliver(report, `end-of-call-report|${vapiCallId}`)).toBe('stored');
    const { rows } = await pool.query(
      'select t.text from voice.transcripts t join voice.call_sessions s on s.id = t.call_session_id where s.vapi_call_id = $1',
      [vapiCallId],
    );
    expect(rows).toEqual([{ text: 'AI: Hello.\nUser: Hi there.' }]);
  });

  it('takes a founder id in the metadata that is not a uuid as no founder, instead of failing every attempt', async () => {
    const vapiCallId = `call-${randomUUID()}`;
    const messages = callMessages(vapiCallId, 'founder-42-not-a-uuid', 2);
    expect(await deliver(messages.status('in-progress'), `status-update|${vapiCallId}|in-progress`)).toBe('stored');
    expect(await deliver(messages.report(), `end-of-call-report|${vapiCallId}`)).toBe('stored');
    const { rows } = await pool.query('select user_id, status from voice.call_sessions where vapi_call_id = $1', [vapiCallId]);
    expect(rows).toEqual([{ user_id: null, status: 'ended' }]);
    expect(await followUps('gateway', vapiCallId)).toHaveLength(0);
    expect(await followUps('analysis', vapiCallId)).toHaveLength(0);
  });
  it('opens bodies sealed with the previous key, and still takes a message in the clear from an older gateway', async () => {
    const vapiCallId = `call-${randomUUID()}`;
    const m = callMessages(vapiCallId, randomUUID(), 1);
    expect((await voice.run('voice', 'vapi-event', eventOf(m.status('ringing'), `status-update|${vapiCallId}|ringing`, OLD_KEY))).outcome).toBe('stored');
    const { sealedBody: _, ...clear } = eventOf(m.status('in-progress'), `status-update|${vapiCallId}|in-progress`);
    expect((await voice.run('voice', 'vapi-event', { ...clear, message: m.status('in-progress') })).outcome).toBe('stored');
    const session = await pool.query('select status from voice.call_sessions where vapi_call_id = $1', [vapiCallId]);
    expect(session.rows).toEqual([{ status: 'in-progress' }]);
  });

  it('retries a body sealed with a key it does not hold, saying which key, and keeps the message out of the reason', async () => {
    const vapiCallId = `call-${randomUUID()}`;
    const m = callMessages(vapiCallId, randomUUID(), 1);
    const foreign = new PayloadSealer({ PAYLOAD_ENCRYPTION_KEY: 'a-key-this-voice-service-was-never-given' });
    const { jobId } = await voice.producer.enqueue('voice', 'vapi-event', eventOf(m.status('ringing'), `status-update|${vapiCallId}|ringing`, 'a-key-this-voice-service-was-never-given'));
    const queue = voice.producer.queue('voice');
    await waitFor(async () => ((await queue.getJob(jobId))?.attemptsMade ?? 0) >= 1, 'the first try to fail', 10_000);
    const job = await queue.getJob(jobId);
    expect(await job?.getState()).toBe('delayed');
    expect(job?.failedReason).toContain(`sealed with key ${foreign.keyId}`);
    expect(job?.failedReason).not.toContain('+14155550142');
    expect((await pool.query('select 1 from voice.call_sessions where vapi_call_id = $1', [vapiCallId])).rows).toHaveLength(0);
    await job?.remove();
  });
  it('sends the follow-ups of a report whose first try committed but could not queue them', async () => {
    const vapiCallId = `call-${randomUUID()}`;
    const userId = randomUUID();
    const m = callMessages(vapiCallId, userId, 2);
    // The voice service's producer, but Redis is away for the first add: the try fails after its commit.
    const flaky = producerFailingFirst(voice.producer);
    const processor = new VapiEventProcessor(createVoiceDb(voice.pool), flaky, { sealer: new PayloadSealer({ PAYLOAD_ENCRYPTION_KEY: KEY }) });
    const context = { log: pino({ level: 'silent' }) } as unknown as JobContext;
    const report = eventOf(m.report(), `end-of-call-report|${vapiCallId}`);

    await expect(processor.handle(report, context)).rejects.toThrow(QueueUnavailableError);
    expect((await pool.query('select count(*)::int as n from voice.transcripts t join voice.call_sessions s on s.id = t.call_session_id where s.vapi_call_id = $1', [vapiCallId])).rows).toEqual([{ n: 1 }]);
    expect((await pool.query('select status from voice.webhook_logs where event_key = $1', [report.eventKey])).rows).toEqual([{ status: 'received' }]);

    // The retry: the transcript is there already, and the follow-ups still go out, once each.
    expect((await processor.handle(report, context)).outcome).toBe('stored');
    expect((await processor.handle(report, context)).outcome).toBe('duplicate');
    // (The voice worker may have planned the next call meanwhile, and reported that too.)
    expect((await followUps('gateway', vapiCallId)).filter((job) => job.name === 'profile-call-completed')).toHaveLength(1);
    const planned = await voice.producer.queue('voice').getJobs(['waiting', 'active', 'delayed', 'prioritized', 'completed']);
    expect(planned.filter((job) => job.name === 'schedule-next-call' && job.data.userId === userId)).toHaveLength(1);
    expect((await followUps('analysis', vapiCallId)).map((job) => job.name)).toEqual(['analyse-founder']);
    expect((await pool.query('select status from voice.webhook_logs where event_key = $1', [report.eventKey])).rows).toEqual([{ status: 'processed' }]);
  });
});
