import { thrownCode } from '@dreamseed/testing';
import { Catalog, DEFAULT_CATALOG } from './catalog';
import { formationPrice, reusableCheckout } from './checkout';

const NOW = Date.UTC(2026, 0, 1, 12);
const minutes = (n: number) => new Date(NOW + n * 60_000);
const open = (expiresInMinutes: number | null, overrides: { packageId?: string; checkoutUrl?: string | null } = {}) => ({
  packageId: 'monthly',
  checkoutUrl: 'https://checkout.example/session',
  expiresAt: expiresInMinutes === null ? null : minutes(expiresInMinutes),
  ...overrides,
});

describe('reusing an open checkout', () => {
  it('hands out the open checkout again for the same package while it stays open more than ten minutes', () => {
    expect(reusableCheckout(open(11), 'monthly', NOW)).toBe(true);
    expect(reusableCheckout(open(60 * 24), 'monthly', NOW)).toBe(true);
  });

  it('opens a new one when the open checkout closes soon, is for another package, or cannot be shown', () => {
    expect(reusableCheckout(open(10), 'monthly', NOW)).toBe(false);
    expect(reusableCheckout(open(-1), 'monthly', NOW)).toBe(false);
    expect(reusableCheckout(open(60), 'yearly', NOW)).toBe(false);
    expect(reusableCheckout(open(60, { checkoutUrl: null }), 'monthly', NOW)).toBe(false);
    expect(reusableCheckout(open(null), 'monthly', NOW)).toBe(false);
    expect(reusableCheckout(undefined, 'monthly', NOW)).toBe(false);
  });
});

describe('the price of a formation package', () => {
  const catalog = new Catalog(DEFAULT_CATALOG);
  const pkg = (id: string) => {
    const found = catalog.find(id);
    if (!found) throw new Error(id);
    return found;
  };
  const paid = (packageId: string, amountMinor = pkg(packageId).amountMinor, amountRefundedMinor = 0) => ({ packageId, amountMinor, amountRefundedMinor });

  it('is the list price for a first package', () => {
    expect(formationPrice(pkg('formation-standard'), [], catalog)).toEqual({ amountMinor: 19900, upgradeFrom: null });
  });

  it('is the difference from what was paid for a dearer package (an upgrade)', () => {
    expect(formationPrice(pkg('formation-premium'), [paid('formation-standard')], catalog)).toEqual({ amountMinor: 20000, upgradeFrom: pkg('formation-standard') });
    // Paid in two steps already (basic, then the upgrade to standard): premium costs what is left.
    expect(formationPrice(pkg('formation-premium'), [paid('formation-basic'), paid('formation-standard', 10000)], catalog).amountMinor).toBe(20000);
    // A partial refund is money not kept.
    expect(formationPrice(pkg('formation-premium'), [paid('formation-standard', 19900, 4900)], catalog).amountMinor).toBe(24900);
  });

  it('is refused for the same or a cheaper package than one already had', () => {
    expect(thrownCode(() => formationPrice(pkg('formation-standard'), [paid('formation-standard')], catalog))).toBe('formation_already_purchased');
    expect(thrownCode(() => formationPrice(pkg('formation-basic'), [paid('formation-premium')], catalog))).toBe('formation_already_purchased');
    expect(thrownCode(() => formationPrice(pkg('formation-basic'), [paid('formation-basic'), paid('formation-premium', 30000)], catalog))).toBe('formation_already_purchased');
  });
});

