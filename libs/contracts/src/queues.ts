/**
 * The five queues. Each is consumed by exactly one app, the owner of the data its jobs change.
 * Queue names are a wire format (they are part of every Redis key): never rename one without a migration plan.
 */
export const QUEUES = {
  gateway: 'gateway',
  voice: 'voice',
  analysis: 'analysis',
  domain: 'domain',
  billing: 'billing',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const QUEUE_NAMES = Object.values(QUEUES) as QueueName[];
