import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Redis connections by role.
 * - producer: commands fail at once while Redis is unreachable (`enableOfflineQueue: false`), so an HTTP
 *   request that enqueues answers 503 instead of hanging;
 * - worker: blocking commands wait for reconnection forever (`maxRetriesPerRequest: null`), as BullMQ requires;
 * - client: rate limits, caches and probes, failing fast like a producer.
 */
export type RedisRole = 'producer' | 'worker' | 'client';

const ROLE_OPTIONS: Record<RedisRole, RedisOptions> = {
  producer: { enableOfflineQueue: false, maxRetriesPerRequest: 1 },
  client: { enableOfflineQueue: false, maxRetriesPerRequest: 1 },
  worker: { maxRetriesPerRequest: null },
};

export function createRedis(url: string, role: RedisRole, options: { name: string; logger?: Logger }): Redis {
  const redis = new Redis(url, {
    ...ROLE_OPTIONS[role],
    connectionName: `${options.name}:${role}`,
    connectTimeout: 2000,
    // Reconnect quickly at first, then every 2 s: an outage should end with the platform catching up promptly.
    retryStrategy: (times) => Math.min(100 * times, 2000),
  });
  // ioredis emits an error on every failed reconnect; log state changes, not each attempt.
  let down = false;
  redis.on('error', (error) => {
    if (!down) options.logger?.warn({ err: error, role }, 'redis connection lost');
    down = true;
  });
  redis.on('ready', () => {
    if (down) options.logger?.info({ role }, 'redis connection back');
    down = false;
  });
  return redis;
}

/** Resolves once the connection is ready, or rejects after the timeout. */
export async function waitForRedis(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}

export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
