import { randomUUID } from 'node:crypto';
import net from 'node:net';
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

/** A BullMQ prefix of the test's own, so that tests running at once never see each other's jobs. */
/** The level of the logs of apps started in-process by tests: silent unless TEST_LOG_LEVEL says otherwise. */
export function testLogLevel(): string {
  return process.env.TEST_LOG_LEVEL ?? 'silent';
}

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

/** Polls until the check returns a truthy value, or fails with the description after the timeout. */
type Falsy = false | 0 | '' | null | undefined;

export async function waitFor<T>(
  check: () => Promise<T | Falsy> | T | Falsy,
  description: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as T;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${description}${lastError ? `: ${(lastError as Error).message}` : ''}`);
}

/** A loopback port that was free a moment ago: for servers a test starts, or as a place where nothing listens. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
