import type { Express } from 'express';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { QueueName } from '@dreamseed/contracts';
import type { z } from 'zod';
import { describeConfig, type BaseConfig } from './config';
import { createPool, probePostgres } from './db';
import { Readiness } from './health';
import { warnOfExposedDevelopmentSecrets } from './development-secrets';
import { createHttpApp, finishHttpApp } from './http-app';
import { listen } from './http-listener';
import type { AppHandle } from './lifecycle';
import { rawRouteDispatcher, type RawRoute } from './raw-route';
import { sleep } from './lifecycle';
import { createMetrics, type Metrics } from './metrics';
import { createMetricsApp } from './metrics-app';
import { JobProducer } from './producer';
import { closeRedis, createRedis, type RedisConnection } from './redis';
import { scheduledJobs, upsertSchedulers, type Scheduler } from './schedulers';
import { QueueWorker, type JobHandlers } from './worker';

export interface ServiceConfig extends BaseConfig {
  PORT: number;
}

/** What an app's routes and handlers are built from. */
export interface ServiceDeps<C extends ServiceConfig = ServiceConfig> {
  config: C;
  logger: Logger;
  pool: pg.Pool;
  /** For rate limits, caches and probes: fails fast while Redis is down. */
  redis: RedisConnection;
  producer: JobProducer;
  metrics: Metrics;
}

/** What an app is made of: built once by its `build`, from the platform's connections. */
export interface ServiceParts<Q extends QueueName> {
  handlers: JobHandlers<Q>;
  /** Adds the app's own routes (public API, internal read API, webhooks) before the 404 and error handlers. */
  routes?: (app: Express) => void;
  /** Hot paths served by node:http in front of Express (see `RawRoute`). */
  rawRoutes?: RawRoute[];
  /** Jobs of the app's queue on a fixed interval, set once the app is ready (see `Scheduler`). */
  schedulers?: Scheduler<Q>[];
  /** Runs once the app is ready and its schedulers are set (relays); the returned function runs first on stop. */
  onReady?: () => Promise<(() => Promise<void>) | void>;
}

export interface ServiceDefinition<Q extends QueueName, C extends ServiceConfig> {
  name: string;
  config: C;
  logger: Logger;
  /** The app's config schema: its secret keys are redacted from the config summary logged at start. */
  configSchema: z.ZodObject;
  queue: Q;
  /** Builds the app's parts, once, as soon as the connections exist (before the worker and HTTP). */
  build: (deps: ServiceDeps<C>) => ServiceParts<Q>;
  /** Queues whose counts `/metrics` reports, besides the app's own. */
  watchQueues?: QueueName[];
}

/**
 * The one bootstrap every app uses: pool → Redis → producer → the app's parts (`build`, once) → paused worker →
 * HTTP (health, metrics, routes) → wait for Postgres and Redis → run the worker, set the schedulers and report
 * ready. `stop` undoes it in reverse order within the deadline: not ready, stop HTTP intake, let running jobs
 * finish (or return them), close queues, Redis, pool.
 */
export async function startService<Q extends QueueName, C extends ServiceConfig>(
  definition: ServiceDefinition<Q, C>,
): Promise<AppHandle & { deps: ServiceDeps<C> }> {
  const { config, logger, name, queue } = definition;
  logger.info({ config: describeConfig(definition.configSchema, config) }, 'starting');
  const pool = createPool(config.DATABASE_URL, { max: config.DATABASE_POOL_MAX, idleSeconds: config.DATABASE_POOL_IDLE_SECONDS, applicationName: name, logger });
  const redis = createRedis(config.REDIS_URL, 'producer', { name, logger, cluster: config.REDIS_CLUSTER });
  const workerRedis = createRedis(config.REDIS_URL, 'worker', { name, logger, cluster: config.REDIS_CLUSTER });
  const metrics = createMetrics(name);
  const producer = new JobProducer({ connection: redis, prefix: config.QUEUE_PREFIX, logger });
  const deps: ServiceDeps<C> = { config, logger, pool, redis, producer, metrics };
  metrics.watchQueues([queue, ...(definition.watchQueues ?? [])].map((q) => producer.queue(q)));
  const parts = definition.build(deps);
  const schedulers = scheduledJobs(queue, parts.schedulers ?? []);

  const worker = new QueueWorker({
    queue,
    handlers: parts.handlers,
    connection: workerRedis,
    prefix: config.QUEUE_PREFIX,
    concurrency: config.WORKER_CONCURRENCY,
    lockMs: config.WORKER_LOCK_MS,
    logger,
    metrics,
  });

  const readiness = new Readiness([
    { name: 'postgres', check: () => probePostgres(pool) },
    { name: 'redis', check: () => redis.ping() },
  ]);
  const app = createHttpApp({ logger, metrics, readiness, trustProxy: config.TRUST_PROXY });
  parts.routes?.(app);
  finishHttpApp(app, logger);
  const rawRoutes = parts.rawRoutes ?? [];
  const http = await listen(app, config.PORT, config.HOST, rawRoutes.length ? rawRouteDispatcher(rawRoutes, { logger, metrics }) : undefined);
  const metricsHttp = await listen(createMetricsApp(metrics, logger), metricsPortOf(config), config.HOST).catch(async (error: unknown) => {
    await http.close(Promise.resolve());
    throw error;
  });
  warnOfExposedDevelopmentSecrets(config, logger);

  let stopReadyHooks: (() => Promise<void>) | void;
  let stopped = false;
  const ready = (async () => {
    // Dependencies may come up after us (compose, restarts): wait for them rather than crash.
    for (let attempt = 1; !stopped; attempt += 1) {
      const report = await readiness.probe();
      if (report.ready) break;
      if (attempt === 8 || attempt % 40 === 0) logger.warn({ checks: report.checks }, 'waiting for dependencies');
      await sleep(250);
    }
    if (stopped) return;
    worker.run();
    await upsertSchedulers(producer, queue, schedulers, logger);
    stopReadyHooks = await parts.onReady?.();
    readiness.markStarted();
    logger.info({ port: http.port, metricsPort: metricsHttp.port, queue }, 'ready');
  })();

  const stop = async (timeoutMs = config.SHUTDOWN_TIMEOUT_MS) => {
    if (stopped) return;
    stopped = true;
    readiness.markStopping();
    // Leave a second of the budget for closing connections after jobs are done or returned.
    const deadline = sleep(Math.max(timeoutMs - 1000, 0));
    await ready.catch(() => undefined);
    if (stopReadyHooks) await stopReadyHooks();
    await Promise.all([http.close(deadline), metricsHttp.close(deadline), worker.close(deadline)]);
    // The second kept back from the jobs is for closing connections; a connection that will not close in it
    // is left to the process exit.
    const released = await Promise.race([
      (async () => {
        await producer.close();
        await Promise.all([closeRedis(redis), closeRedis(workerRedis)]);
        await pool.end();
        return true;
      })(),
      sleep(1000).then(() => false),
    ]);
    if (!released) logger.warn('connections still closing at the deadline');
    logger.info('stopped cleanly');
  };

  return { name, port: http.port, metricsPort: metricsHttp.port, ready, stop, deps };
}

/** METRICS_PORT, else PORT + 1000 (so that `npm start`'s 8080-8084 get 9080-9084), else a free port for PORT 0. */
export function metricsPortOf(config: { PORT: number; METRICS_PORT?: number }): number {
  if (config.METRICS_PORT !== undefined) return config.METRICS_PORT;
  if (config.PORT === 0) return 0;
  const port = config.PORT + 1000;
  if (port > 65535) throw new Error(`PORT ${config.PORT} leaves no default metrics port: set METRICS_PORT`);
  return port;
}
