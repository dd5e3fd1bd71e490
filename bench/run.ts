// One file on purpose: the single driver of a run, so every scenario, round and printed table shares its servers and each round's baselines.
/**
 * `npm run bench`: measures the platform on loopback against a bare node:http server measured in the same run,
 * prints a table, and writes bench/results/latest.json. Bounded: each scenario runs BENCH_SECONDS (default 5)
 * per concurrency tried, in BENCH_ROUNDS rounds (default 3). It runs the apps' production bundles (built first). Needs Postgres and Redis as the
 * tests do (DATABASE_URL/REDIS_URL, else the local defaults). BENCH_QUICK=1 measures the requests only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateAll } from '@dreamseed/platform';
import { deletePrefix, freePort, uniquePrefix, waitForHttpOk, waitForLogLine } from '@dreamseed/testing';
import { endToEnd, offlineAccuracy } from './analysis';
import { buildApps, runApp, runYardstick } from './apps';
import { BASELINE, measureRounds, POST_BASELINE, printTable, ratioBetween, type Scenario } from './closed-loop';
import { deploymentRuns, LIVE_ROW, ME_ROW, printDeploymentTable } from './deployment';
import { benchDomains, printDomainTable } from './domains';
import { benchEvents, eventsLine } from './events';
import { openModelRounds } from './open-model';
import { workerThroughput } from './pipeline';
import { voiceScaling, type ScalingRun } from './scaling';

const root = path.resolve(__dirname, '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A rounds result's CPU figures, `name value` each. */
const cpuLine = (result: { cpuMicrosPerRequest: Record<string, number | null> }) =>
  Object.entries(result.cpuMicrosPerRequest).map(([name, micros]) => (micros === null ? `${name} n/a` : Object.keys(result.cpuMicrosPerRequest).length > 1 ? `${name} ${micros}` : String(micros))).join(', ');

/** Closed-loop concurrencies tried for each server: VAPI delivers from many calls at once. */
const CONNECTIONS = [10, 50];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WEBHOOK_SECRET = 'benchmark-webhook-secret';
const WEBHOOK_HEADERS = { 'content-type': 'application/json', 'x-vapi-secret': WEBHOOK_SECRET };
/** A status update as VAPI sends it, fresh per request: the same event twice would be dropped as a duplicate. */
const statusUpdate = (callId: string, status = 'in-progress') =>
  JSON.stringify({ message: { type: 'status-update', status, timestamp: Date.now(), call: { id: callId, orgId: 'org', type: 'inboundPhoneCall' } } });

async function main() {
  buildApps();
  await migrateAll(databaseUrl, root);
  const prefix = uniquePrefix('bench');
  const [gatewayPort, voicePort] = [await freePort(), await freePort()];
  // Set, rather than the development values, so that a gateway with the image's NODE_ENV=production starts too.
  const internal = { INTERNAL_API_SECRET: 'benchmark-internal-secret', JWT_SECRET: 'benchmark-jwt-secret-of-at-least-32-characters', PAYLOAD_ENCRYPTION_KEY: 'benchmark-payload-key-of-at-least-32-characters' };
  const baseline = runYardstick('baseline-server');
  const floor = runYardstick('enqueue-floor-server', { REDIS_URL: redisUrl, QUEUE_PREFIX: `${prefix}-floor` });
  // The voice service answers assistant-request, finding the founder through the gateway's internal API. Its
  // worker consumes another prefix: the ingest figure is the gateway's verify-and-enqueue alone.
  const voiceEnv = {
    ...internal,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    GATEWAY_URL: `http://127.0.0.1:${gatewayPort}`,
  };
  const voice = runApp('voice-service', { ...voiceEnv, QUEUE_PREFIX: `${prefix}-voice`, PORT: String(voicePort) });
  const gatewayEnv = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    PORT: String(gatewayPort),
    HOST: '127.0.0.1',
    // Access logs off: the figures are the request path's own cost.
    LOG_LEVEL: 'warn',
    AUTH_AUTOCONFIRM: 'true',
    VAPI_WEBHOOK_SECRET: WEBHOOK_SECRET,
    VOICE_SERVICE_URL: `http://127.0.0.1:${voicePort}`,
    ...internal,
    // Abuse limits would cap a load test from one IP: lifted here, measured by the tests.
    RATE_LIMIT_SIGN_IN_PER_5_MIN: '100000000',
    AUTH_MAX_FAILED_SIGN_INS: '100000000',
  };
  const gateway = runApp('gateway', gatewayEnv);
  try {
    const base = `http://127.0.0.1:${gatewayPort}`;
    const baselinePort = Number((await waitForLogLine(baseline, 'ready')).port);
    const floorPort = Number((await waitForLogLine(floor, 'ready')).port);
    await waitForHttpOk(`${base}/health/ready`, 60_000, gateway);
    await waitForHttpOk(`http://127.0.0.1:${voicePort}/health/ready`, 60_000, voice);
    const email = `bench-${prefix}@example.com`;
    const phone = `+1737${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const assistantRequest = (callId: string) => JSON.stringify({ message: { type: 'assistant-request', call: { id: callId }, customer: { number: phone } } });
    const password = 'benchmark passphrase';
    const signUp = await fetch(`${base}/auth/v1/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password, data: { phone } }),
    });
    const session = (await signUp.json()) as { access_token: string };

    const baselines: Scenario[] = [
      { name: BASELINE, url: `http://127.0.0.1:${baselinePort}/`, connections: CONNECTIONS },
      {
        name: POST_BASELINE,
        url: `http://127.0.0.1:${baselinePort}/`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        bodyFor: (n) => statusUpdate(`baseline-${prefix}-${n}`),
        connections: CONNECTIONS,
      },
    ];
    let webhookEvents = 0;
    /** The gateway's own rows, which deploymentRuns measures again as a deployment runs them. */
    const servedBy = (gatewayBase: string): Scenario[] => [
      { name: LIVE_ROW, url: `${gatewayBase}/health/live`, connections: CONNECTIONS },
      {
        name: `${ME_ROW} (JWT, session check, RLS read)`,
        url: `${gatewayBase}/v1/me`,
        headers: { authorization: `Bearer ${session.access_token}` },
        connections: CONNECTIONS,
      },
      {
        name: 'gateway POST /webhooks/vapi (verify, seal, enqueue)',
        url: `${gatewayBase}/webhooks/vapi`,
        method: 'POST',
        headers: WEBHOOK_HEADERS,
        bodyFor: () => statusUpdate(`bench-${prefix}-${(webhookEvents += 1)}`),
        connections: CONNECTIONS,
        baseline: 'post',
      },
    ];
    const [live, me, webhook] = servedBy(base) as [Scenario, Scenario, Scenario];
    const scenarios: Scenario[] = [
      ...baselines,
      live,
      me,
      {
        name: 'floor: node:http + JSON.parse + BullMQ add, no checks',
        url: `http://127.0.0.1:${floorPort}/`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        bodyFor: (n) => statusUpdate(`floor-${prefix}-${n}`),
        connections: CONNECTIONS,
        baseline: 'post',
      },
      webhook,
      {
        name: 'gateway assistant-request (via voice, founder lookup)',
        url: `${base}/webhooks/vapi`,
        method: 'POST',
        headers: WEBHOOK_HEADERS,
        // A call id of its own per request, as VAPI's are: the voice service records each call's founder.
        bodyFor: (n) => assistantRequest(`bench-call-${prefix}-${n}`),
        connections: CONNECTIONS,
      },
      {
        name: 'gateway sign-in (Argon2id, session, tokens)',
        url: `${base}/auth/v1/token?grant_type=password`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
        connections: [4],
      },
    ];

    // A shared 2-core machine drifts by half within minutes: the scenarios are measured in rounds, each round
    // with its own baseline, and each figure is the median over the rounds of its ratio to that round's baseline.
    const table = await measureRounds(scenarios, { rounds: ROUNDS, seconds });
    const { results } = table;

    // Webhook latency at half the measured maximum, at a fixed arrival rate (open model).
    const webhookMax = results.find((r) => r.name.startsWith('gateway POST /webhooks/vapi'))?.requestsPerSecond ?? 1000;
    const webhookRounds = (tag: string, rate: number, preopen?: number) =>
      openModelRounds({
        url: `${base}/webhooks/vapi`,
        headers: WEBHOOK_HEADERS,
        body: (n) => statusUpdate(`${tag}-${prefix}-${n}`, 'ringing'),
        rate,
        seconds,
        preopen,
      }, ROUNDS, { gateway: gateway.child.pid });
    const halfLoad = await webhookRounds('half', Math.max(50, Math.round(webhookMax / 2)));
    // The same arrival rate against the yardsticks: the bare server (the machine's own scheduling noise, no Redis)
    // and the floor (node:http + BullMQ add). What they show at this rate the gateway cannot do better than.
    const yardstickAtHalfLoad = async (port: number, tag: string, pid: number | undefined) =>
      openModelRounds({
        url: `http://127.0.0.1:${port}/`,
        headers: { 'content-type': 'application/json' },
        body: (n) => statusUpdate(`${tag}-${prefix}-${n}`, 'ringing'),
        rate: halfLoad.rate,
        seconds,
      }, ROUNDS, { [tag]: pid });
    const baselineHalfLoad = await yardstickAtHalfLoad(baselinePort, 'half-baseline', baseline.child.pid);
    const floorHalfLoad = await yardstickAtHalfLoad(floorPort, 'half-floor', floor.child.pid);
    // The webhook again with no pool opened ahead: connections opened as the requests find none idle, which after
    // any pause of the gateway means a hundred or more at once (see open-model.ts).
    const halfLoadColdPool = await webhookRounds('half-cold', halfLoad.rate, 0);
    // assistant-request the same way: VAPI sends one as each call starts, so its latency matters below saturation.
    let halfLoadCalls = 0;
    const assistantMax = results.find((r) => r.name.startsWith('gateway assistant-request'))?.requestsPerSecond ?? 100;
    const assistantHalfLoad = await openModelRounds({
      url: `${base}/webhooks/vapi`,
      headers: WEBHOOK_HEADERS,
      body: () => assistantRequest(`bench-call-${prefix}-half-${(halfLoadCalls += 1)}`),
      rate: Math.max(10, Math.round(assistantMax / 2)),
      seconds,
    }, ROUNDS, { gateway: gateway.child.pid, voice: voice.child.pid });
    const ofFloor = ratioBetween(table, 'gateway POST /webhooks/vapi', 'floor:');
    const ofGetBaseline = ratioBetween(table, 'gateway POST /webhooks/vapi', BASELINE);
    const meOfLive = ratioBetween(table, ME_ROW, LIVE_ROW);
    // The gateway's rows once more with the image's settings, and once with the webhook's consumer running.
    const deployment = await deploymentRuns({
      table,
      rows: (gatewayBase) => [...baselines, ...servedBy(gatewayBase)],
      gatewayEnv,
      voiceEnv,
      gatewayBase: base,
      queuePrefix: prefix,
      redisUrl,
      rounds: ROUNDS,
      seconds,
    });
    const floorLine =
      `\nWebhook ingest ÷ the floor (node:http + BullMQ add alone), median of the rounds: ${ofFloor}.\n` +
      `Webhook ingest ÷ the GET baseline (one fixed request, which costs the load generator least): ${ofGetBaseline}.\n` +
      `GET /v1/me ÷ GET /health/live, median of the rounds: ${meOfLive} (target 0.18, aim 0.25).\n`;
    const halfLoadLines =
      floorLine +
      `\nWebhook ingest at half its maximum (${halfLoad.rate} req/s, open model, ${halfLoad.requests} requests in ${ROUNDS} rounds): ` +
      `p50 ${halfLoad.p50Ms} ms, p99 ${halfLoad.p99Ms} ms (target p99 < 25 ms; each round ${halfLoad.p99Rounds.join(' / ')}), ` +
      `max ${halfLoad.maxMs} ms, ${halfLoad.errors} errors; ${halfLoad.preopened} connections opened ahead, ` +
      `${halfLoad.openedInRounds.join(' / ')} more opened in the rounds.\n` +
      `  With no connections opened ahead: p99 ${halfLoadColdPool.p99Ms} ms (${halfLoadColdPool.p99Rounds.join(' / ')}), ` +
      `max ${halfLoadColdPool.maxMs} ms, ${halfLoadColdPool.openedInRounds.join(' / ')} connections opened in the rounds.\n` +
      `  At the same rate, the bare server: p99 ${baselineHalfLoad.p99Ms} ms (${baselineHalfLoad.p99Rounds.join(' / ')}); ` +
      `the floor: p99 ${floorHalfLoad.p99Ms} ms (${floorHalfLoad.p99Rounds.join(' / ')}).\n` +
      `assistant-request at half its maximum (${assistantHalfLoad.rate} req/s, open model): p50 ${assistantHalfLoad.p50Ms} ms, ` +
      `p99 ${assistantHalfLoad.p99Ms} ms (target p99 < 50 ms; each round ${assistantHalfLoad.p99Rounds.join(' / ')}), ` +
      `max ${assistantHalfLoad.maxMs} ms, ${assistantHalfLoad.errors} errors.\n` +
      `CPU per request at those rates (µs, every thread of the process; a full core is ${Math.round(1e6 / halfLoad.rate)} µs ` +
      `at the webhook rate): gateway ${cpuLine(halfLoad)}, bare server ${cpuLine(baselineHalfLoad)}, floor ${cpuLine(floorHalfLoad)}; ` +
      `assistant-request: ${cpuLine(assistantHalfLoad)}.\n`;
    if (process.env.BENCH_QUICK === '1') {
      // The request figures alone, for working on the HTTP paths; nothing is written.
      printTable(results);
      printDeploymentTable(table, deployment);
      process.stdout.write(halfLoadLines);
      return;
    }
    const worker = await workerThroughput({ databaseUrl, redisUrl, prefix: `${prefix}-worker`, jobs: Number(process.env.BENCH_WORKER_JOBS ?? 5000), concurrency: 256 });
    const scaling = await voiceScaling({ databaseUrl, redisUrl, calls: Number(process.env.BENCH_SCALE_CALLS ?? 2000), concurrency: 20, rounds: ROUNDS });
    // After the load scenarios, on a prefix of its own: the pipeline from a call's end to its Dream DNA.
    const accuracy = await offlineAccuracy();
    const pipeline = await endToEnd({ databaseUrl, redisUrl, prefix: `${prefix}-e2e`, runs: Number(process.env.BENCH_E2E_RUNS ?? 30) });
    const domains = await benchDomains({ databaseUrl, redisUrl });
    const events = await benchEvents({ databaseUrl, redisUrl });
    const report = {
      measuredAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version },
      secondsPerScenario: seconds,
      results,
      meOfLive,
      deployment,
      webhookIngestOfFloor: ofFloor,
      webhookIngestOfGetBaseline: ofGetBaseline,
      webhookAtHalfLoad: halfLoad,
      webhookAtHalfLoadColdPool: halfLoadColdPool,
      baselineAtWebhookHalfLoad: baselineHalfLoad,
      floorAtWebhookHalfLoad: floorHalfLoad,
      assistantRequestAtHalfLoad: assistantHalfLoad,
      voiceWorker: worker,
      voiceScaling: scaling,
      analysis: { ...accuracy, endToEnd: pipeline },
      domains,
      events,
    };
    mkdirSync(path.join(root, 'bench/results'), { recursive: true });
    writeFileSync(path.join(root, 'bench/results/latest.json'), `${JSON.stringify(report, null, 2)}\n`);
    printTable(results);
    printDeploymentTable(table, deployment);
    process.stdout.write(
      halfLoadLines +
        `Voice worker storing events: ${worker.voiceEventsPerSecond} events/s against a no-op BullMQ worker's ` +
        `${worker.noopJobsPerSecond} jobs/s = ${worker.ratioOfNoop} × (target 3,000 events/s; ${worker.stored} stored).\n` +
        `Voice workers scaled out (concurrency ${scaling.concurrency} each): ${scalingLine(scaling.one)}; ${scalingLine(scaling.two)}; ` +
        `two processes = ${scaling.speedup} × one.\n`,
    );
    process.stdout.write(
      `\nOffline extractor on ${accuracy.fixtures} fixture consultations: enum fields ${(accuracy.enumAccuracy * 100).toFixed(1)}% right ` +
        `(${accuracy.enumFields} fields; target 80%), problem/audience/difference/service ${(accuracy.textAccuracy * 100).toFixed(1)}%.\n` +
        `End of call → Dream DNA readable (offline, ${pipeline.runs} founders): p50 ${pipeline.p50Ms} ms, p95 ${pipeline.p95Ms} ms ` +
        `= ${pipeline.p95OfTarget} × the 1 s target.\n`,
    );
    printDomainTable(domains);
    process.stdout.write(eventsLine(events));
  } finally {
    for (const process of [baseline, floor, gateway, voice]) process.kill('SIGTERM');
    await Promise.all([baseline.exited, floor.exited, gateway.exited, voice.exited]);
    await Promise.all([deletePrefix(redisUrl, prefix), deletePrefix(redisUrl, `${prefix}-voice`), deletePrefix(redisUrl, `${prefix}-floor`), deletePrefix(redisUrl, `${prefix}-e2e`), deletePrefix(redisUrl, `${prefix}-worker-noop`), deletePrefix(redisUrl, `${prefix}-worker-voice`)]);
  }
}

function scalingLine(run: ScalingRun): string {
  const percent = (share: number) => `${Math.round(share * 100)}%`;
  return (
    `${run.processes} process${run.processes > 1 ? 'es' : ''} ${run.eventsPerSecond} events/s, ${run.coresBusy} cores busy ` +
    `(voice ${percent(run.cpuShare.voice)}, Postgres ${percent(run.cpuShare.postgres)}, Redis ${percent(run.cpuShare.redis)}, other ${percent(run.cpuShare.other)})`
  );
}

// Exits when done even if a client somewhere still holds a connection: a benchmark must stop by itself.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  },
);
