import { and, gt, inArray, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { platformKey, withOwnerRole, type Metrics, type RedisConnection } from '@dreamseed/platform';
import type { DomainDb } from '../db/client';
import { domainAvailability } from '../db/schema';
import { ProviderAccessDeniedError, type Availability, type AvailabilityProvider, type CheckOptions } from './types';

/** How long a provider that refused access is left alone before it is tried again. */
const ACCESS_DENIED_PAUSE_MS = 10 * 60_000;

export interface CheckerOptions {
  redis: RedisConnection;
  /** Redis key prefix (the platform's queue prefix, so that platforms sharing a Redis do not share answers). */
  keyPrefix: string;
  ttlSeconds: number;
  db: DomainDb;
  primary: AvailabilityProvider;
  /** Asked for what the primary could not answer, and instead of it while it refuses access. */
  fallback?: AvailabilityProvider;
  logger: Logger;
  /** Where `domain_availability_answers_total` is reported. */
  metrics?: Metrics;
}

interface Cached extends Omit<Availability, 'checkedAt'> {
  checkedAt: string;
}

/**
 * The one way the service asks whether names are free: Redis first (TTL), then the last answers kept in
 * `domain_availability`, then the provider for the rest (with the fallback for what it could not answer).
 * Answers come back in the order asked; only known answers are remembered.
 */
export class AvailabilityChecker {
  private primaryPausedUntil = 0;
  private readonly answers?: Counter<'provider' | 'outcome' | 'source'>;

  constructor(private readonly options: CheckerOptions) {
    if (options.metrics) {
      this.answers = new Counter({
        name: 'domain_availability_answers_total',
        help: 'Availability answers by provider, outcome (available, taken, unknown) and source (cache, table, provider)',
        labelNames: ['provider', 'outcome', 'source'],
        registers: [options.metrics.registry],
      });
    }
  }

  /** `fresh` skips what is remembered (a selection re-checks the name itself). */
  async check(domains: readonly string[], options: CheckOptions & { fresh?: boolean }): Promise<Availability[]> {
    const wanted = [...new Set(domains)];
    const found = options.fresh ? new Map<string, Availability>() : await this.fromCache(wanted);
    this.count(found.values(), 'cache');
    const missing = wanted.filter((domain) => !found.has(domain));
    if (missing.length) {
      if (!options.fresh) {
        const stored = await this.fromTable(missing);
        this.count(stored, 'table');
        for (const answer of stored) found.set(answer.domain, answer);
      }
      const unanswered = missing.filter((domain) => !found.has(domain));
      if (unanswered.length) {
        const answers = await this.ask(unanswered, options);
        this.count(answers, 'provider');
        for (const answer of answers) found.set(answer.domain, answer);
        await this.remember(answers.filter((answer) => answer.available !== null));
      }
    }
    return domains.map((domain) => found.get(domain) as Availability);
  }

  private count(answers: Iterable<Availability>, source: 'cache' | 'table' | 'provider') {
    if (!this.answers) return;
    for (const answer of answers) {
      const outcome = answer.available === null ? 'unknown' : answer.available ? 'available' : 'taken';
      this.answers.inc({ provider: answer.provider, outcome, source });
    }
  }

  private key(domain: string) {
    return platformKey(this.options.keyPrefix, 'domain', 'availability', domain);
  }

  private async fromCache(domains: string[]): Promise<Map<string, Availability>> {
    const found = new Map<string, Availability>();
    if (!domains.length) return found;
    try {
      const values = await this.options.redis.mget(domains.map((domain) => this.key(domain)));
      values.forEach((value, i) => {
        if (!value) return;
        const cached = JSON.parse(value) as Cached;
        found.set(domains[i] as string, { ...cached, checkedAt: new Date(cached.checkedAt) });
      });
    } catch (error) {
      this.options.logger.warn({ err: error }, 'availability cache unreadable; asking the provider');
    }
    return found;
  }

  private async fromTable(domains: string[]): Promise<Availability[]> {
    try {
      const rows = await withOwnerRole(this.options.db, 'domain', (tx) =>
        tx.select().from(domainAvailability).where(and(inArray(domainAvailability.domain, domains), gt(domainAvailability.expiresAt, new Date()))),
      );
      const answers = rows.map((row) => ({
        domain: row.domain,
        available: row.available,
        definitive: row.definitive,
        priceMicros: row.priceMicros,
        currency: row.currency,
        provider: row.provider,
        checkedAt: row.checkedAt,
      }));
      // Back into Redis for what is left of their time, so that the next search finds them there.
      await this.cache(rows.map((row, i) => [answers[i] as Availability, Math.ceil((row.expiresAt.getTime() - Date.now()) / 1000)]));
      return answers;
    } catch (error) {
      this.options.logger.warn({ err: error }, 'stored availability unreadable; asking the provider');
      return [];
    }
  }

  private async cache(entries: [Availability, number][]): Promise<void> {
    if (!entries.length) return;
    try {
      const pipeline = this.options.redis.pipeline();
      for (const [answer, seconds] of entries) pipeline.set(this.key(answer.domain), JSON.stringify(answer), 'EX', Math.max(seconds, 1));
      await pipeline.exec();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'availability cache not written');
    }
  }

  private async ask(domains: string[], options: CheckOptions): Promise<Availability[]> {
    const { primary, fallback, logger } = this.options;
    let answers: Availability[];
    if (fallback && Date.now() < this.primaryPausedUntil) return fallback.checkMany(domains, options);
    try {
      answers = await primary.checkMany(domains, options);
    } catch (error) {
      if (!(error instanceof ProviderAccessDeniedError) || !fallback) throw error;
      this.primaryPausedUntil = Date.now() + ACCESS_DENIED_PAUSE_MS;
      logger.warn({ provider: primary.name, fallback: fallback.name, reason: error.message }, 'availability provider refused access; using the fallback for 10 minutes');
      return fallback.checkMany(domains, options);
    }
    const unknown = answers.filter((answer) => answer.available === null).map((answer) => answer.domain);
    if (!fallback || !unknown.length || options.signal.aborted) return answers;
    const second = new Map((await fallback.checkMany(unknown, options)).map((answer) => [answer.domain, answer]));
    return answers.map((answer) => (answer.available === null ? (second.get(answer.domain) ?? answer) : answer));
  }

  private async remember(answers: Availability[]): Promise<void> {
    if (!answers.length) return;
    const { ttlSeconds, db, logger } = this.options;
    await this.cache(answers.map((answer) => [answer, ttlSeconds]));
    try {
      const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
      await withOwnerRole(db, 'domain', (tx) =>
        tx
          .insert(domainAvailability)
          .values(answers.map((a) => ({ domain: a.domain, available: a.available, definitive: a.definitive, provider: a.provider, priceMicros: a.priceMicros, currency: a.currency, checkedAt: a.checkedAt, expiresAt })))
          .onConflictDoUpdate({
            target: domainAvailability.domain,
            set: {
              available: sql`excluded.available`,
              definitive: sql`excluded.definitive`,
              provider: sql`excluded.provider`,
              priceMicros: sql`excluded.price_micros`,
              currency: sql`excluded.currency`,
              checkedAt: sql`excluded.checked_at`,
              expiresAt: sql`excluded.expires_at`,
            },
          }),
      );
    } catch (error) {
      logger.warn({ err: error }, 'availability not stored');
    }
  }
}
