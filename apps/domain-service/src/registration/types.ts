import type { DomainAgreementView, RegistrantContact, RegistrationConsent } from '@dreamseed/contracts';

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
  /** The founder's consent to the registrar's agreements for this domain, as the gateway recorded it. */
  consent: RegistrationConsent;
}

/** Who registers domains: GoDaddy's purchase API, or the offline stand-in. */
export interface Registrar {
  readonly name: 'godaddy' | 'local';
  /**
   * The agreements the registrar requires for registering the domain, as it states them now: the founder reads
   * and agrees to these before the purchase. Throws a `RegistrationError` when the registrar cannot say.
   */
  agreements(domain: string, signal: AbortSignal): Promise<DomainAgreementView[]>;
  /** The domain as registered to the platform's account; null when it is not (free, or someone else's). */
  lookup(domain: string, signal: AbortSignal): Promise<Registration | null>;
  /**
   * Buys the domain, once the founder's consent names every agreement the registrar requires now (else
   * `registration_consent_outdated`). A `RegistrationError` that is not permanent may have bought it all the same
   * (the answer was lost): the caller looks the domain up before buying again.
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

/**
 * Refuses a purchase whose consent lacks an agreement the registrar requires now: the registrar changed its
 * agreements since the founder agreed, and they must agree to the new ones first.
 */
export function requireConsentTo(required: readonly string[], consent: RegistrationConsent): void {
  const agreed = new Set(consent.agreementKeys);
  if (!required.every((key) => agreed.has(key))) throw new RegistrationError('registration_consent_outdated', true);
}
