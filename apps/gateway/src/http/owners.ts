import type { Request } from 'express';
import { z } from 'zod';
import { AppError, PAGE_LIMIT_MAX, callInternal, internalHeaders, notFound, pageQuery, pageRequest, type InternalResponse } from '@dreamseed/platform';

interface OwnerCallOptions {
  internalSecret: string | undefined;
  timeoutMs?: number;
  /** A query string built by the gateway from checked values (a list's page), never the client's own. */
  query?: URLSearchParams;
}

const unavailable = () =>
  new AppError(503, 'service_unavailable', 'This part of DreamSeed cannot answer right now. Try again shortly.', undefined, { 'Retry-After': '5' });

/**
 * The id in a request's path (`:id`) for an owner's id, all of which are UUIDs: anything else names nothing,
 * so it is not found before an owner is asked. Lower-cased, as Postgres writes them.
 */
export function pathId(req: Request, what: string): string {
  const id = z.uuid().safeParse(req.params.id);
  if (!id.success) throw notFound(`No such ${what}.`);
  return id.data.toLowerCase();
}

/** What an owner's path may hold in each part: no dot segment, no slash, no escape that a server could decode into one. */
const SAFE_SEGMENT = /^[A-Za-z0-9_-]{1,200}$/;
const SAFE_PATH = /^(\/[A-Za-z0-9_-]{1,200})+$/;

/**
 * An owner's internal path (`INTERNAL_PATHS`) with its `:name` parts filled in. A value that is not a safe
 * segment is refused as not found rather than escaped: escaped, it would still reach the owner's other paths
 * wherever a server or proxy decodes it.
 */
export function ownerPath(template: string, values: Record<string, string>): string {
  return template.replace(/:(\w+)/g, (_part, name: string) => {
    const value = values[name];
    if (value === undefined || !SAFE_SEGMENT.test(value)) throw notFound();
    return value;
  });
}

/**
 * An owner's own words about a path it does not serve name its internal paths ("No route for GET /internal/...");
 * the founder gets a plain message instead. Owners' other messages are written for founders and pass.
 */
const NAMES_AN_INTERNAL_PATH = /\/internal\b|\bno route\b/i;

function ownerError(status: number, error: { code?: unknown; message?: unknown; details?: unknown }): AppError {
  const code = typeof error.code === 'string' ? error.code : undefined;
  const message = typeof error.message === 'string' ? error.message : undefined;
  if (code && message && !NAMES_AN_INTERNAL_PATH.test(message)) return new AppError(status, code, message, error.details);
  return status === 404 ? notFound() : new AppError(status, code ?? 'request_refused', 'This request cannot be completed.');
}

/** An owner's answer: what was asked for, or its error. */
type OwnerAnswer<T> = T & { error?: { code?: unknown; message?: unknown; details?: unknown } };

/**
 * Calls an owner's internal API for the founder making the request: their access token goes along (the owner
 * checks it and acts for them, reading under row-level security) with the platform's internal token. The
 * owner's 4xx passes through (see ownerError); an owner that is down or late is a 503. Only a path of safe
 * segments is sent (see ownerPath): the internal token goes along with every call.
 */
async function callOwner<T>(
  baseUrl: string,
  path: string,
  req: Request,
  options: OwnerCallOptions & { method: 'GET' | 'POST'; body?: unknown },
): Promise<{ status: number; body: T }> {
  if (!SAFE_PATH.test(path)) throw notFound();
  let response: InternalResponse;
  try {
    const query = options.query?.size ? `?${options.query.toString()}` : '';
    response = await callInternal(`${baseUrl}${path}${query}`, {
      method: options.method,
      headers: { authorization: req.get('authorization') ?? '', ...internalHeaders(options.internalSecret, req.correlationId) },
      json: options.body,
      timeoutMs: options.timeoutMs ?? 5000,
    });
  } catch {
    throw unavailable();
  }
  const body = response.jsonIfAny<OwnerAnswer<T>>() ?? ({} as OwnerAnswer<T>);
  if (response.status >= 400 && response.status < 500 && body.error) throw ownerError(response.status, body.error);
  if (!response.ok) throw unavailable();
  return { status: response.status, body };
}

/** Reads from an owner's internal API for the founder making the request (see callOwner). */
export async function readFromOwner<T>(baseUrl: string, path: string, req: Request, options: OwnerCallOptions): Promise<T> {
  return (await callOwner<T>(baseUrl, path, req, { ...options, method: 'GET' })).body;
}

/** Asks an owner to act for the founder making the request, when the answer is needed at once (see callOwner). */
export function postToOwner<T>(baseUrl: string, path: string, req: Request, body: unknown, options: OwnerCallOptions): Promise<{ status: number; body: T }> {
  return callOwner<T>(baseUrl, path, req, { ...options, method: 'POST', body });
}

/**
 * One page of an owner's list for the founder making the request: `limit` and `cursor` checked here (400
 * `invalid_limit`, `invalid_cursor`) and passed on; the owner answers the page with `next_cursor`.
 */
export function readPageFromOwner<T>(baseUrl: string, path: string, req: Request, options: OwnerCallOptions): Promise<T> {
  return readFromOwner<T>(baseUrl, path, req, { ...options, query: pageQuery(pageRequest(req.query)) });
}

/** Every page of an owner's list (for the export), up to `maxRows`: an export never stops at one page. */
export async function readAllFromOwner<T>(baseUrl: string, path: string, key: string, req: Request, options: OwnerCallOptions, maxRows = 10_000): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: String(PAGE_LIMIT_MAX) });
    if (cursor) query.set('cursor', cursor);
    const page: Record<string, unknown> = await readFromOwner<Record<string, unknown>>(baseUrl, path, req, { ...options, query });
    rows.push(...((page[key] as T[] | undefined) ?? []));
    cursor = typeof page.next_cursor === 'string' ? page.next_cursor : null;
  } while (cursor && rows.length < maxRows);
  return rows;
}
