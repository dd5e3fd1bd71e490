import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Redis connections by role.
 * - producer: commands fail at once while Redis is unreachable (`enableOfflineQueue: false`), so an HTTP
 *   request that enqueues answers 503 instead of hanging;
 * - worker: blocking commands wait for reconnection forever (`maxRetriesPerRequest: null`), as BullMQ requires;
 * - client: rate limits, caches and probes, failing fast like a producer.
 *
 * With `cluster`, the URL names the seed nodes of a Redis Cluster (one or more, comma-separated) and the
 * connection is an ioredis `Cluster`, which takes the same commands and keeps the same roles. Every key the
 * platform writes must then hash to one slot: BullMQ's scripts and the platform's MULTIs touch several keys at
 * once, and a cluster refuses those unless the keys share a slot. So every key starts with the queue prefix
 * (`platformKey`), and in a cluster that prefix holds a hash tag (`{dreamseed}`), which config enforces.
 */
export type RedisRole = 'producer' | 'worker' | 'client';

/** A connection to one Redis server or to a Redis Cluster: both take the same commands. */
export type RedisConnection = Redis | Cluster;

export interface RedisConnectionOptions {
  name: string;
  logger?: Logger;
  /** The URL names the seed nodes of a Redis Cluster (REDIS_CLUSTER). */
  cluster?: boolean;
}

const ROLE_OPTIONS: Record<RedisRole, Pick<RedisOptions, 'enableOfflineQueue' | 'maxRetriesPerRequest'>> = {
  producer: { enableOfflineQueue: false, maxRetriesPerRequest: 1 },
  client: { enableOfflineQueue: false, maxRetriesPerRequest: 1 },
  worker: { maxRetriesPerRequest: null },
};

// Reconnect quickly at first, then every 2 s: an outage should end with the platform catching up promptly.
const reconnectDelay = (times: number) => Math.min(100 * times, 2000);

export function createRedis(url: string, role: RedisRole, options: RedisConnectionOptions & { cluster?: false }): Redis;
export function createRedis(url: string, role: RedisRole, options: RedisConnectionOptions): RedisConnection;
export function createRedis(url: string, role: RedisRole, options: RedisConnectionOptions): RedisConnection {
  const connectionName = `${options.name}:${role}`;
  const redis = options.cluster
    ? createCluster(url, role, connectionName)
    : new Redis(url, { ...ROLE_OPTIONS[role], connectionName, connectTimeout: 2000, retryStrategy: reconnectDelay });
  // ioredis emits an error on every failed reconnect; log state changes, not each attempt.
  let down = false;
  redis.on('error', (error: Error) => {
    if (!down) options.logger?.warn({ err: error, role }, 'redis connection lost');
    down = true;
  });
  redis.on('ready', () => {
    if (down) options.logger?.info({ role }, 'redis connection back');
    down = false;
  });
  return redis;
}

/**
 * A cluster client from its seed nodes. The role's offline queue is the cluster's own (it holds commands while
 * no node is known); its node connections always queue and never reconnect by themselves, since the cluster
 * client finds the nodes again from the slots. Credentials and TLS come from the first URL and apply to every
 * node, as the nodes the cluster reports carry none.
 */
function createCluster(urls: string, role: RedisRole, connectionName: string): Cluster {
  const seeds = seedUrlsOf(urls);
  const first = seeds[0] ?? new URL('redis://127.0.0.1:6379');
  const tls = first.protocol === 'rediss:';
  const { enableOfflineQueue = true, maxRetriesPerRequest } = ROLE_OPTIONS[role];
  const clusterOptions: ClusterOptions = {
    enableOfflineQueue,
    clusterRetryStrategy: reconnectDelay,
    redisOptions: {
      maxRetriesPerRequest,
      connectionName,
      connectTimeout: 2000,
      username: decodeURIComponent(first.username) || undefined,
      password: decodeURIComponent(first.password) || undefined,
      ...(tls ? { tls: {} } : {}),
    },
    // Over TLS the certificate names the host: connect by the name given rather than the address it resolves to.
    ...(tls ? { dnsLookup: (address: string, callback: (error: null, address: string) => void) => callback(null, address) } : {}),
  };
  return new Cluster(
    seeds.map((seed) => ({ host: seed.hostname.replace(/^\[|\]$/g, ''), port: Number(seed.port || 6379) })),
    clusterOptions,
  );
}

/** The seed nodes of `REDIS_URL` in cluster mode: one or more redis:// or rediss:// URLs, comma-separated. */
export function seedUrlsOf(urls: string): URL[] {
  return urls
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean)
    .map((url) => new URL(url));
}

/**
 * A key of the platform: under the queue prefix, as BullMQ's own keys are, so that in a cluster it carries the
 * prefix's hash tag and lands in the same slot as the queues (MULTIs and scripts may then combine them).
 */
export function platformKey(prefix: string, ...parts: string[]): string {
  return [prefix, ...parts].join(':');
}

/** What Redis Cluster hashes of a key: the first `{…}` with something inside, else the whole key. */
export function hashedPartOf(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

/** Resolves once the connection is ready, or rejects after the timeout. */
export async function waitForRedis(redis: RedisConnection, timeoutMs: number): Promise<void> {
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

export async function closeRedis(redis: RedisConnection): Promise<void> {
  if (redis.status === 'end') return;
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
