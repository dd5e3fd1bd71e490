import type { Job, Queue } from 'bullmq';
import express, { type Express, type Request, type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import { QUEUE_NAMES, type QueueName } from '@dreamseed/contracts';
import { AppError, conflict, QUEUE_JOB_STATES, QueueUnavailableError, withTimeout, type JobProducer, type RedisConnection } from '@dreamseed/platform';
import type { GatewayDb } from '../db/client';
import { BASIC_AUTH_ACTOR, outcomeOf, recordAudit, type AuditOutcome } from '../operator/audit';
import { parseBody } from './middleware';
import { describeRoutes } from './openapi';

export const QUEUES_API_PATH = '/admin/api/queues';

/** At most this many failed jobs are moved back to waiting by one "retry all" call; call again for more. */
export const MAX_BULK_RETRY = 1000;
const REDIS_DEADLINE_MS = 2000;
const MAX_REASON_LENGTH = 1000;
const MAX_PAYLOAD_KEYS = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const page = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
const bulkRetry = z.object({ limit: z.coerce.number().int().min(1).max(MAX_BULK_RETRY).default(100) }).strict();
/** Why an operator retries or discards a job: optional, kept in the audit log. */
const jobCommand = z.object({ reason: z.string().trim().min(3).max(500).optional() }).strict().openapi('JobCommand', { example: { reason: 'The provider was down; it is back.' } });

const isoTime = z.iso.datetime({ offset: true });
const QueueCounts = z
  .object({ name: z.enum(QUEUE_NAMES), paused: z.boolean(), counts: z.object(Object.fromEntries(QUEUE_JOB_STATES.map((state) => [state, z.number().int()]))) })
  .openapi('QueueCounts');
const FailedJob = z
  .object({
    id: z.string(),
    name: z.string(),
    failed_reason: z.string(),
    attempts_made: z.number().int(),
    attempts: z.number().int(),
    created_at: isoTime.nullable(),
    processed_at: isoTime.nullable(),
    failed_at: isoTime.nullable(),
    payload_keys: z.array(z.string()).openapi({ description: "Of the job's data, only the names of its fields: it may hold what founders said" }),
  })
  .openapi('FailedJob');
const jobState = (state: string) => z.object({ queue: z.enum(QUEUE_NAMES), id: z.string(), state: z.literal(state), audit_id: z.uuid() });

describeRoutes(
  'operations',
  [
    ['get', QUEUES_API_PATH, 'Job counts of every queue (waiting, active, delayed, prioritized, failed, completed) and whether it is paused', undefined, { responses: { 200: z.object({ queues: z.array(QueueCounts) }) } }],
    [
      'get',
      `${QUEUES_API_PATH}/{queue}/failed`,
      'Failed jobs, newest first (?limit=1..100&offset=): ids, reasons, attempts and times; of the payload only its keys',
      undefined,
      { query: page.partial(), responses: { 200: z.object({ queue: z.enum(QUEUE_NAMES), total: z.number().int(), limit: z.number().int(), offset: z.number().int(), jobs: z.array(FailedJob) }) } },
    ],
    ['post', `${QUEUES_API_PATH}/{queue}/jobs/{id}/retry`, 'Retry one failed job (202; 404 unknown job; 409 job_not_failed); audited', jobCommand, { responses: { 202: jobState('waiting') } }],
    ['post', `${QUEUES_API_PATH}/{queue}/jobs/{id}/discard`, 'Remove one failed job for good (202; 404 unknown job; 409 job_not_failed); audited', jobCommand, { responses: { 202: jobState('discarded') } }],
    [
      'post',
      `${QUEUES_API_PATH}/{queue}/failed/retry`,
      `Retry the newest failed jobs, at most ?limit= (1..${MAX_BULK_RETRY}, default 100) per call (202); audited`,
      jobCommand,
      { query: bulkRetry.partial(), responses: { 202: z.object({ queue: z.enum(QUEUE_NAMES), retried: z.number().int(), more: z.boolean(), audit_id: z.uuid() }) } },
    ],
  ],
  { bearer: true, basic: true, responses: { 404: 'Unknown queue or job', 409: 'The job is not failed', 429: 'Too many wrong admin credentials from this address', 503: 'Redis unavailable' } },
);

/**
 * The operator's JSON view of the queues next to the dashboard, behind `access` (`queueAccess`: an operator's
 * bearer token, or the admin's Basic credentials): counts, failed jobs, their retry and discard, each command
 * written to the audit log. A job's data may hold what founders said, so it never leaves Redis here: listings show
 * the payload's keys only.
 */
export function mountQueueAdminApi(app: Express, deps: { producer: JobProducer; redis: RedisConnection; db: GatewayDb }, access: RequestHandler) {
  app.use(QUEUES_API_PATH, access, queueAdminRouter(deps));
}

function queueAdminRouter({ producer, redis, db }: { producer: JobProducer; redis: RedisConnection; db: GatewayDb }): Router {
  const router = express.Router();
  router.use(express.json({ limit: '16kb' }));
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

  /** The audit entry of a command on a queue: the operator (or the Basic credentials), the founder the job names. */
  const audit = (req: Request, action: string, outcome: AuditOutcome, entry: { target: string; reason?: string; job?: Job; code?: string; params?: Record<string, unknown> }) =>
    recordAudit(db, {
      actor: req.operator ?? BASIC_AUTH_ACTOR,
      action,
      userId: founderOf(entry.job),
      target: entry.target,
      reason: entry.reason,
      params: { ...(entry.job ? { job: entry.job.name } : {}), ...entry.params, ...(req.operator ? {} : { credentials: 'basic' }) },
      outcome,
      code: entry.code,
    });

  router.get('/', async (_req, res) => {
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

  router.get('/:queue/failed', async (req, res) => {
    const queue = queueOf(req);
    const { limit, offset } = page.parse(req.query);
    const [total, jobs] = await redisCall(Promise.all([queue.getFailedCount(), queue.getFailed(offset, offset + limit - 1)]));
    res.json({ queue: queue.name, total, limit, offset, jobs: jobs.filter(Boolean).map(failedJobView) });
  });

  /**
   * One failed job's command (`retry` or `discard`): found and failed (404, 409), done, audited whatever came of it.
   * Between the check and the command another operator or the retention cleanup may get there first: the job's
   * state then says which answer it is.
   */
  const onFailedJob = (action: 'retry_job' | 'discard_job', command: (job: Job) => Promise<unknown>, state: string) =>
    (async (req, res) => {
      const queue = queueOf(req);
      const id = req.params.id as string;
      const target = `${queue.name}/${id.slice(0, 256)}`;
      let reason: string | undefined;
      let job: Job | undefined;
      try {
        ({ reason } = parseBody(jobCommand, req.body));
        job = id.length <= 256 ? await redisCall(queue.getJob(id)) : undefined;
        if (!job) throw jobNotFound(queue, id);
        await failedOrConflict(queue, job);
        try {
          await redisCall(command(job));
        } catch (error) {
          const now = await redisCall(queue.getJobState(id));
          if (now === 'unknown') throw jobNotFound(queue, id);
          await failedOrConflict(queue, job);
          throw error;
        }
      } catch (error) {
        const { outcome, code } = outcomeOf(error);
        await audit(req, action, outcome, { target, reason, job, code });
        throw error;
      }
      const auditId = await audit(req, action, 'accepted', { target, reason, job });
      req.log?.info({ queue: queue.name, jobId: job.id, job: job.name, action }, 'operator command on a failed job');
      res.status(202).json({ queue: queue.name, id: job.id, state, audit_id: auditId });
    }) satisfies RequestHandler;

  router.post('/:queue/jobs/:id/retry', onFailedJob('retry_job', (job) => job.retry('failed'), 'waiting'));
  router.post('/:queue/jobs/:id/discard', onFailedJob('discard_job', (job) => job.remove(), 'discarded'));

  router.post('/:queue/failed/retry', async (req, res) => {
    const queue = queueOf(req);
    const { limit } = bulkRetry.parse(req.query);
    const { reason } = parseBody(jobCommand, req.body);
    // One more than the limit tells whether more are left for another call.
    const failed = (await redisCall(queue.getFailed(0, limit))).filter(Boolean);
    let retried = 0;
    for (let start = 0; start < Math.min(failed.length, limit); start += 50) {
      const batch = failed.slice(start, Math.min(start + 50, limit));
      const outcomes = await Promise.allSettled(batch.map((job) => withTimeout(job.retry('failed'), REDIS_DEADLINE_MS)));
      retried += outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
    }
    const auditId = await audit(req, 'retry_failed_jobs', 'accepted', { target: queue.name, reason, params: { retried } });
    req.log?.info({ queue: queue.name, retried }, 'operator retried failed jobs');
    res.status(202).json({ queue: queue.name, retried, more: failed.length > limit, audit_id: auditId });
  });

  return router;
}

async function failedOrConflict(queue: Queue, job: Job): Promise<void> {
  const state = await redisCall(queue.getJobState(job.id as string));
  if (state === 'unknown') throw jobNotFound(queue, job.id as string);
  if (state !== 'failed') throw conflict('job_not_failed', `Job ${job.id} is ${state}, not failed; only failed jobs are retried or discarded.`);
}

/** The founder a job names (its payload's `userId`), for the audit log. */
function founderOf(job: Job | undefined): string | null {
  const id: unknown = job?.data && typeof job.data === 'object' ? (job.data as { userId?: unknown }).userId : undefined;
  return typeof id === 'string' && UUID.test(id) ? id.toLowerCase() : null;
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
    failed_reason: (job.failedReason ?? '').slice(0, MAX_REASON_LENGTH),
    attempts_made: job.attemptsMade,
    attempts: job.opts.attempts ?? 1,
    created_at: iso(job.timestamp),
    processed_at: iso(job.processedOn),
    failed_at: iso(job.finishedOn),
    payload_keys: payloadKeys,
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
