import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type Request, type Response } from 'express';
import type { Logger } from 'pino';

/**
 * Paths the web app never answers: the APIs, webhooks and operator pages keep their own 404s (JSON), and a
 * missing hashed asset stays a 404 so that a stale page fails loudly instead of parsing HTML as a script.
 */
const NOT_THE_APP = ['/v1', '/auth', '/webhooks', '/health', '/metrics', '/docs', '/openapi.json', '/admin', '/internal', '/assets'];

/** Hashed names change with their content, so a browser may keep them for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the current hashed files: it is revalidated on every load. */
const REVALIDATE = 'no-cache';

/**
 * The app loads only its own files and talks only to this origin (the API, auth and the event stream);
 * styles are files too, so no inline script or style is allowed anywhere.
 */
export const WEB_APP_CSP = webAppCsp(false);

/**
 * With calls from the browser (`VAPI_WEB_CALLS`), the pages also reach VAPI's API and Daily, whose WebRTC carries
 * the call: Daily's call code loads as a script from its CDN (the app asks for that rather than `eval`), its
 * signalling and media servers are Daily's and its media relays', and its audio processing runs in blob workers.
 */
export function webAppCsp(webCalls: boolean): string {
  const vapi = (hosts: string) => (webCalls ? ` ${hosts}` : '');
  return [
    "default-src 'self'",
    `script-src 'self'${vapi('https://c.daily.co')}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${vapi('https://api.vapi.ai https://*.daily.co wss://*.daily.co https://*.pluot.blue wss://*.pluot.blue')}`,
    ...(webCalls ? ["worker-src 'self' blob:"] : []),
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const underAny = (requestPath: string, prefixes: readonly string[]) =>
  prefixes.some((prefix) => requestPath === prefix || requestPath.startsWith(`${prefix}/`));

function appHeaders(res: Response, cacheControl: string, csp: string) {
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
}

/**
 * Serves the founders' web app (apps/web, built by Vite into `dir`) at `/`: its files, and index.html for any
 * other page a browser asks for (the app's router draws it). Mounted after every other route, so an API path
 * is never answered with the page.
 */
export function mountWebApp(app: Express, dir: string, logger: Logger, options: { webCalls?: boolean } = {}) {
  const root = path.resolve(dir);
  const csp = webAppCsp(options.webCalls ?? false);
  const indexFile = path.join(root, 'index.html');
  if (!existsSync(indexFile)) {
    logger.info({ dir: root }, 'web app not served: no build found (npx nx build web)');
    return;
  }
  app.use(
    express.static(root, {
      index: false,
      redirect: false,
      setHeaders: (res, file) => appHeaders(res, file.startsWith(path.join(root, 'assets') + path.sep) ? IMMUTABLE : REVALIDATE, csp),
    }),
  );
  app.use((req: Request, res: Response, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || underAny(req.path, NOT_THE_APP) || !req.accepts('html')) {
      next();
      return;
    }
    appHeaders(res, REVALIDATE, csp);
    res.sendFile(indexFile, (error) => {
      if (error && !res.headersSent) next(error);
    });
  });
  logger.info({ dir: root }, 'web app served at /');
}
