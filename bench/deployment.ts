/**
 * The gateway's rows again as a deployment runs them, printed beside the table's, so that no figure hides a cost
 * a deployment pays. The table's gateway runs with its access log off and no consumer of the jobs it queues;
 * these runs each change one of the two:
 *
 * - **the image's defaults**: a second gateway with the Dockerfile's and compose's settings (`NODE_ENV=production`,
 *   `LOG_LEVEL=info`, so each `/v1` and webhook request writes its access-log line), its output written to a file
 *   as a container's log driver takes it;
 * - **the webhook's consumer running**: the table's gateway, with a voice service whose worker consumes the
 *   gateway's own voice queue on the same two cores, storing each event the webhook row queues as it comes. Each
 *   round starts with the queue empty (the jobs left by the table are dropped, then each round waits for the
 *   worker to catch up), so the rows before the webhook's see the worker idle, as between calls, and the
 *   webhook's row pays for its events' consumer.
 *
 * Each row runs at the connections that gave its best rate in the table, in rounds with their own baselines.
 */
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { freePort, sleep, waitForHttpOk } from '@dreamseed/testing';
import { runApp, runAppLoggingTo } from './apps';
import { measureRounds, printRows, ratioBetween, type Result, type RoundsResult, type Scenario } from './closed-loop';

export interface DeploymentRun {
  label: string;
  results: Result[];
  /** GET /v1/me ÷ GET /health/live, median of the rounds. */
  meOfLive: number;
}

interface Options {
  /** The table's rounds: the rows to run again and the connections each did best at. */
  table: RoundsResult;
  /** The rows to run again (their names start so), against the gateway at `base`. */
  rows: (base: string) => Scenario[];
  gatewayEnv: Record<string, string>;
  voiceEnv: Record<string, string>;
  gatewayBase: string;
  queuePrefix: string;
  redisUrl: string;
  rounds: number;
  seconds: number;
}

export const ME_ROW = 'gateway GET /v1/me';
export const LIVE_ROW = 'gateway GET /health/live';

export async function deploymentRuns(options: Options): Promise<DeploymentRun[]> {
  const atBest = (scenarios: Scenario[]) =>
    scenarios.map((scenario) => {
      const best = options.table.results.find((result) => result.name === scenario.name)?.connections;
      return best ? { ...scenario, connections: [best] } : scenario;
    });
  const run = async (label: string, base: string, beforeRound?: () => Promise<void>): Promise<DeploymentRun> => {
    const measured = await measureRounds(atBest(options.rows(base)), { rounds: options.rounds, seconds: options.seconds, beforeRound });
    return { label, results: measured.results, meOfLive: ratioBetween(measured, ME_ROW, LIVE_ROW) };
  };
  return [await withImageDefaults(options, (base) => run('image defaults', base)), await withConsumer(options, (drain) => run("webhook's consumer running", options.gatewayBase, drain))];
}

async function withImageDefaults(options: Options, measure: (base: string) => Promise<DeploymentRun>): Promise<DeploymentRun> {
  const port = await freePort();
  const logFile = path.join(os.tmpdir(), `bench-gateway-${process.pid}.log`);
  const gateway = runAppLoggingTo('gateway', { ...options.gatewayEnv, NODE_ENV: 'production', LOG_LEVEL: 'info', PORT: String(port) }, logFile);
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHttpOk(`${base}/health/ready`, 60_000, gateway);
    return await measure(base);
  } finally {
    gateway.kill('SIGTERM');
    await gateway.exited;
    rmSync(logFile, { force: true });
  }
}

async function withConsumer(options: Options, measure: (drain: () => Promise<void>) => Promise<DeploymentRun>): Promise<DeploymentRun> {
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('voice', { connection, prefix: options.queuePrefix });
  // The table's webhook rows left their events queued: dropped, so that the worker starts level with the table.
  await queue.drain(true);
  const port = await freePort();
  const voice = runApp('voice-service', { ...options.voiceEnv, QUEUE_PREFIX: options.queuePrefix, PORT: String(port) });
  try {
    await waitForHttpOk(`http://127.0.0.1:${port}/health/ready`, 60_000, voice);
    return await measure(() => caughtUp(queue, 60_000));
  } finally {
    voice.kill('SIGTERM');
    await voice.exited;
    await queue.close();
    connection.disconnect();
  }
}

/** Waits for the worker to take every queued event, at most `timeoutMs` (what is left is then measured with). */
async function caughtUp(queue: Queue, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    // Delayed jobs are the service's own schedules (retention), not the events.
    const counts = await queue.getJobCounts('waiting', 'active', 'prioritized');
    if (counts.waiting + counts.active + counts.prioritized === 0) return;
    await sleep(100);
  }
}

/** The deployment runs beside the table's figures: req/s (÷ its baseline) per row, and /v1/me ÷ /health/live. */
export function printDeploymentTable(table: RoundsResult, runs: DeploymentRun[]) {
  const cell = (result: Result | undefined) => (result ? `${result.requestsPerSecond} (${result.ratioOfBaseline?.toFixed(3) ?? 'baseline'})` : '–');
  const rows = runs[0]?.results.filter((result) => result.name.startsWith('gateway')) ?? [];
  process.stdout.write('\nThe gateway as deployed: req/s (÷ the baseline of the same run) with the table\'s settings, then each change\n');
  printRows(
    ['scenario', 'connections', 'table', ...runs.map((run) => run.label)],
    [
      ...rows.map((row) => [
        row.name,
        String(row.connections),
        cell(table.results.find((result) => result.name === row.name)),
        ...runs.map((run) => cell(run.results.find((result) => result.name === row.name))),
      ]),
      ['GET /v1/me ÷ GET /health/live', '', ratioBetween(table, ME_ROW, LIVE_ROW).toFixed(3), ...runs.map((run) => run.meOfLive.toFixed(3))],
    ],
  );
}
