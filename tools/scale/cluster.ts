import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, runCommand, waitFor, type RunningProcess } from '@dreamseed/testing';

/**
 * A Redis Cluster of three masters and no replicas on this machine (`redis-server` and `redis-cli` from PATH),
 * each node on free ports and with its cluster config in a temp dir of its own, persisting nothing: the cluster
 * the platform runs on past one host (REDIS_CLUSTER), made small. `stop` ends every node and removes the dir;
 * a start that fails stops what it had started, and a test process that exits without stopping still ends them.
 */
export interface LocalRedisCluster {
  /** The nodes' client ports. */
  ports: number[];
  /** REDIS_URL for the apps (with REDIS_CLUSTER=true): every node a seed, comma-separated. */
  url: string;
  /** A plain connection to one node, for CLUSTER and DBSIZE; closed by `stop`. */
  node(port: number): Redis;
  /** What the nodes and `redis-cli --cluster create` printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const run = promisify(execFile);

export async function startRedisCluster(masters = 3): Promise<LocalRedisCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dreamseed-redis-cluster-'));
  const nodes: { port: number; server: RunningProcess }[] = [];
  const connections = new Map<number, Redis>();
  let created = '';
  const killAll = () => nodes.forEach(({ server }) => server.kill('SIGKILL'));
  process.once('exit', killAll);

  const node = (port: number) => {
    let connection = connections.get(port);
    if (!connection) {
      connection = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
      connection.on('error', () => undefined);
      connections.set(port, connection);
    }
    return connection;
  };
  const output = () => [...nodes.map(({ port, server }) => `--- node ${port}\n${server.output()}`), `--- cluster create\n${created}`].join('\n');
  const stop = async () => {
    process.off('exit', killAll);
    for (const connection of connections.values()) connection.disconnect();
    await Promise.all(
      nodes.map(async ({ server }) => {
        if (server.child.exitCode !== null || server.child.signalCode !== null) return;
        server.kill('SIGTERM');
        const late = setTimeout(() => server.kill('SIGKILL'), 5000);
        await server.exited;
        clearTimeout(late);
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    for (let i = 0; i < masters; i += 1) {
      // The bus port too: the default (port + 10000) may be taken, or past 65535 for a high free port.
      const [port, busPort] = [await freePort(), await freePort()];
      const server = runCommand(
        'redis-server',
        [
          '--bind', '127.0.0.1',
          '--port', String(port),
          '--cluster-enabled', 'yes',
          '--cluster-port', String(busPort),
          '--cluster-config-file', path.join(dir, `nodes-${port}.conf`),
          '--dir', dir,
          '--save', '',
          '--appendonly', 'no',
          '--daemonize', 'no',
        ],
        {},
        dir,
      );
      nodes.push({ port, server });
    }
    const ports = nodes.map(({ port }) => port);
    await waitFor(async () => (await Promise.all(ports.map((port) => node(port).ping()))).every((pong) => pong === 'PONG'), 'the Redis nodes', 15_000, 100);
    const result = await run('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes'], {
      timeout: 30_000,
    });
    created = result.stdout + result.stderr;
    // Every node must know the whole slot map before a client may trust any one of them.
    await waitFor(
      async () => (await Promise.all(ports.map((port) => node(port).cluster('INFO')))).every((info) => /cluster_state:ok/.test(info)),
      'cluster_state:ok on every node',
      30_000,
      100,
    );
    return { ports, url: ports.map((port) => `redis://127.0.0.1:${port}`).join(','), node, output, stop };
  } catch (error) {
    const message = `${(error as Error).message}\n${output()}`;
    await stop();
    throw new Error(message);
  }
}
