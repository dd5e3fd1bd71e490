import type { DomainCandidateView } from '@dreamseed/contracts';

/** One availability answer, whichever provider gave it. */
export interface Availability {
  /** ASCII (punycode) form, lower case. */
  domain: string;
  /** null: the provider could not say (no RDAP server, timeout, error, an answer that made no sense). */
  available: boolean | null;
  /** The registry itself answered (RDAP, GoDaddy FULL or a definitive FAST), as opposed to a guess. */
  definitive: boolean;
  /** Registration price for `periodYears`, in millionths of the currency unit (GoDaddy's v1 unit). */
  priceMicros: number | null;
  currency: string | null;
  provider: string;
  checkedAt: Date;
  /** Why the answer is unknown, for logs and the founder's view. */
  reason?: string;
}

export interface CheckOptions {
  /** Aborted at the caller's deadline: lookups not finished by then answer "unknown". */
  signal: AbortSignal;
}

/** A source of availability answers. `checkMany` never throws for one bad name: it answers "unknown" for it. */
export interface AvailabilityProvider {
  readonly name: string;
  checkMany(domains: readonly string[], options: CheckOptions): Promise<Availability[]>;
}

/** The provider refuses this account (GoDaddy's production API for small accounts): use another one. */
export class ProviderAccessDeniedError extends Error {
  constructor(provider: string, detail: string) {
    super(`${provider} refused access: ${detail}`);
    this.name = 'ProviderAccessDeniedError';
  }
}

export const unknown = (domain: string, provider: string, reason: string): Availability => ({
  domain,
  available: null,
  definitive: false,
  priceMicros: null,
  currency: null,
  provider,
  checkedAt: new Date(),
  reason,
});

/** Micro-units to minor units (cents): 11_990_000 → 1199. */
export const microsToMinor = (micros: number | null): number | null => (micros === null ? null : Math.round(micros / 10_000));

/** An answer as the founder's views show it (prices in minor units). */
export const candidateView = (answer: Availability): DomainCandidateView => ({
  domain: answer.domain,
  available: answer.available,
  definitive: answer.definitive,
  priceMinor: microsToMinor(answer.priceMicros),
  // Lower-case ISO 4217, as billing and Stripe write it (GoDaddy answers `USD`).
  currency: answer.currency?.toLowerCase() ?? null,
  provider: answer.provider,
  checkedAt: answer.checkedAt.toISOString(),
  ...(answer.reason ? { reason: answer.reason } : {}),
});
