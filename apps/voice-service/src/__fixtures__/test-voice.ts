import pg from 'pg';
import pino from 'pino';
import type { CatalogOf, JobInputOf, JobNameOf, QueueName } from '@dreamseed/contracts';
import { JobProducer, createRedis, waitForRedis } from '@dreamseed/platform';
import { deletePrefix, testInfra, uniquePrefix, waitFor } from '@dreamseed/testing';
import { startVoiceService } from '../app';
import { loadVoiceConfig } from '../config';

/**
 * A voice service of the test's own (in-process, own queue prefix), a producer on that prefix, and a pool for
 * looking at the rows it writes.
 */
export async function startTestVoice(env: Record<string, string> = {}) {
  const { databaseUrl, redisUrl } = testInfra();
  const prefix = uniquePrefix('voice');
  const redis = createRedis(redisUrl, 'producer', { name: 'test' });
  const producer = new JobProducer({ connection: redis, prefix, logger: pino({ level: 'silent' }) });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const voice = await startVoiceService(
    loadVoiceConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, PORT: '0', HOST: '127.0.0.1', ...env }),
    pino({ level: 'silent' }),
  );
  await voice.ready;
  await waitForRedis(redis, 2000);
  return {
    url: `http://127.0.0.1:${voice.port}`,
    producer,
    pool,
    /** Enqueues a job and waits until it is handled; returns its result, or throws its failure. */
    async run<Q extends QueueName, N extends JobNameOf<CatalogOf<Q>>>(queue: Q, name: N, payload: JobInputOf<CatalogOf<Q>, N>) {
      const { jobId } = await producer.enqueue(queue, name, payload);
      const jobs = producer.queue(queue);
      await waitFor(async () => ['completed', 'failed'].includes(await jobs.getJobState(jobId)), `${name} to be handled`);
      const job = await jobs.getJob(jobId);
      if (job?.failedReason) throw new Error(job.failedReason);
      return job?.returnvalue as Record<string, unknown>;
    },
    async stop() {
      await voice.stop();
      await producer.close();
      redis.disconnect();
      await pool.end();
      await deletePrefix(redisUrl, prefix);
    },
  };
}

export type TestVoice = Awaited<ReturnType<typeof startTestVoice>>;
