import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort, waitFor } from '@dreamseed/testing';

/** A redis-server of the test's own on a free port, to stop and start again: for outage tests. */
export async function throwawayRedis() {
  const port = await freePort();
  let server: ChildProcess | undefined;
  const running = () => server !== undefined && server.exitCode === null && server.signalCode === null;
  const handle = {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      await waitFor(async () => {
        const probe = new Redis(handle.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
        probe.on('error', () => undefined);
        try {
          await probe.connect();
          return (await probe.ping()) === 'PONG';
        } finally {
          // A probe that never connected is already closed: disconnecting it again would leave ioredis's
          // two-second "stream still open" timer behind, which kept Jest from exiting after the suite.
          if (probe.status !== 'end') probe.disconnect();
        }
      }, 'redis-server to answer');
    },
    async stop() {
      if (!server || !running()) return;
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.kill('SIGKILL');
      await exited;
    },
  };
  await handle.start();
  return handle;
}
