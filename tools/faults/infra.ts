import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, runTs, waitFor, WORKSPACE_ROOT } from '@dreamseed/testing';
import { redisAnswers } from '../infra';

/**
 * Postgres and Redis of the fault tests' own: the same servers the machine runs (its `postgres` and
 * `redis-server` binaries), on ports and data directories of their own, so a test may stop, kill and restart
 * them with their own commands without disturbing anything else on the machine.
 */
export interface PrivateRedis {
  url: string;
  /** SHUTDOWN: the append-only file is flushed, as on a clean stop. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dreamseed-faults-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--maxmemory-policy', 'noeviction'],
      { stdio: 'ignore' },
    );
    await waitFor(() => redisAnswers(url), 'redis-server to answer', 20_000, 100);
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    spawnSync('redis-cli', ['-p', String(port), 'shutdown']);
    await exited;
  };
  await start();
  return {
    url,
    start,
    stop,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivatePostgres {
  url: string;
  /** pg_ctl restart -m fast: connections are cut, the server comes back on the same port. */
  restart(): void;
  close(): void;
}

function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).sort().at(-1) : undefined;
  if (!version) throw new Error('the fault tests need PostgreSQL server binaries (Debian: apt-get install postgresql)');
  return path.join(root, version, 'bin');
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBin();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dreamseed-faults-pg-'));
  const data = path.join(dir, 'data');
  const port = await freePort();
  // Postgres refuses to run as root: on a root machine (CI) it runs as the postgres user, as Debian's own does.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const postgresUser = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const groupUser = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(dir, Number(postgresUser.stdout.trim()), Number(groupUser.stdout.trim()));
  }
  const run = (command: string, args: string[]) => {
    const result = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args], { encoding: 'utf8' })
      : spawnSync(path.join(bin, command), args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  };
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  // Every owner's schema, as the platform's migrator makes it.
  const migrate = runTs('tools/migrate.ts', { DATABASE_URL: url, LOG_LEVEL: 'warn' }, WORKSPACE_ROOT);
  const code = await migrate.exited;
  if (code !== 0) throw new Error(`migrations failed:\n${migrate.output()}`);
  return {
    url,
    restart() {
      run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-m', 'fast', '-w', 'restart']);
    },
    close() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
