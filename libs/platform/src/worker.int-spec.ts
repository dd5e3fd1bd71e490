import { Queue, QueueEvents } from 'bullmq';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import pino from 'pino';
import { deletePrefix, testInfra, uniquePrefix, waitFor } from '@dreamseed/testing';
import { createMetrics } from './metrics';
import { JobProducer, SCHEDULED_JOB_OPTIONS } from './producer';
import { createRedis } from './redis';
import { QueueWorker, type JobContext, type JobHandlers } from './worker';

const silent = pino({ level: 'silent' });
const userId = '3b0f6f0e-8a8e-4d49-9a0c-5b7c1f0d2e11';

describe('QueueWorker', () => {
  const prefix = uniquePrefix('worker');
  const seen: { payload: unknown; context: Pick<JobContext, 'correlationId' | 'attempt'> }[] = [];
  const handlers: JobHandlers<'domain'> = {
    'search-domains': () => undefined,
    'select-domain': () => undefined,
    'register-domain': () => undefined,
    'erase-founder': () => undefined,
    'refresh-rdap-bootstrap': (payload, { correlationId, attempt }) => {
      seen.push({ payload, context: { correlationId, attempt } });
      return { refreshed: true };
    },
  };
  const workerRedis = createRedis(testInfra().redisUrl, 'worker', { name: 'test' });
  const producerRedis = createRedis(testInfra().redisUrl, 'producer', { name: 'test' });
  const producer = new JobProducer({ connection: producerRedis, prefix, logger: silent });
  const metrics = createMetrics('test');
  const worker = new QueueWorker({ queue: 'domain', handlers, connection: workerRedis, prefix, concurrency: 2, logger: silent, metrics });
  const raw = new Queue('domain', { connection: producerRedis, prefix });
  const eventsRedis = createRedis(testInfra().redisUrl, 'worker', { name: 'events' });
  const events = new QueueEvents('domain', { connection: eventsRedis, prefix });

  beforeAll(async () => {
    await new Promise((resolve) => producerRedis.once('ready', resolve));
    await events.waitUntilReady();
    worker.run();
  });

  afterAll(async () => {
    await worker.close(new Promise(() => undefined));
    await Promise.all([events.close(), raw.close(), producer.close()]);
    workerRedis.disconnect();
    eventsRedis.disconnect();
    producerRedis.disconnect();
    await deletePrefix(testInfra().redisUrl, prefix);
  });

  it('runs the handler with the parsed payload and the correlation id', async () => {
    const { jobId } = await producer.enqueue('domain', 'refresh-rdap-bootstrap', { v: 1 }, { correlationId: 'corr-7' });
    const job = await raw.getJob(jobId);
    expect(await job?.waitUntilFinished(events, 5000)).toEqual({ refreshed: true });
    expect(seen.at(-1)).toEqual({ payload: { v: 1, correlationId: 'corr-7' }, context: { correlationId: 'corr-7', attempt: 1 } });
    expect(await metrics.registry.getSingleMetricAsString('jobs_finished_total')).toContain('outcome="completed"');
  });

  it('fails a job with an invalid payload once and for good, without calling the handler', async () => {
    const before = seen.length;
    // Bypass the producer's check, as an old or foreign producer would.
    const job = await raw.add('refresh-rdap-bootstrap', { v: 2 }, { attempts: 5, backoff: { type: 'fixed', delay: 10 } });
    await waitFor(async () => (await job.getState()) === 'failed', 'the job to fail');
    const failed = await raw.getJob(job.id as string);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toContain('invalid refresh-rdap-bootstrap payload');
    expect(seen.length).toBe(before);
  });

  it('fails an unknown job name once and for good', async () => {
    const job = await raw.add('no-such-job', { v: 1 }, { attempts: 5, backoff: { type: 'fixed', delay: 10 } });
    await waitFor(async () => (await job.getState()) === 'failed', 'the job to fail');
    const failed = await raw.getJob(job.id as string);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toContain('unknown job name "no-such-job"');
  });

  it('retries a handler that throws an ordinary error', async () => {
    let calls = 0;
    handlers['select-domain'] = () => {
      calls += 1;
      if (calls < 2) throw new Error('transient');
      return 'ok';
    };
    const job = await raw.add(
      'select-domain',
      { v: 1, userId, domain: 'example.com', selectionId: '0b8f7a34-39d7-4c54-8a0c-1f7b7c9c6f00' },
      { attempts: 3, backoff: { type: 'fixed', delay: 10 } },
    );
    await waitFor(async () => (await job.getState()) === 'completed', 'the job to complete after a retry');
    expect(calls).toBe(2);
  });

  it("keeps the queue's other finished jobs when a scheduled job finishes (its retention applies to the whole queue)", async () => {
    handlers['select-domain'] = () => 'ok';
    const selection = (n: number) => ({ v: 1, userId, domain: 'example.com', selectionId: `0b8f7a34-39d7-4c54-8a0c-${String(n).padStart(12, '0')}` });
    const earlier = await raw.addBulk(Array.from({ length: 40 }, (_, n) => ({ name: 'select-domain', data: selection(n), opts: { jobId: `kept-${n}` } })));
    await waitFor(async () => (await Promise.all(earlier.map((job) => job.getState()))).every((state) => state === 'completed'), 'the jobs to complete');
    const scheduled = await raw.add('refresh-rdap-bootstrap', { v: 1 }, SCHEDULED_JOB_OPTIONS);
    await waitFor(async () => (await scheduled.getState()) === 'completed', 'the scheduled job to complete');
    const still = await Promise.all(earlier.map((job) => raw.getJob(job.id as string)));
    expect(still.filter(Boolean)).toHaveLength(40);
  });

  it("keeps a failed statement's values out of the failure reason BullMQ stores and shows", async () => {
    const pool = new pg.Pool({ connectionString: testInfra().databaseUrl, max: 1 });
    const db = drizzle(pool);
    handlers['select-domain'] = async () => {
      // A value Postgres refuses and quotes back in its message; drizzle adds the parameters to its own.
      await db.execute(sql`select ${'ada@example.com'}::uuid`);
    };
    try {
      const job = await raw.add(
        'select-domain',
        { v: 1, userId, domain: 'example.com', selectionId: '0b8f7a34-39d7-4c54-8a0c-1f7b7c9c6f01' },
        { attempts: 1 },
      );
      await waitFor(async () => (await job.getState()) === 'failed', 'the job to fail');
      const failed = await raw.getJob(job.id as string);
      expect(failed?.failedReason).toBe('database error 22P02: invalid input syntax for type uuid');
      expect(JSON.stringify(failed?.stacktrace)).not.toContain('ada@example.com');
    } finally {
      await pool.end();
    }
  });
});
