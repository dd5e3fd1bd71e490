/**
 * A measured fast path: routes served by node:http directly, in front of Express.
 *
 * Why it exists: VAPI's webhooks arrive in bursts as calls go on, and the two internal hops of `assistant-request`
 * are answered while a caller waits; on those paths Express's stack and body parser cost more than the handlers.
 * A raw route keeps what the Express stack gives every request (the correlation id, the access log, the
 * route-labelled metric, the JSON error shape, a body limit) and drops the rest. Everything else stays on Express.
 * What it bought: the webhook takes several times the requests per second it took through Express, and the
 * assistant-request hops less CPU and a shorter tail (figures: docs/performance-notes.md#raw-routes).
 * What a change must re-measure: a change here, or moving a route back behind Express, runs `npm run bench` and
 * compares the webhook row (its ratio to the same-POST baseline) and the `assistant-request` rows.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { acceptCorrelationId, CORRELATION_HEADER } from './context';
import { AppError } from './errors';
import { toErrorResponse } from './error-response';
import { INTERNAL_TOKEN_HEADER, internalTokenCheck } from './internal-auth';
import type { Metrics } from './metrics';
import { logRequestCompleted } from './request-log';

/** What a raw route's handler gets: the body read in full (up to the route's limit) and the headers as sent. */
export interface RawRequest {
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The caller's `x-correlation-id` when well formed, else a new one (also sent back in the answer). */
  correlationId: string;
}

export interface RawResponse {
  status: number;
  body: unknown;
}

/**
 * A route served by node:http directly, in front of Express: for the few hot paths (VAPI's webhooks) whose
 * cost per request is the platform's capacity. It keeps what the Express stack gives every request (the
 * correlation id, the access log, the route-labelled metric, the JSON error shape, a body limit) and drops
 * the rest. Other methods and paths go on to Express.
 */
export interface RawRoute {
  method: 'POST';
  /** Matched exactly, with or without a trailing slash; the query string is ignored. */
  path: string;
  bodyLimitBytes: number;
  handle(request: RawRequest): Promise<RawResponse>;
}

/** Returns a request listener's first step: it serves a raw route and says so, or leaves the request alone. */
export function rawRouteDispatcher(routes: RawRoute[], options: { logger: Logger; metrics: Metrics }) {
  const byPath = new Map<string, RawRoute>();
  for (const route of routes) {
    byPath.set(`${route.method} ${route.path}`, route);
    byPath.set(`${route.method} ${route.path}/`, route);
  }
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const route = byPath.get(`${req.method} ${query < 0 ? url : url.slice(0, query)}`);
    if (!route) return false;
    serve(route, req, res, options);
    return true;
  };
}

function serve(route: RawRoute, req: IncomingMessage, res: ServerResponse, { logger, metrics }: { logger: Logger; metrics: Metrics }) {
  const started = process.hrtime.bigint();
  const correlationId = acceptCorrelationId(req.headers[CORRELATION_HEADER]);
  res.setHeader(CORRELATION_HEADER, correlationId);
  res.on('finish', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    metrics.httpDuration.observe({ method: route.method, route: route.path, status: String(res.statusCode) }, seconds);
    // The Express routes' access log line, and like it: the path only, never the query string.
    logRequestCompleted(logger, { id: correlationId, method: route.method, url: route.path }, res.statusCode, seconds);
  });

  const send = (status: number, body: unknown, closeAfter = false) => {
    if (res.headersSent || res.destroyed) return;
    const json = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(json),
      ...(closeAfter ? { connection: 'close' } : {}),
    });
    res.end(json);
  };
  const fail = (error: unknown, closeAfter = false) => {
    const { status, body } = toErrorResponse(error);
    if (status >= 500 && !(error instanceof AppError)) logger.error({ err: error, route: route.path }, 'unhandled error');
    send(status, body, closeAfter);
  };
  // A refused body is still read and dropped, up to a few times the limit: closing the connection while the
  // client is still sending reaches it as a reset rather than as our answer. A body declared beyond that, or
  // still arriving past it, is cut off.
  const drainLimit = route.bodyLimitBytes * 4;
  const declared = Number(req.headers['content-length'] ?? 0);
  let refused = false;
  const refuse = (error: AppError) => {
    refused = true;
    fail(error, declared > drainLimit);
  };

  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (refused) {
      if (size > drainLimit) req.destroy();
      return;
    }
    if (size > route.bodyLimitBytes) {
      chunks.length = 0;
      refuse(new AppError(413, 'payload_too_large', 'The request body is too large.'));
      return;
    }
    chunks.push(chunk);
  });

  const encoding = req.headers['content-encoding'];
  if (encoding && encoding.toLowerCase() !== 'identity') {
    refuse(new AppError(415, 'unsupported_encoding', 'The request body encoding is not supported.'));
  } else if (declared > route.bodyLimitBytes) {
    refuse(new AppError(413, 'payload_too_large', 'The request body is too large.'));
  }
  req.on('error', () => res.destroy());
  req.on('end', () => {
    if (refused) return;
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
    route.handle({ headers: req.headers, body, correlationId }).then(
      (answer) => send(answer.status, answer.body),
      (error: unknown) => fail(error),
    );
  });
}

/** The first value of a header that may be sent more than once. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A Content-Type naming JSON, with or without parameters. */
const JSON_MEDIA_TYPE = /^\s*application\/json\s*(;|$)/i;

/**
 * How deep a JSON body from outside may nest. What VAPI and Stripe send stays far within it; deeper bodies are
 * refused because what reads them later recurses (JSON.stringify, the payload checks, Postgres's jsonb), and
 * would fail on every retry after the delivery had been accepted.
 */
export const JSON_MAX_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const [OPEN_ARRAY, CLOSE_ARRAY, OPEN_OBJECT, CLOSE_OBJECT] = [0x5b, 0x5d, 0x7b, 0x7d];

/**
 * Whether JSON text nests no deeper than `maxDepth` objects and arrays, read from the bytes before anything
 * parses them: JSON.parse takes a body nested hundreds of thousands deep, slowly, and what reads its result
 * then overflows the stack. Brackets inside strings do not count; each string is skipped with a native search
 * for its closing quote, so a body that is mostly text costs little. Text that is not JSON gets an answer
 * too, and JSON.parse then judges it.
 */
export function jsonDepthWithin(raw: Buffer, maxDepth = JSON_MAX_DEPTH): boolean {
  let depth = 0;
  for (let i = 0; i < raw.length; i += 1) {
    const byte = raw[i] as number;
    if (byte === QUOTE) {
      i = closingQuote(raw, i);
      if (i < 0) return true;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      depth += 1;
      if (depth > maxDepth) return false;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth -= 1;
    }
  }
  return true;
}

/** The index of the quote that ends the string opened at `open` (one not escaped by a backslash), or -1. */
function closingQuote(raw: Buffer, open: number): number {
  for (let from = open + 1; ; ) {
    const quote = raw.indexOf(QUOTE, from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (raw[quote - 1 - backslashes] === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}

/** 400 `json_too_deep` unless the body nests within JSON_MAX_DEPTH (see jsonDepthWithin). */
export function assertJsonDepth(raw: Buffer): void {
  if (!jsonDepthWithin(raw)) throw new AppError(400, 'json_too_deep', `The JSON body nests deeper than ${JSON_MAX_DEPTH} levels.`);
}

/**
 * A raw request's body as JSON: 415 (with `mediaTypeMessage`) unless the Content-Type names JSON, 400
 * `json_too_deep` when it nests deeper than JSON_MAX_DEPTH, 400 `invalid_json` when it does not parse.
 */
export function jsonBodyOf(request: Pick<RawRequest, 'headers' | 'body'>, mediaTypeMessage: string): unknown {
  if (!JSON_MEDIA_TYPE.test(headerValue(request.headers, 'content-type') ?? '')) throw new AppError(415, 'unsupported_media_type', mediaTypeMessage);
  assertJsonDepth(request.body);
  try {
    return JSON.parse(request.body.toString('utf8'));
  } catch {
    throw new AppError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
}

/**
 * A raw route for a JSON call from another of the platform's services: the internal token checked as
 * `requireInternalToken` does for the Express routes, the body parsed as JSON, the answer sent as JSON. For the
 * internal calls a caller waits on (the two hops of VAPI's assistant-request), where Express's stack and body
 * parser cost more than the handler.
 */
export function internalJsonRoute(options: {
  path: string;
  /** INTERNAL_API_SECRET: unset, every call is refused. */
  secret: string | undefined;
  bodyLimitBytes: number;
  handle: (body: unknown, request: RawRequest) => Promise<RawResponse>;
}): RawRoute {
  const checkToken = internalTokenCheck(options.secret);
  return {
    method: 'POST',
    path: options.path,
    bodyLimitBytes: options.bodyLimitBytes,
    async handle(request) {
      checkToken(headerValue(request.headers, INTERNAL_TOKEN_HEADER));
      return options.handle(jsonBodyOf(request, 'This API takes JSON (Content-Type: application/json).'), request);
    },
  };
}

