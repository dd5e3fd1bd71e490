import { randomUUID } from 'node:crypto';
import type { Vapi } from '@vapi-ai/server-sdk';
import { startFakeServer, vapiCallDeliveries, waitFor, type FakeServer, type VapiCallLine } from '@dreamseed/testing';
import { startTestVoice, type TestVoice } from '../__fixtures__/test-voice';

const TOKEN = 'internal-secret-for-tests';
const PHONE = '+14155550123';

/** What the voice service flags for operators on the gateway's queue (`founder-attention`). */
describe('voice service: founders flagged for an operator', () => {
  /** What the fake VAPI answers, by the founder the call is for. */
  const vapiAnswers = new Map<string, { status: number; body: unknown }>();
  /** Founders the fake gateway knows without a phone number. */
  const withoutNumber = new Set<string>();
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
      'GET /internal/founders/:id': (request) => ({
        body: {
          id: request.params.id,
          customerPhone: withoutNumber.has(request.params.id ?? '') ? null : PHONE,
          customerName: 'Ada',
          businessName: 'Seed Bakery',
          businessType: 'bakery',
          currentCallStage: 2,
          assistantType: 'shared',
          individualAssistantId: null,
          status: 'in_consultation',
        },
      }),
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

  const gatewayJobs = async (userId: string) =>
    (await voice.producer.queue('gateway').getJobs(['waiting', 'delayed', 'prioritized', 'completed'])).filter((job) => job.data.userId === userId);
  const flagsOf = async (userId: string) => (await gatewayJobs(userId)).filter((job) => job.name === 'founder-attention');
  const planNow = (userId: string) => voice.producer.enqueue('voice', 'schedule-next-call', { v: 1, userId, callStage: 2, notBefore: new Date().toISOString() });
  const planOf = async (userId: string) => (await voice.pool.query('select * from voice.voice_calls where user_id = $1', [userId])).rows[0];

  /** Delivers a call's end-of-call report as VAPI sends it, and waits until it is stored. */
  async function reportEnd(userId: string, direction: 'inbound' | 'outbound', endedReason: Vapi.ServerMessageEndOfCallReportEndedReason, lines: VapiCallLine[]) {
    const callId = `call-${randomUUID()}`;
    const deliveries = vapiCallDeliveries({
      callId,
      direction,
      customerNumber: PHONE,
      metadata: { userId, callStage: 2 },
      stage: 2,
      lines,
      summary: '',
      structuredData: {},
      endedReason,
    });
    const message = deliveries.find((delivery) => delivery.message.type === 'end-of-call-report')?.message as unknown as Record<string, unknown>;
    await voice.run('voice', 'vapi-event', { v: 1, eventKey: `end-of-call-report|${callId}`, messageType: 'end-of-call-report', vapiCallId: callId, receivedAt: new Date().toISOString(), message });
    return callId;
  }

  it('flags a planned call that VAPI refuses, with the reason as a code and never what VAPI said or the number', async () => {
    const userId = randomUUID();
    vapiAnswers.set(userId, { status: 400, body: { message: `customer.number ${PHONE} must be a valid phone number` } });
    await planNow(userId);
    const [flag] = await waitFor(async () => ((await flagsOf(userId)).length ? flagsOf(userId) : undefined), 'the flag');
    const plan = await planOf(userId);
    expect(plan.status).toBe('failed');
    expect(flag?.id).toBe(`attention-call-failed-${plan.id}`);
    expect(flag?.data).toMatchObject({
      userId,
      eventId: `attention-call-failed-${plan.id}`,
      kind: 'outbound_call_failed',
      state: 'raised',
      detail: 'The stage 2 call could not be placed (vapi_refused_400).',
      occurredAt: plan.updated_at.toISOString(),
    });
    expect(JSON.stringify(flag?.data)).not.toContain(PHONE);
  });

  it('flags a planned call for a founder without a number', async () => {
    const userId = randomUUID();
    withoutNumber.add(userId);
    await planNow(userId);
    const [flag] = await waitFor(async () => ((await flagsOf(userId)).length ? flagsOf(userId) : undefined), 'the flag');
    expect(flag?.data).toMatchObject({ kind: 'outbound_call_failed', state: 'raised', detail: 'The stage 2 call could not be placed (no_phone_number).' });
    expect((await planOf(userId)).status).toBe('failed');
  });

  it('flags a planned call whose outcome is unknown (VAPI answered without a call id): it is not dialled again', async () => {
    const userId = randomUUID();
    vapiAnswers.set(userId, { status: 200, body: { status: 'queued' } });
    await planNow(userId);
    const [flag] = await waitFor(async () => ((await flagsOf(userId)).length ? flagsOf(userId) : undefined), 'the flag');
    expect(flag?.data).toMatchObject({ kind: 'outbound_call_failed', detail: 'The stage 2 call could not be placed (outcome_unknown).' });
  });

  it('flags an outbound call nobody answered, and does not count it as the stage\'s consultation', async () => {
    const userId = randomUUID();
    const callId = await reportEnd(userId, 'outbound', 'voicemail', [['AI', 'Hi, this is DreamSeed calling about your consultation.']]);
    const jobs = await gatewayJobs(userId);
    expect(jobs.map((job) => [job.name, job.id])).toEqual([['founder-attention', `attention-unanswered-${callId}`]]);
    expect(jobs[0]?.data).toMatchObject({ kind: 'outbound_call_unanswered', state: 'raised', detail: 'The stage 2 call went unanswered (voicemail).' });
    // No transcript: the stage is not done, the analysis reads nothing of it, and no next call is planned from it.
    const stored = await voice.pool.query(
      `select s.status, s.ended_reason, t.id as transcript from voice.call_sessions s left join voice.transcripts t on t.call_session_id = s.id where s.vapi_call_id = $1`,
      [callId],
    );
    expect(stored.rows).toEqual([{ status: 'ended', ended_reason: 'voicemail', transcript: null }]);
    expect((await voice.producer.queue('analysis').getJobs(['waiting'])).filter((job) => job.data.userId === userId)).toEqual([]);
  });

  it('flags nothing for an inbound call that ended without a conversation', async () => {
    const userId = randomUUID();
    await reportEnd(userId, 'inbound', 'customer-busy', []);
    expect(await flagsOf(userId)).toEqual([]);
  });

  it("clears both outbound flags when a consultation call completes, as of the call's end", async () => {
    const userId = randomUUID();
    const callId = await reportEnd(userId, 'outbound', 'customer-ended-call', [['AI', 'What makes you different?'], ['User', 'We collect unsold bread the same evening.']]);
    const flags = await flagsOf(userId);
    expect(flags.map((job) => [job.id, job.data.kind, job.data.state]).sort()).toEqual([
      [`attention-cleared-outbound_call_failed-${callId}`, 'outbound_call_failed', 'cleared'],
      [`attention-cleared-outbound_call_unanswered-${callId}`, 'outbound_call_unanswered', 'cleared'],
    ]);
    const completed = (await gatewayJobs(userId)).find((job) => job.name === 'profile-call-completed');
    for (const flag of flags) expect(flag.data.occurredAt).toBe(completed?.data.occurredAt);
  });
});
