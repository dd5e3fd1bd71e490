import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small stand-in for an external HTTP API (VAPI, RDAP, GoDaddy, Stripe, OpenAI) on an ephemeral loopback
 * port: the real client library is pointed at `url`, routes answer with canned or computed responses, and
 * every request is recorded for assertions.
 */
export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The JSON body when it parses, else undefined. */
  body: unknown;
  params: Record<string, string>;
}

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as they are. */
  body?: unknown;
  /** Answer late, to exercise client timeouts. */
  delayMs?: number;
  /** Drop the connection without an answer. */
  hangUp?: boolean;
}

export type FakeRoute = FakeResponse | ((request: FakeRequest) => FakeResponse | Promise<FakeResponse>);

export interface FakeServer {
  url: string;
  port: number;
  requests: FakeRequest[];
  /** Adds or replaces a route, keyed "METHOD /path" where path segments may be ":params". */
  route(key: string, route: FakeRoute): void;
  close(): Promise<void>;
}

interface CompiledRoute {
  method: string;
  pattern: RegExp;
  names: string[];
  route: FakeRoute;
}

function compile(key: string, route: FakeRoute): CompiledRoute {
  const [method, path] = key.split(' ');
  if (!method || !path) throw new Error(`route key "${key}" must look like "GET /path"`);
  const names: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        names.push(segment.slice(1));
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { method: method.toUpperCase(), pattern: new RegExp(`^${source}$`), names, route };
}

export async function startFakeServer(routes: Record<string, FakeRoute> = {}): Promise<FakeServer> {
  const compiled = new Map<string, CompiledRoute>(Object.entries(routes).map(([key, route]) => [key, compile(key, route)]));
  const requests: FakeRequest[] = [];

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    let body: unknown;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      rawBody,
      body,
      params: {},
    };
    requests.push(request);

    const match = [...compiled.values()].find((r) => r.method === request.method && r.pattern.test(request.path));
    if (!match) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'no fake route' }));
      return;
    }
    const values = match.pattern.exec(request.path)?.slice(1) ?? [];
    request.params = Object.fromEntries(match.names.map((name, i) => [name, decodeURIComponent(values[i] ?? '')]));
    const response = typeof match.route === 'function' ? await match.route(request) : match.route;
    // Unreferenced: a delayed answer nobody waits for any more must not keep the test process alive.
    if (response.delayMs) await new Promise((resolve) => setTimeout(resolve, response.delayMs).unref());
    if (response.hangUp) {
      req.socket.destroy();
      return;
    }
    const isText = typeof response.body === 'string';
    res.writeHead(response.status ?? 200, {
      'content-type': isText ? 'text/plain' : 'application/json',
      ...response.headers,
    });
    res.end(response.body === undefined ? '' : isText ? (response.body as string) : JSON.stringify(response.body));
  });

  // Node closes an idle connection after 5 s, fetch reuses one for up to a second less than the server says: a
  // request sent on a connection as the server closes it fails ("fetch failed"), which a test slowed by a busy
  // machine can meet between two requests. With a long server timeout, the client always lets go first.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    route(key, route) {
      compiled.set(key, compile(key, route));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
