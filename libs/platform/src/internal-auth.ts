import { hash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { CORRELATION_HEADER } from './context';
import { AppError } from './errors';

/**
 * How the platform's services know each other: every internal call carries INTERNAL_API_SECRET in
 * `x-internal-token`, and every internal API checks it. The calls themselves go through `callInternal`.
 */
export const INTERNAL_TOKEN_HEADER = 'x-internal-token';

const digestOf = (value: string) => hash('sha256', value, 'buffer');

/** Compares digests, so that neither the length nor the content of a secret leaks through timing. */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digestOf(given), digestOf(expected));
}

/** `sameSecret` against a secret known in advance, whose digest is taken once (for checks on every request). */
export function secretMatcher(expected: string): (given: string) => boolean {
  const expectedDigest = digestOf(expected);
  return (given) => timingSafeEqual(digestOf(given), expectedDigest);
}

/**
 * Checks a caller's `x-internal-token` against INTERNAL_API_SECRET (unset: every caller is refused), throwing the
 * 401 when it does not match: for the Express routes (`requireInternalToken`) and the raw ones alike.
 */
export function internalTokenCheck(secret: string | undefined): (given: string | undefined) => void {
  const matches = secret ? secretMatcher(secret) : () => false;
  return (given) => {
    if (!matches(given ?? '')) throw new AppError(401, 'unauthorized', "This internal API is for the platform's own services.");
  };
}

/** The headers of a call to another service's internal API: the platform's token, and the correlation id if any. */
export function internalHeaders(secret: string | undefined, correlationId?: string): Record<string, string> {
  return { [INTERNAL_TOKEN_HEADER]: secret ?? '', ...(correlationId ? { [CORRELATION_HEADER]: correlationId } : {}) };
}

/** Guards an app's internal API: only callers holding INTERNAL_API_SECRET (the other apps) get through. */
export function requireInternalToken(secret: string | undefined): RequestHandler {
  const check = internalTokenCheck(secret);
  return (req, _res, next) => {
    try {
      check(req.get(INTERNAL_TOKEN_HEADER));
    } catch (error) {
      next(error);
      return;
    }
    next();
  };
}
