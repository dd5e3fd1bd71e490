import { reusableCheckout } from './checkout';

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
