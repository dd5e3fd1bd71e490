import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import {
  jobCatalogs,
  type CatalogOf,
  type JobCatalog,
  type JobDefinition,
  type JobNameOf,
  type JobPayloadOf,
  type QueueName,
} from '@dreamseed/contracts';
import { summarizeIssues, withoutData } from './errors';
import { sleep } from './lifecycle';
import { lazyChild } from './logger';
import type { Metrics } from './metrics';
import type { RedisConnection } from './redis';

export interface JobContext {
  job: Job;
  log: Logger;
  correlationId: string;
  /** 1 on the first try. */
  attempt: number;
  /** This try is the job's last (its catalog's `attempts`): a handler records a failure for good now. */
  lastAttempt: boolean;
  /** Aborted when shutdown can no longer wait for this job; long handlers should pass it on to their I/O. */
  signal: AbortSignal;
}

export type JobHandler<C extends JobCatalog, N extends JobNameOf<C>> = (
  payload: JobPayloadOf<C, N>,
  context: JobContext,
) => Promise<unknown> | unknown;

/** One handler per job of the queue's catalog: a job without a handler does not compile. */
export type JobHandlers<Q extends QueueName> = {
  [N in JobNameOf<CatalogOf<Q>>]: JobHandler<CatalogOf<Q>, N>;
};

export interface QueueWorkerOptions<Q extends QueueName> {
  queue: Q;
  handlers: JobHandlers<Q>;
  /** Job lock duration and stalled-job check interval (BullMQ's defaults: 30 s). */
  lockMs?: number;
  connection: RedisConnection;
  prefix: string;
  concurrency: number;
  logger: Logger;
  metrics?: Metrics;
}

/**
 * A BullMQ worker for one queue, created paused (`autorun: false`): the bootstrap starts it once the app is
 * ready. Every job is checked against the catalog before its handler runs; an unknown name or a payload that
 * does not match fails at once and for good (`UnrecoverableError`), since retrying cannot fix it.
 */
export class QueueWorker<Q extends QueueName> {
  readonly worker: Worker;
  private readonly active = new Map<string, { job: Job; token: string }>();

  constructor(private readonly options: QueueWorkerOptions<Q>) {
    const { queue, connection, prefix, concurrency, logger } = options;
    this.worker = new Worker(queue, (job, token, signal) => this.process(job, token ?? '', signal), {
      connection,
      prefix,
      concurrency,
      autorun: false,
      ...(options.lockMs ? { lockDuration: options.lockMs, stalledInterval: options.lockMs } : {}),
      maxStalledCount: 1,
    });
    this.worker.on('failed', (job, error) => {
      if (!job) return;
      const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      options.metrics?.jobsFinished.inc({ queue, job: jobLabel(queue, job.name), outcome: final ? 'failed' : 'retried' });
      logger.warn(
        { queue, job: job.name, jobId: job.id, attempt: job.attemptsMade, final, err: { message: error.message, name: error.name } },
        final ? 'job failed for good' : 'job failed, will retry',
      );
    });
    this.worker.on('error', (error) => logger.error({ err: error, queue }, 'worker error'));
  }

  run(): void {
    void this.worker.run().catch((error) => this.options.logger.error({ err: error }, 'worker stopped'));
  }

  get activeCount(): number {
    return this.active.size;
  }

  /**
   * Stops taking jobs and waits for the running ones. If `deadline` passes first, the running jobs go back to
   * the waiting list (another worker takes them; handlers are idempotent) and their handlers are told to abort.
   */
  async close(deadline: Promise<void>): Promise<void> {
    const closing = this.worker.close();
    const outcome = await Promise.race([closing.then(() => 'closed' as const), deadline.then(() => 'late' as const)]);
    if (outcome === 'closed') return;
    const running = [...this.active.values()];
    await Promise.allSettled(running.map(({ job, token }) => job.moveToWait(token)));
    this.options.logger.warn({ queue: this.options.queue, returned: running.length }, 'shutdown deadline: jobs returned to the queue');
    this.worker.cancelAllJobs('shutdown');
    // Handlers that ignore the abort signal may run on until the process exits; their jobs are already back
    // in the queue, and whatever they try to record afterwards is refused for want of the job's lock.
    await Promise.race([closing.catch(() => undefined), sleep(500)]);
  }

  private async process(job: Job, token: string, signal: AbortSignal | undefined): Promise<unknown> {
    const { queue, metrics } = this.options;
    const started = performance.now();
    const observe = (outcome: 'completed' | 'failed') => {
      const seconds = (performance.now() - started) / 1000;
      metrics?.jobDuration.observe({ queue, job: jobLabel(queue, job.name), outcome }, seconds);
      return seconds;
    };
    try {
      const { result, log } = await this.runHandler(job, token, signal);
      const seconds = observe('completed');
      metrics?.jobsFinished.inc({ queue, job: job.name, outcome: 'completed' });
      log.info({ durationMs: Math.round(seconds * 1000) }, 'job done');
      return result;
    } catch (error) {
      observe('failed'); // the 'failed' listener counts it, once BullMQ has decided between retry and failure
      // BullMQ keeps the message as the failure reason, which the logs and the admin API show.
      throw withoutData(error);
    }
  }

  private async runHandler(job: Job, token: string, signal: AbortSignal | undefined) {
    const { queue, handlers, logger } = this.options;
    const catalog: JobCatalog = jobCatalogs[queue];
    const definition = Object.hasOwn(catalog, job.name) ? (catalog[job.name] as JobDefinition) : undefined;
    if (!definition) throw new UnrecoverableError(`unknown job name "${job.name}" on queue "${queue}"`);
    const parsed = definition.schema.safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(`invalid ${job.name} payload: ${JSON.stringify(summarizeIssues(parsed.error.issues))}`);
    }
    const payload = parsed.data as { correlationId?: string };
    const correlationId = payload.correlationId ?? `job-${job.id}`;
    const attempt = job.attemptsMade + 1;
    const log = lazyChild(logger, { queue, job: job.name, jobId: job.id, attempt, correlationId });
    const handler = handlers[job.name as JobNameOf<CatalogOf<Q>>] as (p: unknown, c: JobContext) => unknown;

    this.active.set(job.id ?? token, { job, token });
    try {
      const result = await handler(payload, {
        job,
        log,
        correlationId,
        attempt,
        lastAttempt: attempt >= (job.opts.attempts ?? 1),
        signal: signal ?? new AbortController().signal,
      });
      return { result, log };
    } finally {
      this.active.delete(job.id ?? token);
    }
  }
}

/** Job names outside the queue's catalog share one label value: whoever added them must not grow the series. */
function jobLabel(queue: QueueName, name: string): string {
  return Object.hasOwn(jobCatalogs[queue], name) ? name : 'unknown';
}

/** A handler for a job whose behaviour is not built yet: it records that the job arrived and acknowledges it. */
export function acknowledgeOnly(issue: string) {
  return (_payload: unknown, { log }: JobContext) => {
    log.info({ pendingIssue: issue }, 'job acknowledged; its handling is not built yet');
    return { acknowledged: true };
  };
}
