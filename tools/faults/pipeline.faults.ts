import { randomUUID } from 'node:crypto';
import { waitFor } from '@dreamseed/testing';
import { startPrivatePostgres, startPrivateRedis, type PrivatePostgres, type PrivateRedis } from './infra';
import { report, startPlatform, statusUpdates, type Platform } from './platform';

/**
 * What happens to accepted webhooks when workers die, Redis stops, Postgres restarts and apps are told to
 * stop, under load. Each test sends status updates for its own calls and checks that every event the gateway
 * accepted (2xx) is stored exactly once.
 */
describe('fault tests: the VAPI event pipeline', () => {
  let postgres: PrivatePostgres;
  let redis: PrivateRedis;
  let platform: Platform;

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
    platform = await startPlatform({ databaseUrl: postgres.url, redisUrl: redis.url });
  });
  afterAll(async () => {
    await platform?.stop();
    await redis?.close();
    postgres?.close();
  });

  /** Every accepted event stored once: as many distinct event keys as accepted events, no more rows than keys. */
  async function expectExactlyOnce(name: string, callPrefix: string, sent: number, accepted: number, timeoutMs = 60_000) {
    const stored = await waitFor(async () => {
      const figures = await platform.stored(callPrefix);
      return figures.settled >= accepted ? figures : undefined;
    }, `${accepted} events of ${name} to be stored and processed`, timeoutMs).catch(async (error: Error) => {
      throw new Error(`${error.message}; stored ${JSON.stringify(await platform.stored(callPrefix))}`);
    });
    report(name, { sent, accepted, storedEvents: stored.keys, storedRows: stored.logs, callSessions: stored.sessions });
    expect(stored.keys).toBe(accepted);
    expect(stored.logs).toBe(stored.keys);
    expect(stored.settled).toBe(stored.keys);
    expect(stored.sessions).toBe(accepted);
  }

  it('kill -9 of the voice worker under load: every accepted event is processed exactly once', async () => {
    const calls = `kill9-${randomUUID().slice(0, 6)}-`;
    const messages = statusUpdates(calls, 600);
    const sending = platform.sendWebhooks(messages, 16);
    await waitFor(async () => (await platform.stored(calls)).keys >= 100, 'the worker to be busy');
    expect(await platform.signal('voice-service', 'SIGKILL')).toBe('SIGKILL');
    const { accepted, refused } = await sending;
    await platform.start('voice-service');
    expect(refused).toEqual([]);
    await expectExactlyOnce('kill -9 voice worker', calls, messages.length, accepted.length);
  });

  it('Redis stopped while webhooks arrive: 2xx through the Postgres inbox, fast 503s for clients, nothing lost', async () => {
    const email = `faults-${randomUUID().slice(0, 8)}@example.com`;
    const signUp = await fetch(`${platform.url('gateway')}/auth/v1/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'fault tests passphrase' }),
    });
    const { access_token: token } = (await signUp.json()) as { access_token: string };
    const calls = `redis-${randomUUID().slice(0, 6)}-`;
    const before = statusUpdates(calls, 100);
    const during = statusUpdates(`${calls}down-`, 200);

    const first = await platform.sendWebhooks(before, 10);
    await redis.stop();
    const outage = await platform.sendWebhooks(during, 10);
    const started = performance.now();
    const command = await fetch(`${platform.url('gateway')}/v1/me/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{}',
    });
    const commandMs = performance.now() - started;
    const inbox = await platform.query<{ n: number }>(`select count(*)::int as n from core.webhook_inbox`).catch(() => [{ n: -1 }]);
    await redis.start();

    report('redis outage', { sentDuringOutage: during.length, acceptedDuringOutage: outage.accepted.length, heldInInbox: inbox[0]?.n, commandStatus: command.status, commandMs: Math.round(commandMs) });
    expect(outage.refused).toEqual([]);
    expect(command.status).toBe(503);
    expect(commandMs).toBeLessThan(1000);
    await expectExactlyOnce('redis outage', calls, before.length + during.length, first.accepted.length + outage.accepted.length, 90_000);
  });

  it('Postgres restarted under load: jobs retry and nothing is lost', async () => {
    const calls = `pg-${randomUUID().slice(0, 6)}-`;
    const messages = statusUpdates(calls, 400);
    const sending = platform.sendWebhooks(messages, 10);
    await waitFor(async () => (await platform.stored(calls)).keys >= 50, 'the worker to be busy');
    postgres.restart();
    const { accepted, refused } = await sending;
    expect(refused).toEqual([]);
    await expectExactlyOnce('postgres restart', calls, messages.length, accepted.length, 90_000);
  });

  it('SIGTERM to every app under load: all exit 0 and no job is left stalled', async () => {
    const calls = `term-${randomUUID().slice(0, 6)}-`;
    const messages = statusUpdates(calls, 400);
    const sending = platform.sendWebhooks(messages, 16);
    await waitFor(async () => (await platform.stored(calls)).keys >= 50, 'the worker to be busy');
    const [gatewayExit, voiceExit] = await Promise.all([platform.signal('gateway', 'SIGTERM'), platform.signal('voice-service', 'SIGTERM')]);
    const { accepted } = await sending;
    const counts = await platform.jobCounts('voice');
    report('sigterm', { gatewayExit, voiceExit, accepted: accepted.length, activeAfterExit: counts.active, waitingAfterExit: counts.waiting });
    expect([gatewayExit, voiceExit]).toEqual([0, 0]);
    expect(counts.active).toBe(0);
    await Promise.all([platform.start('gateway'), platform.start('voice-service')]);
    await expectExactlyOnce('sigterm', calls, messages.length, accepted.length);
  });

  it('duplicated and reordered webhooks: one effect each', async () => {
    const calls = `dup-${randomUUID().slice(0, 6)}-`;
    const userId = randomUUID();
    const messages = Array.from({ length: 30 }, (_, n) => {
      const call = { id: `${calls}${n}`, orgId: 'faults', type: 'outboundPhoneCall', assistantOverrides: { metadata: { userId, callStage: 1 } } };
      const at = Date.now();
      return [
        { type: 'end-of-call-report', timestamp: at + 3, call, endedReason: 'customer-ended-call', startedAt: new Date(at - 60_000).toISOString(), endedAt: new Date(at).toISOString(), artifact: { transcript: 'AI: Hi\nUser: Hello', messages: [] } },
        { type: 'status-update', status: 'ended', timestamp: at + 2, call },
        { type: 'status-update', status: 'in-progress', timestamp: at + 1, call },
        { type: 'status-update', status: 'ringing', timestamp: at, call },
      ];
    }).flat();
    // Every message twice, the copies interleaved, newest first.
    const { accepted } = await platform.sendWebhooks([...messages, ...messages], 8);
    expect(accepted).toHaveLength(messages.length * 2);
    // Settled, not just stored: an end-of-call report's log row is marked processed only once its follow-ups
    // (the profile report, the analysis job) are queued, so counting them before that races with the worker.
    const stored = await waitFor(async () => {
      const figures = await platform.stored(calls);
      return figures.settled >= messages.length ? figures : undefined;
    }, 'the events');
    const sessions = await platform.query<{ status: string }>(`select status from voice.call_sessions where vapi_call_id like $1`, [`${calls}%`]);
    // The end of each call is reported once: one analysis job and one profile report per call.
    const analysisJobs = await platform.jobsNamed('analysis', 'analyse-founder', calls);
    const profileReports = await platform.jobsNamed('gateway', 'profile-call-completed', calls);
    report('duplicates and reordering', { sent: messages.length * 2, accepted: accepted.length, storedEvents: stored.keys, storedRows: stored.logs, sessions: sessions.length, analysisJobs, profileReports });
    expect(analysisJobs).toBe(30);
    expect(profileReports).toBe(30);
    expect(stored.logs).toBe(messages.length);
    expect(sessions).toHaveLength(30);
    expect(new Set(sessions.map((s) => s.status))).toEqual(new Set(['ended']));
  });
});
