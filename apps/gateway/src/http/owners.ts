import type { Request } from 'express';
import { AppError, callInternal, internalHeaders, type InternalResponse } from '@dreamseed/platform';

interface OwnerCallOptions {
  internalSecret: string | undefined;
  timeoutMs?: number;
}

const unavailable = () =>
  new AppError(503, 'service_unavailable', 'This part of DreamSeed cannot answer right now. Try again shortly.', undefined, { 'Retry-After': '5' });

/** An owner's answer: what was asked for, or its error. */
type OwnerAnswer<T> = T & { error?: { code: string; message: string; details?: unknown } };

/**
 * Calls an owner's internal API for the founder making the request: their access token goes along (the owner
 * checks it and acts for them, reading under row-level security) with the platform's internal token. The
 * owner's 4xx passes through; an owner that is down or late is a 503.
 */
async function callOwner<T>(
  baseUrl: string,
  path: string,
  req: Request,
  options: OwnerCallOptions & { method: 'GET' | 'POST'; body?: unknown },
): Promise<{ status: number; body: T }> {
  let response: InternalResponse;
  try {
    response = await callInternal(`${baseUrl}${path}`, {
      method: options.method,
      headers: { authorization: req.get('authorization') ?? '', ...internalHeaders(options.internalSecret, req.correlationId) },
      json: options.body,
      timeoutMs: options.timeoutMs ?? 5000,
    });
  } catch {
    throw unavailable();
  }
  const body = response.jsonIfAny<OwnerAnswer<T>>() ?? ({} as OwnerAnswer<T>);
  if (response.status >= 400 && response.status < 500 && body.error) throw new AppError(response.status, body.error.code, body.error.message, body.error.details);
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
