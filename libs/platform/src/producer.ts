/**
 * The one way onto a queue, and on its enqueue path a measured fast path.
 *
 * Why it is written this way: every webhook the gateway accepts is one BullMQ add, the largest part of its cost
 * per webhook. So each job is one `add` (one command to Redis) rather than an `addBulk` pipeline, and the adds asked
 * for in one turn of the event loop are sent together once that turn's I/O callbacks are done (see `add`).
 * What it bought: less gateway CPU a webhook and a higher closed-loop maximum than either `addBulk` or sending each
 * add at once (figures: docs/performance-notes.md#producer).
 * What a change must re-measure: a change to how adds are sent runs `npm run bench` and compares the webhook row
 * (its ratio to the same-POST baseline), the webhook at half load (p99 and CPU per request) and the floor row.
 */
import { createHash } from 'node:crypto';
import { Queue, type Job, type JobsOptions } from 'bullmq';
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
import { InvalidJobPayloadError, QueueUnavailableError, summarizeIssues } from './errors';
import type { RedisConnection } from './redis';

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
 * `QueueUnavailableError` (503) at once, or within `addTimeoutMs` when Redis accepts but does not answer. A
 * payload that cannot be written at all is an `InvalidJobPayloadError`, as one that fails its schema.
 */
export class JobProducer {
  private readonly queues = new Map<QueueName, Queue>();
  /** Adds asked for in this turn of the event loop, sent together once its I/O callbacks are done. */
  private readonly due: (() => void)[] = [];

  constructor(
    private readonly options: { connection: RedisConnection; prefix: string; logger: Logger; addTimeoutMs?: number },
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
    const job = await this.add(queueName, { name: jobName, data: parsed.data, opts: jobOptions });
    return { jobId: job.id ?? options.jobId ?? '' };
  }

  /**
   * One `add` per job, each a single command to Redis. Not BullMQ's `addBulk`: it builds an ioredis pipeline per
   * call, and a pipeline copies every Lua script the connection knows (BullMQ defines dozens), which costs more
   * than the round trips it saves. The adds asked for in one turn of the event loop are still sent together, after
   * that turn's I/O callbacks (setImmediate), so that their answers come back together too, which costs less than
   * sending each at once (docs/performance-notes.md#producer). An add not answered by the deadline fails as
   * unavailable; its late outcome is not reported (the job may still exist, which a deterministic id makes harmless).
   */
  private add(queueName: QueueName, job: JobToAdd): Promise<Job> {
    const timeoutMs = this.options.addTimeoutMs ?? 750;
    return new Promise<Job>((resolve, reject) => {
      const timer = setTimeout(() => reject(new QueueUnavailableError(new Error(`queue add took longer than ${timeoutMs} ms`))), timeoutMs);
      this.sendSoon(() => {
        this.queue(queueName)
          .add(job.name, job.data, job.opts)
          .then(
            (added) => {
              clearTimeout(timer);
              resolve(added);
            },
            (error: unknown) => {
              clearTimeout(timer);
              if (unwritable(error)) reject(new InvalidJobPayloadError(queueName, job.name, [{ path: '', message: 'cannot be written as JSON' }]));
              else reject(error instanceof QueueUnavailableError ? error : new QueueUnavailableError(error));
            },
          );
      });
    });
  }

  /** Runs `send` with the others asked for in this turn, once its I/O callbacks are done. */
  private sendSoon(send: () => void): void {
    if (this.due.push(send) > 1) return;
    setImmediate(() => {
      for (const due of this.due.splice(0)) due();
    });
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
  }
}

/**
 * JSON.stringify's own failures (nesting too deep for the stack, a cycle, a BigInt), thrown as BullMQ writes the
 * job: the payload can never be stored, so it is not reported as Redis being away, which callers retry or
 * hold in an inbox for later.
 */
const unwritable = (error: unknown) => error instanceof RangeError || error instanceof TypeError;

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

/**
 * A UUID that stands for the parts (SHA-256 of them, shaped as a version-4 UUID): the same parts give the same id,
 * so a request id derived from what it is about makes a retry or a duplicate the same request.
 */
export function uuidFrom(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
