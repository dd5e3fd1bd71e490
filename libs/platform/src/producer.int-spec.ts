import { Queue } from 'bullmq';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { deletePrefix, freePort, testInfra, uniquePrefix } from '@dreamseed/testing';
import { InvalidJobPayloadError, QueueUnavailableError } from './errors';
import { correlationMiddleware, finishHttpApp } from './http';
import { JobProducer } from './producer';
import { createRedis, waitForRedis } from './redis';

const silent = pino({ level: 'silent' });
const userId = '3b0f6f0e-8a8e-4d49-9a0c-5b7c1f0d2e11';

describe('JobProducer', () => {
  const prefix = uniquePrefix('producer');
  afterAll(() => deletePrefix(testInfra().redisUrl, prefix));

  /** A producer on its own connection, ready unless Redis is down, closed after the test body. */
  async function withProducer(redisUrl: string, body: (producer: JobProducer) => Promise<void>) {
    const redis = createRedis(redisUrl, 'producer', { name: 'test' });
    const producer = new JobProducer({ connection: redis, prefix, logger: silent });
    try {
      await waitForRedis(redis, 2000).catch(() => undefined);
      await body(producer);
    } finally {
      await producer.close();
      redis.disconnect();
    }
  }

  it('adds a valid job with the catalog defaults and the correlation id it is given', () =>
    withProducer(testInfra().redisUrl, async (producer) => {
      const { jobId } = await producer.enqueue('analysis', 'analyse-founder', { v: 1, userId, trigger: 'manual', sourceId: 's1' }, { correlationId: 'corr-42' });
      const job = await producer.queue('analysis').getJob(jobId);
      expect(job?.data).toEqual({ v: 1, userId, trigger: 'manual', sourceId: 's1', correlationId: 'corr-42' });
      expect(job?.opts.attempts).toBe(5);
      expect(job?.opts.backoff).toMatchObject({ type: 'exponential', delay: 5000 });
    }));

  it('carries the x-correlation-id of an HTTP request into the job it enqueues', () =>
    withProducer(testInfra().redisUrl, async (producer) => {
      const app = express();
      app.use(correlationMiddleware());
      app.post('/command', async (req, res) => {
        res.status(202).json(await producer.enqueue('voice', 'schedule-next-call', { v: 1, userId, callStage: 3 }, { correlationId: req.correlationId }));
      });
      finishHttpApp(app, silent);
      const response = await request(app).post('/command').set('x-correlation-id', 'founder-click-1');
      expect(response.status).toBe(202);
      const job = await producer.queue('voice').getJob(response.body.jobId);
      expect(job?.data.correlationId).toBe('founder-click-1');
    }));

  it('adds a job with a deterministic id once, however often it is sent', () =>
    withProducer(testInfra().redisUrl, async (producer) => {
      const payload = { v: 1, userId, trigger: 'manual', sourceId: 'dup' } as const;
      await Promise.all([1, 2, 3].map(() => producer.enqueue('analysis', 'analyse-founder', payload, { jobId: 'same-id' })));
      const jobs = await producer.queue('analysis').getJobs(['waiting']);
      expect(jobs.filter((job) => job.id === 'same-id')).toHaveLength(1);
    }));

  it('sends the adds of one moment to Redis together, and each caller gets its own job with its own options', () =>
    withProducer(testInfra().redisUrl, async (producer) => {
      const bulk = jest.spyOn(Queue.prototype, 'addBulk');
      try {
        const results = await Promise.all([
          ...[1, 2, 3, 4].map((n) => producer.enqueue('analysis', 'analyse-founder', { v: 1, userId, trigger: 'manual', sourceId: `b${n}` }, { jobId: `bulk-${prefix}-${n}` })),
          producer.enqueue('analysis', 'analyse-founder', { v: 1, userId, trigger: 'manual', sourceId: 'later' }, { jobId: `bulk-${prefix}-delayed`, delay: 60_000 }),
        ]);
        expect(bulk).toHaveBeenCalledTimes(1);
        expect(results.map((r) => r.jobId)).toEqual([1, 2, 3, 4].map((n) => `bulk-${prefix}-${n}`).concat(`bulk-${prefix}-delayed`));
        const queue = producer.queue('analysis');
        expect((await queue.getJob(`bulk-${prefix}-3`))?.data.sourceId).toBe('b3');
        expect(await (await queue.getJob(`bulk-${prefix}-delayed`))?.getState()).toBe('delayed');
      } finally {
        bulk.mockRestore();
      }
    }));

  it('adds each job on its own when a joint add fails while Redis is up', () =>
    withProducer(testInfra().redisUrl, async (producer) => {
      const bulk = jest.spyOn(Queue.prototype, 'addBulk').mockRejectedValueOnce(new Error('refused'));
      try {
        const ids = [1, 2, 3].map((n) => `single-${prefix}-${n}`);
        await Promise.all(ids.map((jobId, n) => producer.enqueue('analysis', 'analyse-founder', { v: 1, userId, trigger: 'manual', sourceId: `s${n}` }, { jobId })));
        const jobs = await Promise.all(ids.map((id) => producer.queue('analysis').getJob(id)));
        expect(jobs.map((job) => job?.id)).toEqual(ids);
      } finally {
        bulk.mockRestore();
      }
    }));

  it('refuses an invalid payload before it reaches Redis', () =>
    withProducer(testInfra().redisUrl, async (producer) => {
      const before = await producer.queue('analysis').count();
      await expect(
        producer.enqueue('analysis', 'analyse-founder', { v: 1, userId: 'not-a-uuid', trigger: 'manual', sourceId: 's' }),
      ).rejects.toBeInstanceOf(InvalidJobPayloadError);
      expect(await producer.queue('analysis').count()).toBe(before);
    }));

  it('fails within 1 s when Redis is down, and the gateway maps that to 503', async () =>
    withProducer(`redis://127.0.0.1:${await freePort()}`, async (producer) => {
      const started = Date.now();
      const error = await producer
        .enqueue('voice', 'schedule-next-call', { v: 1, userId, callStage: 2 })
        .catch((caught: unknown) => caught);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(error).toBeInstanceOf(QueueUnavailableError);

      const app = express();
      app.post('/command', async (_req, res) => {
        await producer.enqueue('voice', 'schedule-next-call', { v: 1, userId, callStage: 2 });
        res.status(202).json({ accepted: true });
      });
      finishHttpApp(app, silent);
      const timed = Date.now();
      const response = await request(app).post('/command');
      expect(Date.now() - timed).toBeLessThan(1000);
      expect(response.status).toBe(503);
      expect(response.body.error.code).toBe('queue_unavailable');
    }));
});
