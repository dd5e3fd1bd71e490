import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { parsePrometheusText, testInfra, waitFor } from '@dreamseed/testing';
import { randomIp, startTestGateway, type TestGateway } from '../__fixtures__/test-gateway';

const ADMIN_PASSWORD = 'admin-password-for-tests';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const ADMIN = basic('admin', ADMIN_PASSWORD);

describe('the queue dashboard and the admin API', () => {
  let gateway: TestGateway;
  let redis: Redis;
  let gatewayQueue: Queue;
  let voiceQueue: Queue;

  beforeAll(async () => {
    gateway = await startTestGateway({ ADMIN_PASSWORD });
    redis = new Redis(testInfra().redisUrl, { maxRetriesPerRequest: null });
    gatewayQueue = new Queue('gateway', { connection: redis, prefix: gateway.config.QUEUE_PREFIX });
    voiceQueue = new Queue('voice', { connection: redis, prefix: gateway.config.QUEUE_PREFIX });
  });

  afterAll(async () => {
    await Promise.all([gatewayQueue.close(), voiceQueue.close()]);
    redis.disconnect();
    await gateway.stop();
  });

  /** The admin's address: tests that try wrong credentials come from addresses of their own. */
  const adminIp = randomIp();
  const call = (path: string, init: RequestInit & { auth?: string | null; ip?: string } = {}) => {
    const { auth = ADMIN, ip = adminIp, ...rest } = init;
    return fetch(`${gateway.url}${path}`, { ...rest, headers: { 'x-forwarded-for': ip, ...(auth ? { authorization: auth } : {}) } });
  };

  /** A job the gateway's worker fails at once and for good: its name is not in the gateway catalog. */
  async function failedJob(secret = 'Jane Founder wants to sell lemonade') {
    const job = await gatewayQueue.add('not-a-gateway-job', { v: 1, note: secret, userId: 'f0e1d2c3' }, { attempts: 3 });
    await waitFor(async () => (await job.getState()) === 'failed', 'the job to fail');
    return job;
  }

  describe('admin credentials', () => {
    it.each([
      ['the dashboard', '/admin/queues'],
      ['the admin API', '/admin/api/queues'],
    ])('%s answers 401 with a Basic challenge without or with wrong credentials, 200 with the right ones', async (_what, path) => {
      const ip = randomIp();
      for (const auth of [null, basic('admin', 'wrong-password-123'), basic('root', ADMIN_PASSWORD), `Bearer ${ADMIN_PASSWORD}`, 'Basic !!!']) {
        const response = await call(path, { auth, ip });
        expect({ auth, status: response.status }).toEqual({ auth, status: 401 });
        expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
        expect(await response.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
      }
      const ok = await call(path, { ip });
      expect(ok.status).toBe(200);
    });

    it('refuses an address with 429 and Retry-After after 10 wrong tries, on the dashboard and the API alike, even with the right password', async () => {
      const guesser = randomIp();
      for (let attempt = 1; attempt <= 10; attempt += 1) {
        const path = attempt % 2 ? '/admin/queues' : '/admin/api/queues';
        const response = await call(path, { auth: basic('admin', `guess-number-${attempt}`), ip: guesser });
        expect({ attempt, status: response.status }).toEqual({ attempt, status: 401 });
      }
      for (const path of ['/admin/queues', '/admin/api/queues']) {
        const refused = await call(path, { ip: guesser });
        expect({ path, status: refused.status }).toEqual({ path, status: 429 });
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(800);
        expect(await refused.json()).toEqual({ error: { code: 'too_many_attempts', message: expect.any(String) } });
      }
      expect((await call('/admin/api/queues')).status).toBe(200);
      expect((await call('/admin/queues', { auth: basic('admin', 'one-more-guess'), ip: randomIp() })).status).toBe(401);
    });

    it('the dashboard serves its page and its API to the admin', async () => {
      const page = await call('/admin/queues');
      expect(page.headers.get('content-type')).toContain('text/html');
      const api = await call('/admin/queues/api/queues?activeQueue=gateway&page=1&jobsPerPage=10');
      expect(api.status).toBe(200);
      const body = (await api.json()) as { queues: { name: string }[] };
      expect(body.queues.map((queue) => queue.name).sort()).toEqual(['analysis', 'billing', 'domain', 'gateway', 'voice']);
    });
  });

  it('lists the counts of every queue', async () => {
    await failedJob();
    const response = await call('/admin/api/queues');
    expect(response.status).toBe(200);
    const { queues } = (await response.json()) as { queues: { name: string; paused: boolean; counts: Record<string, number> }[] };
    expect(queues.map((queue) => queue.name)).toEqual(['gateway', 'voice', 'analysis', 'domain', 'billing']);
    const gatewayCounts = queues.find((queue) => queue.name === 'gateway');
    expect(gatewayCounts?.paused).toBe(false);
    expect(Object.keys(gatewayCounts?.counts ?? {}).sort()).toEqual(['active', 'completed', 'delayed', 'failed', 'prioritized', 'waiting']);
    expect(gatewayCounts?.counts.failed).toBeGreaterThanOrEqual(1);
  });

  it('lists failed jobs newest first with their reason and attempts, and of the payload only its keys', async () => {
    const job = await failedJob('Jane Founder, +14155550123, wants to sell lemonade');
    const response = await call('/admin/api/queues/gateway/failed?limit=1');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toMatch(/Jane|lemonade|14155550123|f0e1d2c3/);
    const body = JSON.parse(text) as { total: number; limit: number; offset: number; jobs: Record<string, unknown>[] };
    expect(body).toMatchObject({ queue: 'gateway', limit: 1, offset: 0 });
    expect(body.total).toBeGreaterThanOrEqual(1);
    expect(body.jobs).toEqual([
      {
        id: job.id,
        name: 'not-a-gateway-job',
        failedReason: 'unknown job name "not-a-gateway-job" on queue "gateway"',
        attemptsMade: 1,
        attempts: 3,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        processedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        failedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        payloadKeys: ['note', 'userId', 'v'],
      },
    ]);

    const next = (await (await call(`/admin/api/queues/gateway/failed?limit=1&offset=${body.total}`)).json()) as { jobs: unknown[] };
    expect(next.jobs).toEqual([]);
  });

  it('retries one failed job: 202, and the worker runs it again', async () => {
    const job = await failedJob();
    const response = await call(`/admin/api/queues/gateway/jobs/${job.id}/retry`, { method: 'POST' });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ queue: 'gateway', id: job.id, state: 'waiting' });
    // It fails again (its name is still unknown), now on its second attempt.
    await waitFor(async () => (await gatewayQueue.getJob(job.id as string))?.attemptsMade === 2, 'the second attempt');
  });

  it('refuses to retry a job that is not failed (409) or does not exist (404)', async () => {
    const waiting = await voiceQueue.add('end-of-call-report', { v: 1 }); // no voice worker in this test: it waits
    const notFailed = await call(`/admin/api/queues/voice/jobs/${waiting.id}/retry`, { method: 'POST' });
    expect(notFailed.status).toBe(409);
    expect(await notFailed.json()).toEqual({ error: { code: 'job_not_failed', message: expect.stringContaining('waiting') } });
    expect(await waiting.getState()).toBe('waiting');

    for (const id of ['no-such-job', 'x'.repeat(300), encodeURIComponent('../../etc')]) {
      const missing = await call(`/admin/api/queues/voice/jobs/${id}/retry`, { method: 'POST' });
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('job_not_found');
    }
  });

  it('retries the failed jobs of a queue, at most the limit per call', async () => {
    const jobs = [await failedJob(), await failedJob(), await failedJob()];
    const { total } = (await (await call('/admin/api/queues/gateway/failed')).json()) as { total: number };
    const first = await call('/admin/api/queues/gateway/failed/retry?limit=2', { method: 'POST' });
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ queue: 'gateway', retried: 2, more: total > 2 });
    // The newest two went back to the worker.
    for (const job of jobs.slice(1)) {
      await waitFor(async () => (await gatewayQueue.getJob(job.id as string))?.attemptsMade === 2, 'a second attempt');
    }
    expect((await gatewayQueue.getJob(jobs[0]?.id as string))?.attemptsMade).toBe(1);
    const rest = await call(`/admin/api/queues/gateway/failed/retry?limit=${1000}`, { method: 'POST' });
    expect(await rest.json()).toEqual({ queue: 'gateway', retried: total, more: false });
  });

  it('answers 404 for an unknown queue and 400 for bad paging, in the error shape', async () => {
    for (const [method, path] of [
      ['GET', '/admin/api/queues/nope/failed'],
      ['POST', '/admin/api/queues/nope/jobs/1/retry'],
      ['POST', '/admin/api/queues/__proto__/failed/retry'],
    ] as const) {
      const response = await call(path, { method });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: { code: 'unknown_queue', message: expect.any(String) } });
    }
    for (const query of ['limit=0', 'limit=101', 'offset=-1', 'limit=ten', 'sort=asc']) {
      const response = await call(`/admin/api/queues/gateway/failed?${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    }
    const tooMany = await call('/admin/api/queues/gateway/failed/retry?limit=1001', { method: 'POST' });
    expect(tooMany.status).toBe(400);
  });

  it('labels its requests in /metrics with route patterns, never with queue names or job ids from the path', async () => {
    await call('/admin/api/queues/voice/jobs/4242/retry', { method: 'POST' });
    const metrics = parsePrometheusText(await (await fetch(gateway.metricsUrl)).text());
    const routes = new Set(metrics.find('http_request_duration_seconds_count', { service: 'gateway' }).map((s) => s.labels.route));
    expect(routes).toContain('/admin/api/queues/:queue/jobs/:id/retry');
    expect(routes).toContain('/admin/api/queues/:queue/failed');
    expect([...routes].filter((route) => /4242|voice|nope/.test(route ?? ''))).toEqual([]);
  });

  it('describes the admin API in the OpenAPI document with Basic auth', async () => {
    const document = (await (await fetch(`${gateway.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security?: unknown }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(document.components.securitySchemes.basicAuth).toEqual({ type: 'http', scheme: 'basic' });
    expect(document.paths['/admin/api/queues/{queue}/jobs/{id}/retry']?.post?.security).toEqual([{ basicAuth: [] }]);
    expect(Object.keys(document.paths).filter((path) => path.startsWith('/admin/api'))).toHaveLength(4);
  });
});

describe('without ADMIN_PASSWORD', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(() => gateway.stop());

  it('mounts neither the dashboard nor the admin API', async () => {
    for (const path of ['/admin/queues', '/admin/api/queues']) {
      const response = await fetch(`${gateway.url}${path}`, { headers: { authorization: basic('admin', '') } });
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
  });
});
