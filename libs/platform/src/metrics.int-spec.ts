import { Queue } from 'bullmq';
import express from 'express';
import pino from 'pino';
import { deletePrefix, parsePrometheusText, testInfra, uniquePrefix, waitFor, type PrometheusScrape } from '@dreamseed/testing';
import { baseConfigSchema, envPort, loadConfig } from './config';
import { notFound } from './errors';
import type { AppHandle } from './lifecycle';
import { createRedis } from './redis';
import { startService, type ServiceDeps } from './service';
import { acknowledgeOnly } from './worker';

const schema = baseConfigSchema.extend({ PORT: envPort.default(0) });

/** What `/metrics` of a running service says after it served requests and ran jobs. */
describe('/metrics of a running service', () => {
  const prefix = uniquePrefix('metrics');
  const redis = createRedis(testInfra().redisUrl, 'producer', { name: 'test' });
  const raw = new Queue('domain', { connection: redis, prefix });
  let service: AppHandle & { deps: ServiceDeps };
  let url: string;

  beforeAll(async () => {
    const config = loadConfig('metrics-test', schema, {
      NODE_ENV: 'test',
      DATABASE_URL: testInfra().databaseUrl,
      REDIS_URL: testInfra().redisUrl,
      QUEUE_PREFIX: prefix,
      HOST: '127.0.0.1',
      DATABASE_POOL_MAX: '2',
    });
    service = await startService({
      name: 'metrics-test',
      config,
      configSchema: schema,
      logger: pino({ level: 'silent' }),
      queue: 'domain',
      build: () => ({
        handlers: {
          'search-domains': acknowledgeOnly('test'),
          'select-domain': acknowledgeOnly('test'),
          'register-domain': acknowledgeOnly('test'),
          'erase-founder': acknowledgeOnly('test'),
          'refresh-rdap-bootstrap': () => ({ refreshed: true }),
        },
        routes: (app) => {
          const things = express.Router();
          things.get('/:id', (req, res) => {
            if (req.params.id === 'missing-7781') throw notFound('No such thing.');
            res.json({ id: req.params.id });
          });
          app.use('/v1/things', things);
        },
      }),
    });
    await service.ready;
    url = `http://127.0.0.1:${service.port}`;
  });

  afterAll(async () => {
    await service.stop();
    await raw.close();
    redis.disconnect();
    await deletePrefix(testInfra().redisUrl, prefix);
  });

  const scrape = async (): Promise<PrometheusScrape> => {
    const response = await fetch(`http://127.0.0.1:${String(service.metricsPort)}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return parsePrometheusText(await response.text());
  };
  const count = (metrics: PrometheusScrape, name: string, labels: Record<string, string>) =>
    metrics.find(name, labels).reduce((sum, sample) => sum + sample.value, 0);

  it('labels requests with the matched route pattern, and requests no route handled as "unmatched"', async () => {
    expect((await fetch(`${url}/v1/things/3f1c2b9e-person-42`)).status).toBe(200);
    // Thrown inside the router and answered by the app's error handler, after the router was left.
    expect((await fetch(`${url}/v1/things/missing-7781`)).status).toBe(404);
    expect((await fetch(`${url}/no/such/path/5551234`)).status).toBe(404);

    const metrics = await scrape();
    const series = 'http_request_duration_seconds_count';
    const base = { service: 'metrics-test', method: 'GET' };
    expect(count(metrics, series, { ...base, route: '/v1/things/:id', status: '200' })).toBe(1);
    expect(count(metrics, series, { ...base, route: '/v1/things/:id', status: '404' })).toBe(1);
    expect(count(metrics, series, { ...base, route: 'unmatched', status: '404' })).toBe(1);
    expect(metrics.find('http_request_duration_seconds_bucket', { route: '/v1/things/:id', le: '+Inf' }).length).toBeGreaterThan(0);
    const routes = new Set(metrics.samples.map((sample) => sample.labels.route).filter(Boolean));
    for (const route of routes) expect(route).toMatch(/^(unmatched|\/[a-z0-9/:]*)$/);
    expect([...routes].join(' ')).not.toMatch(/person|missing|5551234/);
  });

  it('times each job attempt by queue, job and outcome, counts outcomes and reports queue counts', async () => {
    const { jobId } = await service.deps.producer.enqueue('domain', 'refresh-rdap-bootstrap', { v: 1 });
    // A foreign producer's mistakes: an unknown name and a payload that breaks the contract fail for good.
    const unknown = await raw.add('made-up-job-name', { v: 1 });
    const invalid = await raw.add('refresh-rdap-bootstrap', { v: 2 });
    await waitFor(async () => (await raw.getJobState(jobId)) === 'completed', 'the job to complete');
    for (const job of [unknown, invalid]) await waitFor(async () => (await job.getState()) === 'failed', 'the job to fail');

    const metrics = await waitFor(async () => {
      const scraped = await scrape();
      return count(scraped, 'jobs_finished_total', { outcome: 'failed' }) === 2 && scraped;
    }, 'both failures to be counted');

    const labels = { service: 'metrics-test', queue: 'domain' };
    const durations = 'job_duration_seconds_count';
    expect(count(metrics, durations, { ...labels, job: 'refresh-rdap-bootstrap', outcome: 'completed' })).toBe(1);
    expect(count(metrics, durations, { ...labels, job: 'refresh-rdap-bootstrap', outcome: 'failed' })).toBe(1);
    expect(count(metrics, durations, { ...labels, job: 'unknown', outcome: 'failed' })).toBe(1);
    expect(metrics.find('job_duration_seconds_bucket', { ...labels, outcome: 'completed', le: '+Inf' })).toHaveLength(1);
    expect(count(metrics, 'jobs_finished_total', { ...labels, job: 'refresh-rdap-bootstrap', outcome: 'completed' })).toBe(1);
    expect(count(metrics, 'jobs_finished_total', { ...labels, job: 'unknown', outcome: 'failed' })).toBe(1);
    // A name nobody declared never becomes a label value.
    expect(metrics.samples.some((sample) => Object.values(sample.labels).includes('made-up-job-name'))).toBe(false);

    const queueCount = (state: string) => count(metrics, 'bullmq_queue_jobs', { ...labels, state });
    expect({
      waiting: queueCount('waiting'),
      active: queueCount('active'),
      delayed: queueCount('delayed'),
      failed: queueCount('failed'),
      completed: queueCount('completed'),
    }).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 2, completed: 1 });
  });

  // After the route-label test, which counts the unmatched 404s.
  it('is served on the metrics port only: the API port has no /metrics, the metrics port nothing else', async () => {
    expect(service.metricsPort).toEqual(expect.any(Number));
    expect(service.metricsPort).not.toBe(service.port);
    const onApiPort = await fetch(`${url}/metrics`);
    expect(onApiPort.status).toBe(404);
    expect(await onApiPort.text()).not.toContain('http_request_duration_seconds');
    expect((await scrape()).seriesNames()).toContain('http_request_duration_seconds_count');
    expect((await fetch(`http://127.0.0.1:${String(service.metricsPort)}/health/ready`)).status).toBe(404);
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
  });

  it('carries the process metrics the dashboard plots', async () => {
    const names = (await scrape()).seriesNames();
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds']) {
      expect(names).toContain(name);
    }
  });
});
