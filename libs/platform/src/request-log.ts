import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { lazyChild } from './logger';
import { UNMATCHED_ROUTE, type Metrics } from './metrics';

const QUIET_PATHS = new Set(['/health/live', '/health/ready']);

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
export function observeRequests(logger: Logger, metrics: Metrics): RequestHandler {
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
