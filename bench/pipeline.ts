/**
 * The voice worker's figure in `npm run bench`: its throughput storing webhook events, against a no-op BullMQ
 * worker on the same Redis with the same jobs and concurrency (the queue's own cost), both draining a pre-filled
 * queue.
 */
import { performance } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { DEVELOPMENT_PAYLOAD_KEY, PayloadSealer } from '@dreamseed/platform';
import { freePort, sleep, waitForHttpOk } from '@dreamseed/testing';
import { runApp } from './apps';
import { cpuMicrosOf, cpuMicrosOfCommands } from './stats';

/** The voice app below runs with the development key, as the gateway that seals these would. */
const sealer = new PayloadSealer({ PAYLOAD_ENCRYPTION_KEY: DEVELOPMENT_PAYLOAD_KEY });

/** A status update as the gateway queues it: the body sealed, so the worker's figure includes opening it. */
function statusEvent(callId: string) {
  const message = { type: 'status-update', status: 'in-progress', timestamp: Date.now(), call: { id: callId, orgId: 'bench', type: 'inboundPhoneCall' } };
  return {
    v: 1,
    eventKey: `status-update|${callId}|in-progress`,
    messageType: 'status-update',
    vapiCallId: callId,
    receivedAt: new Date().toISOString(),
    sealedBody: sealer.seal(Buffer.from(JSON.stringify({ message }))),
  };
}

async function fill(redisUrl: string, prefix: string, count: number, tag: string) {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('voice', { connection, prefix });
  for (let start = 0; start < count; start += 500) {
    const batch = Array.from({ length: Math.min(500, count - start) }, (_, i) => {
      const data = statusEvent(`bench-${tag}-${start + i}`);
      return { name: 'vapi-event', data, opts: { jobId: `bench-${tag}-${start + i}`, removeOnComplete: true, attempts: 3 } };
    });
    await queue.addBulk(batch);
  }
  return { queue, connection };
}

/** Until the queue has nothing waiting or running (its own scheduled jobs, delayed, aside). */
export async function drained(queue: Queue) {
  for (;;) {
    // Delayed jobs are the service's own schedules (retention), not the events.
    const counts = await queue.getJobCounts('waiting', 'active', 'prioritized');
    if (counts.waiting + counts.active + counts.prioritized === 0) return;
    await sleep(20);
  }
}

function cpuReadings(voicePid: number | undefined) {
  return { voice: cpuMicrosOf(voicePid), postgres: cpuMicrosOfCommands(['postgres']), redis: cpuMicrosOfCommands(['redis-server']) };
}

export async function workerThroughput(options: { databaseUrl: string; redisUrl: string; prefix: string; jobs: number; concurrency: number }) {
  // The baseline: a worker that does nothing with each job.
  const noop = await fill(options.redisUrl, `${options.prefix}-noop`, options.jobs, 'noop');
  const workerConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  let started = performance.now();
  const noopCpu = process.cpuUsage();
  const worker = new Worker('voice', async () => undefined, { connection: workerConnection, prefix: `${options.prefix}-noop`, concurrency: options.concurrency });
  await drained(noop.queue);
  const noopSeconds = (performance.now() - started) / 1000;
  // This process's CPU over the drain: the no-op worker, and the polling that watches the queue empty.
  const noopCpuMicros = Object.values(process.cpuUsage(noopCpu)).reduce((sum, micros) => sum + micros, 0);
  await worker.close();
  workerConnection.disconnect();
  await noop.queue.close();
  noop.connection.disconnect();

  // The voice service's own worker, in its own process, storing each event in Postgres.
  const voiceQueue = await fill(options.redisUrl, `${options.prefix}-voice`, options.jobs, `voice-${options.prefix}`);
  const port = await freePort();
  const voice = runApp('voice-service', {
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: `${options.prefix}-voice`,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    WORKER_CONCURRENCY: String(options.concurrency),
    DATABASE_POOL_MAX: String(Math.min(options.concurrency, 20)),
  });
  try {
    started = performance.now();
    await waitForHttpOk(`http://127.0.0.1:${port}/health/ready`, 60_000, voice);
    // Counted from ready: the start-up is not the worker's throughput.
    const cpuBefore = cpuReadings(voice.child.pid);
    started = performance.now();
    await drained(voiceQueue.queue);
    const voiceSeconds = (performance.now() - started) / 1000;
    const cpuAfter = cpuReadings(voice.child.pid);
    const perEvent = (key: keyof typeof cpuBefore) => Math.round(((cpuAfter[key] ?? 0) - (cpuBefore[key] ?? 0)) / options.jobs);
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 1 });
    const { rows } = await pool.query<{ n: number }>(`select count(*)::int as n from voice.webhook_logs where vapi_call_id like $1`, [`bench-voice-${options.prefix}-%`]);
    await pool.end();
    return {
      jobs: options.jobs,
      concurrency: options.concurrency,
      noopJobsPerSecond: Math.round(options.jobs / noopSeconds),
      voiceEventsPerSecond: Math.round(options.jobs / voiceSeconds),
      stored: rows[0]?.n ?? 0,
      ratioOfNoop: Number((noopSeconds / voiceSeconds).toFixed(3)),
      /** CPU per event, in microseconds: the voice service, and the Postgres and Redis servers it drove. */
      cpuMicrosPerEvent: { voice: perEvent('voice'), postgres: perEvent('postgres'), redis: perEvent('redis'), noopWorker: Math.round(noopCpuMicros / options.jobs) },
      target: 3000,
    };
  } finally {
    voice.kill('SIGTERM');
    await voice.exited;
    await voiceQueue.queue.close();
    voiceQueue.connection.disconnect();
  }
}
