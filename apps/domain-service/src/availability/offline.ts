import { createHash } from 'node:crypto';
import type { Availability, AvailabilityProvider } from './types';

/** Indicative first-year prices (USD micro-units) for the offline stand-in, so that screens have something to show. */
const OFFLINE_PRICES: Record<string, number> = {
  com: 11_990_000, net: 13_990_000, org: 9_990_000, io: 39_990_000, co: 24_990_000, ai: 79_990_000, app: 14_990_000,
  dev: 12_990_000, shop: 2_990_000, store: 4_990_000, biz: 17_990_000, info: 3_990_000, us: 6_990_000,
};

/**
 * For machines without internet (`npm start` on a laptop): the same name always gets the same answer, derived
 * from a hash, about two in three "available". It is not a real answer, so it is never definitive and says
 * it comes from `offline`.
 */
export class OfflineProvider implements AvailabilityProvider {
  readonly name = 'offline';

  async checkMany(domains: readonly string[]): Promise<Availability[]> {
    return domains.map((domain) => {
      const byte = createHash('sha256').update(domain).digest()[0] ?? 0;
      const price = OFFLINE_PRICES[domain.slice(domain.lastIndexOf('.') + 1)] ?? null;
      return {
        domain,
        available: byte < 170,
        definitive: false,
        priceMicros: price,
        currency: price === null ? null : 'USD',
        provider: this.name,
        checkedAt: new Date(),
      };
    });
  }
}
