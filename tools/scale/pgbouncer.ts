import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, waitFor } from '@dreamseed/testing';

/**
 * Debian's PgBouncer in transaction mode, in a temp dir of its own and on a free port, in front of the Postgres
 * that `upstreamUrl` names: the pooler the platform runs behind past one host (DESIGN.md, "Past one host").
 * Small pools make the pooling real: the apps' pools open more client connections than PgBouncer opens
 * server connections, and every transaction may land on another server connection than the one before.
 */
export interface PgBouncer {
  port: number;
  /** A URL for the apps: the same user and database as upstream, through the pooler. */
  url(database: string): string;
  /** A command of the admin console (`SHOW POOLS`, `SHOW STATS`, …), its rows. */
  admin<Row extends Record<string, unknown>>(command: string): Promise<Row[]>;
  /** What PgBouncer logged, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export const PGBOUNCER_BIN = '/usr/sbin/pgbouncer';

export async function startPgBouncer(upstreamUrl: string, options: { poolSize: number; maxClients?: number }): Promise<PgBouncer> {
  if (!existsSync(PGBOUNCER_BIN)) throw new Error(`no ${PGBOUNCER_BIN}: apt-get install -y pgbouncer`);
  const upstream = new URL(upstreamUrl);
  const user = decodeURIComponent(upstream.username || 'postgres');
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dreamseed-pgbouncer-'));
  const server = [`host=${upstream.hostname}`, `port=${upstream.port || 5432}`, `user=${user}`, ...(upstream.password ? [`password=${decodeURIComponent(upstream.password)}`] : [])];
  const ini = [
    '[databases]',
    // Any database name: the scale tests make a fresh database per run.
    `* = ${server.join(' ')}`,
    '',
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    // No Unix socket: its default directory belongs to the machine's own PgBouncer, if it runs one.
    'unix_socket_dir =',
    'auth_type = trust',
    `auth_file = ${path.join(dir, 'userlist.txt')}`,
    `admin_users = ${user}`,
    'pool_mode = transaction',
    `max_client_conn = ${options.maxClients ?? 200}`,
    `default_pool_size = ${options.poolSize}`,
    'reserve_pool_size = 0',
    // Transaction mode resets nothing between clients: whatever a client leaves set on a server connection, the
    // next one inherits. The platform sets its roles and settings per transaction, so nothing is left.
    'server_reset_query =',
    // node-postgres sends user, database, client_encoding and application_name at startup, all of which
    // PgBouncer tracks itself (no statement_timeout or options): only the JDBC-style extra_float_digits is
    // waved through, so that psql or another tool pointed at this pooler connects too.
    'ignore_startup_parameters = extra_float_digits',
    '',
  ].join('\n');
  writeFileSync(path.join(dir, 'pgbouncer.ini'), ini);
  // trust still wants the user in the auth file; the password is not checked.
  writeFileSync(path.join(dir, 'userlist.txt'), `"${user}" ""\n`);
  // PgBouncer refuses to run as root: on a root machine (CI) it runs as the postgres user, as Debian's own does.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, id('-u'), id('-g'));
    chmodSync(dir, 0o755);
  }
  const child = spawn(PGBOUNCER_BIN, [...(asRoot ? ['-u', 'postgres'] : []), path.join(dir, 'pgbouncer.ini')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const admin = async <Row extends Record<string, unknown>>(command: string): Promise<Row[]> => {
    const client = new pg.Client({ host: '127.0.0.1', port, user, database: 'pgbouncer' });
    await client.connect();
    try {
      // The admin console speaks the simple query protocol only: a query without values goes that way.
      return (await client.query<Row>(command)).rows;
    } finally {
      await client.end();
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM'); // immediate shutdown: the platform is stopped first
      const late = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(late);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error('pgbouncer exited');
        return (await admin('SHOW VERSION')).length > 0;
      },
      'pgbouncer to answer',
      15_000,
      100,
    );
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return {
    port,
    url: (database) => {
      const url = new URL(upstreamUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      url.pathname = `/${database}`;
      return url.toString();
    },
    admin,
    output: () => output,
    stop,
  };
}
