import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type Express, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { z } from 'zod';
import { QUEUE_NAMES } from '@dreamseed/contracts';
import { AppError, sameSecret, type JobProducer, type RedisConnection } from '@dreamseed/platform';
import { limitsKeyPrefix } from '../auth/limits';
import type { AuthService } from '../auth/service';
import type { GatewayDb } from '../db/client';
import { BASIC_AUTH_ACTOR, recordAudit } from '../operator/audit';
import { apiBearerToken } from './middleware';
import { describeRoutes } from './openapi';
import { OPERATOR_SESSION_COOKIE, operatorOf, operatorOfToken, sessionCookieToken } from './operator-guard';

export const DASHBOARD_PATH = '/admin/queues';
/** Where the operator session cookie goes: the dashboard, and nothing outside `/admin`. */
const COOKIE_PATH = '/admin';

const FAILURE_WINDOW_SECONDS = 15 * 60;

export interface AdminAuthOptions {
  user: string;
  password: string;
  redis: RedisConnection;
  /** Key prefix of the failure counts in Redis (the queue prefix, so that test runs and platforms stay apart). */
  prefix: string;
  /** Wrong credentials per client address in 15 minutes; past them, every try is refused until the window ends. */
  maxFailures: number;
  logger: Logger;
}

/**
 * HTTP Basic auth against the admin credentials, for machines, compared in constant time; 401 with a challenge
 * otherwise. Wrong credentials count against the client's address (in Redis, so across replicas; in memory while
 * Redis is down): past the allowance it gets 429 even with the right password, so that guessing stops paying. A
 * success does not clear the count: a browser resends the admin's credentials on every request, and would
 * otherwise keep resetting the count of a guesser behind the same address.
 */
export function adminAuth(options: AdminAuthOptions): RequestHandler {
  const { maxFailures, logger } = options;
  const failures = new RateLimiterRedis({
    storeClient: options.redis,
    keyPrefix: limitsKeyPrefix(options.prefix, 'admin-failures'),
    points: maxFailures,
    duration: FAILURE_WINDOW_SECONDS,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix: 'admin-failures', points: maxFailures, duration: FAILURE_WINDOW_SECONDS }),
  });
  const valid = (req: Request) => {
    const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
    const [givenUser, ...rest] = Buffer.from(encoded ?? '', 'base64').toString('utf8').split(':');
    return scheme === 'Basic' && sameSecret(givenUser ?? '', options.user) && sameSecret(rest.join(':'), options.password);
  };
  const warnUnavailable = (error: unknown) => logger.warn({ err: error }, 'admin failure limiter unavailable');

  return (req, res, next) => {
    const client = req.ip ?? 'unknown';
    void (async () => {
      const state = await failures.get(client).catch(warnUnavailable);
      if (state && state.consumedPoints >= maxFailures) {
        const seconds = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
        next(
          new AppError(429, 'too_many_attempts', `Too many wrong admin credentials from this address; try again in ${seconds} s.`, undefined, {
            'Retry-After': String(seconds),
          }),
        );
        return;
      }
      if (valid(req)) {
        next();
        return;
      }
      // Past the allowance consume rejects with the limiter's state: the next try is the one refused.
      await failures.consume(client).catch((error: unknown) => {
        if (!(error && typeof error === 'object' && 'msBeforeNext' in error)) warnUnavailable(error);
      });
      res.setHeader('WWW-Authenticate', 'Basic realm="DreamSeed queues", charset="UTF-8"');
      res.status(401).json({ error: { code: 'unauthorized', message: 'Admin credentials are required.' } });
    })().catch(next);
  };
}

/**
 * Who may reach the queues: a signed-in operator, by bearer token or (where `cookie` is on: the dashboard a
 * browser opens) by the session cookie, each checked on every request as `/admin/api` checks a token, so that
 * signing out or losing the role ends access at once; or, when ADMIN_PASSWORD is set, a machine with the admin's
 * Basic credentials (`basic`, rate-limited per address). Founders are 403 `not_operator`.
 */
export function queueAccess(options: { auth: AuthService; basic?: RequestHandler; cookie: boolean }): RequestHandler {
  const { auth, basic, cookie } = options;
  return async (req, res, next) => {
    const scheme = /^(\S+)/.exec(req.get('authorization') ?? '')?.[1]?.toLowerCase();
    if (scheme === 'bearer') {
      req.operator = await operatorOfToken(auth, apiBearerToken(req));
      next();
      return;
    }
    const fromCookie = cookie && !scheme ? sessionCookieToken(req) : undefined;
    if (fromCookie) {
      try {
        req.operator = await operatorOfToken(auth, fromCookie);
      } catch (error) {
        // A cookie that no longer opens anything is dropped, so that the browser stops sending it.
        clearSessionCookie(res, req);
        throw error;
      }
      next();
      return;
    }
    if (basic) {
      basic(req, res, next);
      return;
    }
    throw new AppError(401, 'unauthorized', 'Sign in as an operator: an operator access token (Authorization: Bearer), or the session cookie of POST /admin/api/session.', undefined, {
      'WWW-Authenticate': 'Bearer realm="dreamseed"',
    });
  };
}

/** The BullMQ dashboard over all five queues, behind `access` (`queueAccess`, the cookie on); its commands are audited. */
export function mountQueueDashboard(app: Express, deps: { producer: JobProducer; db: GatewayDb }, access: RequestHandler) {
  const serverAdapter = new ExpressAdapter().setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: QUEUE_NAMES.map((name) => new BullMQAdapter(deps.producer.queue(name))), serverAdapter });
  app.use(DASHBOARD_PATH, access, auditCommands(deps.db), serverAdapter.getRouter());
}

/**
 * The dashboard's commands (retry, promote, clean, remove, pause …: every request that is not a read) go to the
 * audit log as the failed-jobs API's do, once answered, with the dashboard's own path (queue and job id) as target.
 */
function auditCommands(db: GatewayDb): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.on('finish', () => {
        const outcome = res.statusCode < 400 ? 'accepted' : res.statusCode < 500 ? 'refused' : 'failed';
        recordAudit(db, {
          actor: req.operator ?? BASIC_AUTH_ACTOR,
          action: 'dashboard_command',
          target: `${req.method} ${req.path}`,
          params: req.operator ? {} : { credentials: 'basic' },
          outcome,
          code: outcome === 'accepted' ? null : `http_${res.statusCode}`,
        }).catch((error: unknown) => req.log?.warn({ err: error }, 'a dashboard command could not be audited'));
      });
    }
    next();
  };
}

const sessionOpened = z
  .object({ expires_at: z.iso.datetime({ offset: true }).openapi({ description: 'When the cookie ends: when the token does' }) })
  .openapi('OperatorSession');

describeRoutes(
  'operators',
  [
    [
      'post',
      '/admin/api/session',
      `Open the queue dashboard (${DASHBOARD_PATH}) in this browser: sets an HttpOnly, SameSite=Strict cookie for /admin holding the bearer token, for as long as the token lives; it is checked on every request as the token is, so signing out or losing the operator role ends it. Post again with a refreshed token to extend it`,
      undefined,
      { responses: { 200: sessionOpened } },
    ],
    ['delete', '/admin/api/session', 'Drop the dashboard cookie of this browser (204)', undefined],
  ],
  { bearer: true },
);

/**
 * `/admin/api/session`, behind `requireOperator`: turns the operator's bearer token into the dashboard's cookie, and
 * drops it. The cookie is the token itself (its check is the token's), Secure whenever the request came over
 * https (behind a proxy: as TRUST_PROXY lets Express read X-Forwarded-Proto).
 */
export function operatorSessionRouter(): Router {
  const router = express.Router();
  router.post('/session', (req, res) => {
    const operator = operatorOf(req);
    const token = apiBearerToken(req);
    const seconds = Math.max(0, operator.expiresAt - Math.floor(Date.now() / 1000));
    res.cookie(OPERATOR_SESSION_COOKIE, token, { ...cookieOptions(req), maxAge: seconds * 1000 });
    res.json({ expires_at: new Date(operator.expiresAt * 1000).toISOString() });
  });
  router.delete('/session', (req, res) => {
    clearSessionCookie(res, req);
    res.status(204).end();
  });
  return router;
}

const cookieOptions = (req: Request) => ({ httpOnly: true, sameSite: 'strict' as const, path: COOKIE_PATH, secure: req.secure });

function clearSessionCookie(res: Response, req: Request) {
  res.clearCookie(OPERATOR_SESSION_COOKIE, cookieOptions(req));
}
