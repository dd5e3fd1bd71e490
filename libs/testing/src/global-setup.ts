/**
 * Jest global setup for every project: finds the Postgres and Redis the integration tests use, migrates every
 * owner's schema once, and hands both URLs to the test workers through the environment.
 *
 * Order: DATABASE_URL/REDIS_URL when set (CI, the node-svc machines); else local servers on the default ports;
 * else containers through testcontainers when a Docker engine answers. Unit tests need none of it, so when
 * nothing is found the integration tests fail with a clear message and the unit tests still run.
 * DREAMSEED_TEST_CONTAINERS=1 skips the first two and requires the containers (`npm run test:docker` proves the
 * path that way): when they cannot start, the run fails with the reason.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { portAnswers } from './ports';

const WORKSPACE_ROOT = path.resolve(__dirname, '../../..');
const containers: { stop(): Promise<unknown> }[] = [];

async function startContainers(required = false): Promise<{ databaseUrl: string; redisUrl: string } | undefined> {
  try {
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const { RedisContainer } = await import('@testcontainers/redis');
    const [postgresStart, redisStart] = await Promise.allSettled([
      new PostgreSqlContainer('postgres:15-bookworm').withDatabase('test').start(),
      new RedisContainer('redis:7-bookworm').start(),
    ]);
    if (postgresStart.status === 'rejected' || redisStart.status === 'rejected') {
      // Stop the one that did start, so that no container outlives the run.
      await Promise.all([postgresStart, redisStart].map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
      throw postgresStart.status === 'rejected' ? postgresStart.reason : (redisStart as PromiseRejectedResult).reason;
    }
    const [postgres, redis] = [postgresStart.value, redisStart.value];
    containers.push(postgres, redis);
    process.stderr.write(
      `\ntest infrastructure: testcontainers postgres:15-bookworm on port ${postgres.getPort()}, redis:7-bookworm on port ${redis.getPort()}\n`,
    );
    return { databaseUrl: postgres.getConnectionUri(), redisUrl: redis.getConnectionUrl() };
  } catch (error) {
    if (required) throw new Error(`DREAMSEED_TEST_CONTAINERS is set but the containers did not start: ${(error as Error).message}`);
    return undefined;
  }
}

export default async function globalSetup(): Promise<void> {
  if (process.env.DREAMSEED_TEST_INFRA) return; // already resolved by an outer run
  const containersOnly = ['1', 'true'].includes(process.env.DREAMSEED_TEST_CONTAINERS ?? '');
  let databaseUrl = containersOnly ? undefined : process.env.DATABASE_URL;
  let redisUrl = containersOnly ? undefined : process.env.REDIS_URL;
  if (!containersOnly && !databaseUrl && (await portAnswers(5432))) databaseUrl = 'postgres://postgres@127.0.0.1:5432/test';
  if (!containersOnly && !redisUrl && (await portAnswers(6379))) redisUrl = 'redis://127.0.0.1:6379';
  if (!databaseUrl || !redisUrl) {
    const started = await startContainers(containersOnly);
    databaseUrl ??= started?.databaseUrl;
    redisUrl ??= started?.redisUrl;
  }
  if (!databaseUrl || !redisUrl) {
    process.env.DREAMSEED_TEST_INFRA = 'none';
    return;
  }
  // The same migrator as `npm run db:migrate`, run as its own process (this lib does not import the platform).
  const migrate = spawnSync(process.execPath, ['--import', 'tsx', 'tools/migrate.ts'], {
    cwd: WORKSPACE_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      // A DATABASE_MIGRATION_URL beside a configured DATABASE_URL (a pooler's) names the same database directly.
      DATABASE_MIGRATION_URL: databaseUrl === process.env.DATABASE_URL ? process.env.DATABASE_MIGRATION_URL : undefined,
      LOG_LEVEL: 'warn',
      TSX_TSCONFIG_PATH: 'tsconfig.base.json',
    },
    encoding: 'utf8',
  });
  if (migrate.status !== 0) {
    // Jest skips the teardown when the setup throws: stop what this setup started first.
    await Promise.all(containers.map((container) => container.stop()));
    throw new Error(`migrations failed:\n${migrate.stdout}${migrate.stderr}`);
  }
  process.env.DATABASE_URL = databaseUrl;
  process.env.REDIS_URL = redisUrl;
  process.env.DREAMSEED_TEST_INFRA = 'ready';
  (globalThis as { __DREAMSEED_CONTAINERS__?: typeof containers }).__DREAMSEED_CONTAINERS__ = containers;
}
