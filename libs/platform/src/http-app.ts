import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { acceptCorrelationId, CORRELATION_HEADER } from './context';
import { errorMiddleware } from './error-response';
import { notFound } from './errors';
import type { Readiness } from './health';
import type { Metrics } from './metrics';
import { observeRequests } from './request-log';

declare module 'http' {
  interface IncomingMessage {
    correlationId?: string;
    /** The request's logger: its lines carry `req` (correlation id, method, path). */
    log?: Logger;
  }
}

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

/** The last middlewares: a JSON 404 for unknown routes and the one error handler. */
export function finishHttpApp(app: Express, logger: Logger): Express {
  app.use((req, _res, next) => next(notFound(`No route for ${req.method} ${req.path}.`)));
  app.use(errorMiddleware(logger));
  return app;
}

export function correlationMiddleware(): RequestHandler {
  return (req, res, next) => {
    const correlationId = acceptCorrelationId(req.headers[CORRELATION_HEADER]);
    req.correlationId = correlationId;
    res.setHeader(CORRELATION_HEADER, correlationId);
    next();
  };
}
