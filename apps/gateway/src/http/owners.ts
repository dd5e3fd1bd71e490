import type { Request } from 'express';
import { AppError, CORRELATION_HEADER, INTERNAL_TOKEN_HEADER, currentCorrelationId } from '@dreamseed/platform';

/**
 * Reads from an owner's internal API for the founder making the request: their access token goes along (the
 * owner checks it and reads under row-level security) with the platform's internal token. The owner's 4xx
 * passes through; an owner that is down or late is a 503.
 */
export async function readFromOwner<T>(
  baseUrl: string,
  path: string,
  req: Request,
  options: { internalSecret: string | undefined; timeoutMs?: number },
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      headers: {
        authorization: req.get('authorization') ?? '',
        [INTERNAL_TOKEN_HEADER]: options.internalSecret ?? '',
        [CORRELATION_HEADER]: currentCorrelationId() ?? '',
      },
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
  } catch {
    throw new AppError(503, 'service_unavailable', 'This part of DreamSeed cannot answer right now. Try again shortly.', undefined, { 'Retry-After': '5' });
  }
  const body = (await response.json().catch(() => ({}))) as T & { error?: { code: string; message: string } };
  if (response.status >= 400 && response.status < 500 && body.error) throw new AppError(response.status, body.error.code, body.error.message);
  if (!response.ok) throw new AppError(503, 'service_unavailable', 'This part of DreamSeed cannot answer right now. Try again shortly.', undefined, { 'Retry-After': '5' });
  return body;
}
