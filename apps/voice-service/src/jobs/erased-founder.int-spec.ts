import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { INTERNAL_PATHS } from '@dreamseed/contracts';
import { markFounderErased, withOwnerRole, type JobContext } from '@dreamseed/platform';
import { startFakeServer, vapiCallDeliveries, waitFor, type FakeResponse, type FakeServer, type VapiCallDelivery } from '@dreamseed/testing';
import { startTestVoice, type TestVoice } from '../__fixtures__/test-voice';
import { bindCallFounder } from '../calls/founders';
import { createVoiceDb } from '../db/client';
import { VapiEventProcessor } from './vapi-event';

const TOKEN = 'internal-secret-for-tests';
const PHONE = '+14155550123';

/** Work queued before a founder's erasure and run after it (a late VAPI message, a retry, a plan) writes nothing. */
describe('voice service: work on a founder after their erasure', () => {
  /** What the fake gateway and VAPI do first for a founder (an erasure meanwhile), by the founder. */
  const whileLookedUp = new Map<string, () => Promise<unknown>>();
  const whileDialled = new Map<string, () => Promise<unknown>>();
  let gateway: FakeServer;
  let vapi: FakeServer;
  let voice: TestVoice;

  beforeAll(async () => {
    gateway = await startFakeServer({
      [`GET ${INTERNAL_PATHS.gateway.founderById}`]: async (request): Promise<FakeResponse> => {
        const id = request.params.id as string;
        await whileLookedUp.get(id)?.();
        const founder = { id, customerPhone: PHONE, customerName: 'Ada', businessName: 'Seed Bakery', businessType: 'bakery', currentCallStage: 2 };
        return { body: { ...founder, assistantType: 'shared', individualAssistantId: null, status: 'in_consultation' } };
      },
    });
    vapi = await startFakeServer({
      'POST /call': async (request): Promise<FakeResponse> => {
        await whileDialled.get(founderOf(request.body))?.();
        return { status: 201, body: { id: `vapi-${randomUUID()}`, status: 'queued' } };
      },
    });
    voice = await startTestVoice({ INTERNAL_API_SECRET: TOKEN, GATEWAY_URL: gateway.url, VAPI_API_KEY: 'vapi-private-key', VAPI_BASE_URL: vapi.url, VAPI_PHONE_NUMBER_ID: 'pn-1' });
  });
  afterAll(async () => {
    await voice.stop();
    await Promise.all([gateway.close(), vapi.close()]);
  });

  const founderOf = (body: unknown) => (body as { assistantOverrides?: { metadata?: { userId?: string } } }).assistantOverrides?.metadata?.userId ?? '';
  const query = (text: string, values?: unknown[]) => voice.pool.query(text, values);
  const db = () => createVoiceDb(voice.pool);
  const erase = (userId: string) => voice.run('voice', 'erase-founder', { v: 1, userId });

  /** A consultation call's deliveries, as VAPI sends them; `metadata`: whether VAPI echoes the founder on them. */
  function callOf(userId: string, metadata: boolean) {
    const callId = `call-${randomUUID()}`;
    const deliveries = vapiCallDeliveries({
      callId,
      direction: 'outbound',
      customerNumber: PHONE,
      ...(metadata ? { metadata: { userId, callStage: 1 } } : {}),
      stage: 1,
      lines: [
        ['AI', 'What problem does your bakery solve?'],
        ['User', 'My secret recipe keeps bread fresh for a week.'],
      ],
      summary: 'The founder keeps bread fresh for a week.',
      structuredData: { problem: 'stale bread' },
    });
    const last = (type: string) => deliveries.filter((delivery) => delivery.message.type === type).at(-1) as VapiCallDelivery;
    return { callId, inProgress: deliveries.find((d) => d.message.type === 'status-update' && d.message.status === 'in-progress') as VapiCallDelivery, last };
  }

  let sequence = 0;
  /** A delivery as the gateway queues it: its `vapi-event` payload. */
  const eventOf = ({ message }: VapiCallDelivery) => {
    sequence += 1;
    const [type, { id }] = [String(message.type), message.call as { id: string }];
    return { v: 1 as const, eventKey: `${type}|${id}|${sequence}`, messageType: type, vapiCallId: id, receivedAt: new Date().toISOString(), message: message as unknown as Record<string, unknown> };
  };
  const deliver = async (delivery: VapiCallDelivery) => (await voice.run('voice', 'vapi-event', eventOf(delivery))).outcome;

  /** The founder's rows and their call's, table by table (a session outlives the erasure, its contents cleared). */
  async function rowsOf(userId: string, callId: string) {
    const { rows } = await query(
      `with sessions as (select id from voice.call_sessions where user_id = $1 or vapi_call_id = $2)
       select (select count(*)::int from sessions) as call_sessions,
              (select count(*)::int from voice.call_sessions where id in (select id from sessions) and num_nonnulls(summary, customer_number, recording_url) > 0) as sessions_with_contents,
              (select count(*)::int from voice.call_founders where user_id = $1 or vapi_call_id = $2) as call_founders,
              (select count(*)::int from voice.webhook_logs where user_id = $1 or vapi_call_id = $2) as webhook_logs,
              (select count(*)::int from voice.vapi_calls where vapi_call_id = $2 and raw <> '{}'::jsonb) as vapi_calls,
              (select count(*)::int from voice.transcripts where user_id = $1 or call_session_id in (select id from sessions)) as transcripts,
              (select count(*)::int from voice.conversations where user_id = $1 or call_session_id in (select id from sessions)) as conversations,
              (select count(*)::int from voice.conversation_turns t join voice.conversations c on c.id = t.conversation_id
                where c.user_id = $1 or c.call_session_id in (select id from sessions)) as conversation_turns,
              (select count(*)::int from voice.voice_calls where user_id = $1 and status in ('scheduled', 'dialing')) as open_plans`,
      [userId, callId],
    );
    return rows[0] as Record<string, number>;
  }

  /** Every job queued about the founder (the gateway's reports, the analysis, the next call). */
  const jobsAbout = async (userId: string) =>
    (
      await Promise.all(
        (['gateway', 'analysis', 'voice'] as const).map((queue) => voice.producer.queue(queue).getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed'])),
      )
    )
      .flat()
      .filter((job) => job.name !== 'erase-founder' && job.name !== 'vapi-event' && JSON.stringify(job.data).includes(userId))
      .map((job) => job.name);

  it("stores nothing of a late conversation-update or end-of-call report of the founder's call, and the jobs complete", async () => {
    const userId = randomUUID();
    // The call was placed for the founder (its record) and had begun when they deleted their account; VAPI's
    // messages do not echo the founder, so only the record and the session name them.
    const recorded = callOf(userId, false);
    await withOwnerRole(db(), 'voice', (tx) => bindCallFounder(tx, { vapiCallId: recorded.callId, userId, callStage: 1, source: 'outbound' }));
    expect(await deliver(recorded.inProgress)).toBe('stored');
    // A call placed as they were erased, whose messages name them in the metadata only.
    const named = callOf(userId, true);

    await erase(userId);
    const erased = { call_sessions: 1, sessions_with_contents: 0, call_founders: 1, webhook_logs: 0, vapi_calls: 0, transcripts: 0, conversations: 0, conversation_turns: 0, open_plans: 0 };
    expect(await rowsOf(userId, recorded.callId)).toEqual(erased);

    for (const call of [recorded, named]) {
      expect(await deliver(call.last('conversation-update'))).toBe('erased');
      expect(await deliver(call.last('end-of-call-report'))).toBe('erased');
    }
    expect(await rowsOf(userId, recorded.callId)).toEqual(erased);
    expect(await rowsOf(userId, named.callId)).toEqual(erased);
    const [session] = (await query('select status, ended_at from voice.call_sessions where vapi_call_id = $1', [recorded.callId])).rows;
    expect(session).toEqual({ status: 'in-progress', ended_at: null });
    expect(await jobsAbout(userId)).toEqual([]);
  });

  it("stores another founder's messages written in the same batch as an erased founder's", async () => {
    const [gone, other] = [randomUUID(), randomUUID()];
    await erase(gone);
    const processor = new VapiEventProcessor(db(), voice.producer);
    const context = { log: pino({ level: 'silent' }) } as unknown as JobContext;
    const [late, current] = [callOf(gone, true), callOf(other, true)];
    // Submitted in the same turn, as jobs running together are: one batch.
    const outcomes = await Promise.all([late, current].map((call) => processor.handle(eventOf(call.last('conversation-update')), context)));
    expect(outcomes.map((result) => result.outcome)).toEqual(['erased', 'stored']);
    expect((await rowsOf(gone, late.callId)).webhook_logs).toBe(0);
    expect(await rowsOf(other, current.callId)).toMatchObject({ call_sessions: 1, webhook_logs: 1 });
  });

  it('holds back the messages that come while the erasure marks the founder, then stores nothing of them', async () => {
    const userId = randomUUID();
    const call = callOf(userId, true);
    const queued: string[] = [];
    // The erasure's first transaction, open: the messages wait for its lock, so they see its mark once it commits.
    await withOwnerRole(db(), 'voice', async (tx) => {
      await markFounderErased(tx, 'voice', userId);
      for (const type of ['conversation-update', 'end-of-call-report']) queued.push((await voice.producer.enqueue('voice', 'vapi-event', eventOf(call.last(type)))).jobId);
      await waitFor(
        async () =>
          (await query(`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and objsubid = 2 and objid = hashtext($1)::oid`, [userId]))
            .rows[0].n === 2,
        'both messages to wait for the erasure',
      );
    });
    const jobs = voice.producer.queue('voice');
    await waitFor(async () => (await Promise.all(queued.map((id) => jobs.getJobState(id)))).every((state) => state === 'completed'), 'the messages to be handled');
    const outcomes = await Promise.all(queued.map(async (id) => ((await jobs.getJob(id))?.returnvalue as { outcome: string }).outcome));
    expect(outcomes).toEqual(['erased', 'erased']);
    expect(await rowsOf(userId, call.callId)).toMatchObject({ call_sessions: 0, call_founders: 0, webhook_logs: 0, transcripts: 0 });
  });

  it('plans no call for an erased founder, and cancels nothing and reports nothing for them', async () => {
    const userId = randomUUID();
    await erase(userId);
    expect(await voice.run('voice', 'schedule-next-call', { v: 1, userId, callStage: 2 })).toEqual({ outcome: 'erased' });
    expect(await voice.run('voice', 'cancel-next-call', { v: 1, userId, requestId: randomUUID() })).toEqual({ outcome: 'erased', cancelled: 0 });
    expect((await query('select 1 from voice.voice_calls where user_id = $1', [userId])).rowCount).toBe(0);
    // The two jobs run here, and nothing they would have sent (a place job, a report to the gateway).
    expect((await jobsAbout(userId)).sort()).toEqual(['cancel-next-call', 'schedule-next-call']);
  });

  /** Plans the founder's stage 2 call `inMs` from now; its id. */
  const plan = async (userId: string, inMs: number) =>
    (await voice.run('voice', 'schedule-next-call', { v: 1, userId, callStage: 2, notBefore: new Date(Date.now() + inMs).toISOString() })).voiceCallId as string;
  /** The outcome of the plan's own `place-outbound-call` job, once it has run. */
  const placing = async (voiceCallId: string) => {
    const jobs = voice.producer.queue('voice');
    await waitFor(async () => (await jobs.getJobState(`place-${voiceCallId}`)) === 'completed', 'the call to be placed');
    return (await jobs.getJob(`place-${voiceCallId}`))?.returnvalue as Record<string, unknown>;
  };
  const planOf = async (voiceCallId: string) =>
    (await query('select status, vapi_call_id, call_session_id from voice.voice_calls where id = $1', [voiceCallId])).rows[0] as Record<string, unknown>;
  const flagsAbout = async (userId: string) => (await jobsAbout(userId)).filter((name) => name === 'founder-attention');

  it('never dials a call planned before the erasure, even one already being placed', async () => {
    // Erased before its time: the erasure cancelled it, and its job finds the founder erased.
    const before = randomUUID();
    const early = await plan(before, 60_000);
    await erase(before);
    expect(await voice.run('voice', 'place-outbound-call', { v: 1, userId: before, callStage: 2, voiceCallId: early })).toEqual({ outcome: 'erased' });
    expect(await planOf(early)).toMatchObject({ status: 'cancelled' });

    // Erased while its job looked the founder up: the plan was already claimed, so the erasure left it alone.
    const during = randomUUID();
    whileLookedUp.set(during, () => erase(during));
    const claimed = await plan(during, 0);
    expect(await placing(claimed)).toEqual({ outcome: 'erased' });
    expect(await planOf(claimed)).toMatchObject({ status: 'cancelled' });

    const dialled = vapi.requests.map((request) => founderOf(request.body));
    expect(dialled.filter((userId) => userId === before || userId === during)).toEqual([]);
    expect([...(await flagsAbout(before)), ...(await flagsAbout(during))]).toEqual([]);
  });

  it('records a call that VAPI dialled as the founder was erased for nobody: no session, no founder record', async () => {
    const userId = randomUUID();
    whileDialled.set(userId, () => erase(userId));
    const voiceCallId = await plan(userId, 0);
    const placed = await placing(voiceCallId);
    expect(placed).toMatchObject({ outcome: 'erased', vapiCallId: expect.stringMatching(/^vapi-/) });
    expect(await planOf(voiceCallId)).toEqual({ status: 'placed', vapi_call_id: placed.vapiCallId, call_session_id: null });
    expect(await rowsOf(userId, placed.vapiCallId as string)).toMatchObject({ call_sessions: 0, call_founders: 0 });
    expect(await flagsAbout(userId)).toEqual([]);
  });

  it('erases a founder twice as once: one mark, and nothing left the second time', async () => {
    const userId = randomUUID();
    const call = callOf(userId, true);
    expect(await deliver(call.last('end-of-call-report'))).toBe('stored');
    expect(await erase(userId)).toMatchObject({ transcripts: 1, conversations: 1 });
    // (Archives written before they had keys are read by every erasure: `archivesRead` counts them.)
    expect(await erase(userId)).toEqual({ cancelledCalls: 0, transcripts: 0, conversations: 0, webhookLogs: 0, callSessions: 0, archivedRows: 0, archivesRead: expect.any(Number) });
    expect((await query('select 1 from voice.erased_founders where user_id = $1', [userId])).rowCount).toBe(1);
  });
});
