/**
 * The founders' live events (GET /v1/me/events), run by bench/run.ts or alone (`node --import tsx bench/events.ts`
 * after `npm run build`): one gateway holding STREAMS open streams, and the time from `publishFounderEvent`
 * returning (the event is in Redis, as a service's publish after its commit) to a client reading the event off
 * its stream. Target: p99 under 100 ms, the median of BENCH_ROUNDS rounds' p99s (the shared machine drifts).
 * Events are published at a fixed rate to founders taken in turn; each
 * founder has STREAMS_PER_FOUNDER streams open (tabs), so one publish is read by that many clients. Bounded: a
 * fixed number of events after a warm-up, and a deadline for the last ones to arrive (what has not is counted lost).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Redis } from 'ioredis';
import { publishFounderEvent } from '@dreamseed/platform';
import { deletePrefix, freePort, openEventStream, sleep, uniquePrefix, waitForHttpOk, type EventStreamClient } from '@dreamseed/testing';
import { runApp } from './apps';
import { median, percentile, round } from './stats';

const STREAMS = Number(process.env.BENCH_EVENT_STREAMS ?? 1000);
const STREAMS_PER_FOUNDER = 5;
/** Events measured per round; the machine drifts, so the figure is the median of the rounds' p99s. */
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const EVENTS_PER_SECOND = 200;
/** Published first and not measured: the gateway's path compiled and its buffers grown, as in a running gateway. */
const WARM_UP_EVENTS = 200;
const TARGET_P99_MS = 100;

export interface EventsBenchResult {
  streams: number;
  founders: number;
  events: number;
  eventsPerSecond: number;
  /** Deliveries: each event times the streams of its founder. */
  received: number;
  lost: number;
  p50Ms: number;
  /** The median of the rounds' p99s, and each round's. */
  p99Ms: number;
  p99Rounds: number[];
  maxMs: number;
  targetP99Ms: number;
  /** Redis connections the gateway held for all the streams. */
  gatewayEventConnections: number;
}

export async function benchEvents(options: { databaseUrl: string; redisUrl: string }): Promise<EventsBenchResult> {
  const prefix = uniquePrefix('bench-events');
  const port = await freePort();
  const gateway = runApp('gateway', {
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: prefix,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    AUTH_AUTOCONFIRM: 'true',
    JWT_SECRET: 'benchmark-jwt-secret-of-at-least-32-characters',
    INTERNAL_API_SECRET: 'benchmark-internal-secret',
    PAYLOAD_ENCRYPTION_KEY: 'benchmark-payload-key-of-at-least-32-characters',
    RATE_LIMIT_SIGN_IN_PER_5_MIN: '100000000',
  });
  const redis = new Redis(options.redisUrl);
  const base = `http://127.0.0.1:${port}`;
  const streams: EventStreamClient[] = [];
  try {
    await waitForHttpOk(`${base}/health/ready`, 60_000, gateway);
    const founders = await signUpFounders(base, Math.ceil(STREAMS / STREAMS_PER_FOUNDER));
    for (let i = 0; i < STREAMS; i += 1) {
      const founder = founders[i % founders.length] as Founder;
      const ticket = await ticketFor(base, founder.token);
      const stream = await openEventStream(`${base}/v1/me/events?ticket=${ticket}`);
      if (stream.status !== 200) throw new Error(`stream ${i} answered ${stream.status}: ${stream.body}`);
      streams.push(stream);
    }
    const clients = String(await redis.call('CLIENT', 'LIST')).split('\n').filter((line) => line.includes(` name=${prefix}-gateway-events`)).length;

    // Each event's publish time, by its id; each stream reports what it reads.
    const publishedAt = new Map<string, number>();
    let latencies: number[] = [];
    for (const stream of streams) {
      stream.onEvent((event) => {
        const at = event.id ? publishedAt.get(event.id) : undefined;
        if (at !== undefined) latencies.push(event.receivedAt - at);
      });
    }
    let version = 0;
    /** Publishes `count` events at the fixed rate, each to the next founder; measured ones are timed. */
    const publish = async (count: number, measured: boolean) => {
      const started = performance.now();
      for (let n = 0; n < count; n += 1) {
        // A fixed arrival rate: each publish at its own time, however long the one before took.
        const wait = started + (n * 1000) / EVENTS_PER_SECOND - performance.now();
        if (wait > 0) await sleep(wait);
        version += 1;
        const founder = founders[version % founders.length] as Founder;
        const id = await publishFounderEvent(redis, prefix, founder.profileId, 'dream_dna.changed', { version, occurred_at: new Date().toISOString() });
        if (measured) publishedAt.set(id, performance.now());
      }
    };
    await publish(WARM_UP_EVENTS, false);
    const rounds: { p50: number; p99: number; max: number; received: number }[] = [];
    for (let r = 0; r < ROUNDS; r += 1) {
      latencies = [];
      await publish(EVENTS, true);
      const deadline = performance.now() + 5000;
      while (latencies.length < EVENTS * STREAMS_PER_FOUNDER && performance.now() < deadline) await sleep(50);
      rounds.push({ p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies), received: latencies.length });
    }
    const received = rounds.reduce((sum, one) => sum + one.received, 0);
    return {
      streams: STREAMS,
      founders: founders.length,
      events: EVENTS * ROUNDS,
      eventsPerSecond: EVENTS_PER_SECOND,
      received,
      lost: EVENTS * ROUNDS * STREAMS_PER_FOUNDER - received,
      p50Ms: round(median(rounds.map((one) => one.p50))),
      p99Ms: round(median(rounds.map((one) => one.p99))),
      p99Rounds: rounds.map((one) => round(one.p99)),
      maxMs: round(Math.max(...rounds.map((one) => one.max))),
      targetP99Ms: TARGET_P99_MS,
      gatewayEventConnections: clients,
    };
  } finally {
    for (const stream of streams) stream.close();
    gateway.kill('SIGTERM');
    await gateway.exited;
    redis.disconnect();
    await deletePrefix(options.redisUrl, prefix);
  }
}

interface Founder {
  token: string;
  profileId: string;
}

/** Founders signed up two at a time (each sign-up hashes a password: the machine's two cores are the limit). */
async function signUpFounders(base: string, count: number): Promise<Founder[]> {
  const founders: Founder[] = [];
  const signUp = async () => {
    const response = await fetch(`${base}/auth/v1/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `bench-events-${randomUUID()}@example.com`, password: 'benchmark passphrase' }),
    });
    const session = (await response.json()) as { access_token: string; user: { app_metadata: { profile_id: string } } };
    founders.push({ token: session.access_token, profileId: session.user.app_metadata.profile_id });
  };
  while (founders.length < count) await Promise.all([signUp(), signUp()].slice(0, Math.min(2, count - founders.length)));
  return founders;
}

async function ticketFor(base: string, token: string): Promise<string> {
  const response = await fetch(`${base}/v1/me/events/ticket`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as { ticket: string }).ticket;
}

export function eventsLine(result: EventsBenchResult): string {
  return (
    `Live events: ${result.streams} open streams on one gateway (${result.founders} founders), ${result.events} events at ` +
    `${result.eventsPerSecond}/s in ${result.p99Rounds.length} rounds, publish returned → client read (medians of the rounds): ` +
    `p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms (target p99 < ${result.targetP99Ms} ms; each round ` +
    `${result.p99Rounds.join(' / ')}), max ${result.maxMs} ms; ${result.received} read, ${result.lost} lost; ` +
    `the gateway held ${result.gatewayEventConnections} Redis connections for them.\n`
  );
}

if (require.main === module) {
  void (async () => {
    // The gateway's bundle alone: bench/run.ts builds every app first.
    execFileSync(process.execPath, [path.resolve(__dirname, '../tools/build.mjs'), 'gateway'], { stdio: 'inherit' });
    const result = await benchEvents({
      databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    });
    process.stdout.write(eventsLine(result));
    process.exit(0);
  })().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  });
}
