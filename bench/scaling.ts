/**
 * How the voice worker scales out on one machine: the same pre-filled queue of webhook events drained by one
 * voice-service process, then by two on the same queue, each run from ready to empty. For each: events per second,
 * and where the CPU went over the drain (the voice processes, the Postgres and Redis servers, all the machine's
 * cores), so that what a third process would buy can be read from the figures (docs/benchmarks.md#scaling-out).
 *
 * In `npm run bench` after the worker figures, or alone (after `npm run build`):
 * `TSX_TSCONFIG_PATH=tsconfig.base.json node --import tsx bench/scaling.ts`.
 */
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DEVELOPMENT_PAYLOAD_KEY, PayloadSealer } from '@dreamseed/platform';
import { freePort, uniquePrefix, waitForHttpOk, type RunningProcess } from '@dreamseed/testing';
import { buildApps, runApp } from './apps';
import { drained } from './pipeline';
import { cpuMicrosOf, cpuMicrosOfCommands } from './stats';

const sealer = new PayloadSealer({ PAYLOAD_ENCRYPTION_KEY: DEVELOPMENT_PAYLOAD_KEY });

/** A call's whole life as the gateway queues it (three status updates and a transcript line), bodies sealed. */
function eventsOfCall(callId: string) {
  const message = (type: string, extra: Record<string, unknown>) => ({ type, timestamp: Date.now(), call: { id: callId, orgId: 'bench', type: 'inboundPhoneCall' }, ...extra });
  const sealed = (body: unknown) => sealer.seal(Buffer.from(JSON.stringify({ message: body })));
  const status = (value: string) => ({ key: `status-update|${callId}|${value}`, type: 'status-update', body: message('status-update', { status: value }) });
  return [status('ringing'), status('in-progress'), status('ended')].map((event) => ({
    name: 'vapi-event' as const,
    data: { v: 1, eventKey: event.key, messageType: event.type, vapiCallId: callId, receivedAt: new Date().toISOString(), sealedBody: sealed(event.body) },
    opts: { jobId: event.key.replace(/[|:]/g, '-'), removeOnComplete: true, attempts: 3 },
  }));
}

async function fill(redisUrl: string, prefix: string, calls: number) {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('voice', { connection, prefix });
  for (let start = 0; start < calls; start += 200) {
    const batch = Array.from({ length: Math.min(200, calls - start) }, (_, i) => eventsOfCall(`scale-${prefix}-${start + i}`)).flat();
    await queue.addBulk(batch);
  }
  return { queue, connection };
}

/** The machine's CPU time so far, all cores, in microseconds (from /proc/stat; user + nice + system). */
function machineCpuMicros(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  const ticks = (fields[0] ?? 0) + (fields[1] ?? 0) + (fields[2] ?? 0) + (fields[5] ?? 0) + (fields[6] ?? 0);
  // USER_HZ is 100 on Linux.
  return ticks * 10_000;
}

export interface ScalingRun {
  processes: number;
  events: number;
  eventsPerSecond: number;
  /** Of the CPU the machine spent over the drain, each part's share (0..1). */
  cpuShare: { voice: number; postgres: number; redis: number; other: number };
  /** The machine's cores busy over the drain, on average (of `cores`). */
  coresBusy: number;
}

async function drainWith(options: { databaseUrl: string; redisUrl: string; calls: number; processes: number; concurrency: number }): Promise<ScalingRun> {
  const prefix = uniquePrefix(`bench-scale-${options.processes}`);
  const filled = await fill(options.redisUrl, prefix, options.calls);
  const events = options.calls * 3;
  const voices: RunningProcess[] = [];
  try {
    const ports = await Promise.all(Array.from({ length: options.processes }, () => freePort()));
    // Started paused (no jobs can be taken before all are ready): the queue is paused while they boot.
    await filled.queue.pause();
    for (const port of ports) {
      voices.push(
        runApp('voice-service', {
          DATABASE_URL: options.databaseUrl,
          REDIS_URL: options.redisUrl,
          QUEUE_PREFIX: prefix,
          PORT: String(port),
          METRICS_PORT: String(await freePort()),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          WORKER_CONCURRENCY: String(options.concurrency),
          DATABASE_POOL_MAX: String(Math.min(options.concurrency, 20)),
        }),
      );
    }
    await Promise.all(ports.map((port, i) => waitForHttpOk(`http://127.0.0.1:${port}/health/ready`, 60_000, voices[i])));
    const voiceCpu = () => voices.reduce((sum, voice) => sum + (cpuMicrosOf(voice.child.pid) ?? 0), 0);
    const before = { voice: voiceCpu(), postgres: cpuMicrosOfCommands(['postgres']), redis: cpuMicrosOfCommands(['redis-server']), machine: machineCpuMicros() };
    const started = performance.now();
    await filled.queue.resume();
    await drained(filled.queue);
    const seconds = (performance.now() - started) / 1000;
    const spent = {
      voice: voiceCpu() - before.voice,
      postgres: cpuMicrosOfCommands(['postgres']) - before.postgres,
      redis: cpuMicrosOfCommands(['redis-server']) - before.redis,
      machine: Math.max(1, machineCpuMicros() - before.machine),
    };
    const share = (micros: number) => Number((micros / spent.machine).toFixed(3));
    return {
      processes: options.processes,
      events,
      eventsPerSecond: Math.round(events / seconds),
      cpuShare: {
        voice: share(spent.voice),
        postgres: share(spent.postgres),
        redis: share(spent.redis),
        other: share(Math.max(0, spent.machine - spent.voice - spent.postgres - spent.redis)),
      },
      coresBusy: Number((spent.machine / (seconds * 1_000_000)).toFixed(2)),
    };
  } finally {
    for (const voice of voices) voice.kill('SIGTERM');
    await Promise.all(voices.map((voice) => voice.exited));
    await filled.queue.obliterate({ force: true }).catch(() => undefined);
    await filled.queue.close();
    filled.connection.disconnect();
  }
}

/** One process, then two, each in `rounds` alternating runs; the median of each. */
export async function voiceScaling(options: { databaseUrl: string; redisUrl: string; calls: number; concurrency: number; rounds: number }) {
  const runs: Record<1 | 2, ScalingRun[]> = { 1: [], 2: [] };
  for (let round = 0; round < options.rounds; round += 1) {
    for (const processes of [1, 2] as const) runs[processes].push(await drainWith({ ...options, processes }));
  }
  const medianRun = (list: ScalingRun[]) => [...list].sort((a, b) => a.eventsPerSecond - b.eventsPerSecond)[Math.floor(list.length / 2)] as ScalingRun;
  const one = medianRun(runs[1]);
  const two = medianRun(runs[2]);
  return { cores: cpus().length, concurrency: options.concurrency, one, two, speedup: Number((two.eventsPerSecond / one.eventsPerSecond).toFixed(2)), rounds: runs };
}

if (require.main === module) {
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (process.env.BENCH_SKIP_BUILD !== '1') buildApps();
  voiceScaling({
    databaseUrl,
    redisUrl,
    calls: Number(process.env.BENCH_SCALE_CALLS ?? 2000),
    concurrency: Number(process.env.BENCH_SCALE_CONCURRENCY ?? 20),
    rounds: Number(process.env.BENCH_ROUNDS ?? 3),
  }).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
      process.exit(1);
    },
  );
}
