import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { parsePrometheusText, testInfra, waitFor } from '@dreamseed/testing';
import { callAs, signUpFounder, signUpOperator, type TestAccount } from '../__fixtures__/operators';
import { randomIp, startTestGateway, type TestGateway } from '../__fixtures__/test-gateway';

const ADMIN_PASSWORD = 'admin-password-for-tests';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const ADMIN = basic('admin', ADMIN_PASSWORD);
/** The audit log's actor for the Basic admin credentials. */
const BASIC_ACTOR = '00000000-0000-0000-0000-000000000000';

describe('the queue dashboard and the failed-jobs API with the Basic admin credentials', () => {
  let gateway: TestGateway;
  let redis: Redis;
  let gatewayQueue: Queue;
  let voiceQueue: Queue;

  let operator: TestAccount;

  beforeAll(async () => {
    gateway = await startTestGateway({ ADMIN_PASSWORD, AUTH_AUTOCONFIRM: 'true' });
    operator = await signUpOperator(gateway);
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
  async function failedJob(secret = 'Jane Founder wants to sell lemonade', userId = 'f0e1d2c3') {
    const job = await gatewayQueue.add('not-a-gateway-job', { v: 1, note: secret, userId }, { attempts: 3 });
    await waitFor(async () => (await job.getState()) === 'failed', 'the job to fail');
    return job;
  }

  describe('admin credentials', () => {
    it.each([
      ['the dashboard', '/admin/queues'],
      ['the admin API', '/admin/api/queues'],
    ])('%s answers 401 with a Basic challenge without or with wrong credentials, 200 with the right ones', async (_what, path) => {
      const ip = randomIp();
      for (const auth of [null, basic('admin', 'wrong-password-123'), basic('root', ADMIN_PASSWORD), 'Basic !!!']) {
        const response = await call(path, { auth, ip });
        expect({ auth, status: response.status }).toEqual({ auth, status: 401 });
        expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
        expect(await response.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
      }
      // A bearer token is an operator's, checked as such; the password is no token.
      const bearer = await call(path, { auth: `Bearer ${ADMIN_PASSWORD}`, ip });
      expect(bearer.status).toBe(401);
      expect(await bearer.json()).toEqual({ error: { code: 'invalid_token', message: expect.any(String) } });
      const ok = await call(path, { ip });
      expect(ok.status).toBe(200);
    });

    it.each([
      ['the dashboard', '/admin/queues'],
      ['the admin API', '/admin/api/queues'],
    ])('%s lets an operator in by bearer token beside the Basic credentials, and not a founder', async (_what, path) => {
      expect((await call(path, { auth: `Bearer ${operator.token}`, ip: operator.ip })).status).toBe(200);
      const founder = await signUpFounder(gateway);
      const refused = await call(path, { auth: `Bearer ${founder.token}`, ip: founder.ip });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({ error: { code: 'not_operator', message: expect.any(String) } });
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
        failed_reason: 'unknown job name "not-a-gateway-job" on queue "gateway"',
        attempts_made: 1,
        attempts: 3,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        processed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        failed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        payload_keys: ['note', 'userId', 'v'],
      },
    ]);

    const next = (await (await call(`/admin/api/queues/gateway/failed?limit=1&offset=${body.total}`)).json()) as { jobs: unknown[] };
    expect(next.jobs).toEqual([]);
  });

  /** The audit entries about a queue's job (ids repeat across test runs: only this run's), oldest first. */
  const startedAt = new Date();
  const auditOfJob = async (target: string) =>
    (
      await gateway.pool.query(
        `select action, outcome, code, operator_id, user_id, reason, params from core.operator_audit where target = $1 and created_at >= $2 order by created_at`,
        [target, startedAt],
      )
    ).rows as Record<string, unknown>[];

  it('retries one failed job: 202, the worker runs it again, and the audit log says who and why', async () => {
    const founderId = randomUUID();
    const job = await failedJob(undefined, founderId);
    const response = await callAs(gateway, operator, 'POST', `/admin/api/queues/gateway/jobs/${job.id}/retry`, { reason: 'The mail provider is back.' });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ queue: 'gateway', id: job.id, state: 'waiting', audit_id: expect.any(String) });
    // It fails again (its name is still unknown), now on its second attempt.
    await waitFor(async () => (await gatewayQueue.getJob(job.id as string))?.attemptsMade === 2, 'the second attempt');
    expect(await auditOfJob(`gateway/${job.id}`)).toEqual([
      { action: 'retry_job', outcome: 'accepted', code: null, operator_id: operator.id, user_id: founderId, reason: 'The mail provider is back.', params: { job: 'not-a-gateway-job' } },
    ]);
  });

  it('discards one failed job for good, audited; a job that is not failed or is gone is refused, audited too', async () => {
    const job = await failedJob();
    const response = await call(`/admin/api/queues/gateway/jobs/${job.id}/discard`, { method: 'POST' });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ queue: 'gateway', id: job.id, state: 'discarded', audit_id: expect.any(String) });
    expect(await gatewayQueue.getJob(job.id as string)).toBeUndefined();
    const again = await call(`/admin/api/queues/gateway/jobs/${job.id}/discard`, { method: 'POST' });
    expect(again.status).toBe(404);

    const waiting = await voiceQueue.add('end-of-call-report', { v: 1 }); // no voice worker in this test: it waits
    const notFailed = await callAs(gateway, operator, 'POST', `/admin/api/queues/voice/jobs/${waiting.id}/discard`);
    expect(notFailed.status).toBe(409);
    expect(await waiting.getState()).toBe('waiting');

    expect((await auditOfJob(`gateway/${job.id}`)).map((row) => [row.action, row.outcome, row.code, row.operator_id, row.params])).toEqual([
      ['discard_job', 'accepted', null, BASIC_ACTOR, { job: 'not-a-gateway-job', credentials: 'basic' }],
      ['discard_job', 'refused', 'job_not_found', BASIC_ACTOR, { credentials: 'basic' }],
    ]);
    expect((await auditOfJob(`voice/${waiting.id}`)).map((row) => [row.action, row.outcome, row.code, row.operator_id])).toEqual([['discard_job', 'refused', 'job_not_failed', operator.id]]);
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
    expect(await first.json()).toEqual({ queue: 'gateway', retried: 2, more: total > 2, audit_id: expect.any(String) });
    // The newest two went back to the worker.
    for (const job of jobs.slice(1)) {
      await waitFor(async () => (await gatewayQueue.getJob(job.id as string))?.attemptsMade === 2, 'a second attempt');
    }
    expect((await gatewayQueue.getJob(jobs[0]?.id as string))?.attemptsMade).toBe(1);
    const rest = await call(`/admin/api/queues/gateway/failed/retry?limit=${1000}`, { method: 'POST' });
    expect(await rest.json()).toEqual({ queue: 'gateway', retried: total, more: false, audit_id: expect.any(String) });
    expect((await auditOfJob('gateway')).map((row) => [row.action, row.outcome, (row.params as { retried: number }).retried])).toEqual([
      ['retry_failed_jobs', 'accepted', 2],
      ['retry_failed_jobs', 'accepted', total],
    ]);
  });

  it('answers 404 for an unknown queue and 400 for bad paging, in the error shape', async () => {
    for (const [method, path] of [
      ['GET', '/admin/api/queues/nope/failed'],
      ['POST', '/admin/api/queues/nope/jobs/1/retry'],
      ['POST', '/admin/api/queues/nope/jobs/1/discard'],
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

  it('describes the failed-jobs API in the OpenAPI document, for an operator\'s token or the Basic credentials', async () => {
    const document = (await (await fetch(`${gateway.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security?: unknown }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(document.components.securitySchemes.basicAuth).toEqual({ type: 'http', scheme: 'basic' });
    expect(document.paths['/admin/api/queues/{queue}/jobs/{id}/retry']?.post?.security).toEqual([{ bearerAuth: [] }, { basicAuth: [] }]);
    expect(Object.keys(document.paths).filter((path) => path.startsWith('/admin/api/queues'))).toHaveLength(5);
  });
});

describe('the queues behind the operator session, without ADMIN_PASSWORD', () => {
  let gateway: TestGateway;
  let operator: TestAccount;

  beforeAll(async () => {
    gateway = await startTestGateway({ AUTH_AUTOCONFIRM: 'true' });
    operator = await signUpOperator(gateway);
  });
  afterAll(() => gateway.stop());

  const dashboard = (headers: Record<string, string>) => fetch(`${gateway.url}/admin/queues`, { headers: { 'x-forwarded-for': operator.ip, ...headers } });
  const cookieOf = (response: Response) => response.headers.get('set-cookie') ?? '';

  it('mounts the dashboard and the failed-jobs API for operators, and takes no Basic credentials', async () => {
    for (const path of ['/admin/queues', '/admin/api/queues']) {
      for (const authorization of [undefined, basic('admin', 'any-password-at-all')]) {
        const response = await fetch(`${gateway.url}${path}`, { headers: authorization ? { authorization } : {} });
        expect({ path, authorization, status: response.status }).toEqual({ path, authorization, status: 401 });
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
      }
      expect((await callAs(gateway, operator, 'GET', path)).status).toBe(200);
    }
  });

  it('opens the dashboard to the cookie of POST /admin/api/session, for as long as the token lives, until sign-out', async () => {
    const opened = await callAs(gateway, operator, 'POST', '/admin/api/session');
    expect(opened.status).toBe(200);
    const exp = (JSON.parse(Buffer.from(operator.token.split('.')[1] ?? '', 'base64url').toString()) as { exp: number }).exp;
    expect(await opened.json()).toEqual({ expires_at: new Date(exp * 1000).toISOString() });
    const cookie = cookieOf(opened);
    expect(cookie).toMatch(new RegExp(`^dreamseed_operator=${operator.token.replace(/\./g, '\\.')};`));
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\/admin;/);
    expect(cookie).not.toMatch(/Secure/);
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)?.[1]);
    expect(Math.abs(maxAge - (exp - Date.now() / 1000))).toBeLessThan(5);

    const page = await dashboard({ cookie: `dreamseed_operator=${operator.token}` });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect((await dashboard({ cookie: `other=1; dreamseed_operator=${operator.token}` })).status).toBe(200);
    // The cookie opens the dashboard only: the API wants the token itself.
    expect((await fetch(`${gateway.url}/admin/api/queues`, { headers: { cookie: `dreamseed_operator=${operator.token}` } })).status).toBe(401);

    // Behind a proxy that says https (TRUST_PROXY), the cookie is Secure.
    expect(cookieOf(await callAs(gateway, operator, 'POST', '/admin/api/session', undefined, { 'x-forwarded-proto': 'https' }))).toMatch(/; Secure/);

    const cleared = await callAs(gateway, operator, 'DELETE', '/admin/api/session');
    expect(cleared.status).toBe(204);
    expect(cookieOf(cleared)).toMatch(/^dreamseed_operator=;.*Expires=Thu, 01 Jan 1970/);

    // Signing out ends the token's session: the cookie stops opening anything at once, and is dropped.
    expect((await callAs(gateway, operator, 'POST', '/auth/v1/logout?scope=local')).status).toBe(204);
    const after = await dashboard({ cookie: `dreamseed_operator=${operator.token}` });
    expect(after.status).toBe(401);
    expect(cookieOf(after)).toMatch(/^dreamseed_operator=;/);
  });

  it("audits the dashboard's commands, given by cookie, with the operator and the dashboard's path", async () => {
    const other = await signUpOperator(gateway);
    const redis = new Redis(testInfra().redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue('gateway', { connection: redis, prefix: gateway.config.QUEUE_PREFIX });
    try {
      const job = await queue.add('not-a-gateway-job', { v: 1 });
      await waitFor(async () => (await job.getState()) === 'failed', 'the job to fail');
      const retried = await fetch(`${gateway.url}/admin/queues/api/queues/gateway/${job.id}/retry`, { method: 'PUT', headers: { cookie: `dreamseed_operator=${other.token}` } });
      expect(retried.status).toBeLessThan(300);
      await waitFor(async () => (await queue.getJob(job.id as string))?.attemptsMade === 2, 'the second attempt');
      const rows = await waitFor(async () => {
        const { rows: found } = await gateway.pool.query(`select operator_id, outcome, target from core.operator_audit where action = 'dashboard_command' and operator_id = $1`, [other.id]);
        return found.length ? found : undefined;
      }, 'the audit entry');
      expect(rows).toEqual([{ operator_id: other.id, outcome: 'accepted', target: `PUT /api/queues/gateway/${job.id}/retry` }]);
    } finally {
      await queue.close();
      redis.disconnect();
    }
  });

  it('closes the dashboard to a cookie whose account lost the operator role', async () => {
    const former = await signUpOperator(gateway);
    expect((await dashboard({ cookie: `dreamseed_operator=${former.token}` })).status).toBe(200);
    await gateway.pool.query(`update auth.users set raw_app_meta_data = raw_app_meta_data - 'role' where id = $1`, [former.id]);
    const refused = await dashboard({ cookie: `dreamseed_operator=${former.token}` });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: { code: 'not_operator', message: expect.any(String) } });
  });
});
