import { randomUUID } from 'node:crypto';
import { INTERNAL_PATHS, OPERATOR_READ_LIMIT, type OperatorCallsView, type TranscriptView } from '@dreamseed/contracts';
import { founderAccessToken } from '@dreamseed/platform/testing';
import { vapiCallDeliveries, waitFor } from '@dreamseed/testing';
import { operatorAccessToken } from '@dreamseed/platform/testing';
import { startTestVoice, type TestVoice } from '../__fixtures__/test-voice';

const TOKEN = 'internal-secret-for-tests';
const ISSUER = 'http://gateway.test/auth/v1';

describe("voice service: an operator's reads of one founder's calls", () => {
  let voice: TestVoice;
  beforeAll(async () => {
    voice = await startTestVoice({ INTERNAL_API_SECRET: TOKEN, JWT_ISSUER: ISSUER });
  });
  afterAll(async () => {
    await voice.stop();
  });

  /** A consultation call of the founder as VAPI reports its end: its session, transcript and turns are stored. */
  async function endedCall(userId: string, callStage: number, lines: [speaker: 'AI' | 'User', text: string][]) {
    const callId = `call-${randomUUID()}`;
    const deliveries = vapiCallDeliveries({
      callId,
      direction: 'outbound',
      customerNumber: '+14155550142',
      metadata: { userId, callStage },
      stage: callStage,
      lines,
      summary: 'The founder spoke about the business.',
      structuredData: {},
    });
    const report = deliveries.find((delivery) => delivery.message.type === 'end-of-call-report')?.message as unknown as Record<string, unknown>;
    const eventKey = `end-of-call-report|${callId}`;
    await voice.run('voice', 'vapi-event', { v: 1, eventKey, messageType: 'end-of-call-report', vapiCallId: callId, receivedAt: new Date().toISOString(), message: report });
    const { rows } = await voice.pool.query('select id from voice.call_sessions where vapi_call_id = $1', [callId]);
    return rows[0].id as string;
  }

  const plansOf = async (userId: string) => (await voice.pool.query('select id from voice.voice_calls where user_id = $1', [userId])).rows;
  const read = async (path: string, { internal = TOKEN, bearer }: { internal?: string | null; bearer?: string }) => {
    const headers: Record<string, string> = {};
    if (internal) headers['x-internal-token'] = internal;
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    const response = await fetch(`${voice.url}${path}`, { headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const callsPath = (userId: string) => INTERNAL_PATHS.voice.operatorCalls.replace(':userId', userId);
  const transcriptPath = (userId: string, callId: string) => INTERNAL_PATHS.voice.operatorTranscript.replace(':userId', userId).replace(':id', callId);

  it("answers an operator with the founder's calls and plans, newest first, and a transcript of theirs", async () => {
    const founder = randomUUID();
    // Each completed call plans the next stage's: the first's plan is cancelled once the second's is made.
    const first = await endedCall(founder, 1, [['AI', 'What problem do you solve?'], ['User', 'Bakeries throw away bread every night.']]);
    await waitFor(async () => (await plansOf(founder)).length === 1, 'the stage 2 plan');
    const second = await endedCall(founder, 2, [['AI', 'What makes you different?'], ['User', 'We collect it the same evening.']]);
    await waitFor(async () => (await plansOf(founder)).length === 2, 'the stage 3 plan');
    await endedCall(randomUUID(), 1, [['AI', 'Hello.'], ['User', 'Someone else entirely.']]);
    const operator = await operatorAccessToken(ISSUER);

    const calls = await read(callsPath(founder), { bearer: operator });
    expect(calls.status).toBe(200);
    const view = calls.body as unknown as OperatorCallsView;
    expect(view.userId).toBe(founder);
    expect(view.calls.map((call) => [call.id, call.callStage, call.direction, call.status])).toEqual([
      [second, 2, 'outbound', 'ended'],
      [first, 1, 'outbound', 'ended'],
    ]);
    expect(view.planned.map((plan) => [plan.callStage, plan.status])).toEqual([
      [3, 'scheduled'],
      [2, 'cancelled'],
    ]);

    const transcript = await read(transcriptPath(founder, first), { bearer: operator });
    expect(transcript.status).toBe(200);
    expect((transcript.body as unknown as TranscriptView).turns.map((turn) => [turn.role, turn.content])).toEqual([
      ['assistant', 'What problem do you solve?'],
      ['user', 'Bakeries throw away bread every night.'],
    ]);
  });

  it("answers a founder without calls with empty lists, at most OPERATOR_READ_LIMIT of each", async () => {
    const founder = randomUUID();
    await voice.pool.query(
      `insert into voice.voice_calls (user_id, call_stage, scheduled_for, status)
       select $1, 1 + (n % 4), now() - n * interval '1 minute', 'cancelled' from generate_series(1, $2::int) n`,
      [founder, OPERATOR_READ_LIMIT + 5],
    );
    const operator = await operatorAccessToken(ISSUER);
    const view = (await read(callsPath(founder), { bearer: operator })).body as unknown as OperatorCallsView;
    expect(view.calls).toEqual([]);
    expect(view.planned).toHaveLength(OPERATOR_READ_LIMIT);
    expect(view.planned[0]?.scheduledFor > (view.planned[1]?.scheduledFor ?? '')).toBe(true);
    expect((await read(callsPath(randomUUID()), { bearer: operator })).body).toEqual({ userId: expect.any(String), calls: [], planned: [] });
  });

  it("finds no transcript of a call that is another founder's, and no founder for an id that is not one", async () => {
    const founder = randomUUID();
    const someoneElses = await endedCall(randomUUID(), 1, [['AI', 'Hello.'], ['User', 'Not the founder asked about.']]);
    const operator = await operatorAccessToken(ISSUER);
    const other = await read(transcriptPath(founder, someoneElses), { bearer: operator });
    expect(other).toMatchObject({ status: 404, body: { error: { code: 'transcript_not_found' } } });
    expect((await read(transcriptPath(founder, 'not-a-uuid'), { bearer: operator })).status).toBe(404);
    expect((await read(callsPath('founder-42'), { bearer: operator })).status).toBe(404);
  });

  it("refuses a founder's token, a missing token, and a read without the platform's internal token", async () => {
    const founder = randomUUID();
    const call = await endedCall(founder, 1, [['AI', 'Hello.'], ['User', 'My own words.']]);
    const own = await founderAccessToken(founder, ISSUER);
    expect(await read(callsPath(founder), { bearer: own })).toMatchObject({ status: 403, body: { error: { code: 'not_operator' } } });
    expect((await read(transcriptPath(founder, call), { bearer: own })).status).toBe(403);
    expect((await read(callsPath(founder), {})).status).toBe(401);
    const operator = await operatorAccessToken(ISSUER);
    expect((await read(callsPath(founder), { internal: null, bearer: operator })).status).toBe(401);
    expect((await read(transcriptPath(founder, call), { internal: 'wrong-token', bearer: operator })).status).toBe(401);
  });
});
