import type { Job, Queue } from 'bullmq';
import express, { type Express, type Request, type RequestHandler, type Router } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { QUEUE_NAMES, type QueueName } from '@dreamseed/contracts';
import {
  AppError,
  conflict,
  QUEUE_JOB_STATES,
  QueueUnavailableError,
  withTimeout,
  type JobProducer,
} from '@dreamseed/platform';
import { describeRoutes } from './openapi';

export const ADMIN_API_PATH = '/admin/api';

/** At most this many failed jobs are moved back to waiting by one "retry all" call; call again for more. */
export const MAX_BULK_RETRY = 1000;
const REDIS_DEADLINE_MS = 2000;
const MAX_REASON_LENGTH = 1000;
const MAX_PAYLOAD_KEYS = 50;

const page = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
const bulkRetry = z.object({ limit: z.coerce.number().int().min(1).max(MAX_BULK_RETRY).default(100) }).strict();

describeRoutes(
  'operations',
  [
    ['get', `${ADMIN_API_PATH}/queues`, 'Job counts of every queue (waiting, active, delayed, prioritized, failed, completed) and whether it is paused', undefined],
    ['get', `${ADMIN_API_PATH}/queues/{queue}/failed`, 'Failed jobs, newest first (?limit=1..100&offset=): ids, reasons, attempts and times; of the payload only its keys', undefined],
    ['post', `${ADMIN_API_PATH}/queues/{queue}/jobs/{id}/retry`, 'Retry one failed job (202; 404 unknown job; 409 not failed)', undefined],
    ['post', `${ADMIN_API_PATH}/queues/{queue}/failed/retry`, `Retry the newest failed jobs, at most ?limit= (1..${MAX_BULK_RETRY}, default 100) per call (202)`, undefined],
  ],
  { bearer: false, basic: true, responses: { 202: 'Accepted', 404: 'Unknown queue or job', 409: 'The job is not failed', 429: 'Too many wrong admin credentials from this address', 503: 'Redis unavailable' } },
);

/**
 * The operator's JSON view of the queues next to the dashboard, behind the same admin credentials (`adminAuth`):
 * counts, failed jobs and their retry. A job's data may hold what founders said, so it never leaves Redis here:
 * listings show the payload's keys only.
 */
export function mountQueueAdminApi(app: Express, deps: { producer: JobProducer; redis: Redis }, auth: RequestHandler) {
  app.use(ADMIN_API_PATH, auth, queueAdminRouter(deps));
}

function queueAdminRouter({ producer, redis }: { producer: JobProducer; redis: Redis }): Router {
  const router = express.Router();
  // The producer connection fails fast while Redis is down; answer 503 at once rather than wait for it.
  router.use((_req, _res, next) => {
    next(redis.status === 'ready' ? undefined : new QueueUnavailableError(new Error(`redis ${redis.status}`)));
  });

  const queueOf = (req: Request): Queue => {
    const name = req.params.queue as string;
    if (!(QUEUE_NAMES as readonly string[]).includes(name)) {
      throw new AppError(404, 'unknown_queue', `There is no queue "${name.slice(0, 50)}"; the queues are ${QUEUE_NAMES.join(', ')}.`);
    }
    return producer.queue(name as QueueName);
  };

  router.get('/queues', async (_req, res) => {
    const queues = await redisCall(
      Promise.all(
        QUEUE_NAMES.map(async (name) => {
          const queue = producer.queue(name);
          const [counts, paused] = await Promise.all([queue.getJobCounts(...QUEUE_JOB_STATES), queue.isPaused()]);
          return { name, paused, counts: Object.fromEntries(QUEUE_JOB_STATES.map((state) => [state, counts[state] ?? 0])) };
        }),
      ),
    );
    res.json({ queues });
  });

  router.get('/queues/:queue/failed', async (req, res) => {
    const queue = queueOf(req);
    const { limit, offset } = page.parse(req.query);
    const [total, jobs] = await redisCall(Promise.all([queue.getFailedCount(), queue.getFailed(offset, offset + limit - 1)]));
    res.json({ queue: queue.name, total, limit, offset, jobs: jobs.filter(Boolean).map(failedJobView) });
  });

  router.post('/queues/:queue/jobs/:id/retry', async (req, res) => {
    const queue = queueOf(req);
    const id = req.params.id as string;
    const job = id.length <= 256 ? await redisCall(queue.getJob(id)) : undefined;
    if (!job) throw jobNotFound(queue, id);
    const state = await redisCall(job.getState());
    if (state !== 'failed') throw conflict('job_not_failed', `Job ${job.id} is ${state}, not failed; only failed jobs are retried.`);
    try {
      await redisCall(job.retry('failed'));
    } catch (error) {
      // Another operator or the retention cleanup got there first.
      const now = await redisCall(queue.getJobState(id));
      if (now === 'unknown') throw jobNotFound(queue, id);
      if (now !== 'failed') throw conflict('job_not_failed', `Job ${job.id} is ${now}, not failed; only failed jobs are retried.`);
      throw error;
    }
    req.log?.info({ queue: queue.name, jobId: job.id, job: job.name }, 'admin retried a failed job');
    res.status(202).json({ queue: queue.name, id: job.id, state: 'waiting' });
  });

  router.post('/queues/:queue/failed/retry', async (req, res) => {
    const queue = queueOf(req);
    const { limit } = bulkRetry.parse(req.query);
    // One more than the limit tells whether more are left for another call.
    const failed = (await redisCall(queue.getFailed(0, limit))).filter(Boolean);
    let retried = 0;
    for (let start = 0; start < Math.min(failed.length, limit); start += 50) {
      const batch = failed.slice(start, Math.min(start + 50, limit));
      const outcomes = await Promise.allSettled(batch.map((job) => withTimeout(job.retry('failed'), REDIS_DEADLINE_MS)));
      retried += outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
    }
    req.log?.info({ queue: queue.name, retried }, 'admin retried failed jobs');
    res.status(202).json({ queue: queue.name, retried, more: failed.length > limit });
  });

  return router;
}

/** What an operator needs to judge a failure, and nothing of what the job carried but the names of its fields. */
function failedJobView(job: Job) {
  const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null);
  const data: unknown = job.data;
  const payloadKeys = data && typeof data === 'object' && !Array.isArray(data)
    ? Object.keys(data).slice(0, MAX_PAYLOAD_KEYS).map((key) => key.slice(0, 100)).sort()
    : [];
  return {
    id: job.id,
    name: job.name,
    failedReason: (job.failedReason ?? '').slice(0, MAX_REASON_LENGTH),
    attemptsMade: job.attemptsMade,
    attempts: job.opts.attempts ?? 1,
    createdAt: iso(job.timestamp),
    processedAt: iso(job.processedOn),
    failedAt: iso(job.finishedOn),
    payloadKeys,
  };
}

function jobNotFound(queue: Queue, id: string) {
  return new AppError(404, 'job_not_found', `Queue "${queue.name}" has no job "${id.slice(0, 100)}".`);
}

/** Redis that accepts but does not answer must not hang an operator's request. */
async function redisCall<T>(operation: Promise<T>): Promise<T> {
  try {
    return await withTimeout(operation, REDIS_DEADLINE_MS);
  } catch (error) {
    if (error instanceof Error && /timed out after/.test(error.message)) throw new QueueUnavailableError(error);
    throw error;
  }
}
