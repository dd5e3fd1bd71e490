/**
 * VAPI's server messages in bulk against the whole platform as `npm start` runs it. For every message type VAPI
 * defines, deliveries generated from VAPI's own schemas (`vapiDeliveryArbitrary`: fractions, missing optionals,
 * nulls, unknown fields, long and non-ASCII text), some sent twice verbatim, go to `POST /webhooks/vapi` a few
 * dozen at a time over keep-alive connections. Every answer must be a 2xx (for the types VAPI waits on, a reply
 * its schema accepts) or a 4xx in our error shape; never a 5xx, never no answer. Then the `voice` queue is
 * drained and read back: no job failed or retried, and every event the gateway queued is in
 * `voice.webhook_logs`, processed or ignored.
 *
 * Half of each type's deliveries carry a call id of the run's own, one per delivery (`<run>-<type>-<n>`, through
 * the arbitrary's `callId` option): their events are counted exactly in Postgres. The others are followed by the
 * event keys of the jobs the gateway queued. A run returns a report whose `problems` say what broke; it throws
 * only when it cannot run. The verdicts are in `__fixtures__/vapi-delivery-report.ts`, the reading back in
 * `__fixtures__/vapi-delivery-store.ts`.
 *
 * `vapi-deliveries.int-spec.ts` runs it inside `npm test` (1,000 deliveries per type); `npm run test:vapi-long`
 * runs this file directly with DELIVERIES_PER_TYPE (default 10,000), sending for VAPI_LONG_MINUTES at most.
 */
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { Queue } from 'bullmq';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Agent, request } from 'undici';
import { PayloadSealer } from '@dreamseed/platform';
import { VAPI_MESSAGE_TYPES, VAPI_SYNC_TYPES, deletePrefix, freePort, uniquePrefix, vapiDeliveryArbitrary, type VapiMessageType } from '@dreamseed/testing';
import { startPlatform } from './__fixtures__/platform';
import { classify, formatReport, judge, platformLog, shortJson, type FindingKind, type TypeResult, type VapiDeliveryReport } from './__fixtures__/vapi-delivery-report';
import { inspectVoiceJobs, loggedEvents, pinnedRows, waitForDrain } from './__fixtures__/vapi-delivery-store';
import { resolveInfrastructure } from './infra';

export { formatReport, type VapiDeliveryReport };

export interface VapiDeliveryOptions {
  databaseUrl: string;
  redisUrl: string;
  /** Deliveries generated per type; re-sent copies come on top. */
  deliveriesPerType: number;
  /** The share of deliveries sent a second time, verbatim, soon after the first (default 5%). */
  duplicateShare?: number;
  /** The share of deliveries that carry a call id of the run's own (default half). */
  pinnedShare?: number;
  /** Requests in flight at once (default 24). */
  concurrency?: number;
  /** The seed of every sample (default: the clock); a report names it, so a run can be repeated. */
  seed?: number;
  /** No delivery is sent after this long (the long run's bound); the run then drains and checks what went. */
  sendForMs?: number;
  /** An answer that takes longer counts as no answer (default 30 s). */
  requestTimeoutMs?: number;
  /** How long the voice queue may take to drain after the last answer (default 60 s). */
  drainWithinMs?: number;
  /** The share of a type's deliveries that may be refused with a 4xx, all being valid in VAPI's schema (default 0.1%). */
  max4xxShare?: number;
  types?: readonly VapiMessageType[];
  progress?: (line: string) => void;
}

type Settings = Required<VapiDeliveryOptions>;

const SYNC_TYPES: ReadonlySet<string> = new Set(VAPI_SYNC_TYPES);
/** Deliveries of one type generated at a time: generating and sending take turns, so memory stays flat. */
const CHUNK = 50;
const FINDINGS_PER_KIND = 20;

interface Delivery {
  result: TypeResult;
  body: string;
  pinnedCallId?: string;
}

/**
 * A chunk's seed, hashed from the run's seed, the type and the round: seeds that differ by a constant gave the
 * types' shared parts (the call) the same values across types.
 */
const seedOf = (seed: number, part: string, round: number) => createHash('sha256').update(`${seed}:${part}:${round}`).digest().readInt32LE(0);

/**
 * The deliveries of the run, a chunk of each type in turn (so that every type is under way early); each chunk
 * sampled with seeds of its own, so the run's seed regenerates any of them. A copy goes a random distance after
 * its original: near enough to be in flight with it at times, far enough at others to meet it stored.
 */
function* deliveries(results: TypeResult[], settings: Settings, callIdPrefix: string, stopAt: number): Generator<Delivery> {
  const arbitraries = results.map(({ type }) => ({ free: vapiDeliveryArbitrary(type), pinned: vapiDeliveryArbitrary(type, { callId: callIdPrefix }) }));
  for (let round = 0; round * CHUNK < settings.deliveriesPerType && Date.now() < stopAt; round += 1) {
    for (const [t, result] of results.entries()) {
      const size = Math.min(CHUNK, settings.deliveriesPerType - round * CHUNK);
      const seed = (part: string) => seedOf(settings.seed, `${result.type}/${part}`, round);
      const pinnedCount = Math.round(size * settings.pinnedShare);
      const pinned = fc.sample(arbitraries[t].pinned, { seed: seed('pinned'), numRuns: pinnedCount }).map((delivery, i) => {
        // One call per delivery: its event is the run's alone, whatever the type's event key is made of.
        const pinnedCallId = `${callIdPrefix}-${t}-${round * CHUNK + i}`;
        (delivery.message as { call: { id: string } }).call.id = pinnedCallId;
        return { result, body: JSON.stringify(delivery), pinnedCallId };
      });
      const free = fc.sample(arbitraries[t].free, { seed: seed('free'), numRuns: size - pinnedCount }).map((delivery) => ({ result, body: JSON.stringify(delivery) }));
      const chunk: Delivery[] = [...pinned, ...free];
      const copies = fc.sample(fc.tuple(fc.nat(chunk.length - 1), fc.nat(CHUNK)), { seed: seed('copies'), numRuns: Math.round(size * settings.duplicateShare) });
      const order = [...chunk.map((delivery, at) => ({ delivery, at })), ...copies.map(([original, distance]) => ({ delivery: chunk[original], at: original + distance + 0.5 }))];
      result.pinned += pinned.length;
      result.duplicates += copies.length;
      yield* order.sort((a, b) => a.at - b.at).map(({ delivery }) => delivery);
    }
  }
}

/** Sends the deliveries, `concurrency` at a time, and tallies each answer into its type's result. */
async function sendAll(gatewayUrl: string, secret: string, settings: Settings, report: VapiDeliveryReport, queue: Generator<Delivery>): Promise<void> {
  const url = `${gatewayUrl}/webhooks/vapi`;
  const headers = { 'content-type': 'application/json', 'x-vapi-secret': secret };
  const agent = new Agent({ connections: settings.concurrency, keepAliveTimeout: 30_000 });
  const perKind = new Map<FindingKind, number>();
  let answered = 0;
  const deliver = async ({ result, body, pinnedCallId }: Delivery) => {
    let status: number | 'no answer';
    let text: string;
    try {
      const response = await request(url, { method: 'POST', headers, body, dispatcher: agent, signal: AbortSignal.timeout(settings.requestTimeoutMs) });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      status = 'no answer';
      text = `${(error as Error).name}: ${(error as Error).message}`;
    }
    result.sent += 1;
    result.statuses[status] = (result.statuses[status] ?? 0) + 1;
    if (typeof status === 'number' && status < 300 && pinnedCallId) result.acceptedPinned.add(pinnedCallId);
    const finding = classify(result.type, result.sync, status, text);
    if (finding) {
      result.findings[finding.kind] = (result.findings[finding.kind] ?? 0) + 1;
      const seen = perKind.get(finding.kind) ?? 0;
      perKind.set(finding.kind, seen + 1);
      if (seen < FINDINGS_PER_KIND) report.findings.push({ ...finding, type: result.type, status, answer: text.slice(0, 500), delivery: shortJson(body) });
    }
    if (++answered % 5000 === 0) settings.progress(`${answered} answered`);
  };
  try {
    await Promise.all(
      Array.from({ length: settings.concurrency }, async () => {
        for (let next = queue.next(); !next.done; next = queue.next()) await deliver(next.value);
      }),
    );
  } finally {
    await agent.close();
  }
}

/** Starts the platform, sends, drains, reads back and judges; stops the platform and removes the run's jobs. */
export async function runVapiDeliveries(options: VapiDeliveryOptions): Promise<VapiDeliveryReport> {
  // An option given as undefined (an unset environment variable) takes the default too.
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as VapiDeliveryOptions;
  const settings: Settings = {
    duplicateShare: 0.05,
    pinnedShare: 0.5,
    concurrency: 24,
    seed: Date.now() % 2 ** 31,
    sendForMs: Infinity,
    requestTimeoutMs: 30_000,
    drainWithinMs: 60_000,
    max4xxShare: 0.001,
    types: VAPI_MESSAGE_TYPES,
    progress: () => undefined,
    ...given,
  };
  const began = Date.now();
  const runId = randomBytes(4).toString('hex');
  const report: VapiDeliveryReport = {
    seed: settings.seed,
    queuePrefix: uniquePrefix(`vapi-deliveries-${runId}`),
    callIdPrefix: `vd-${runId}`,
    results: settings.types.map((type) => ({ type, sync: SYNC_TYPES.has(type), sent: 0, duplicates: 0, pinned: 0, statuses: {}, findings: {}, acceptedPinned: new Set() })),
    findings: [],
    platformLog: [],
    timings: { startMs: 0, sendMs: 0, drainMs: 0, checkMs: 0, totalMs: 0 },
    problems: [],
  };
  // Ours, so that the run can open the jobs that fail and show what they carried.
  const payloadKey = randomBytes(32).toString('base64url');
  const secret = randomBytes(24).toString('base64url');
  const voicePort = String(await freePort());
  const platform = await startPlatform(
    'vapi-deliveries',
    {
      DATABASE_URL: settings.databaseUrl,
      REDIS_URL: settings.redisUrl,
      QUEUE_PREFIX: report.queuePrefix,
      VAPI_WEBHOOK_SECRET: secret,
      PAYLOAD_ENCRYPTION_KEY: payloadKey,
      VOICE_SERVICE_PORT: voicePort,
    },
    90_000,
  );
  report.timings.startMs = Date.now() - began;
  settings.progress(`platform up in ${report.timings.startMs} ms; seed ${settings.seed}, queue prefix ${report.queuePrefix}`);
  const redis = new Redis(settings.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('voice', { connection: redis, prefix: report.queuePrefix });
  const db = new pg.Pool({ connectionString: settings.databaseUrl, max: 2 });
  try {
    const sendStarted = Date.now();
    await sendAll(platform.gatewayUrl, secret, settings, report, deliveries(report.results, settings, report.callIdPrefix, sendStarted + settings.sendForMs));
    report.timings.sendMs = Date.now() - sendStarted;
    settings.progress(`${report.results.reduce((sum, r) => sum + r.sent, 0)} deliveries answered in ${report.timings.sendMs} ms`);

    report.drain = await waitForDrain(queue, settings.drainWithinMs, settings.progress);
    report.timings.drainMs = report.drain.waitedMs;
    const checkStarted = Date.now();
    report.jobs = await inspectVoiceJobs(queue, new PayloadSealer({ PAYLOAD_ENCRYPTION_KEY: payloadKey }), report.drain.drained);
    report.rows = await pinnedRows(db, report.callIdPrefix);
    const logged = await loggedEvents(db, [...report.jobs.eventKeys.keys()]);
    const health = await Promise.all(
      [`${platform.gatewayUrl}/health/ready`, `http://127.0.0.1:${voicePort}/health/ready`].map((url) =>
        fetch(url, { signal: AbortSignal.timeout(5000) }).then((response) => response.status, (error: Error) => error.message),
      ),
    );
    report.timings.checkMs = Date.now() - checkStarted;
    report.platformLog = platformLog(platform.process.output());
    report.problems = judge(report, settings.max4xxShare, { logged, health, exitCode: platform.process.child.exitCode });
  } finally {
    await Promise.allSettled([queue.close(), db.end()]);
    redis.disconnect();
    await platform.stop();
    // The run's jobs (tens of thousands, with their sealed bodies) would otherwise stay a week under the prefix.
    await deletePrefix(settings.redisUrl, report.queuePrefix);
  }
  report.timings.totalMs = Date.now() - began;
  return report;
}

/** `npm run test:vapi-long`: the same run with more deliveries, against DATABASE_URL and REDIS_URL or the local servers. */
async function main() {
  const env = process.env;
  const number = (name: string) => (env[name] ? Number(env[name]) : undefined);
  const infra = await resolveInfrastructure(env, path.resolve(__dirname, '../.data'));
  try {
    const report = await runVapiDeliveries({
      databaseUrl: infra.databaseUrl,
      redisUrl: infra.redisUrl,
      deliveriesPerType: number('DELIVERIES_PER_TYPE') ?? 10_000,
      concurrency: number('VAPI_DELIVERIES_CONCURRENCY'),
      seed: number('VAPI_DELIVERIES_SEED'),
      sendForMs: (number('VAPI_LONG_MINUTES') ?? 20) * 60_000,
      drainWithinMs: 10 * 60_000,
      progress: (line) => process.stdout.write(`[vapi-long] ${line}\n`),
    });
    process.stdout.write(formatReport(report));
    process.exitCode = report.problems.length ? 1 : 0;
  } finally {
    await infra.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
