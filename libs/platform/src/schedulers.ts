import type { JobsOptions } from 'bullmq';
import type { Logger } from 'pino';
import { jobCatalogs, type CatalogOf, type JobCatalog, type JobDefinition, type JobInputOf, type JobNameOf, type QueueName } from '@dreamseed/contracts';
import { InvalidJobPayloadError, summarizeIssues } from './errors';
import { SCHEDULED_JOB_OPTIONS, type JobProducer } from './producer';

/**
 * A job of the app's own queue put on it every `every` ms, its payload typed by the queue's catalog. BullMQ keys
 * a schedule by its id, so however many replicas start, the platform runs one schedule.
 */
export type Scheduler<Q extends QueueName> = {
  [N in JobNameOf<CatalogOf<Q>>]: { id: string; every: number; job: N; data: JobInputOf<CatalogOf<Q>, N> };
}[JobNameOf<CatalogOf<Q>>];

/** A scheduler checked against its catalog, ready to upsert. */
export interface ScheduledJob {
  id: string;
  every: number;
  name: string;
  data: unknown;
  opts: JobsOptions;
}

/**
 * Checks each scheduler's payload against the queue's catalog, as `enqueue` does, and takes its tries and backoff
 * from the catalog. A payload that fails its schema is a programming error: it throws at start rather than
 * failing each time the schedule runs.
 */
export function scheduledJobs<Q extends QueueName>(queue: Q, schedulers: readonly Scheduler<Q>[]): ScheduledJob[] {
  const catalog: JobCatalog = jobCatalogs[queue];
  return schedulers.map(({ id, every, job, data }) => {
    const definition = Object.hasOwn(catalog, job) ? (catalog[job] as JobDefinition) : undefined;
    if (!definition) throw new InvalidJobPayloadError(queue, job, [{ message: 'unknown job name' }]);
    const parsed = definition.schema.safeParse(data);
    if (!parsed.success) throw new InvalidJobPayloadError(queue, job, summarizeIssues(parsed.error.issues));
    const opts: JobsOptions = { ...SCHEDULED_JOB_OPTIONS, attempts: definition.attempts, backoff: { type: 'exponential', delay: definition.backoffMs } };
    return { id, every, name: job, data: parsed.data, opts };
  });
}

/**
 * Creates or updates each schedule on the queue. One that cannot be set (Redis away) is logged and set again at
 * the next start: the app runs without it meanwhile rather than not at all.
 */
export async function upsertSchedulers(producer: JobProducer, queue: QueueName, jobs: readonly ScheduledJob[], logger: Logger): Promise<void> {
  await Promise.all(
    jobs.map(({ id, every, name, data, opts }) =>
      producer
        .queue(queue)
        .upsertJobScheduler(id, { every }, { name, data, opts })
        .catch((error: unknown) => logger.warn({ err: error, scheduler: id }, 'schedule not set; it is retried at the next start')),
    ),
  );
}
