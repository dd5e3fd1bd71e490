import type { Job } from 'bullmq';
import { QUEUE_NAMES, type QueueName } from '@dreamseed/contracts';
import { withTimeout, type JobProducer } from '@dreamseed/platform';

/** How many of each queue's newest failed jobs are looked through for founders (failed jobs are kept for a while, then trimmed). */
export const FAILED_JOBS_SCANNED_PER_QUEUE = 500;
const REDIS_DEADLINE_MS = 3000;

/** A failed job that names a founder, as an operator sees it: no payload beyond the founder's id. */
export interface FounderFailedJob {
  queue: QueueName;
  id: string;
  name: string;
  userId: string;
  failedReason: string;
  attemptsMade: number;
  failedAt: string | null;
}

const userIdOf = (job: Job): string | undefined => {
  const data: unknown = job.data;
  const id = data && typeof data === 'object' ? (data as { userId?: unknown }).userId : undefined;
  return typeof id === 'string' ? id : undefined;
};

/**
 * The failed jobs that name a founder (their payload's `userId`), newest first, among each queue's newest
 * `FAILED_JOBS_SCANNED_PER_QUEUE`; only `userId`'s, when given. A job that names no founder (a scheduled sweep)
 * is the queue dashboard's business, not a founder's.
 */
export async function failedJobsOfFounders(producer: JobProducer, userId?: string): Promise<FounderFailedJob[]> {
  const perQueue = await Promise.all(
    QUEUE_NAMES.map(async (name) => {
      const jobs = await withTimeout(producer.queue(name).getFailed(0, FAILED_JOBS_SCANNED_PER_QUEUE - 1), REDIS_DEADLINE_MS);
      return jobs.flatMap((job): FounderFailedJob[] => {
        const founder = job && userIdOf(job);
        if (!job?.id || !founder || (userId !== undefined && founder !== userId)) return [];
        return [
          {
            queue: name,
            id: job.id,
            name: job.name,
            userId: founder,
            failedReason: (job.failedReason ?? '').slice(0, 500),
            attemptsMade: job.attemptsMade,
            failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
          },
        ];
      });
    }),
  );
  return perQueue.flat().sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? ''));
}
