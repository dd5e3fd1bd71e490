import Stripe from 'stripe';
import { STRIPE_FIXTURE_VERSIONS } from '@dreamseed/testing';
import { stripeShapeOf, SUPPORTED_STRIPE_API_VERSIONS } from './versions';

describe('the Stripe API versions billing reads', () => {
  it('include the version stripe-node pins (a stripe-node upgrade must add its version here, once reviewed)', () => {
    expect(stripeShapeOf(Stripe.API_VERSION)).toEqual({ shape: 'basil' });
  });

  it('are listed once each, oldest first, Basil (2025-03-31) being where the shapes change', () => {
    const all = [...SUPPORTED_STRIPE_API_VERSIONS['pre-basil'], ...SUPPORTED_STRIPE_API_VERSIONS.basil];
    expect([...all].sort()).toEqual(all);
    expect(new Set(all).size).toBe(all.length);
    expect(SUPPORTED_STRIPE_API_VERSIONS['pre-basil'].every((v) => v < '2025-03-31')).toBe(true);
    expect(SUPPORTED_STRIPE_API_VERSIONS.basil[0]).toBe('2025-03-31.basil');
  });

  it('map the test fixtures to the shapes they have', () => {
    expect(stripeShapeOf(STRIPE_FIXTURE_VERSIONS['2020-08-27'])).toEqual({ shape: 'pre-basil' });
    expect(stripeShapeOf(STRIPE_FIXTURE_VERSIONS.dahlia)).toEqual({ shape: 'basil' });
  });

  it.each([
    ['2019-12-03', 'API version "2019-12-03"'],
    ['2025-03-01.dashboard', 'API version "2025-03-01.dashboard"'],
    ['2026-11-25.endive', 'API version "2026-11-25.endive"'],
    ['2025-03-31', 'API version "2025-03-31"'],
    [null, 'no API version'],
    [undefined, 'no API version'],
    ['', 'no API version'],
  ])('refuse %p, saying so', (version, said) => {
    const result = stripeShapeOf(version);
    expect(result).toEqual({ refused: expect.stringContaining(said) });
    expect(result).toEqual({ refused: expect.stringContaining('docs/stripe-versions.md') });
  });

  it('quote at most 64 characters of an unknown version', () => {
    const result = stripeShapeOf('x'.repeat(1000)) as { refused: string };
    expect(result.refused).toContain(`"${'x'.repeat(64)}"`);
    expect(result.refused.length).toBeLessThan(250);
  });
});
