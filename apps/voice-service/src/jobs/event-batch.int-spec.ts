import { randomUUID } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import type { JobPayloadOf, VoiceJobs } from '@dreamseed/contracts';
import type { JobContext, JobProducer, Logger } from '@dreamseed/platform';
import { testInfra, waitFor } from '@dreamseed/testing';
import { startTestVoice, type TestVoice } from '../__fixtures__/test-voice';
import { createVoiceDb, type VoiceDb } from '../db/client';
import { VapiEventProcessor } from './vapi-event';

type VapiEvent = JobPayloadOf<VoiceJobs, 'vapi-event'>;

/** A VAPI call's messages in the shapes VAPI sends, as the gateway turns them into `vapi-event` payloads. */
function callOf(vapiCallId: string, options: { userId?: string | null; callStage?: number } = {}) {
  const metadata = options.userId === null ? {} : { userId: options.userId ?? randomUUID(), callStage: options.callStage ?? 1 };
  const call = { id: vapiCallId, orgId: 'org-1', type: 'inboundPhoneCall', assistantId: 'assistant-discovery', assistantOverrides: { metadata } };
  const event = (message: Record<string, unknown> & { type: string }, eventKey: string): VapiEvent => ({
    v: 1,
    eventKey,
    messageType: message.type,
    vapiCallId,
    receivedAt: new Date().toISOString(),
    message,
  });
  return {
    id: vapiCallId,
    status: (status: string, extra: Record<string, unknown> = {}) =>
      event({ type: 'status-update', status, timestamp: Date.now(), call, ...extra }, `status-update|${vapiCallId}|${status}`),
    speech: (n: number) => event({ type: 'speech-update', status: 'started', role: 'user', timestamp: n, call }, `speech-update|${vapiCallId}|${n}`),
    report: () =>
      event(
        { type: 'end-of-call-report', endedReason: 'customer-ended-call', endedAt: '2026-11-20T10:12:30.000Z', call, artifact: { transcript: 'AI: Hello.\nUser: Hi.' } },
        `end-of-call-report|${vapiCallId}`,
      ),
  };
}

/** A message without a call (VAPI sends a few), which is logged and ignored. */
const callless = (): VapiEvent => {
  const key = `hang|no-call|${randomUUID()}`;
  return { v: 1, eventKey: key, messageType: 'hang', vapiCallId: null, receivedAt: new Date().toISOString(), message: { type: 'hang', timestamp: Date.now() } };
};

/** A pool that records the statements it runs, to count the transactions (`begin`) a test caused. */
function recordingPool() {
  const pool = new pg.Pool({ connectionString: testInfra().databaseUrl, max: 4 });
  const statements: string[] = [];
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
      const first = args[0];
      statements.push((typeof first === 'string' ? first : ((first as { text?: string }).text ?? '')).trim().toLowerCase());
      return query(...args);
    };
  });
  return {
    pool,
    /** Transactions begun since the last call. */
    takeTransactions() {
      const begun = statements.filter((text) => /^begin\b/.test(text)).length;
      statements.length = 0;
      return begun;
    },
  };
}

const context = { log: pino({ level: 'silent' }) } as unknown as JobContext;
/** Batched events never queue follow-ups (only end-of-call reports do, and those are not batched). */
const noProducer = {} as JobProducer;

describe('vapi-event batches: the processor', () => {
  const recorded = recordingPool();
  const db = createVoiceDb(recorded.pool);
  const query = (text: string, values?: unknown[]) => recorded.pool.query(text, values);
  afterAll(() => recorded.pool.end());

  /** Submits every event in the same turn of the event loop, as jobs started together do; settles them all. */
  const submitTogether = (processor: VapiEventProcessor, events: VapiEvent[]) =>
    Promise.allSettled(events.map((event) => processor.handle(event, context))).then((settled) =>
      settled.map((result) => (result.status === 'fulfilled' ? result.value.outcome : result.reason)),
    );
  const logRows = (keys: string[]) =>
    query('select event_key, status from voice.webhook_logs where event_key = any($1) order by event_key', [keys]).then((r) => r.rows);
  const session = (vapiCallId: string) => query('select * from voice.call_sessions where vapi_call_id = $1', [vapiCallId]).then((r) => r.rows);

  it('writes the events submitted together in one transaction, and splits at the maximum batch size', async () => {
    const processor = new VapiEventProcessor(db, noProducer, { maxBatchSize: 50 });
    const events = Array.from({ length: 120 }, () => callOf(`call-${randomUUID()}`).status('ringing'));
    recorded.takeTransactions();

    expect(await submitTogether(processor, events.slice(0, 40))).toEqual(Array(40).fill('stored'));
    expect(recorded.takeTransactions()).toBe(1);

    const more = events.slice(40);
    expect(await submitTogether(processor, more)).toEqual(Array(80).fill('stored'));
    expect(recorded.takeTransactions()).toBe(2); // 50 + 30
    expect((await logRows(events.map((e) => e.eventKey))).every((row) => row.status === 'processed')).toBe(true);
    expect((await logRows(events.map((e) => e.eventKey))).length).toBe(120);
  });

  it('merges the events of one call in a batch, whatever their order, and skips copies of an event', async () => {
    const processor = new VapiEventProcessor(db, noProducer);
    const userId = randomUUID();
    const a = callOf(`call-${randomUUID()}`, { userId: null });
    const aLater = callOf(a.id, { userId, callStage: 3 });
    const b = callOf(`call-${randomUUID()}`);
    const scheduled = callOf(`call-${randomUUID()}`);
    const quiet = callOf(`call-${randomUUID()}`);
    const ended = callOf(`call-${randomUUID()}`);

    // Earlier batches: a call already scheduled, and one already ended.
    expect(await submitTogether(processor, [scheduled.status('scheduled'), ended.status('ended', { endedReason: 'assistant-ended-call' })])).toEqual(['stored', 'stored']);
    recorded.takeTransactions();

    const batch = [
      a.status('in-progress'),
      a.status('ringing'),
      a.status('in-progress'), // the same event delivered twice in one batch
      aLater.status('queued'), // the first to name the founder
      a.status('ended', { endedReason: 'customer-ended-call' }),
      a.speech(1),
      a.status('forwarding'),
      b.status('ringing'),
      b.status('queued'),
      scheduled.speech(1), // no status: the session stays scheduled
      quiet.speech(1), // no status and no session yet: created queued
      ended.status('in-progress'), // after the end: ended is final
      ended.status('ended'), // already stored by the earlier batch
    ];
    expect(await submitTogether(processor, batch)).toEqual([
      'stored',
      'stored',
      'duplicate',
      'stored',
      'stored',
      'stored',
      'stored',
      'stored',
      'stored',
      'stored',
      'stored',
      'stored',
      'duplicate',
    ]);
    expect(recorded.takeTransactions()).toBe(1);

    const keys = [...new Set(batch.map((e) => e.eventKey))];
    const rows = await logRows(keys);
    expect(rows).toHaveLength(keys.length);
    expect(rows.every((row) => row.status === 'processed')).toBe(true);

    expect(await session(a.id)).toEqual([
      expect.objectContaining({ status: 'ended', user_id: userId, call_stage: 3, ended_reason: 'customer-ended-call', assistant_id: 'assistant-discovery' }),
    ]);
    expect(await session(b.id)).toEqual([expect.objectContaining({ status: 'ringing' })]);
    expect(await session(scheduled.id)).toEqual([expect.objectContaining({ status: 'scheduled' })]);
    expect(await session(quiet.id)).toEqual([expect.objectContaining({ status: 'queued' })]);
    expect(await session(ended.id)).toEqual([expect.objectContaining({ status: 'ended', ended_reason: 'assistant-ended-call' })]);

    // The same batch delivered again (a retry, a second delivery): nothing new.
    expect(await submitTogether(processor, batch)).toEqual(Array(batch.length).fill('duplicate'));
    expect((await logRows(keys)).length).toBe(keys.length);
  });

  it('stores an event once when copies of it are in two batches written at the same time', async () => {
    // Batches of one, two at once: each copy in its own transaction, the second waiting on the first's row.
    const processor = new VapiEventProcessor(db, noProducer, { maxBatchSize: 1, maxBatchesInFlight: 2 });
    for (let round = 0; round < 5; round += 1) {
      const event = callOf(`call-${randomUUID()}`).status('ringing');
      expect((await submitTogether(processor, [event, event])).sort()).toEqual(['duplicate', 'stored']);
      expect(await logRows([event.eventKey])).toEqual([{ event_key: event.eventKey, status: 'processed' }]);
    }
  });

  it('logs and ignores events without a call id, in a batch with others', async () => {
    const processor = new VapiEventProcessor(db, noProducer);
    const withCall = callOf(`call-${randomUUID()}`).status('ringing');
    const events = [callless(), withCall, callless()];
    recorded.takeTransactions();
    expect(await submitTogether(processor, events)).toEqual(['ignored', 'stored', 'ignored']);
    expect(recorded.takeTransactions()).toBe(1);
    const rows = await logRows(events.map((e) => e.eventKey));
    expect(Object.fromEntries(rows.map((row) => [row.event_key, row.status]))).toEqual({
      [events[0]?.eventKey as string]: 'ignored',
      [withCall.eventKey]: 'processed',
      [events[2]?.eventKey as string]: 'ignored',
    });
    expect(await submitTogether(processor, [events[0] as VapiEvent])).toEqual(['duplicate']);
  });

  it('fails only the event Postgres refuses: the rest of its batch is stored one by one', async () => {
    const warnings: unknown[] = [];
    const logger = { warn: (details: unknown) => warnings.push(details) } as unknown as Logger;
    const processor = new VapiEventProcessor(db, noProducer, { logger });
    const good = Array.from({ length: 9 }, () => callOf(`call-${randomUUID()}`).status('in-progress'));
    // A time Postgres refuses (there is no year 0), in the log row's received_at: only a forged job has one.
    const poison = { ...callOf(`call-founder-42-${randomUUID()}`).status('in-progress'), receivedAt: '0000-01-01T00:00:00Z' };
    const events = [...good.slice(0, 4), poison, ...good.slice(4)];
    recorded.takeTransactions();

    const outcomes = await submitTogether(processor, events);
    expect(outcomes.filter((o) => o === 'stored')).toHaveLength(9);
    expect((outcomes[4] as Error).cause).toMatchObject({ code: '22008' }); // date/time field value out of range
    expect(recorded.takeTransactions()).toBe(1 + events.length); // the failed batch, then each on its own

    expect((await logRows(good.map((e) => e.eventKey))).map((row) => row.status)).toEqual(Array(9).fill('processed'));
    expect(await logRows([poison.eventKey])).toEqual([]);
    // The warning names the batch and the error's class, never the values it refused.
    expect(warnings).toEqual([{ size: 10, err: { class: 'DatabaseError', code: '22008' } }]);
    expect(JSON.stringify(warnings)).not.toContain('founder-42');
  });

  it('stores every event on its own when the batch transaction itself fails (a deadlock, a lost connection)', async () => {
    let failures = 1;
    // The db as the processor sees it, whose next transaction fails once before it starts.
    const flaky = new Proxy(db, {
      get(target, property) {
        if (property === 'transaction' && failures > 0) {
          failures -= 1;
          return () => Promise.reject(Object.assign(new Error('deadlock detected'), { code: '40P01' }));
        }
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as VoiceDb;
    const processor = new VapiEventProcessor(flaky, noProducer);
    const call = callOf(`call-${randomUUID()}`);
    const events = [call.status('ringing'), call.status('in-progress'), call.status('ringing'), callless()];

    expect(await submitTogether(processor, events)).toEqual(['stored', 'stored', 'duplicate', 'ignored']);
    expect(await session(call.id)).toEqual([expect.objectContaining({ status: 'in-progress' })]);
  });
});

describe('vapi-event batches: the voice worker', () => {
  let voice: TestVoice;
  beforeAll(async () => {
    voice = await startTestVoice();
  });
  afterAll(() => voice.stop());
  const query = (text: string, values?: unknown[]) => voice.pool.query(text, values);

  /** Queues all the events at once, each as its own job (copies of an event too, as repeated deliveries are). */
  const burst = async (events: VapiEvent[]) => {
    const jobs = await voice.producer
      .queue('voice')
      .addBulk(events.map((data) => ({ name: 'vapi-event', data, opts: { jobId: randomUUID(), attempts: 10, backoff: { type: 'exponential', delay: 2000 } } })));
    return jobs.map((job) => job.id as string);
  };
  /** Waits until every job is done or has failed at least once (BullMQ then waits before the retry); the jobs then. */
  const settled = async (ids: string[]) => {
    const queue = voice.producer.queue('voice');
    const fetch = () => Promise.all(ids.map((id) => queue.getJob(id)));
    await waitFor(
      async () => {
        const jobs = await fetch();
        return jobs.every((job) => job?.finishedOn || (job?.attemptsMade ?? 0) > 0);
      },
      'the burst to be handled',
      30_000,
    );
    return fetch();
  };

  /** A fixed shuffle, so that a failure can be replayed. */
  const shuffled = <T>(items: T[]) => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  };

  it('stores a burst of events for many calls exactly once each, every session at its highest status', async () => {
    const calls = Array.from({ length: 40 }, (_, i) => ({ i, id: `burst-${randomUUID()}`, userId: randomUUID() }));
    const ends = (i: number) => i % 2 === 0; // half of the calls end; the others stop at in-progress
    const events = calls.flatMap(({ i, id, userId }) => {
      const call = callOf(id, { userId, callStage: 2 });
      const statuses = ends(i) ? ['queued', 'ringing', 'in-progress', 'ended'] : ['queued', 'ringing', 'in-progress'];
      return [...statuses.map((status) => call.status(status)), call.speech(i), ...(i % 8 === 0 ? [call.report()] : [])];
    });
    // Every event delivered at least twice, some three times, all in one shuffled burst: copies land in the
    // same batch or in different ones, and a call's statuses arrive in any order.
    const deliveries = shuffled([...events, ...events, ...events.filter((_, n) => n % 3 === 0)]);

    const jobs = await settled(await burst(deliveries));
    expect(jobs.map((job) => job?.failedReason).filter(Boolean)).toEqual([]);
    const storedPerKey = new Map<string, number>();
    for (const job of jobs) {
      const outcome = (job?.returnvalue as { outcome: string }).outcome;
      expect(['stored', 'duplicate']).toContain(outcome);
      if (outcome === 'stored') storedPerKey.set(job?.data.eventKey, (storedPerKey.get(job?.data.eventKey) ?? 0) + 1);
    }
    expect(storedPerKey.size).toBe(events.length);
    // One job stored each batched event; the copies were duplicates. (Two copies of an end-of-call report that
    // run at the same moment may both say stored: the report's own path keeps it `received` until its follow-ups
    // are queued, and the copy redoes the idempotent writes; the follow-ups are still sent once, checked below.)
    expect([...storedPerKey].filter(([key, n]) => n !== 1 && !key.startsWith('end-of-call-report|'))).toEqual([]);

    const ids = calls.map((c) => c.id);
    const logs = await query('select event_key, status from voice.webhook_logs where vapi_call_id = any($1)', [ids]);
    expect(logs.rows).toHaveLength(events.length);
    expect(logs.rows.every((row) => row.status === 'processed')).toBe(true);
    expect(new Set(logs.rows.map((row) => row.event_key))).toEqual(new Set(events.map((e) => e.eventKey)));

    const sessions = await query('select vapi_call_id, status, user_id, call_stage from voice.call_sessions where vapi_call_id = any($1)', [ids]);
    expect(sessions.rows).toHaveLength(calls.length);
    const byCall = new Map(sessions.rows.map((row) => [row.vapi_call_id, row]));
    for (const { i, id, userId } of calls) {
      expect(byCall.get(id)).toEqual({ vapi_call_id: id, status: ends(i) || i % 8 === 0 ? 'ended' : 'in-progress', user_id: userId, call_stage: 2 });
    }
    // The end-of-call reports (not batched) moved each founder on once.
    const reported = (await voice.producer.queue('gateway').getJobs(['waiting', 'delayed', 'prioritized', 'completed'])).filter((job) =>
      ids.includes(job.data.callId),
    );
    expect(reported).toHaveLength(calls.filter(({ i }) => i % 8 === 0).length);

    // Late statuses after the end, and the same events again: the ended calls stay ended.
    const late = calls.filter(({ i }) => ends(i)).map(({ id, userId }) => callOf(id, { userId }).status('forwarding'));
    const again = await settled(await burst(shuffled([...late, ...events.slice(0, 20)])));
    expect(again.map((job) => (job?.returnvalue as { outcome: string }).outcome)).toEqual(
      expect.arrayContaining(['stored', 'duplicate']),
    );
    const after = await query(`select count(*)::int as n from voice.call_sessions where vapi_call_id = any($1) and status = 'ended'`, [ids]);
    expect(after.rows[0].n).toBe(calls.filter(({ i }) => ends(i) || i % 8 === 0).length);
  });

  it('fails only the job of an event Postgres refuses, and retries it; the others in the burst are stored', async () => {
    const good = Array.from({ length: 30 }, () => callOf(`burst-${randomUUID()}`).status('ringing'));
    const poison = { ...callOf(`burst-${randomUUID()}`).status('ringing'), receivedAt: '0000-01-01T00:00:00Z' };
    const jobs = await settled(await burst([...good.slice(0, 15), poison, ...good.slice(15)]));

    const failed = jobs.filter((job) => job?.failedReason);
    expect(failed.map((job) => job?.data.eventKey)).toEqual([poison.eventKey]);
    expect(failed[0]?.failedReason).toBe('database error 22008: date/time field value out of range');
    expect(await failed[0]?.getState()).toBe('delayed'); // BullMQ retries it
    expect(jobs.filter((job) => (job?.returnvalue as { outcome?: string } | undefined)?.outcome === 'stored')).toHaveLength(30);
    const logs = await query('select status from voice.webhook_logs where event_key = any($1)', [good.map((e) => e.eventKey)]);
    expect(logs.rows.map((row) => row.status)).toEqual(Array(30).fill('processed'));
  });
});
