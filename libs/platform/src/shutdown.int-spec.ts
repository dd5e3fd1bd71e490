import pino from 'pino';
import { deletePrefix, exitWithin, runTs, testInfra, uniquePrefix, waitForLogLine } from '@dreamseed/testing';
import { JobProducer } from './producer';
import { createRedis } from './redis';

const FIXTURE = 'libs/platform/src/__fixtures__/slow-service.ts';

describe('graceful shutdown with a job in flight', () => {
  const prefix = uniquePrefix('shutdown');
  const redis = createRedis(testInfra().redisUrl, 'producer', { name: 'test' });
  const producer = new JobProducer({ connection: redis, prefix, logger: pino({ level: 'silent' }) });

  afterAll(async () => {
    await producer.close();
    redis.disconnect();
    await deletePrefix(testInfra().redisUrl, prefix);
  });

  async function sigtermDuringJob(slowMs: number, shutdownTimeoutMs: number) {
    const service = runTs(FIXTURE, {
      DATABASE_URL: testInfra().databaseUrl,
      REDIS_URL: testInfra().redisUrl,
      QUEUE_PREFIX: prefix,
      SLOW_MS: String(slowMs),
      SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
      HOST: '127.0.0.1',
    });
    try {
      await waitForLogLine(service, 'ready');
      const { jobId } = await producer.enqueue('domain', 'refresh-rdap-bootstrap', { v: 1 });
      await waitForLogLine(service, 'slow job started');
      const signalled = Date.now();
      service.kill('SIGTERM');
      const code = await exitWithin(service, 10_000);
      return { code, jobId, elapsed: Date.now() - signalled, output: service.output() };
    } finally {
      if (service.child.exitCode === null) service.kill('SIGKILL');
    }
  }

  it('lets a running job finish, then exits 0', async () => {
    const { code, jobId, output } = await sigtermDuringJob(1500, 8000);
    expect(code).toBe(0);
    expect(output).toContain('slow job finished');
    expect(await producer.queue('domain').getJobState(jobId)).toBe('completed');
  });

  it('returns a job that outlasts the deadline to the queue, then exits 0 within the deadline', async () => {
    const { code, jobId, elapsed, output } = await sigtermDuringJob(30_000, 3000);
    expect(code).toBe(0);
    expect(elapsed).toBeLessThan(4500);
    expect(output).toContain('jobs returned to the queue');
    expect(await producer.queue('domain').getJobState(jobId)).toBe('waiting');
    expect(await producer.queue('domain').getActiveCount()).toBe(0);
  });
});
