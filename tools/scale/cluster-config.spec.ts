/**
 * Cluster mode without a cluster: every app's config refuses a queue prefix without a hash tag (the keys would
 * spread over slots, and BullMQ's scripts would be refused), and takes one with it.
 */
import { APP_SCHEMAS } from '../config-docs';

describe('Redis Cluster mode in every app', () => {
  const env = { DATABASE_URL: 'postgres://app@db/app', REDIS_URL: 'redis://node-1:7000,redis://node-2:7001', REDIS_CLUSTER: 'true' };

  it.each(Object.keys(APP_SCHEMAS))('%s refuses a prefix without a hash tag and takes one with it', (app) => {
    const schema = APP_SCHEMAS[app];
    const refused = schema?.safeParse({ ...env, QUEUE_PREFIX: 'dreamseed' });
    expect(refused?.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['QUEUE_PREFIX']);
    expect(schema?.safeParse({ ...env, QUEUE_PREFIX: 'prod-{dreamseed}' }).success).toBe(true);
  });
});
