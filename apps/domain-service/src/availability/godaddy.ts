import { setMaxListeners } from 'node:events';
import { z } from 'zod';
import { sleep, withDeadline } from '@dreamseed/platform';
import { ConcurrencyLimiter } from './limiter';
import { ProviderAccessDeniedError, unknown, type Availability, type AvailabilityProvider, type CheckOptions } from './types';

const answer = z.object({
  domain: z.string(),
  available: z.boolean(),
  definitive: z.boolean().optional(),
  price: z.number().int().nonnegative().optional(),
  currency: z.string().optional(),
  period: z.number().optional(),
});
/** 200 and 203 (partial: some names in `errors`) share one shape. */
const bulkAnswer = z.object({ domains: z.array(z.unknown()), errors: z.array(z.unknown()).optional() });
const limited = z.object({ retryAfterSec: z.number().nonnegative() });

/** Longest wait for a 429's `retryAfterSec` before the batch answers "unknown" instead. */
const MAX_RETRY_WAIT_MS = 8000;
const MAX_ATTEMPTS = 3;

/**
 * GoDaddy's v1 bulk availability (`POST /v1/domains/available`, `sso-key` auth), in batches. Prices come in
 * micro-units and are kept so. A 429 waits `retryAfterSec` (within the caller's deadline) and tries again; a
 * 403 (production access is closed to accounts with fewer than 50 domains) throws `ProviderAccessDeniedError`
 * so the caller can fall back to another provider.
 */
export class GoDaddyProvider implements AvailabilityProvider {
  readonly name = 'godaddy';
  private readonly limiter: ConcurrencyLimiter;

  constructor(
    private readonly options: { baseUrl: string; apiKey: string; apiSecret: string; timeoutMs: number; batchSize: number; concurrency: number },
  ) {
    this.limiter = new ConcurrencyLimiter(options.concurrency);
  }

  async checkMany(domains: readonly string[], { signal }: CheckOptions): Promise<Availability[]> {
    // Every lookup listens to the caller's signal: many at once is expected here.
    setMaxListeners(0, signal);
    const batches: string[][] = [];
    for (let i = 0; i < domains.length; i += this.options.batchSize) batches.push(domains.slice(i, i + this.options.batchSize));
    const answered = await Promise.all(batches.map((batch) => this.limiter.run(() => this.checkBatch(batch, signal), signal).catch((error: unknown) => {
      if (error instanceof ProviderAccessDeniedError) throw error;
      return batch.map((domain) => unknown(domain, this.name, signal.aborted ? 'timeout' : 'unreachable'));
    })));
    return answered.flat();
  }

  private async checkBatch(batch: string[], signal: AbortSignal): Promise<Availability[]> {
    for (let attempt = 1; ; attempt += 1) {
      const { response, body } = await withDeadline(this.options.timeoutMs, signal, async (deadline) => {
        const answered = await fetch(`${this.options.baseUrl.replace(/\/$/, '')}/v1/domains/available?checkType=FAST`, {
          method: 'POST',
          headers: {
            authorization: `sso-key ${this.options.apiKey}:${this.options.apiSecret}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify(batch),
          signal: deadline,
        });
        return { response: answered, body: (await answered.json().catch(() => undefined)) as unknown };
      });
      if (response.status === 403 || response.status === 401) {
        const code = (body as { code?: unknown } | undefined)?.code;
        throw new ProviderAccessDeniedError(this.name, `${response.status} ${typeof code === 'string' ? code : ''}`.trim());
      }
      if (response.status === 429 && attempt < MAX_ATTEMPTS) {
        const waitMs = (limited.safeParse(body).data?.retryAfterSec ?? 2 ** attempt) * 1000;
        if (waitMs <= MAX_RETRY_WAIT_MS) {
          await sleep(waitMs);
          signal.throwIfAborted();
          continue;
        }
      }
      if (response.status !== 200 && response.status !== 203) return batch.map((domain) => unknown(domain, this.name, `status_${response.status}`));
      return this.read(batch, body);
    }
  }

  /** One answer per asked name, in the asked order; names GoDaddy did not answer (or answered oddly) are unknown. */
  private read(batch: string[], body: unknown): Availability[] {
    const parsed = bulkAnswer.safeParse(body);
    if (!parsed.success) return batch.map((domain) => unknown(domain, this.name, 'malformed_response'));
    const byDomain = new Map<string, z.infer<typeof answer>>();
    for (const item of parsed.data.domains) {
      const one = answer.safeParse(item);
      if (one.success) byDomain.set(one.data.domain.toLowerCase(), one.data);
    }
    return batch.map((domain) => {
      const found = byDomain.get(domain);
      if (!found) return unknown(domain, this.name, 'not_answered');
      // The price covers `period` years; we show one year's.
      const priceMicros = found.price === undefined ? null : Math.round(found.price / Math.max(found.period ?? 1, 1));
      return {
        domain,
        available: found.available,
        definitive: found.definitive ?? false,
        priceMicros,
        currency: priceMicros === null ? null : (found.currency ?? 'USD'),
        provider: this.name,
        checkedAt: new Date(),
      };
    });
  }
}
