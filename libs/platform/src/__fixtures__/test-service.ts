/**
 * The apps' in-process test harness (`@dreamseed/platform/testing`, for their `__fixtures__` only; app code
 * never imports it): the app on a queue prefix of its own and an ephemeral port, a producer on that prefix, a
 * pool for looking at the rows it writes, `run` (enqueue a job and wait for its outcome) and `stop` (the app,
 * the connections and the prefix's keys).
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import pg from 'pg';
import pino, { type Logger } from 'pino';
import type { CatalogOf, JobInputOf, JobNameOf, QueueName } from '@dreamseed/contracts';
import { deletePrefix, testInfra, testLogLevel, uniquePrefix, waitFor } from '@dreamseed/testing';
import { DEVELOPMENT_JWT_SECRET, OPERATOR_ROLE } from '../founder-token';
import { QueueUnavailableError } from '../errors';
import { JobProducer } from '../producer';
import { createRedis, waitForRedis } from '../redis';

interface StartedService {
  port: number;
  metricsPort?: number;
  ready: Promise<unknown>;
  stop(): Promise<void>;
}

export async function startTestService<S extends StartedService>(options: {
  /** Names the queue prefix (`t-<label>-…`). */
  label: string;
  /** Starts the app from the base settings (database, Redis, prefix, port 0, loopback) and the test logger. */
  start: (base: Record<string, string>, logger: Logger) => Promise<S>;
  /** How long `run` waits for a job's outcome. */
  runTimeoutMs?: number;
}) {
  const { databaseUrl, redisUrl } = testInfra();
  const prefix = uniquePrefix(options.label);
  const redis = createRedis(redisUrl, 'producer', { name: 'test' });
  const producer = new JobProducer({ connection: redis, prefix, logger: pino({ level: 'silent' }) });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const service = await options.start(
    { NODE_ENV: 'test', DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, PORT: '0', HOST: '127.0.0.1' },
    pino({ level: testLogLevel() }),
  );
  await service.ready;
  await waitForRedis(redis, 2000);
  return {
    service,
    url: `http://127.0.0.1:${service.port}`,
    metricsUrl: `http://127.0.0.1:${String(service.metricsPort)}/metrics`,
    prefix,
    producer,
    pool,
    redis,
    /** Enqueues a job and waits until it is handled; returns its result, or throws its failure. */
    run<Q extends QueueName, N extends JobNameOf<CatalogOf<Q>>>(queue: Q, name: N, payload: JobInputOf<CatalogOf<Q>, N>, jobId?: string) {
      return runJob(producer, queue, name, payload, { jobId, timeoutMs: options.runTimeoutMs });
    },
    async stop() {
      await service.stop();
      await producer.close();
      redis.disconnect();
      await pool.end();
      await deletePrefix(redisUrl, prefix);
    },
  };
}

/**
 * Enqueues a job with `producer` and waits until a worker on its prefix has handled it; returns its result, or
 * throws its failure (the job's `failedReason`).
 */
export async function runJob<Q extends QueueName, N extends JobNameOf<CatalogOf<Q>>>(
  producer: JobProducer,
  queue: Q,
  name: N,
  payload: JobInputOf<CatalogOf<Q>, N>,
  options: { jobId?: string; timeoutMs?: number } = {},
): Promise<Record<string, unknown>> {
  const { jobId } = await producer.enqueue(queue, name, payload, { jobId: options.jobId });
  const jobs = producer.queue(queue);
  await waitFor(async () => ['completed', 'failed'].includes(await jobs.getJobState(jobId)), `${name} to be handled`, options.timeoutMs ?? 20_000);
  const job = await jobs.getJob(jobId);
  if (job?.failedReason) throw new Error(job.failedReason);
  return job?.returnvalue as Record<string, unknown>;
}

/**
 * The producer as it behaves when Redis goes away for a moment: its first `failures` adds are refused with the
 * error the real one raises (`QueueUnavailableError`), and later ones go through. For the windows between a
 * commit and the jobs that follow it.
 */
export function producerFailingFirst(producer: JobProducer, failures = 1): JobProducer {
  let left = failures;
  return new Proxy(producer, {
    get: (target, key) =>
      key === 'enqueue'
        ? (...args: Parameters<JobProducer['enqueue']>) => (left-- > 0 ? Promise.reject(new QueueUnavailableError()) : target.enqueue(...args))
        : Reflect.get(target, key),
  });
}

/**
 * An access token as the gateway issues it, with these claims beside the ones it always sets, signed with the
 * development secret: what the gateway forwards to an owner's internal API.
 */
export function accessTokenWith(claims: { app_metadata: Record<string, unknown> } & Record<string, unknown>, issuer: string, expiresIn = '10m'): Promise<string> {
  return new SignJWT({ role: 'authenticated', session_id: randomUUID(), ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(randomUUID())
    .setIssuer(issuer)
    .setAudience('authenticated')
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(DEVELOPMENT_JWT_SECRET));
}

/** A founder's access token, for their profile id. */
export const founderAccessToken = (profileId: string, issuer: string, expiresIn?: string): Promise<string> =>
  accessTokenWith({ app_metadata: { profile_id: profileId } }, issuer, expiresIn);

/** An operator's access token (`app_metadata.role` = operator, no founder profile). */
export const operatorAccessToken = (issuer: string): Promise<string> =>
  accessTokenWith({ email: 'operator@dreamseed.example', app_metadata: { provider: 'email', role: OPERATOR_ROLE } }, issuer);

export { createFreshDatabase, type FreshDatabase } from './fresh-database';
