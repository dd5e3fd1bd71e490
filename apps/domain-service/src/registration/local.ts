import type { PurchaseOrder, Registrar, Registration } from './types';

/**
 * For machines without a registrar account (`npm start`, tests): registers at once, for the years asked, under
 * an order id made from the request, so that a retry gets the same answer. It buys nothing and keeps nothing;
 * the registration row is its only record, so a lookup never finds a domain here.
 */
export class LocalRegistrar implements Registrar {
  readonly name = 'local';

  async lookup(): Promise<Registration | null> {
    return null;
  }

  async purchase(order: PurchaseOrder): Promise<Registration> {
    const expiresAt = new Date();
    expiresAt.setUTCFullYear(expiresAt.getUTCFullYear() + order.years);
    return { orderId: `local-${order.requestId}`, expiresAt };
  }
}
