import cors from 'cors';
import type { RequestHandler } from 'express';
import { API_VERSION_HEADER } from './api-version';

/** CORS for founders' browser apps: the headers supabase-js sends, and the ones it must read back. */
export function corsFor(origins: string): RequestHandler {
  return cors({
    origin: origins === '*' ? true : origins.split(',').map((o) => o.trim()),
    allowedHeaders: ['apikey', 'authorization', 'content-type', 'x-client-info', 'x-supabase-api-version', 'x-client-ip', 'x-correlation-id'],
    exposedHeaders: [API_VERSION_HEADER, 'x-correlation-id', 'retry-after'],
    maxAge: 600,
  });
}
