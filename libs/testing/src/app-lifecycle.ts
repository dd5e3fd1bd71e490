import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUE_NAMES, type CatalogOf, type JobInputOf, type JobNameOf, type QueueName } from '@dreamseed/contracts';
import { deletePrefix, testInfra, uniquePrefix } from './infra';
import { waitFor } from './waiting';
import { exitWithin, runTs, waitForHttpOk, waitForLogLine } from './processes';

/**
 * The contract every app keeps, checked against the real Postgres and Redis with the app in its own process:
 * it boots and reports ready, consumes its own queue and no other, and on SIGTERM with a job just handed to
 * it stops taking jobs, leaves none active, and exits 0 within 10 s.
 */
export function describeAppLifecycle<Q extends QueueName, N extends JobNameOf<CatalogOf<Q>>>(spec: {
  app: string;
  queue: Q;
  job: N;
  payload: JobInputOf<CatalogOf<Q>, N>;
  env?: Record<string, string>;
}) {
  describe(`${spec.app} lifecycle`, () => {
    const prefix = uniquePrefix(spec.app);
    let redis: Redis;
    let queue: Queue;
    let otherQueue: Queue;

    beforeAll(() => {
      redis = new Redis(testInfra().redisUrl, { maxRetriesPerRequest: null });
      queue = new Queue(spec.queue, { connection: redis, prefix });
      // A job of another queue is not this app's to take.
      otherQueue = new Queue(QUEUE_NAMES.find((name) => name !== spec.queue) as QueueName, { connection: redis, prefix });
    });

    afterAll(async () => {
      await Promise.all([queue.close(), otherQueue.close()]);
      redis.disconnect();
      await deletePrefix(testInfra().redisUrl, prefix);
    });

    it('boots, is ready, takes only its own queue and exits 0 on SIGTERM with a job in flight', async () => {
      const { databaseUrl, redisUrl } = testInfra();
      const app = runTs(`apps/${spec.app}/src/main.ts`, {
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl,
        QUEUE_PREFIX: prefix,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        ...spec.env,
      });
      try {
        const ready = await waitForLogLine(app, 'ready');
        await waitForHttpOk(`http://127.0.0.1:${String(ready.port)}/health/ready`, 5000, app);

        const first = await queue.add(spec.job, spec.payload);
        await waitFor(async () => (await first.getState()) === 'completed', 'the first job to complete');
        const foreign = await otherQueue.add('not-for-this-app', { v: 1 });

        const inFlight = await queue.add(spec.job, spec.payload);
        app.kill('SIGTERM');
        const code = await exitWithin(app, 10_000);
        expect({ code, output: code === 0 ? '' : app.output() }).toEqual({ code: 0, output: '' });

        expect(['completed', 'waiting']).toContain(await inFlight.getState());
        expect(await queue.getActiveCount()).toBe(0);
        expect(await foreign.getState()).toBe('waiting');
        expect(app.output()).toContain('"msg":"stopped cleanly"');
      } finally {
        if (app.child.exitCode === null) app.kill('SIGKILL');
      }
    });

    it('refuses to start on bad configuration, naming every bad variable at once, and exits 1', async () => {
      const app = runTs(`apps/${spec.app}/src/main.ts`, {
        DATABASE_URL: 'mysql://user:hunter2@db/app',
        REDIS_URL: '',
        PORT: 'eighty',
        LOG_LEVEL: 'chatty',
      });
      expect(await exitWithin(app, 10_000)).toBe(1);
      const output = app.output();
      for (const key of ['DATABASE_URL', 'REDIS_URL', 'PORT', 'LOG_LEVEL']) expect(output).toContain(`- ${key}:`);
      expect(output).not.toContain('hunter2');
    });
  });
}
