import type { DomainAgreementView } from '@dreamseed/contracts';
import { requireConsentTo, type PurchaseOrder, type Registrar, type Registration } from './types';

/** The stand-in's one agreement, so that the founder's consent goes the same way as with a real registrar. */
export const LOCAL_REGISTRATION_AGREEMENT: DomainAgreementView = {
  key: 'DREAMSEED_LOCAL_REGISTRATION',
  title: 'DreamSeed offline registration stand-in: no real domain is registered or bought',
  url: null,
};

/**
 * For machines without a registrar account (`npm start`, tests): registers at once, for the years asked, under
 * an order id made from the request, so that a retry gets the same answer. It buys nothing and keeps nothing;
 * the registration row is its only record, so a lookup never finds a domain here.
 */
export class LocalRegistrar implements Registrar {
  readonly name = 'local';

  async agreements(): Promise<DomainAgreementView[]> {
    return [LOCAL_REGISTRATION_AGREEMENT];
  }

  async lookup(): Promise<Registration | null> {
    return null;
  }

  async purchase(order: PurchaseOrder): Promise<Registration> {
    requireConsentTo([LOCAL_REGISTRATION_AGREEMENT.key], order.consent);
    const expiresAt = new Date();
    expiresAt.setUTCFullYear(expiresAt.getUTCFullYear() + order.years);
    return { orderId: `local-${order.requestId}`, expiresAt };
  }
}
