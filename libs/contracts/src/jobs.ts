import type { JobCatalog } from './catalog';
import { analysisJobs } from './analysis.queue';
import { billingJobs } from './billing.queue';
import { domainJobs } from './domain.queue';
import { gatewayJobs } from './gateway.queue';
import type { QueueName } from './queues';
import { voiceJobs } from './voice.queue';

/** Every queue's catalog, keyed by queue name: what `enqueue` and the worker bootstrap check against. */
export const jobCatalogs = {
  gateway: gatewayJobs,
  voice: voiceJobs,
  analysis: analysisJobs,
  domain: domainJobs,
  billing: billingJobs,
} as const satisfies Record<QueueName, JobCatalog>;

export type JobCatalogs = typeof jobCatalogs;
export type CatalogOf<Q extends QueueName> = JobCatalogs[Q];
