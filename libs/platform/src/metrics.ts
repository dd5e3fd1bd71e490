import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The job states a queue reports (metrics, admin API). BullMQ 6 keeps a paused queue's jobs in `waiting`. */
export const QUEUE_JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;
export type QueueJobState = (typeof QUEUE_JOB_STATES)[number];

/** The `route` label of requests no route handled (404s, static files, requests refused before routing). */
export const UNMATCHED_ROUTE = 'unmatched';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** One observation per attempt: `outcome` is `completed` or `failed` (the attempt threw). */
  jobDuration: Histogram<'queue' | 'job' | 'outcome'>;
  jobsFinished: Counter<'queue' | 'job' | 'outcome'>;
  /** Report the job counts of these queues on every scrape. */
  watchQueues(queues: Queue[]): void;
}

/** One registry per app (not the global one), so that several apps can share a process under `npm start`. */
export function createMetrics(service: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });

  const watched: Queue[] = [];
  new Gauge({
    name: 'bullmq_queue_jobs',
    help: 'Jobs in each state of each BullMQ queue, read at scrape time',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const queue of watched) {
        const counts = await withTimeout(queue.getJobCounts(...QUEUE_JOB_STATES), 500).catch(() => undefined);
        if (!counts) continue; // Redis unreachable: the readiness probe reports it, the scrape still answers
        for (const state of QUEUE_JOB_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    },
  });

  return {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: `HTTP request duration by matched route pattern ("${UNMATCHED_ROUTE}" when no route handled it) and status`,
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'job_duration_seconds',
      help: 'Time spent processing a job attempt (payload check and handler), by outcome (completed, failed)',
      labelNames: ['queue', 'job', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
      registers: [registry],
    }),
    jobsFinished: new Counter({
      name: 'jobs_finished_total',
      help: 'Job attempts finished by outcome: completed, retried (failed, will run again), failed (for good)',
      labelNames: ['queue', 'job', 'outcome'],
      registers: [registry],
    }),
    watchQueues(queues) {
      watched.push(...queues);
    },
  };
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
