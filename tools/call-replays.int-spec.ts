import { randomUUID } from 'node:crypto';
import type { components } from '@dreamseed/api-client';
import { sleep } from '@dreamseed/platform';
import {
  DEFAULT_CONSULTATION,
  uniquePrefix,
  validateVapiReply,
  vapiCallDeliveries,
  vapiMessageFixture,
  waitFor,
  type VapiCallDelivery,
  type VapiCallLine,
  type VapiCallPlan,
} from '@dreamseed/testing';
import { CallReplay, consultationPlan, deliveryLabel, newPhone, type Founder, type Profile } from './__fixtures__/call-replay';
import { startFakeVapiCalls, type Dial, type FakeVapiCalls } from './__fixtures__/fake-vapi-calls';
import { startPlatform } from './__fixtures__/platform';

type Schemas = components['schemas'];

/**
 * Whole calls replayed through `npm start` as VAPI delivers them, every delivery built by `vapiCallDeliveries`
 * from VAPI's own fixtures with the default consultation's scripts: inbound calls whose metadata VAPI echoes
 * or not, delivered twice, out of order and late; outbound calls the platform dials through a fake VAPI, whose
 * first messages arrive before VAPI has answered the dial; and a caller nobody knows, who registers during
 * an intake call. Each founder ends with every call counted exactly once, and the Dream DNA the scripts state.
 * The scenarios share one platform and run at once: each has a founder and phone number of its own.
 */
const WEBHOOK_SECRET = 'call-replays-webhook-secret';
const INTERNAL_SECRET = 'call-replays-internal-secret';
const VAPI_API_KEY = 'call-replays-vapi-private-key';
/** The VAPI number the fixtures' calls come through: outbound calls are placed from it. */
const PHONE_NUMBER_ID = String(vapiMessageFixture('status-update').message.call?.phoneNumberId);

interface Running {
  replay: CallReplay;
  vapi: FakeVapiCalls;
  stop(): Promise<void>;
}

// Started by the first scenario that needs it (concurrent tests may begin before beforeAll has finished).
let running: Promise<Running> | undefined;
function platform(): Promise<Running> {
  running ??= (async () => {
    const vapi = await startFakeVapiCalls();
    const queuePrefix = uniquePrefix('call-replays');
    try {
      const started = await startPlatform('call-replays', {
        QUEUE_PREFIX: queuePrefix,
        VAPI_WEBHOOK_SECRET: WEBHOOK_SECRET,
        INTERNAL_API_SECRET: INTERNAL_SECRET,
        VAPI_API_KEY,
        VAPI_BASE_URL: vapi.url,
        VAPI_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      });
      const replay = new CallReplay(started.gatewayUrl, { webhook: WEBHOOK_SECRET, internal: INTERNAL_SECRET }, queuePrefix);
      return { replay, vapi, stop: async () => Promise.all([started.stop(), replay.close(), vapi.close()]).then(() => undefined) };
    } catch (error) {
      await vapi.close();
      throw error;
    }
  })();
  return running;
}

afterAll(async () => {
  await (await running?.catch(() => undefined))?.stop();
});

/** The one delivery of a call with this label (`status-update:ended`, `end-of-call-report`). */
function only(deliveries: VapiCallDelivery[], label: string): VapiCallDelivery {
  const found = deliveries.filter((delivery) => deliveryLabel(delivery) === label);
  if (found.length !== 1) throw new Error(`expected one ${label}, found ${found.length}`);
  return found[0];
}

/**
 * An inbound call's deliveries after the assistant-request, as an unreliable network hands them over: ringing and
 * the first conversation update twice; the end-of-call report before the ended status, and three times in all;
 * the last conversation update after the report; and the in-progress status only at the very end (late).
 */
function disorderly(rest: VapiCallDelivery[]): VapiCallDelivery[] {
  const [first, ...others] = rest.filter((delivery) => deliveryLabel(delivery) === 'conversation-update');
  const last = others.pop();
  if (!first || !last) throw new Error('a call of two lines at least');
  const report = only(rest, 'end-of-call-report');
  const ringing = only(rest, 'status-update:ringing');
  return [ringing, ringing, first, first, ...others, report, only(rest, 'status-update:ended'), report, last, report, only(rest, 'status-update:in-progress')];
}

interface Consultation {
  callIds: string[];
  /** `call_N_completed_at` as /v1/me first showed it. */
  completedAt: unknown[];
}

/** The four calls inbound, each out of order with duplicates; VAPI echoes our metadata, or nothing. */
async function inboundConsultation(replay: CallReplay, founder: Founder, echo: boolean): Promise<Consultation> {
  const done: Consultation = { callIds: [], completedAt: [] };
  for (const script of DEFAULT_CONSULTATION) {
    const plan = consultationPlan(script, { callId: randomUUID(), direction: 'inbound', customerNumber: founder.phone });
    done.callIds.push(plan.callId);
    const [request] = vapiCallDeliveries(plan);
    // The assistant-request delivered twice: both answers name the founder and the stage.
    const metadata = { userId: founder.id, callStage: script.stage };
    for (const answer of [await replay.ask(request), await replay.ask(request)]) {
      expect(answer).toMatchObject({ assistant: { metadata }, assistantOverrides: { metadata } });
    }
    const rest = vapiCallDeliveries({ ...plan, metadata: echo ? metadata : undefined }).slice(1);
    await replay.sendAll(disorderly(rest));
    const profile = await replay.untilProfile(founder, (p) => p[`call_${script.stage}_completed`] === true, `/v1/me to show call ${script.stage} completed`, done.callIds);
    done.completedAt.push(profile[`call_${script.stage}_completed_at`]);
    // Every distinct event once (duplicates add no row), the late one included, before the next call.
    expect((await replay.untilSettled(plan.callId, rest.length, founder.id)).length).toBe(rest.length);
  }
  return done;
}

/** The webhook's server object on everything the platform hands VAPI, as `npm start` configures it. */
const serverOf = (gatewayUrl: string) =>
  expect.objectContaining({ url: `http://localhost:${new URL(gatewayUrl).port}/webhooks/vapi`, headers: { 'X-Vapi-Secret': WEBHOOK_SECRET } });

/** What the platform's POST /call carried: our key, the number, the founder and stage, our server's credential. */
function expectDialOf(dial: Dial, founder: Founder, stage: number, gatewayUrl: string) {
  const metadata = { userId: founder.id, callStage: stage };
  expect(dial.request.headers.authorization).toBe(`Bearer ${VAPI_API_KEY}`);
  expect(dial.body).toMatchObject({ phoneNumberId: PHONE_NUMBER_ID, customer: { number: founder.phone }, assistantOverrides: { metadata } });
  expect(dial.body.assistant).toMatchObject({ server: serverOf(gatewayUrl), metadata });
  for (const tool of dial.body.assistant?.model?.tools ?? []) expect(tool.server).toEqual(serverOf(gatewayUrl));
  // The assistant and overrides are the shapes an assistant-request answer holds: VAPI's schema for those.
  expect(validateVapiReply('assistant-request', { assistant: dial.body.assistant, assistantOverrides: dial.body.assistantOverrides })).toEqual({ ok: true, errors: [] });
}

/**
 * The four calls outbound, each dialled at the founder's "call me now" (the platform's own plan is a day after
 * the last call). VAPI echoes no metadata. On calls 2 and 4 the queued and ringing statuses arrive, and are
 * stored, while the platform still waits for VAPI's answer to its POST /call.
 */
async function outboundConsultation(replay: CallReplay, vapi: FakeVapiCalls, founder: Founder): Promise<Consultation> {
  const done: Consultation = { callIds: [], completedAt: [] };
  for (const script of DEFAULT_CONSULTATION) {
    if (script.stage > 1) {
      await replay.untilProfile(
        founder,
        (p) => typeof p.next_call_scheduled === 'string' && Date.parse(p.next_call_scheduled) > Date.now() + 23 * 3600_000,
        `the platform to plan call ${script.stage} a day later`,
        done.callIds,
      );
    }
    const callNow = await replay.api('/v1/me/calls', { method: 'POST', token: founder.token, body: {} });
    expect(callNow).toMatchObject({ status: 202, body: { call_stage: script.stage } });
    const dial = await vapi.nextDial(founder.phone);
    done.callIds.push(dial.callId);
    expectDialOf(dial, founder, script.stage, replay.gatewayUrl);

    const deliveries = vapiCallDeliveries(consultationPlan(script, { callId: dial.callId, direction: 'outbound', customerNumber: founder.phone }));
    const [queued, ringing] = deliveries;
    expect([queued, ringing].map(deliveryLabel)).toEqual(['status-update:queued', 'status-update:ringing']);
    const early = script.stage % 2 === 0;
    if (early) {
      await replay.sendAll([queued, ringing]);
      await replay.untilSettled(dial.callId, 2, founder.id);
      // Stored before the platform knows whose call it is: a session without a founder, and no record of one.
      expect({
        sessions: await replay.query(`select user_id, status, direction from voice.call_sessions where vapi_call_id = $1`, [dial.callId]),
        callFounders: await replay.query(`select user_id from voice.call_founders where vapi_call_id = $1`, [dial.callId]),
      }).toEqual({ sessions: [{ user_id: null, status: 'ringing', direction: 'outbound' }], callFounders: [] });
    }
    // VAPI answers with the call as its messages report it: queued, under the id it gave.
    dial.answer(queued.message.call as object);
    await replay.sendAll(early ? deliveries.slice(2) : deliveries);
    const profile = await replay.untilProfile(founder, (p) => p[`call_${script.stage}_completed`] === true, `/v1/me to show call ${script.stage} completed`, done.callIds);
    done.completedAt.push(profile[`call_${script.stage}_completed_at`]);
    await replay.untilSettled(dial.callId, deliveries.length, founder.id);
  }
  expect(vapi.dialsTo(founder.phone)).toHaveLength(4);
  return done;
}

const PROGRESS_DONE = { call_1_completed: true, call_2_completed: true, call_3_completed: true, call_4_completed: true, current_call_stage: 5 };
const progressOf = (profile: Profile) => Object.fromEntries(Object.keys(PROGRESS_DONE).map((key) => [key, profile[key]]));

/**
 * Every call counted once: the four completions on /v1/me (their times as first shown), one applied report per
 * stage, the four calls ended with their own turns once, one analysis per call; then the scripts' facts on the
 * profile and in the Dream DNA, and no job of the founder's failed.
 */
async function expectConsultationCountedOnce(replay: CallReplay, founder: Founder, done: Consultation, direction: 'inbound' | 'outbound') {
  const profile = await replay.untilProfile(
    founder,
    (p) => p.status === 'analysis_ready' && p.entity_type === 'llc' && p.state_of_operation === 'TX',
    'the analysis of call 4 to reach the profile',
    done.callIds,
  );
  expect(progressOf(profile)).toEqual(PROGRESS_DONE);
  expect([1, 2, 3, 4].map((stage) => profile[`call_${stage}_completed_at`])).toEqual(done.completedAt);
  expect(profile.package_preference).toBe('standard');
  expect(await replay.callReports(founder.id)).toEqual([1, 2, 3, 4].map((stage) => ({ kind: `call-${stage}`, outcome: 'applied' })));

  const { body } = await replay.api<{ calls: Schemas['Call'][] }>('/v1/me/calls', { token: founder.token });
  const calls = [...body.calls].sort((a, b) => a.call_stage - b.call_stage);
  expect(calls.map((call) => ({ vapi_call_id: call.vapi_call_id, call_stage: call.call_stage, status: call.status, direction: call.direction }))).toEqual(
    done.callIds.map((vapiCallId, index) => ({ vapi_call_id: vapiCallId, call_stage: index + 1, status: 'ended', direction })),
  );
  // Whose call each was, as the platform recorded it: answering the assistant-request, or placing the call (a
  // report that overtakes the placement's record finds the founder by the caller's number, just as well).
  const sources = await replay.query(`select vapi_call_id, user_id, call_stage, source from voice.call_founders where vapi_call_id = any($1)`, [done.callIds]);
  expect(sources.sort((a, b) => a.call_stage - b.call_stage)).toEqual(
    done.callIds.map((vapiCallId, index) => ({
      vapi_call_id: vapiCallId,
      user_id: founder.id,
      call_stage: index + 1,
      source: direction === 'inbound' ? 'assistant-request' : index % 2 === 1 ? 'outbound' : expect.stringMatching(/^(outbound|caller-number)$/),
    })),
  );
  for (const [index, call] of calls.entries()) {
    const transcript = await replay.api<Schemas['Transcript']>(`/v1/me/calls/${call.id}/transcript`, { token: founder.token });
    expect(transcript.body.turns.map((turn) => turn.content)).toEqual(DEFAULT_CONSULTATION[index].lines.map(([, text]) => text));
  }
  const analyses = await replay.api<{ analyses: Schemas['Analysis'][] }>('/v1/me/analyses', { token: founder.token });
  expect(analyses.body.analyses.filter((analysis) => analysis.trigger === 'call-ended')).toHaveLength(4);

  const dreamDna = await waitFor(async () => {
    const { status, body: dna } = await replay.api<Schemas['DreamDna']>('/v1/me/dream-dna', { token: founder.token });
    return status === 200 && dna.brand_vibe && dna.color_preference && dna.price_level ? dna : undefined;
  }, 'the Dream DNA', 30_000);
  expect(dreamDna).toMatchObject({ brand_vibe: 'friendly', color_preference: 'minimal', price_level: 'mid-market', what_problem: expect.stringMatching(/bakeries/) });
  expect(await replay.failedJobs([founder.id, ...done.callIds])).toEqual([]);
}

describe('whole VAPI calls replayed through npm start', () => {
  jest.setTimeout(170_000);

  it.concurrent.each([
    ['echoes our metadata', true],
    ['echoes no metadata (the founder comes from the platform’s record of the assistant-request)', false],
  ])('inbound, known founder, VAPI %s: four calls, duplicated, reordered and late, each counted once', async (_case, echo) => {
    const { replay } = await platform();
    const founder = await replay.signUp(echo ? 'Ines Echo' : 'Nadia Noecho');
    const done = await inboundConsultation(replay, founder, echo);
    await expectConsultationCountedOnce(replay, founder, done, 'inbound');
  });

  it.concurrent('outbound: the platform plans each next call, dials VAPI at "call me now", and every call counts without a metadata echo', async () => {
    const { replay, vapi } = await platform();
    const founder = await replay.signUp('Otto Outbound');
    const done = await outboundConsultation(replay, vapi, founder);
    await expectConsultationCountedOnce(replay, founder, done, 'outbound');
  });

  it.concurrent.each([
    ['echoes the intake assistant’s metadata', true],
    ['echoes no metadata', false],
  ])('an unknown caller gets the intake, registers during it, and only their next call is stage 1 (VAPI %s)', async (_case, echo) => {
    const { replay } = await platform();
    await unknownCallerRegisters(replay, echo);
  });
});

const intakeLines = (email: string): VapiCallLine[] => [
  ['AI', "Hi, you've reached DreamSeed. I don't recognise this number yet. Are you starting a business?"],
  ['User', 'Yes, a small repair cafe. Can I sign up on the phone?'],
  ['AI', 'Of course. What is your name and your email address?'],
  ['User', `Riley Caller, and my email is ${email}.`],
  ['AI', 'You are registered. Your first consultation starts the next time you call this number.'],
];

/**
 * A number nobody has calls: the intake assistant answers; the caller registers through its `register_caller`
 * tool mid-call (the tool's answer goes into the rest of the call, as VAPI does); the intake's report moves
 * nobody on, not even the founder just registered from its number. Their next call is the stage 1 consultation,
 * and counts.
 */
async function unknownCallerRegisters(replay: CallReplay, echo: boolean) {
  const phone = newPhone();
  expect(await replay.founderByPhone(phone)).toBeNull();
  const email = `caller-${randomUUID().slice(0, 8)}@example.com`;
  const registerTool = { afterLine: 4, name: 'register_caller', arguments: { email, name: 'Riley Caller' }, result: '' };
  const intake: VapiCallPlan = {
    callId: randomUUID(),
    direction: 'inbound',
    customerNumber: phone,
    lines: intakeLines(email),
    summary: 'An unknown caller registered to start a repair cafe.',
    structuredData: { registered: true },
    toolUse: registerTool,
    startedAt: new Date(),
  };
  const answer = (await replay.ask(vapiCallDeliveries(intake)[0])) as { assistant?: { name?: string; metadata?: Record<string, unknown> }; assistantOverrides?: unknown };
  expect(answer.assistant).toMatchObject({ name: 'DreamSeed intake', metadata: { purpose: 'intake' } });
  expect(answer.assistantOverrides).toBeUndefined();

  const metadata = echo ? answer.assistant?.metadata : undefined;
  const untilTool = vapiCallDeliveries({ ...intake, metadata }).slice(1);
  const toolAt = untilTool.findIndex((delivery) => deliveryLabel(delivery) === 'tool-calls');
  await replay.sendAll(untilTool.slice(0, toolAt));
  const registration = (await replay.ask(untilTool[toolAt])) as { results: { name: string; result?: string; error?: string }[] };
  expect(registration.results).toEqual([expect.objectContaining({ name: 'register_caller', result: expect.stringMatching(/^Registered\./) })]);
  const registered = await replay.founderByPhone(phone);
  expect(registered).toMatchObject({ customerPhone: phone, customerName: 'Riley Caller', currentCallStage: 1, status: 'registered' });
  if (!registered) return;

  // The rest of the call carries the tool's answer, as VAPI's would.
  const answered = { ...registerTool, result: registration.results[0].result ?? '' };
  const rest = vapiCallDeliveries({ ...intake, metadata, toolUse: answered }).slice(1).slice(toolAt + 1);
  await replay.sendAll(rest);
  await replay.untilSettled(intake.callId, untilTool.length - 1, registered.id);
  // The report is settled: had it named a founder, its follow-ups would be queued by now; give them time to land.
  await sleep(1500);
  const afterIntake = await callerState(replay, phone, registered.id, intake.callId);

  // Their next call: the stage 1 consultation, which counts.
  const plan = consultationPlan(DEFAULT_CONSULTATION[0], { callId: randomUUID(), direction: 'inbound', customerNumber: phone });
  const next = (await replay.ask(vapiCallDeliveries(plan)[0])) as { assistant?: { name?: string }; assistantOverrides?: { metadata?: Record<string, unknown> } };
  const deliveries = vapiCallDeliveries({ ...plan, metadata: echo ? next.assistantOverrides?.metadata : undefined }).slice(1);
  await replay.sendAll(deliveries);
  await replay.untilSettled(plan.callId, deliveries.length, registered.id);
  await waitFor(async () => (await replay.founderByPhone(phone))?.currentCallStage !== afterIntake.currentCallStage, 'the next call to move the caller on', 30_000).catch(() => undefined);
  const afterNext = await callerState(replay, phone, registered.id, plan.callId);

  expect({ afterIntake, next: { assistant: next.assistant?.name, metadata: next.assistantOverrides?.metadata, ...afterNext } }).toEqual({
    afterIntake: { session: { user_id: null, call_stage: null, status: 'ended' }, callFounders: [], callReports: [], currentCallStage: 1 },
    next: {
      assistant: 'DreamSeed discovery',
      metadata: { userId: registered.id, callStage: 1 },
      session: { user_id: registered.id, call_stage: 1, status: 'ended' },
      callFounders: [{ user_id: registered.id, call_stage: 1, source: 'assistant-request' }],
      callReports: [{ kind: 'call-1', outcome: 'applied' }],
      currentCallStage: 2,
    },
  });
  expect(await replay.failedJobs([registered.id, intake.callId, plan.callId])).toEqual([]);
}

/** A call's session and its founder, and the caller's reports and stage, as the platform holds them. */
async function callerState(replay: CallReplay, phone: string, userId: string, vapiCallId: string) {
  const [session] = await replay.query(`select user_id, call_stage, status from voice.call_sessions where vapi_call_id = $1`, [vapiCallId]);
  return {
    session,
    // The founder recorded for the call, if any (a record without one, such as an intake's, names nobody).
    callFounders: await replay.query(`select user_id, call_stage, source from voice.call_founders where vapi_call_id = $1 and user_id is not null`, [vapiCallId]),
    callReports: await replay.callReports(userId),
    currentCallStage: (await replay.founderByPhone(phone))?.currentCallStage,
  };
}
