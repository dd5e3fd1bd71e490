import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { finishHttpApp } from './http-app';
import type { Metrics } from './metrics';

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
