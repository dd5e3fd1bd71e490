import type { RequestHandler } from 'express';

/**
 * The Supabase API version the gateway speaks, announced on every auth answer: `@supabase/auth-js` reads the
 * header to choose how to parse error bodies, so CORS must expose it to browsers.
 */
export const API_VERSION_HEADER = 'X-Supabase-Api-Version';
export const API_VERSION = '2024-01-01';

/** Sets the API version header on every answer of the router it is mounted on. */
export function announceApiVersion(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader(API_VERSION_HEADER, API_VERSION);
    next();
  };
}
