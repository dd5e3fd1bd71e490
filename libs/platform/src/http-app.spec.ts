import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { z } from 'zod';
import { captureLogs } from './__fixtures__/capture-logs';
import { AppError, QueueUnavailableError } from './errors';
import { Readiness } from './health';
import { errorMiddleware } from './error-response';
import { correlationMiddleware, createHttpApp, finishHttpApp } from './http-app';
import { createMetrics } from './metrics';

function appWith(route: express.RequestHandler) {
  const app = express();
  app.use(correlationMiddleware());
  app.post('/thing', express.json({ limit: '1kb' }), route);
  return finishHttpApp(app, pino({ level: 'silent' }));
}

describe('HTTP errors', () => {
  it('maps an AppError to its status and the JSON error shape', async () => {
    const app = appWith(() => {
      throw new AppError(409, 'already_exists', 'It exists.', { id: 1 });
    });
    const response = await request(app).post('/thing').send({});
    expect(response.status).toBe(409);
    expect(response.body).toEqual({ error: { code: 'already_exists', message: 'It exists.', details: { id: 1 } } });
  });

  it('maps a queue outage to 503 with Retry-After', async () => {
    const app = appWith(() => {
      throw new QueueUnavailableError();
    });
    const response = await request(app).post('/thing').send({});
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.body.error.code).toBe('queue_unavailable');
  });

  it('maps a zod error to 400 validation_failed without echoing values', async () => {
    const app = appWith((req) => {
      z.object({ email: z.email() }).parse(req.body);
    });
    const response = await request(app).post('/thing').send({ email: 'not-an-email-secret' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(JSON.stringify(response.body)).not.toContain('not-an-email-secret');
  });

  it('answers bad JSON with 400 and an oversized body with 413', async () => {
    const app = appWith((_req, res) => {
      res.json({ ok: true });
    });
    const bad = await request(app).post('/thing').set('content-type', 'application/json').send('{"a":');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_json');
    const big = await request(app).post('/thing').send({ text: 'x'.repeat(5000) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
  });

  it('answers a value Postgres refuses (a NUL character in text or JSON) with 400, not 500', async () => {
    for (const code of ['22021', '22P05']) {
      const app = appWith(() => {
        throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code, severity: 'ERROR' });
      });
      const response = await request(app).post('/thing').send({});
      expect([response.status, response.body.error.code]).toEqual([400, 'invalid_input']);
    }
  });

  it('hides the details of an unexpected error behind a 500', async () => {
    const app = appWith(() => {
      throw new Error('database password is hunter2');
    });
    const response = await request(app).post('/thing').send({});
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await request(appWith(() => undefined)).get('/nowhere');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });

  it('keeps a well-formed x-correlation-id, replaces a bad one, and exposes it to handlers', async () => {
    const app = appWith((req, res) => {
      res.json({ seen: req.correlationId });
    });
    const kept = await request(app).post('/thing').set('x-correlation-id', 'req-123').send({});
    expect(kept.headers['x-correlation-id']).toBe('req-123');
    expect(kept.body.seen).toBe('req-123');
    const replaced = await request(app).post('/thing').set('x-correlation-id', 'bad id with spaces').send({});
    expect(replaced.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is one middleware that can be mounted alone', () => {
    expect(errorMiddleware(pino({ level: 'silent' }))).toHaveLength(4);
  });
});

describe('access log', () => {
  function appLogging(level: string) {
    const { lines, logger } = captureLogs(level);
    const metrics = createMetrics('test');
    const app = createHttpApp({ logger, metrics, readiness: new Readiness([]) });
    app.get('/things/:id', (req, res) => {
      req.log?.info({ password: 'hunter2' }, 'looked at a thing');
      res.json({ id: req.params.id });
    });
    app.post('/things', express.json(), (_req, _res, next) => next(new AppError(409, 'already_exists', 'It exists.')));
    return { app: finishHttpApp(app, logger), lines, logger, metrics };
  }
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('logs each request once finished: the path without its query, the status, and the request id on req.log lines', async () => {
    const { app, lines, metrics } = appLogging('info');
    await request(app).get('/things/42?token=secret-token').set('x-correlation-id', 'req-7').set('authorization', 'Bearer abc');
    await request(app).post('/things').send({});
    await settle();
    const completed = lines.filter((line) => line.msg === 'request completed');
    expect(completed.map((line) => [line.level, line.req, line.res])).toEqual([
      ['info', { id: 'req-7', method: 'GET', url: '/things/42' }, { statusCode: 200 }],
      ['warn', { id: expect.any(String), method: 'POST', url: '/things' }, { statusCode: 409 }],
    ]);
    const own = lines.find((line) => line.msg === 'looked at a thing');
    expect(own).toMatchObject({ req: { id: 'req-7', url: '/things/42' }, password: '[redacted]' });
    expect(JSON.stringify(lines)).not.toMatch(/secret-token|Bearer abc/);
    const metric = await metrics.registry.getSingleMetricAsString('http_request_duration_seconds');
    expect(metric).toContain('route="/things/:id",status="200"');
  });

  it('leaves health checks out, and makes no request logger unless one is used at an enabled level', async () => {
    const quiet = appLogging('warn');
    const child = jest.spyOn(quiet.logger, 'child');
    await request(quiet.app).get('/things/1');
    await settle();
    expect(quiet.lines).toEqual([]);
    expect(child).not.toHaveBeenCalled();
    const info = appLogging('info');
    await request(info.app).get('/health/live');
    await settle();
    expect(info.lines).toEqual([]);
  });
});
