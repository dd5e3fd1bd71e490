import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface HttpListener {
  server: Server;
  port: number;
  close(deadline: Promise<void>): Promise<void>;
}

/**
 * Listens and resolves with the bound port (0 picks a free one). Closing stops new connections at once.
 * `serveFirst` sees each request before Express and returns true for those it serves itself (raw routes).
 */
export async function listen(
  app: Express,
  port: number,
  host: string,
  serveFirst?: (req: IncomingMessage, res: ServerResponse) => boolean,
): Promise<HttpListener> {
  const server = createServer(serveFirst ? (req, res) => serveFirst(req, res) || app(req, res) : app);
  server.keepAliveTimeout = 65_000; // longer than common load-balancer idle timeouts
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    async close(deadline) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.race([closed, deadline]);
      server.closeAllConnections();
      await closed;
    },
  };
}
