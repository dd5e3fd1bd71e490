import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Redis } from 'ioredis';

export const WORKSPACE_ROOT = path.resolve(__dirname, '../../..');

/** The Postgres and Redis of this test run (see global-setup.ts). */
export function testInfra(): { databaseUrl: string; redisUrl: string } {
  const { DATABASE_URL, REDIS_URL, DREAMSEED_TEST_INFRA } = process.env;
  if (DREAMSEED_TEST_INFRA !== 'ready' || !DATABASE_URL || !REDIS_URL) {
    throw new Error(
      'Integration tests need Postgres and Redis: set DATABASE_URL and REDIS_URL, run them on their default ports, ' +
        'or start a Docker engine for testcontainers.',
    );
  }
  return { databaseUrl: DATABASE_URL, redisUrl: REDIS_URL };
}

/** The level of the logs of apps started in-process by tests: silent unless TEST_LOG_LEVEL says otherwise. */
export function testLogLevel(): string {
  return process.env.TEST_LOG_LEVEL ?? 'silent';
}

/** A BullMQ prefix of the test's own, so that tests running at once never see each other's jobs. */
export function uniquePrefix(label = 'test'): string {
  return `t-${label}-${randomUUID().slice(0, 8)}`;
}

/** Deletes every key under a BullMQ prefix. */
export async function deletePrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
