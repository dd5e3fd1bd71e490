import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import pg from 'pg';
import pino from 'pino';
import type { CatalogOf, JobInputOf, JobNameOf, QueueName } from '@dreamseed/contracts';
import { DEVELOPMENT_JWT_SECRET, JobProducer, createRedis, waitForRedis } from '@dreamseed/platform';
import { deletePrefix, testInfra, uniquePrefix, waitFor } from '@dreamseed/testing';
import { startBillingService } from '../app';
import { loadBillingConfig } from '../config';

export const INTERNAL_SECRET = 'internal-secret-for-tests';
const ISSUER = 'http://localhost:8080/auth/v1';

/** A founder as the gateway would present them: a profile id and a signed access token. */
export async function founder() {
  const profileId = randomUUID();
  const token = await new SignJWT({ role: 'authenticated', session_id: randomUUID(), app_metadata: { profile_id: profileId } })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(randomUUID())
    .setIssuer(ISSUER)
    .setAudience('authenticated')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(DEVELOPMENT_JWT_SECRET));
  return { profileId, token };
}
export type TestFounder = Awaited<ReturnType<typeof founder>>;

/** A billing service of the test's own (in-process, own queue prefix), with a producer and a pool to look. */
export async function startTestBilling(env: Record<string, string> = {}) {
  const { databaseUrl, redisUrl } = testInfra();
  const prefix = uniquePrefix('billing');
  const redis = createRedis(redisUrl, 'producer', { name: 'test' });
  const producer = new JobProducer({ connection: redis, prefix, logger: pino({ level: 'silent' }) });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const billing = await startBillingService(
    loadBillingConfig({
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      PORT: '0',
      HOST: '127.0.0.1',
      INTERNAL_API_SECRET: INTERNAL_SECRET,
      PUBLIC_URL: 'http://gateway.test',
      ...env,
    }),
    pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  );
  await billing.ready;
  await waitForRedis(redis, 2000);
  const url = `http://127.0.0.1:${billing.port}`;
  return {
    url,
    producer,
    pool,
    /** Calls the internal API as the gateway does: internal token plus the founder's token. */
    call(method: string, path: string, who?: TestFounder, body?: unknown) {
      return fetch(`${url}/internal${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-internal-token': INTERNAL_SECRET, ...(who ? { authorization: `Bearer ${who.token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
    /** Enqueues a job and waits until it is handled; returns its result, or throws its failure. */
    async run<Q extends QueueName, N extends JobNameOf<CatalogOf<Q>>>(queue: Q, name: N, payload: JobInputOf<CatalogOf<Q>, N>, jobId?: string) {
      const { jobId: id } = await producer.enqueue(queue, name, payload, { jobId });
      const jobs = producer.queue(queue);
      await waitFor(async () => ['completed', 'failed'].includes(await jobs.getJobState(id)), `${name} to be handled`);
      const job = await jobs.getJob(id);
      if (job?.failedReason) throw new Error(job.failedReason);
      return job?.returnvalue as Record<string, unknown>;
    },
    /** The profile reports sent to the gateway for a founder, oldest first. */
    async profileReports(businessId: string) {
      const jobs = await producer.queue('gateway').getJobs(['waiting', 'delayed', 'prioritized', 'completed', 'active']);
      return jobs
        .filter((job) => job.name === 'profile-payment-updated' && job.data.userId === businessId)
        .sort((a, b) => a.timestamp - b.timestamp)
        .map((job) => job.data as Record<string, unknown>);
    },
    async stop() {
      await billing.stop();
      await producer.close();
      redis.disconnect();
      await pool.end();
      await deletePrefix(redisUrl, prefix);
    },
  };
}

export type TestBilling = Awaited<ReturnType<typeof startTestBilling>>;
