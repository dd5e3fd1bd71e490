import { randomUUID } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import type { CatalogOf, ConsultationCallView, JobInputOf, JobNameOf, QueueName } from '@dreamseed/contracts';
import { JobProducer, createRedis, waitForRedis } from '@dreamseed/platform';
import { deletePrefix, startFakeServer, testInfra, uniquePrefix, waitFor } from '@dreamseed/testing';
import { startAnalysisService } from '../app';
import { loadAnalysisConfig } from '../config';

/**
 * An analysis service of the test's own (in-process, own queue prefix) reading calls from a fake voice service
 * whose calls the test sets per founder, with a producer on that prefix and a pool to look at the rows.
 */
export async function startTestAnalysis(env: Record<string, string> = {}) {
  const { databaseUrl, redisUrl } = testInfra();
  const prefix = uniquePrefix('analysis');
  const calls = new Map<string, ConsultationCallView[]>();
  const voice = await startFakeServer({
    'GET /internal/founders/:userId/consultation': (req) => ({ body: { userId: req.params.userId, calls: calls.get(req.params.userId ?? '') ?? [] } }),
  });
  const redis = createRedis(redisUrl, 'producer', { name: 'test' });
  const producer = new JobProducer({ connection: redis, prefix, logger: pino({ level: 'silent' }) });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const config = loadAnalysisConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, PORT: '0', HOST: '127.0.0.1', VOICE_SERVICE_URL: voice.url, ...env });
  const service = await startAnalysisService(config, pino({ level: 'silent' }));
  await service.ready;
  await waitForRedis(redis, 2000);
  return {
    url: `http://127.0.0.1:${service.port}`,
    config,
    deps: service.deps,
    producer,
    pool,
    voice,
    /** Sets what the fake voice service answers for this founder's ended calls. */
    setCalls(userId: string, founderCalls: ConsultationCallView[]) {
      calls.set(userId, founderCalls);
    },
    /** Enqueues a job and waits until it is handled; returns its result, or throws its failure. */
    async run<Q extends QueueName, N extends JobNameOf<CatalogOf<Q>>>(queue: Q, name: N, payload: JobInputOf<CatalogOf<Q>, N>, jobId = randomUUID()) {
      await producer.enqueue(queue, name, payload, { jobId });
      const jobs = producer.queue(queue);
      await waitFor(async () => ['completed', 'failed'].includes(await jobs.getJobState(jobId)), `${name} to be handled`, 15_000);
      const job = await jobs.getJob(jobId);
      if (job?.failedReason) throw new Error(job.failedReason);
      return job?.returnvalue as Record<string, unknown>;
    },
    /** The jobs waiting on another queue (what the service sent on). */
    async sent(queue: QueueName) {
      const jobs = await producer.queue(queue).getJobs(['waiting', 'delayed', 'prioritized']);
      return jobs.map((job) => ({ id: job.id, name: job.name, data: job.data as Record<string, unknown> }));
    },
    async stop() {
      await service.stop();
      await producer.close();
      redis.disconnect();
      await pool.end();
      await voice.close();
      await deletePrefix(redisUrl, prefix);
    },
  };
}

export type TestAnalysis = Awaited<ReturnType<typeof startTestAnalysis>>;
