import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import express from 'express';
import pino from 'pino';
import { AppError } from './errors';
import { finishHttpApp } from './http-app';
import { listen, type HttpListener } from './http-listener';
import { createMetrics } from './metrics';
import { JSON_MAX_DEPTH, jsonBodyOf, jsonDepthWithin, rawRouteDispatcher, type RawRoute } from './raw-route';

const silent = pino({ level: 'silent' });

/** Sends a request by hand, so that headers and bodies can be what a careless client sends. */
function send(port: number, options: { method?: string; path?: string; headers?: Record<string, string | number>; body?: Buffer | string; chunks?: Buffer[] }) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: options.method ?? 'POST', path: options.path ?? '/hook', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (options.chunks) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else {
      req.end(options.body);
    }
  });
}

describe('raw routes', () => {
  const metrics = createMetrics('raw-route-test');
  let server: HttpListener;
  const seen: { body: string; correlationId?: string }[] = [];

  beforeAll(async () => {
    const route: RawRoute = {
      method: 'POST',
      path: '/hook',
      bodyLimitBytes: 1024,
      async handle({ body, headers, correlationId }) {
        seen.push({ body: body.toString('utf8'), correlationId });
        if (headers['x-fail'] === 'client') throw new AppError(422, 'not_this', 'Not this one.');
        if (headers['x-fail'] === 'server') throw new Error('boom');
        return { status: 200, body: { got: body.length } };
      },
    };
    const app = express();
    app.get('/hook', (_req, res) => {
      res.json({ from: 'express' });
    });
    finishHttpApp(app, silent);
    server = await listen(app, 0, '127.0.0.1', rawRouteDispatcher([route], { logger: silent, metrics }));
  });
  afterAll(() => server.close(Promise.resolve()));

  it('serves the route with its body, under the caller’s correlation id, whatever the query string or trailing slash', async () => {
    const answer = await send(server.port, { path: '/hook/?token=secret', headers: { 'x-correlation-id': 'corr-raw-1' }, body: 'hello' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ got: 5 });
    expect(answer.headers['x-correlation-id']).toBe('corr-raw-1');
    expect(seen.at(-1)).toEqual({ body: 'hello', correlationId: 'corr-raw-1' });
    const scrape = await metrics.registry.getSingleMetricAsString('http_request_duration_seconds');
    expect(scrape).toContain('route="/hook",status="200"');
    expect(scrape).not.toContain('secret');
  });

  it('leaves other methods and paths to Express', async () => {
    expect(JSON.parse((await send(server.port, { method: 'GET' })).body)).toEqual({ from: 'express' });
    const other = await send(server.port, { path: '/hooks', body: 'x' });
    expect(other.status).toBe(404);
    expect(JSON.parse(other.body).error.code).toBe('not_found');
  });

  it('answers errors in the JSON error shape: AppErrors as they are, anything else as a 500 without details', async () => {
    const client = await send(server.port, { headers: { 'x-fail': 'client' }, body: '{}' });
    expect([client.status, JSON.parse(client.body).error.code]).toEqual([422, 'not_this']);
    const fault = await send(server.port, { headers: { 'x-fail': 'server' }, body: '{}' });
    expect([fault.status, JSON.parse(fault.body)]).toEqual([500, { error: { code: 'internal_error', message: 'Something went wrong on our side.' } }]);
  });

  it('refuses bodies over the limit, declared or streamed, and encoded bodies, without calling the handler', async () => {
    const before = seen.length;
    const declared = await send(server.port, { body: 'x'.repeat(2048) });
    expect([declared.status, JSON.parse(declared.body).error.code]).toEqual([413, 'payload_too_large']);
    const streamed = await send(server.port, { headers: { 'transfer-encoding': 'chunked' }, chunks: [Buffer.alloc(800, 1), Buffer.alloc(800, 1)] });
    expect([streamed.status, JSON.parse(streamed.body).error.code]).toEqual([413, 'payload_too_large']);
    const gzipped = await send(server.port, { headers: { 'content-encoding': 'gzip' }, body: gzipSync('{}') });
    expect([gzipped.status, JSON.parse(gzipped.body).error.code]).toEqual([415, 'unsupported_encoding']);
    expect(seen.length).toBe(before);
    // The server is still fine afterwards.
    expect((await send(server.port, { body: 'ok' })).status).toBe(200);
  });

  it('reads and drops a refused body of a few times the limit, so the sender gets the answer, and cuts off more', async () => {
    // Within four times the limit: the connection stays open, so the client is never reset mid-send.
    const drained = await send(server.port, { body: 'x'.repeat(3000) });
    expect(drained.status).toBe(413);
    expect(drained.headers.connection).not.toBe('close');
    const streamed = await send(server.port, { headers: { 'transfer-encoding': 'chunked' }, chunks: [Buffer.alloc(900, 1), Buffer.alloc(900, 1), Buffer.alloc(900, 1)] });
    expect(streamed.status).toBe(413);
    expect(streamed.headers.connection).not.toBe('close');
    // Declared far beyond it: answered at once, and the connection closed.
    const declaredHuge = await new Promise<{ status: number; connection: unknown }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/hook', headers: { 'content-length': 10_000_000 } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
      });
      req.on('error', () => undefined);
      req.write('x'.repeat(100));
      req.on('response', () => req.destroy());
      setTimeout(() => reject(new Error('no answer')), 5000).unref();
    });
    expect(declaredHuge).toEqual({ status: 413, connection: 'close' });
    expect((await send(server.port, { body: 'ok' })).status).toBe(200);
  });
});

describe('the depth of a JSON body', () => {
  const depthWithin = (text: string, max: number) => jsonDepthWithin(Buffer.from(text), max);

  it('counts objects and arrays, and no bracket inside a string, escaped quotes and backslashes included', () => {
    expect(depthWithin('[[1]]', 2)).toBe(true);
    expect(depthWithin('[[1]]', 1)).toBe(false);
    expect(depthWithin('{"a":{"b":[]}}', 3)).toBe(true);
    expect(depthWithin('{"a":{"b":[]}}', 2)).toBe(false);
    expect(depthWithin('{"a":"[[[[{{{{"}', 1)).toBe(true);
    expect(depthWithin('{"a":"\\"[[[["}', 1)).toBe(true);
    expect(depthWithin('{"a\\\\":[[]]}', 2)).toBe(false);
    expect(depthWithin('{"a":"\\\\","b":[[]]}', 2)).toBe(false);
    expect(depthWithin('1', 0)).toBe(true);
    // Not JSON: answered all the same, for JSON.parse to refuse.
    expect(depthWithin('"never closed [[[', 0)).toBe(true);
  });

  it('refuses a body nested deeper than the limit with 400 json_too_deep before parsing it, and takes one within it', () => {
    const request = (body: string) => ({ headers: { 'content-type': 'application/json' }, body: Buffer.from(body) });
    const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const refusal = (body: string) => {
      try {
        jsonBodyOf(request(body), 'JSON only');
        return undefined;
      } catch (error) {
        return error instanceof AppError ? [error.status, error.code] : error;
      }
    };
    expect(refusal(nested(JSON_MAX_DEPTH + 1))).toEqual([400, 'json_too_deep']);
    expect(refusal(nested(1_000_000))).toEqual([400, 'json_too_deep']);
    expect(refusal(nested(JSON_MAX_DEPTH))).toBeUndefined();
    expect(refusal('{"a":')).toEqual([400, 'invalid_json']);
  });
});
