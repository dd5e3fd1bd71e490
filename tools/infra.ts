import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { freePort, portAnswers, sleep } from '@dreamseed/testing';

/**
 * Finds the Postgres and Redis that `npm start` runs against: the configured URLs; else local servers on their
 * default ports; else embedded ones (PGlite behind a Postgres socket, `redis-server` from PATH) with their
 * data under ./.data; else a message naming what to install or set.
 */
export interface Infrastructure {
  databaseUrl: string;
  redisUrl: string;
  notes: string[];
  /** True when the database is the embedded PGlite: one session underneath, so pools stay small. */
  embeddedPostgres: boolean;
  stop(): Promise<void>;
}

export class InfrastructureError extends Error {}

const LOCAL_DATABASE = 'dreamseed';

/** Where to look for local servers; tests point these at closed ports to exercise the embedded fallbacks. */
export interface LocalPorts {
  postgres: number;
  redis: number;
}

export async function resolveInfrastructure(
  env: NodeJS.ProcessEnv,
  dataDir: string,
  local: LocalPorts = { postgres: 5432, redis: 6379 },
): Promise<Infrastructure> {
  const stops: (() => Promise<void>)[] = [];
  const notes: string[] = [];
  let embeddedPostgres = false;

  let databaseUrl = env.DATABASE_URL;
  if (databaseUrl) {
    notes.push('Postgres: DATABASE_URL');
  } else if (await portAnswers(local.postgres)) {
    databaseUrl = await localDatabase(local.postgres);
    notes.push(`Postgres: local server on ${local.postgres}, database "${LOCAL_DATABASE}"`);
  } else {
    const embedded = await startPglite(path.join(dataDir, 'pglite'));
    databaseUrl = embedded.url;
    embeddedPostgres = true;
    stops.push(embedded.stop);
    notes.push(`Postgres: embedded PGlite, data in ${path.join(dataDir, 'pglite')}`);
  }

  let redisUrl = env.REDIS_URL;
  if (redisUrl) {
    notes.push('Redis: REDIS_URL');
  } else if (await redisAnswers(`redis://127.0.0.1:${local.redis}`)) {
    redisUrl = `redis://127.0.0.1:${local.redis}`;
    notes.push(`Redis: local server on ${local.redis}`);
  } else if (hasRedisServer()) {
    const embedded = await startRedisServer(path.join(dataDir, 'redis'));
    redisUrl = embedded.url;
    stops.push(embedded.stop);
    notes.push(`Redis: redis-server from PATH with an append-only file in ${path.join(dataDir, 'redis')}`);
  } else {
    await Promise.all(stops.map((stop) => stop()));
    throw new InfrastructureError(
      'No Redis found. Set REDIS_URL, start Redis on 127.0.0.1:6379, or install redis-server ' +
        '(Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis).',
    );
  }

  return {
    databaseUrl,
    redisUrl,
    notes,
    embeddedPostgres,
    async stop() {
      for (const stop of stops.reverse()) await stop();
    },
  };
}

/** The local server's `dreamseed` database, created on first use. */
async function localDatabase(port: number): Promise<string> {
  const user = process.env.PGUSER ?? 'postgres';
  const admin = new pg.Client({ host: '127.0.0.1', port, user, database: 'postgres' });
  try {
    await admin.connect();
  } catch (error) {
    throw new InfrastructureError(
      `A Postgres server answers on 127.0.0.1:${port} but user "${user}" cannot connect (${(error as Error).message}). ` +
        `Set DATABASE_URL, for example postgres://user:password@127.0.0.1:${port}/dreamseed.`,
    );
  }
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [LOCAL_DATABASE]);
    if (!found.rowCount) await admin.query(`create database ${LOCAL_DATABASE}`);
  } finally {
    await admin.end();
  }
  return `postgres://${user}@127.0.0.1:${port}/${LOCAL_DATABASE}`;
}

async function startPglite(dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  mkdirSync(dir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create(dir);
  const port = await freePort();
  // PGlite is one session underneath; the socket server queues the apps' queries onto it.
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 32 });
  await server.start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/** Whether a Redis answers PING at this URL now (no retries, no offline queue). */
export async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function startRedisServer(dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec',
      '--save', '', '--maxmemory-policy', 'noeviction'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await redisAnswers(url)); i += 1) await sleep(100);
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
