import { hash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { acceptCorrelationId, CORRELATION_HEADER } from './context';
import { AppError, notFound, pgErrorCode } from './errors';
import type { Readiness } from './health';
import { lazyChild } from './logger';
import { UNMATCHED_ROUTE, type Metrics } from './metrics';
import { summarizeIssues } from './producer';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

declare module 'http' {
  interface IncomingMessage {
    correlationId?: string;
    /** The request's logger: its lines carry `req` (correlation id, method, path). */
    log?: Logger;
  }
}

const QUIET_PATHS = new Set(['/health/live', '/health/ready']);

/**
 * The HTTP skeleton every app shares: correlation ids, access logs (health excluded), request metrics,
 * `/health/live` and `/health/ready`. Apps add their routes, then call `finishHttpApp`. `/metrics` is served
 * by `createMetricsApp` on a port of its own. `trustProxy` (TRUST_PROXY) says which peers' X-Forwarded-For
 * sets `req.ip`: none when unset, so that a client cannot pick its own address.
 */
export function createHttpApp(options: {
  logger: Logger;
  metrics: Metrics;
  readiness: Readiness;
  trustProxy?: number | readonly string[];
}): Express {
  const { logger, metrics, readiness } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);

  app.use(correlationMiddleware());
  app.use(observeRequests(logger, metrics));

  app.get('/health/live', (_req, res) => {
    res.json({ status: 'live' });
  });
  app.get('/health/ready', async (_req, res) => {
    const report = await readiness.report();
    res.status(report.ready ? 200 : 503).json({ status: report.ready ? 'ready' : 'not_ready', checks: report.checks });
  });
  return app;
}

/** `GET /metrics` (the app's Prometheus registry) and nothing else: for the metrics port, which no ingress routes. */
export function createMetricsApp(metrics: Metrics, logger: Logger): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  return finishHttpApp(app, logger);
}

/** The last middlewares: a JSON 404 for unknown routes and the one error handler. */
export function finishHttpApp(app: Express, logger: Logger): Express {
  app.use((req, _res, next) => next(notFound(`No route for ${req.method} ${req.path}.`)));
  app.use(errorMiddleware(logger));
  return app;
}

export const INTERNAL_TOKEN_HEADER = 'x-internal-token';

const digestOf = (value: string) => hash('sha256', value, 'buffer');

/** Compares digests, so that neither the length nor the content of a secret leaks through timing. */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digestOf(given), digestOf(expected));
}

/** `sameSecret` against a secret known in advance, whose digest is taken once (for checks on every request). */
export function secretMatcher(expected: string): (given: string) => boolean {
  const expectedDigest = digestOf(expected);
  return (given) => timingSafeEqual(digestOf(given), expectedDigest);
}

/**
 * Checks a caller's `x-internal-token` against INTERNAL_API_SECRET (unset: every caller is refused), throwing the
 * 401 when it does not match: for the Express routes (`requireInternalToken`) and the raw ones alike.
 */
export function internalTokenCheck(secret: string | undefined): (given: string | undefined) => void {
  const matches = secret ? secretMatcher(secret) : () => false;
  return (given) => {
    if (!matches(given ?? '')) throw new AppError(401, 'unauthorized', "This internal API is for the platform's own services.");
  };
}

/** The headers of a call to another service's internal API: the platform's token, and the correlation id if any. */
export function internalHeaders(secret: string | undefined, correlationId?: string): Record<string, string> {
  return { [INTERNAL_TOKEN_HEADER]: secret ?? '', ...(correlationId ? { [CORRELATION_HEADER]: correlationId } : {}) };
}

/** Guards an app's internal API: only callers holding INTERNAL_API_SECRET (the other apps) get through. */
export function requireInternalToken(secret: string | undefined): RequestHandler {
  const check = internalTokenCheck(secret);
  return (req, _res, next) => {
    try {
      check(req.get(INTERNAL_TOKEN_HEADER));
    } catch (error) {
      next(error);
      return;
    }
    next();
  };
}

export function correlationMiddleware(): RequestHandler {
  return (req, res, next) => {
    const correlationId = acceptCorrelationId(req.headers[CORRELATION_HEADER]);
    req.correlationId = correlationId;
    res.setHeader(CORRELATION_HEADER, correlationId);
    next();
  };
}

/** What an access log line says of a request: never headers or the query string (tokens, personal data). */
export interface RequestSummary {
  id: string;
  method: string;
  url: string;
}

/** The access log line of a finished request: error for 5xx, warn for 4xx, info otherwise. */
export function logRequestCompleted(logger: Logger, req: RequestSummary, statusCode: number, seconds: number): void {
  const level = statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  logger[level]({ req, res: { statusCode }, responseTime: Math.round(seconds * 1000) }, 'request completed');
}

/**
 * The request metric, the access log (health and metrics excluded) and `req.log`, from one listener. The
 * request's logger is made on first use: a pino child runs the redactor over its bindings, which cost more than
 * a whole liveness request when done for every request (as pino-http does).
 */
function observeRequests(logger: Logger, metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const summary: RequestSummary = { id: req.correlationId ?? '', method: req.method, url: req.url.split('?')[0] ?? '' };
    const quiet = QUIET_PATHS.has(summary.url);
    req.log = lazyChild(logger, { req: summary });
    const matched = trackRoutePattern(req);
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpDuration.observe({ method: req.method, route: matched.pattern ?? UNMATCHED_ROUTE, status: String(res.statusCode) }, seconds);
      if (!quiet) logRequestCompleted(logger, summary, res.statusCode, seconds);
    });
    next();
  };
}

/**
 * The pattern of the route that handled the request (`/v1/me/calls/:id/transcript`), never the raw path: ids
 * in paths would explode the label set and some identify people. Express sets `req.route` when a route
 * matches, while `req.baseUrl` still holds the routers' mount paths; by the time the response finishes, an
 * error passed on from a router has already reset `baseUrl`, so the pattern is taken at the moment of the
 * match. Routers are mounted on fixed paths (a mount path with parameters would put their values here).
 */
function trackRoutePattern(req: Request): { pattern?: string } {
  const matched: { pattern?: string } = {};
  let route: unknown = req.route;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set(value: { path?: unknown } | undefined) {
      route = value;
      if (value?.path === undefined) return;
      const pattern = `${req.baseUrl}${String(value.path)}`;
      matched.pattern = pattern.length > 1 && pattern.endsWith('/') ? pattern.slice(0, -1) : pattern;
    },
  });
  return matched;
}

/** Maps whatever was thrown to a status and the JSON error shape `{ error: { code, message, details? } }`. */
export function toErrorResponse(error: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (error instanceof AppError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.details !== undefined) body.error.details = error.details;
    return { status: error.status, body, headers: error.headers };
  }
  if (error instanceof z.ZodError) {
    return {
      status: 400,
      body: {
        error: { code: 'validation_failed', message: 'The request is not valid.', details: summarizeIssues(error.issues) },
      },
    };
  }
  // Postgres refusing data the request carried: a conflict or invalid input, not a server fault.
  switch (pgErrorCode(error)) {
    case '42501':
      return clientError(403, 'forbidden', 'You may not change this.');
    case '23505':
      return clientError(409, 'conflict', 'This conflicts with data that already exists.');
    case '23514':
    case '22P02':
    case '22001':
    case '22021': // a NUL character in text
    case '22P05': // a NUL character in JSON
      return clientError(400, 'invalid_input', 'A value in the request is not acceptable.');
  }
  const type = (error as { type?: string } | undefined)?.type;
  const status = (error as { status?: number } | undefined)?.status;
  switch (type) {
    case 'entity.parse.failed':
      return clientError(400, 'invalid_json', 'The request body is not valid JSON.');
    case 'entity.too.large':
      return clientError(413, 'payload_too_large', 'The request body is too large.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return clientError(415, 'unsupported_encoding', 'The request body encoding is not supported.');
    case 'request.aborted':
    case 'request.size.invalid':
      return clientError(400, 'bad_request', 'The request body was incomplete.');
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return clientError(status, 'bad_request', 'The request could not be read.');
  }
  return { status: 500, body: { error: { code: 'internal_error', message: 'Something went wrong on our side.' } } };
}

function clientError(status: number, code: string, message: string) {
  return { status, body: { error: { code, message } } };
}

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const { status, body, headers } = toErrorResponse(error);
    const log = req.log ?? logger;
    if (status >= 500 && !(error instanceof AppError)) log.error({ err: error }, 'unhandled error');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (headers) res.set(headers);
    res.status(status).json(body);
  };
}

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
