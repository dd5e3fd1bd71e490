import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { deletePrefix, freePort, testInfra, uniquePrefix } from '@dreamseed/testing';
import { InvalidJobPayloadError, QueueUnavailableError } from './errors';
import { correlationMiddleware, finishHttpApp } from './http-app';
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

  it('adds many jobs asked for at once, each with its own options, and one refused add fails alone', () =>
    withProducer(testInfra().redisUrl, async (producer) => {
      const results = await Promise.allSettled([
        ...[1, 2, 3, 4].map((n) => producer.enqueue('analysis', 'analyse-founder', { v: 1, userId, trigger: 'manual', sourceId: `b${n}` }, { jobId: `many-${prefix}-${n}` })),
        producer.enqueue('analysis', 'analyse-founder', { v: 1, userId, trigger: 'manual', sourceId: 'later' }, { jobId: `many-${prefix}-delayed`, delay: 60_000 }),
        // BullMQ refuses this id; the other callers must not notice.
        producer.enqueue('analysis', 'analyse-founder', { v: 1, userId, trigger: 'manual', sourceId: 'refused' }, { jobId: '0' }),
      ]);
      expect(results.slice(0, 5).map((r) => (r.status === 'fulfilled' ? r.value.jobId : r.reason))).toEqual(
        [1, 2, 3, 4].map((n) => `many-${prefix}-${n}`).concat(`many-${prefix}-delayed`),
      );
      expect(results[5]).toMatchObject({ status: 'rejected', reason: expect.any(QueueUnavailableError) });
      const queue = producer.queue('analysis');
      expect((await queue.getJob(`many-${prefix}-3`))?.data.sourceId).toBe('b3');
      expect(await (await queue.getJob(`many-${prefix}-delayed`))?.getState()).toBe('delayed');
      expect(await (await queue.getJob(`many-${prefix}-1`))?.getState()).toBe('waiting');
    }));

  it('fails as unavailable within its deadline when Redis takes the add but never answers', async () => {
    const redis = createRedis(testInfra().redisUrl, 'producer', { name: 'test' });
    const producer = new JobProducer({ connection: redis, prefix, logger: silent, addTimeoutMs: 300 });
    try {
      await waitForRedis(redis, 2000);
      // Loads BullMQ's scripts while answers still arrive, then stops reading them: Redis "accepts but is silent".
      await producer.enqueue('voice', 'schedule-next-call', { v: 1, userId, callStage: 2 });
      (redis as unknown as { stream: import('node:net').Socket }).stream.pause();
      const started = Date.now();
      const error = await producer.enqueue('voice', 'schedule-next-call', { v: 1, userId, callStage: 3 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(QueueUnavailableError);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      redis.disconnect();
      await producer.close();
    }
  });

  it('refuses an invalid payload before it reaches Redis', () =>
    withProducer(testInfra().redisUrl, async (producer) => {
      const before = await producer.queue('analysis').count();
      await expect(
        producer.enqueue('analysis', 'analyse-founder', { v: 1, userId: 'not-a-uuid', trigger: 'manual', sourceId: 's' }),
      ).rejects.toBeInstanceOf(InvalidJobPayloadError);
      expect(await producer.queue('analysis').count()).toBe(before);
    }));

  it('tells a payload that cannot be written (valid by its schema, too deep to serialize) from Redis being away', () =>
    withProducer(testInfra().redisUrl, async (producer) => {
      let deep: unknown = {};
      for (let i = 0; i < 100_000; i += 1) deep = { a: deep };
      const eventId = `evt_${Math.random().toString(36).slice(2)}`;
      const payload = { v: 1 as const, eventId, type: 'checkout.session.completed', receivedAt: new Date().toISOString(), event: { deep } };
      const error = await producer.enqueue('billing', 'stripe-event', payload).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidJobPayloadError);
      expect(error).not.toBeInstanceOf(QueueUnavailableError);
      expect(await producer.queue('billing').getJobs(['waiting', 'delayed', 'prioritized'])).not.toContainEqual(expect.objectContaining({ data: expect.objectContaining({ eventId }) }));
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
