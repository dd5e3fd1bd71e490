import { Queue, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  jobCatalogs,
  type CatalogOf,
  type JobCatalog,
  type JobDefinition,
  type JobInputOf,
  type JobNameOf,
  type QueueName,
} from '@dreamseed/contracts';
import type { z } from 'zod';
import { Batcher } from './batcher';
import { InvalidJobPayloadError, QueueUnavailableError } from './errors';

export interface EnqueueOptions {
  /** Deterministic id: adding a job whose id still exists is a no-op, which makes retries of a command safe. */
  jobId?: string;
  delay?: number;
  priority?: number;
  /**
   * The correlation id of the request or job that causes this one (`req.correlationId`, a raw request's
   * `correlationId`, a job's `context.correlationId`), copied into the payload. Passed by hand: see context.ts.
   */
  correlationId?: string;
}

export interface EnqueueResult {
  jobId: string;
}

/**
 * Completed jobs are kept for a week so that a deterministic job id keeps deduplicating for that long;
 * failed jobs are kept for a month for inspection and replay from the dashboard.
 */
const KEEP_COMPLETED = { age: 7 * 24 * 3600, count: 100_000 };
const KEEP_FAILED = { age: 30 * 24 * 3600 };

/**
 * The options of a scheduled job (`upsertJobScheduler`). Its retention must be the queue's own: BullMQ applies
 * a finishing job's `removeOnComplete`/`removeOnFail` to the whole queue's completed or failed set, so a
 * `{ count: 30 }` here would delete all but 30 of every job's records each time the schedule runs, and with
 * them the deduplication of deterministic job ids and the failed jobs kept for inspection.
 */
export const SCHEDULED_JOB_OPTIONS = { attempts: 3, removeOnComplete: KEEP_COMPLETED, removeOnFail: KEEP_FAILED } as const;

/**
 * The one way to put a job on a queue: the payload is checked against the queue's catalog before `add`,
 * the correlation id is copied in, the catalog's retry defaults apply, and a Redis outage surfaces as a
 * `QueueUnavailableError` (503) at once, or within `addTimeoutMs` when Redis accepts but does not answer.
 */
export class JobProducer {
  private readonly queues = new Map<QueueName, Queue>();
  /** Per queue: the adds asked for in one turn of the event loop go to Redis together, in one pipeline. */
  private readonly batchers = new Map<QueueName, Batcher<JobToAdd, Job>>();

  constructor(
    private readonly options: { connection: Redis; prefix: string; logger: Logger; addTimeoutMs?: number },
  ) {}

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.options.connection, prefix: this.options.prefix });
      queue.on('error', (error) => this.options.logger.warn({ err: error, queue: name }, 'queue error'));
      this.queues.set(name, queue);
    }
    return queue;
  }

  enqueue<Q extends QueueName, N extends JobNameOf<CatalogOf<Q>>>(
    queueName: Q,
    jobName: N,
    payload: JobInputOf<CatalogOf<Q>, N>,
    options: EnqueueOptions = {},
  ): Promise<EnqueueResult> {
    return this.enqueueStored(queueName, jobName, payload, options);
  }

  /**
   * The same for a job whose name and payload were stored earlier (an inbox, an outbox) and so are not typed
   * here: the catalog checks them all the same.
   */
  async enqueueStored(queueName: QueueName, jobName: string, payload: unknown, options: EnqueueOptions = {}): Promise<EnqueueResult> {
    const catalog: JobCatalog = jobCatalogs[queueName];
    const definition = Object.hasOwn(catalog, jobName) ? (catalog[jobName] as JobDefinition) : undefined;
    if (!definition) throw new InvalidJobPayloadError(queueName, jobName, [{ message: 'unknown job name' }]);
    const { correlationId } = options;
    const parsed = definition.schema.safeParse({ ...(payload as object), ...(correlationId ? { correlationId } : {}) });
    if (!parsed.success) throw new InvalidJobPayloadError(queueName, jobName, summarizeIssues(parsed.error.issues));

    const jobOptions: JobsOptions = {
      jobId: options.jobId,
      delay: options.delay,
      priority: options.priority,
      attempts: definition.attempts,
      backoff: { type: 'exponential', delay: definition.backoffMs, jitter: 0.2 },
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    };
    // A producer connection that is not ready fails at once: BullMQ would otherwise wait for it to reconnect.
    if (this.options.connection.status !== 'ready') throw new QueueUnavailableError(new Error(`redis ${this.options.connection.status}`));
    const job = await this.addSoon(queueName, { name: jobName, data: parsed.data, opts: jobOptions });
    return { jobId: job.id ?? options.jobId ?? '' };
  }

  /**
   * Joins the adds asked for in this turn of the event loop into one `addBulk`, a single pipeline to Redis, so
   * that many callers at once (webhooks under load) cost one round trip. Each caller still waits for its own
   * job. Should the bulk add fail while Redis is up, each job is added on its own, so that one refused job does
   * not fail the others. Whatever has not settled by the deadline fails as unavailable; its late outcome is not
   * reported (the job may still exist, which a deterministic id makes harmless).
   */
  private addSoon(queueName: QueueName, job: JobToAdd): Promise<Job> {
    let batcher = this.batchers.get(queueName);
    if (!batcher) {
      const queue = this.queue(queueName);
      const timeoutMs = this.options.addTimeoutMs ?? 750;
      batcher = new Batcher<JobToAdd, Job>({
        writeBatch: (jobs) => queue.addBulk(jobs),
        writeOne: (one) => queue.add(one.name, one.data, one.opts),
        singleByWriteOne: true,
        fallBack: () => this.options.connection.status === 'ready',
        fallbackOrder: 'concurrent',
        timeoutMs,
        timeoutError: () => new QueueUnavailableError(new Error(`queue add took longer than ${timeoutMs} ms`)),
        errorOf: (error) => (error instanceof QueueUnavailableError ? error : new QueueUnavailableError(error)),
      });
      this.batchers.set(queueName, batcher);
    }
    return batcher.submit(job);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
    this.batchers.clear();
  }
}

interface JobToAdd {
  name: string;
  data: unknown;
  opts: JobsOptions;
}

/**
 * A job id from parts of the thing it stands for (a call id, a tool call id): BullMQ ids may not contain ':',
 * and ids that come from outside are kept to a safe alphabet.
 */
export function jobIdFrom(...parts: string[]): string {
  return parts.map((part) => part.replace(/[^A-Za-z0-9_-]/g, '_')).join('-');
}

/** Paths and messages only: zod messages do not echo values, so no personal data ends up in errors or logs. */
export function summarizeIssues(issues: readonly z.core.$ZodIssue[]): { path: string; message: string }[] {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}
