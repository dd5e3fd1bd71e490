import cors from 'cors';
import type { RequestHandler } from 'express';
import { API_VERSION_HEADER } from './api-version';

/** The request headers a browser may send: supabase-js's, and every header parameter of the API document. */
export const CORS_ALLOWED_HEADERS = [
  'apikey',
  'authorization',
  'content-type',
  'x-client-info',
  'x-supabase-api-version',
  'x-client-ip',
  'x-correlation-id',
  'idempotency-key',
  // EventSource sends it when it reconnects to /v1/me/events.
  'last-event-id',
] as const;

/** CORS for founders' browser apps: the headers they send, and the ones they must read back. */
export function corsFor(origins: string): RequestHandler {
  return cors({
    origin: origins === '*' ? true : origins.split(',').map((o) => o.trim()),
    allowedHeaders: [...CORS_ALLOWED_HEADERS],
    exposedHeaders: [API_VERSION_HEADER, 'x-correlation-id', 'retry-after', 'www-authenticate'],
    maxAge: 600,
  });
}
