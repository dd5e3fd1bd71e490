import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { INTERNAL_PATHS } from '@dreamseed/contracts';
import { PayloadSealer, withOwnerRole } from '@dreamseed/platform';
import { WORKSPACE_ROOT, startFakeServer, type FakeServer } from '@dreamseed/testing';
import { startTestVoice, type TestVoice } from '../__fixtures__/test-voice';
import { bindCallFounder, queueCallCompleted } from '../calls/founders';
import { createVoiceDb } from '../db/client';

const KEY = 'call-founder-tests-payload-key-of-32-characters';

type Message = Record<string, unknown> & { type: string; call?: Record<string, unknown> };

/** A delivery from the vendor-derived fixtures (libs/testing/fixtures/vapi), its message only. */
function fixture(type: string): Message {
  const file = path.join(WORKSPACE_ROOT, 'libs/testing/fixtures/vapi/messages', `${type}.json`);
  return (JSON.parse(readFileSync(file, 'utf8')) as { message: Message }).message;
}

/**
 * The fixture's message for another call: its own call id and caller, and our metadata as given (`undefined`:
 * VAPI echoed none of it, anywhere).
 */
function forCall(type: string, vapiCallId: string, number: string, metadata?: Record<string, unknown>, extra: Record<string, unknown> = {}): Message {
  const message = fixture(type);
  const call = { ...(message.call ?? {}), id: vapiCallId, customer: { number } } as Record<string, unknown>;
  const overrides = { ...((call.assistantOverrides as Record<string, unknown> | undefined) ?? {}) };
  delete overrides.metadata;
  delete call.metadata;
  if (metadata) overrides.metadata = metadata;
  call.assistantOverrides = overrides;
  if (call.assistant) call.assistant = { ...(call.assistant as object), metadata: undefined };
  return { ...message, call, customer: { number }, assistant: undefined, ...extra };
}

describe('voice service: every call tied to its founder, and one odd field never spoils a report', () => {
  let voice: TestVoice;
  let gateway: FakeServer;
  /** Numbers the fake gateway knows, and the founder and stage behind each. */
  const founders = new Map<string, { id: string; currentCallStage: number }>();

  beforeAll(async () => {
    gateway = await startFakeServer({
      [`POST ${INTERNAL_PATHS.gateway.founderByPhone}`]: (request) => {
        const founder = founders.get((request.body as { phone: string }).phone);
        return founder
          ? { body: { ...founder, customerPhone: (request.body as { phone: string }).phone, assistantType: 'shared', customerName: null, businessName: null } }
          : { status: 404, body: { error: { code: 'not_found', message: 'No founder.' } } };
      },
    });
    voice = await startTestVoice({ INTERNAL_API_SECRET: 'internal-secret-for-tests', PAYLOAD_ENCRYPTION_KEY: KEY, GATEWAY_URL: gateway.url });
  });
  afterAll(async () => {
    await voice.stop();
    await gateway.close();
  });

  const sealer = new PayloadSealer({ PAYLOAD_ENCRYPTION_KEY: KEY });
  let sequence = 0;
  const deliver = async (message: Message) => {
    sequence += 1;
    const vapiCallId = (message.call?.id as string | undefined) ?? null;
    const result = await voice.run('voice', 'vapi-event', {
      v: 1 as const,
      eventKey: `${message.type}|${vapiCallId}|${sequence}`,
      messageType: message.type,
      vapiCallId,
      receivedAt: new Date().toISOString(),
      sealedBody: sealer.seal(Buffer.from(JSON.stringify({ message }))),
    });
    return result.outcome as string;
  };
  const sessionOf = async (vapiCallId: string) =>
    (await voice.pool.query('select * from voice.call_sessions where vapi_call_id = $1', [vapiCallId])).rows[0] as Record<string, unknown> | undefined;
  const completions = async (vapiCallId: string) =>
    (await voice.producer.queue('gateway').getJobs(['waiting', 'delayed', 'prioritized', 'completed'])).filter(
      (job) => job.name === 'profile-call-completed' && (job.data as { callId?: string }).callId === vapiCallId,
    );
  const newNumber = () => `+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;

  it('stores a fractional duration as VAPI reports it and completes the call', async () => {
    const vapiCallId = randomUUID();
    const userId = randomUUID();
    const report = forCall('end-of-call-report', vapiCallId, newNumber(), { userId, callStage: 2 }, { durationSeconds: 202.5 });
    expect(await deliver(report)).toBe('stored');
    expect(await sessionOf(vapiCallId)).toMatchObject({ user_id: userId, call_stage: 2, status: 'ended', duration_seconds: '202.500' });
    expect(await completions(vapiCallId)).toHaveLength(1);
  });

  it('keeps the speech only: no system prompt, tool call or tool result becomes a turn', async () => {
    const vapiCallId = randomUUID();
    const report = forCall('end-of-call-report', vapiCallId, newNumber(), { userId: randomUUID(), callStage: 1 });
    const said = ((report.artifact as { messages: { role: string }[] }).messages ?? []).filter((m) => ['bot', 'user'].includes(m.role));
    expect((report.artifact as { messages: { role: string }[] }).messages.some((m) => !['bot', 'user'].includes(m.role))).toBe(true);
    await deliver(report);
    const session = await sessionOf(vapiCallId);
    const turns = (
      await voice.pool.query(
        `select t.role from voice.conversation_turns t join voice.conversations c on c.id = t.conversation_id where c.call_session_id = $1 order by t.seq`,
        [session?.id],
      )
    ).rows.map((row: { role: string }) => row.role);
    expect(turns).toEqual(said.map((m) => (m.role === 'bot' ? 'assistant' : 'user')));
  });

  it('stores the rest of a report whose numbers and dates no column can hold, and says so on its log row', async () => {
    const vapiCallId = randomUUID();
    const userId = randomUUID();
    const report = forCall('end-of-call-report', vapiCallId, newNumber(), { userId, callStage: 1 }, {
      durationSeconds: 1e15,
      cost: 123456789.5,
      startedAt: '+275760-09-13T00:00:00.000Z',
    });
    const artifact = report.artifact as { messages: Record<string, unknown>[]; transcript?: string };
    artifact.messages = artifact.messages.map((m) => (m.role === 'user' ? { ...m, secondsFromStart: 1e12, message: `${String(m.message)} \udc00 \u0000 🌱` } : m));
    expect(await deliver(report)).toBe('stored');
    expect(await sessionOf(vapiCallId)).toMatchObject({ user_id: userId, status: 'ended', duration_seconds: null, cost_usd: null });
    const log = (await voice.pool.query(`select status, error from voice.webhook_logs where vapi_call_id = $1`, [vapiCallId])).rows[0];
    expect(log).toEqual({ status: 'processed', error: expect.stringMatching(/^not stored: /) });
    for (const field of ['durationSeconds', 'cost', 'startedAt', 'turn(s)']) expect(log.error).toContain(field);
    expect(await completions(vapiCallId)).toHaveLength(1);
  });

  it('resolves the founder from the metadata of the transient assistant when the overrides carry none', async () => {
    const vapiCallId = randomUUID();
    const userId = randomUUID();
    const status = forCall('status-update', vapiCallId, newNumber());
    (status.call as Record<string, unknown>).assistant = { name: 'DreamSeed discovery', metadata: { userId, callStage: 1 } };
    await deliver(status);
    const report = forCall('end-of-call-report', vapiCallId, newNumber(), undefined, { assistant: { metadata: { userId, callStage: 1 } } });
    await deliver(report);
    expect(await sessionOf(vapiCallId)).toMatchObject({ user_id: userId, call_stage: 1, status: 'ended' });
    expect(await completions(vapiCallId)).toHaveLength(1);
  });

  it('ties every message to the founder recorded for the call, whatever VAPI echoes', async () => {
    const vapiCallId = randomUUID();
    const userId = randomUUID();
    const db = createVoiceDb(voice.pool);
    await withOwnerRole(db, 'voice', (tx) => bindCallFounder(tx, { vapiCallId, userId, callStage: 3, source: 'assistant-request' }));
    const number = newNumber();
    // Metadata naming somebody else (a copy-paste in VAPI's dashboard) does not move the call to them.
    await deliver(forCall('status-update', vapiCallId, number, { userId: randomUUID(), callStage: 1 }));
    await deliver(forCall('conversation-update', vapiCallId, number));
    await deliver(forCall('end-of-call-report', vapiCallId, number));
    expect(await sessionOf(vapiCallId)).toMatchObject({ user_id: userId, call_stage: 3, status: 'ended' });
    const logged = await voice.pool.query('select distinct user_id from voice.webhook_logs where vapi_call_id = $1', [vapiCallId]);
    expect(logged.rows).toEqual([{ user_id: userId }]);
    const [completed] = await completions(vapiCallId);
    expect(completed?.data).toMatchObject({ userId, callStage: 3 });
  });

  it('links messages stored before the founder was known, and owes the completed call its follow-ups', async () => {
    const vapiCallId = randomUUID();
    const userId = randomUUID();
    const number = newNumber();
    await deliver(forCall('status-update', vapiCallId, number));
    await deliver(forCall('end-of-call-report', vapiCallId, number));
    expect(await sessionOf(vapiCallId)).toMatchObject({ user_id: null, status: 'ended' });
    expect(await completions(vapiCallId)).toHaveLength(0);

    // The record made when the call was placed lands late (its write was retried).
    const db = createVoiceDb(voice.pool);
    const { completed } = await withOwnerRole(db, 'voice', (tx) => bindCallFounder(tx, { vapiCallId, userId, callStage: 2, source: 'outbound' }));
    expect(completed).toMatchObject({ userId, callStage: 2, vapiCallId });
    if (completed) await queueCallCompleted(voice.producer, completed, undefined);
    expect(await sessionOf(vapiCallId)).toMatchObject({ user_id: userId, call_stage: 2, status: 'ended' });
    const linked = await voice.pool.query(
      `select (select count(*)::int from voice.webhook_logs where vapi_call_id = $1 and user_id is null) as unlinked_logs,
              (select t.user_id from voice.transcripts t join voice.call_sessions s on s.id = t.call_session_id where s.vapi_call_id = $1) as transcript_user`,
      [vapiCallId],
    );
    expect(linked.rows[0]).toEqual({ unlinked_logs: 0, transcript_user: userId });
    expect(await completions(vapiCallId)).toHaveLength(1);
  });

  it("finds the founder of a report nothing names by the caller's number, but never for an intake call", async () => {
    const known = newNumber();
    const userId = randomUUID();
    founders.set(known, { id: userId, currentCallStage: 2 });
    const vapiCallId = randomUUID();
    await deliver(forCall('end-of-call-report', vapiCallId, known));
    expect(await sessionOf(vapiCallId)).toMatchObject({ user_id: userId, call_stage: 2 });
    const bound = await voice.pool.query('select source from voice.call_founders where vapi_call_id = $1', [vapiCallId]);
    expect(bound.rows).toEqual([{ source: 'caller-number' }]);
    expect(await completions(vapiCallId)).toHaveLength(1);

    const intake = randomUUID();
    await deliver(forCall('end-of-call-report', intake, known, { purpose: 'intake' }));
    expect(await sessionOf(intake)).toMatchObject({ user_id: null });
    expect(await completions(intake)).toHaveLength(0);
  });

  it('keeps an intake call nobody\'s when the caller registers in it and VAPI echoes nothing', async () => {
    const number = newNumber();
    const vapiCallId = randomUUID();
    const db = createVoiceDb(voice.pool);
    await withOwnerRole(db, 'voice', (tx) => bindCallFounder(tx, { vapiCallId, userId: null, callStage: null, source: 'intake' }));
    // register_caller ran during the call: by its report the number is a founder's.
    founders.set(number, { id: randomUUID(), currentCallStage: 1 });
    await deliver(forCall('end-of-call-report', vapiCallId, number));
    expect(await sessionOf(vapiCallId)).toMatchObject({ user_id: null, call_stage: null, status: 'ended' });
    expect(await completions(vapiCallId)).toHaveLength(0);
  });

  it.each(['call.deleted', 'campaign.predial', 'chat.created', 'session.created'])('logs a %s message without creating a call session', async (type) => {
    const vapiCallId = randomUUID();
    const message = forCall(type, vapiCallId, newNumber());
    expect(await deliver(message)).toBe('ignored');
    expect(await sessionOf(vapiCallId)).toBeUndefined();
  });
});
