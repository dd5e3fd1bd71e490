import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { badRequest, summarizeIssues } from '@dreamseed/platform';
import { noAuthorization } from '../auth/errors';
import type { AuthUserRow } from '../auth/serialize';
import type { AuthService } from '../auth/service';
import type { AccessClaims } from '../auth/tokens';

declare module 'express-serve-static-core' {
  interface Request {
    /** The signed-in caller, set by `requireUser`. */
    auth?: { claims: AccessClaims; user: AuthUserRow };
  }
}

/** Verifies the bearer access token and that its session still exists; the result is on `req.auth`. */
export function requireUser(service: AuthService): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw noAuthorization();
    req.auth = await service.authenticate(match[1]);
    next();
  };
}

/** A request body checked against its schema: the parsed value, or 400 `validation_failed` naming each issue. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw badRequest('validation_failed', 'The request is not valid.', summarizeIssues(result.error.issues));
  return result.data;
}
