import type { RegistrantContact } from '@dreamseed/contracts';

/** A domain registered to the platform's registrar account. */
export interface Registration {
  /** The registrar's order id, or its id of the domain when the order's own answer was lost. */
  orderId: string | null;
  /** When the registration ends; null when the registrar does not say yet. */
  expiresAt: Date | null;
}

export interface PurchaseOrder {
  requestId: string;
  /** ASCII (punycode), lower case. */
  domain: string;
  years: number;
  contact: RegistrantContact;
}

/** Who registers domains: GoDaddy's purchase API, or the offline stand-in. */
export interface Registrar {
  readonly name: 'godaddy' | 'local';
  /** The domain as registered to the platform's account; null when it is not (free, or someone else's). */
  lookup(domain: string, signal: AbortSignal): Promise<Registration | null>;
  /**
   * Buys the domain. A `RegistrationError` that is not permanent may have bought it all the same (the answer
   * was lost): the caller looks the domain up before buying again.
   */
  purchase(order: PurchaseOrder, signal: AbortSignal): Promise<Registration>;
}

/**
 * Why a registration did not go through, as a short code (never contact details): `permanent` will not change by
 * trying again (the name is taken, the registrar refuses the contact or the account), otherwise it may.
 */
export class RegistrationError extends Error {
  constructor(
    readonly code: string,
    readonly permanent: boolean,
  ) {
    super(code);
    this.name = 'RegistrationError';
  }
}
