import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Express, Request, RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { QUEUE_NAMES } from '@dreamseed/contracts';
import { AppError, sameSecret, type JobProducer } from '@dreamseed/platform';

export const DASHBOARD_PATH = '/admin/queues';

const FAILURE_WINDOW_SECONDS = 15 * 60;

export interface AdminAuthOptions {
  user: string;
  password: string;
  redis: Redis;
  /** Key prefix of the failure counts in Redis (the queue prefix, so that test runs and platforms stay apart). */
  prefix: string;
  /** Wrong credentials per client address in 15 minutes; past them, every try is refused until the window ends. */
  maxFailures: number;
  logger: Logger;
}

/**
 * HTTP Basic auth against the admin credentials, compared in constant time; 401 with a challenge otherwise.
 * Wrong credentials count against the client's address (in Redis, so across replicas; in memory while Redis is
 * down): past the allowance it gets 429 even with the right password, so that guessing stops paying. A success
 * does not clear the count: a browser resends the admin's credentials on every request, and would otherwise
 * keep resetting the count of a guesser behind the same address.
 */
export function adminAuth(options: AdminAuthOptions): RequestHandler {
  const { maxFailures, logger } = options;
  const failures = new RateLimiterRedis({
    storeClient: options.redis,
    keyPrefix: `${options.prefix}:limits:admin-failures`,
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

/** The BullMQ dashboard over all five queues, behind the admin credentials (`adminAuth`). */
export function mountQueueDashboard(app: Express, producer: JobProducer, auth: RequestHandler) {
  const serverAdapter = new ExpressAdapter().setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: QUEUE_NAMES.map((name) => new BullMQAdapter(producer.queue(name))), serverAdapter });
  app.use(DASHBOARD_PATH, auth, serverAdapter.getRouter());
}
