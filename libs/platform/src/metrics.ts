import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  jobDuration: Histogram<'queue' | 'job'>;
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
        const counts = await withTimeout(queue.getJobCounts(...JOB_STATES), 500).catch(() => undefined);
        if (!counts) continue; // Redis unreachable: the readiness probe reports it, the scrape still answers
        for (const state of JOB_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    },
  });

  return {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'job_duration_seconds',
      help: 'Time spent in job handlers',
      labelNames: ['queue', 'job'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
      registers: [registry],
    }),
    jobsFinished: new Counter({
      name: 'jobs_finished_total',
      help: 'Jobs finished by outcome (completed, retried, failed)',
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
