import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { freePort, runTs, waitForHttpOk, type RunningProcess } from '@dreamseed/testing';

export type AppName = 'gateway' | 'voice-service' | 'analysis-service';

const WEBHOOK_SECRET = 'fault-tests-webhook-secret';

/**
 * The gateway and services as separate processes on the fault tests' own Postgres and Redis, with short job
 * locks (a dead worker's jobs are taken over in about 2 s) and a fast inbox relay.
 */
export async function startPlatform(infra: { databaseUrl: string; redisUrl: string }, apps: AppName[] = ['gateway', 'voice-service']) {
  const ports: Record<AppName, number> = { gateway: await freePort(), 'voice-service': await freePort(), 'analysis-service': await freePort() };
  const prefix = `faults-${randomUUID().slice(0, 8)}`;
  const common = {
    DATABASE_URL: infra.databaseUrl,
    REDIS_URL: infra.redisUrl,
    QUEUE_PREFIX: prefix,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    INTERNAL_API_SECRET: 'fault-tests-internal-secret',
    JWT_ISSUER: 'http://127.0.0.1/auth/v1',
    WORKER_LOCK_MS: '2000',
  };
  // The voice service runs at its own default (256 jobs at once, group-committed), as it does in production.
  const concurrency = { WORKER_CONCURRENCY: '20' };
  const url = (app: AppName) => `http://127.0.0.1:${ports[app]}`;
  const envOf: Record<AppName, Record<string, string>> = {
    gateway: {
      ...common,
      ...concurrency,
      PORT: String(ports.gateway),
      AUTH_AUTOCONFIRM: 'true',
      VAPI_WEBHOOK_SECRET: WEBHOOK_SECRET,
      WEBHOOK_RELAY_INTERVAL_MS: '300',
      VOICE_SERVICE_URL: url('voice-service'),
      ANALYSIS_SERVICE_URL: url('analysis-service'),
      RATE_LIMIT_SIGN_IN_PER_5_MIN: '100000',
    },
    'voice-service': { ...common, PORT: String(ports['voice-service']), GATEWAY_URL: url('gateway') },
    'analysis-service': { ...common, ...concurrency, PORT: String(ports['analysis-service']), VOICE_SERVICE_URL: url('voice-service') },
  };
  const running = new Map<AppName, RunningProcess>();
  const start = async (app: AppName) => {
    const process = runTs(`apps/${app}/src/main.ts`, envOf[app]);
    running.set(app, process);
    await waitForHttpOk(`${url(app)}/health/ready`, 60_000, process);
    return process;
  };
  await Promise.all(apps.map(start));
  const pool = new pg.Pool({ connectionString: infra.databaseUrl, max: 2 });
  pool.on('error', () => undefined);

  return {
    prefix,
    url,
    start,
    process: (app: AppName) => running.get(app),
    /** Signals an app and waits for it to exit; the exit code (or signal name) comes back. */
    async signal(app: AppName, signal: NodeJS.Signals) {
      const process = running.get(app);
      if (!process) return undefined;
      process.kill(signal);
      const exited = await process.exited;
      running.delete(app);
      return exited;
    },
    /** Posts VAPI messages to the gateway's webhook, `concurrency` at a time; who got a 2xx and who did not. */
    async sendWebhooks(messages: Record<string, unknown>[], concurrency = 20) {
      const accepted: number[] = [];
      const refused: { index: number; status: number | string }[] = [];
      let next = 0;
      const worker = async () => {
        for (let index = next++; index < messages.length; index = next++) {
          try {
            const response = await fetch(`${url('gateway')}/webhooks/vapi`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-vapi-secret': WEBHOOK_SECRET },
              body: JSON.stringify({ message: messages[index] }),
              signal: AbortSignal.timeout(10_000),
            });
            await response.arrayBuffer();
            if (response.ok) accepted.push(index);
            else refused.push({ index, status: response.status });
          } catch (error) {
            refused.push({ index, status: (error as Error).name });
          }
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      return { accepted, refused };
    },
    /** Rows the voice service stored for these calls: every webhook log, and the distinct event keys. */
    async stored(callPrefix: string) {
      const { rows } = await pool.query<{ logs: number; keys: number; settled: number; sessions: number }>(
        `select (select count(*)::int from voice.webhook_logs where vapi_call_id like $1) as logs,
                (select count(distinct event_key)::int from voice.webhook_logs where vapi_call_id like $1) as keys,
                (select count(*)::int from voice.webhook_logs where vapi_call_id like $1 and status in ('processed', 'ignored')) as settled,
                (select count(*)::int from voice.call_sessions where vapi_call_id like $1) as sessions`,
        [`${callPrefix}%`],
      );
      return rows[0] ?? { logs: 0, keys: 0, settled: 0, sessions: 0 };
    },
    /** Job counts of a queue, straight from Redis. */
    async jobCounts(queue: string) {
      const connection = new Redis(infra.redisUrl, { maxRetriesPerRequest: 1 });
      const handle = new Queue(queue, { connection, prefix });
      try {
        return await handle.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized');
      } finally {
        await handle.close();
        connection.disconnect();
      }
    },
    /** How many jobs of this name the queue holds, in any state, whose data mentions `marker`. */
    async jobsNamed(queue: string, name: string, marker: string) {
      const connection = new Redis(infra.redisUrl, { maxRetriesPerRequest: 1 });
      const handle = new Queue(queue, { connection, prefix });
      try {
        const jobs = await handle.getJobs(['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized']);
        return jobs.filter((job) => job.name === name && JSON.stringify(job.data).includes(marker)).length;
      } finally {
        await handle.close();
        connection.disconnect();
      }
    },
    async query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []) {
      return (await pool.query<T>(text, values)).rows;
    },
    async stop() {
      await Promise.all([...running.keys()].map((app) => this.signal(app, 'SIGTERM')));
      await pool.end();
    },
  };
}

export type Platform = Awaited<ReturnType<typeof startPlatform>>;

/** One status update per call, for `count` calls whose ids start with `callPrefix`. */
export function statusUpdates(callPrefix: string, count: number, status = 'in-progress') {
  return Array.from({ length: count }, (_, n) => ({
    type: 'status-update',
    status,
    timestamp: Date.now(),
    call: { id: `${callPrefix}${n}`, orgId: 'faults', type: 'inboundPhoneCall' },
  }));
}

/** Prints what a fault test sent, what the gateway accepted and what was stored, for the CI log. */
export function report(name: string, figures: Record<string, unknown>) {
  process.stdout.write(`[faults] ${name}: ${Object.entries(figures).map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(' ')}\n`);
}
