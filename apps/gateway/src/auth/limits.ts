import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { platformKey, type RedisConnection } from '@dreamseed/platform';
import type { GatewayConfig } from '../config';
import { overEmailRateLimit, overRequestRateLimit, overSmsRateLimit } from './errors';

/**
 * Abuse limits, kept in Redis so that they hold across gateway replicas (rate-limiter-flexible). While Redis is
 * unreachable each replica falls back to an in-memory limiter with the same budget: limits stay on, per replica.
 */
export interface AuthLimits {
  /** Sign-ups and sign-ins per client IP. */
  signIn(ip: string): Promise<void>;
  tokenRefresh(ip: string): Promise<void>;
  verify(ip: string): Promise<void>;
  /** Mails per address: throws before anything is sent. */
  mail(email: string): Promise<void>;
  /** Phone-number changes, per user and per client IP: each answer says whether a number is taken. */
  phoneChange(userId: string, ip: string): Promise<void>;
  /** Texts per number: throws before anything is sent. */
  sms(phone: string): Promise<void>;
  /**
   * Counts a typed code for an address (email or phone) before it is checked. False once the address has had
   * AUTH_MAX_WRONG_CODES tries since its last correct code: its outstanding codes are then to be voided. Counted
   * before the check, so that a burst of parallel guesses gets no more tries than a sequence would.
   */
  codeAttempt(address: string): Promise<boolean>;
  /** A correct code, or the address's codes voided: the next code starts with a full allowance. */
  resetCodeAttempts(address: string): Promise<void>;
  /** Throws while an account is backing off after repeated wrong passwords. */
  checkAccount(email: string): Promise<void>;
  failedSignIn(email: string): Promise<void>;
  succeededSignIn(email: string): Promise<void>;
}

const FIVE_MINUTES = 300;

/** Where a limiter keeps its counts: rate-limiter-flexible appends `:<key>`, so they stay under the prefix's hash tag. */
export const limitsKeyPrefix = (prefix: string, name: string) => platformKey(prefix, 'limits', name);

export function createAuthLimits(redis: RedisConnection, config: GatewayConfig, logger: Logger): AuthLimits {
  const limiter = (name: string, points: number, duration: number, blockDuration = 0) =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: limitsKeyPrefix(config.QUEUE_PREFIX, name),
      points,
      duration,
      blockDuration,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points, duration, blockDuration }),
    });

  const signIn = limiter('sign-in', config.RATE_LIMIT_SIGN_IN_PER_5_MIN, FIVE_MINUTES);
  const refresh = limiter('token-refresh', config.RATE_LIMIT_TOKEN_REFRESH_PER_5_MIN, FIVE_MINUTES);
  const verify = limiter('verify', config.RATE_LIMIT_VERIFY_PER_5_MIN, FIVE_MINUTES);
  const mail = limiter('mail', config.RATE_LIMIT_EMAIL_PER_HOUR, 3600);
  const phoneChangeByUser = limiter('phone-change-user', config.RATE_LIMIT_PHONE_CHANGE_PER_HOUR, 3600);
  const phoneChangeByIp = limiter('phone-change-ip', config.RATE_LIMIT_PHONE_CHANGE_PER_HOUR, 3600);
  const sms = limiter('sms', config.RATE_LIMIT_SMS_PER_HOUR, 3600);
  // Wrong passwords in a row per account: past the allowance the account backs off for 15 minutes,
  // whoever asks and from wherever (a success resets the count).
  const failures = limiter('failed-sign-in', config.AUTH_MAX_FAILED_SIGN_INS, 3600, 900);
  // A count lives as long as the codes it guards.
  const codeAttempts = limiter('code-attempts', config.AUTH_MAX_WRONG_CODES, config.AUTH_OTP_EXPIRY_SECONDS);

  async function consume(rateLimiter: RateLimiterRedis, key: string, onLimit: (seconds: number) => Error) {
    try {
      await rateLimiter.consume(key);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw onLimit(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
      logger.warn({ err: error }, 'rate limiter unavailable');
    }
  }

  return {
    signIn: (ip) => consume(signIn, ip, overRequestRateLimit),
    tokenRefresh: (ip) => consume(refresh, ip, overRequestRateLimit),
    verify: (ip) => consume(verify, ip, overRequestRateLimit),
    mail: (email) => consume(mail, email.toLowerCase(), overEmailRateLimit),
    async phoneChange(userId, ip) {
      await consume(phoneChangeByUser, userId, overRequestRateLimit);
      await consume(phoneChangeByIp, ip, overRequestRateLimit);
    },
    sms: (phone) => consume(sms, phone, overSmsRateLimit),
    async codeAttempt(address) {
      try {
        await codeAttempts.consume(address.toLowerCase());
        return true;
      } catch (error) {
        if (error instanceof RateLimiterRes) return false;
        logger.warn({ err: error }, 'rate limiter unavailable');
        return true;
      }
    },
    async resetCodeAttempts(address) {
      await codeAttempts.delete(address.toLowerCase()).catch(() => undefined);
    },
    async checkAccount(email) {
      const state = await failures.get(email.toLowerCase()).catch(() => null);
      if (state && state.remainingPoints <= 0 && state.msBeforeNext > 0) {
        throw overRequestRateLimit(Math.ceil(state.msBeforeNext / 1000));
      }
    },
    async failedSignIn(email) {
      await failures.penalty(email.toLowerCase()).catch(() => undefined);
      const state = await failures.get(email.toLowerCase()).catch(() => null);
      if (state && state.remainingPoints <= 0) await failures.block(email.toLowerCase(), 900).catch(() => undefined);
    },
    async succeededSignIn(email) {
      await failures.delete(email.toLowerCase()).catch(() => undefined);
    },
  };
}
