import { ConfigError, parseConfig } from '@dreamseed/platform';
import { DEFAULT_CATALOG } from './billing/catalog';
import { billingConfigSchema, paymentProviderOf } from './config';

const base = { DATABASE_URL: 'postgres://localhost/x', REDIS_URL: 'redis://localhost:6379' };
const production = { NODE_ENV: 'production', JWT_SECRET: 'a-production-token-key-of-at-least-32-characters' };
const parse = (env: Record<string, string>) => parseConfig('billing-service', billingConfigSchema, { ...base, ...env });
const problemsOf = (env: Record<string, string>) => {
  try {
    parse(env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map((issue) => issue.key);
  }
};

describe('billing configuration', () => {
  it('runs offline with nothing set: the built-in catalog and the local provider', () => {
    const config = parse({});
    expect(config.BILLING_CATALOG).toEqual(DEFAULT_CATALOG);
    expect(config.STRIPE_SECRET_KEY).toBeUndefined();
    expect(config.BILLING_GRACE_PERIOD_DAYS).toBe(3);
    expect(paymentProviderOf(config)).toBe('local');
  });

  it('refuses production without a Stripe key unless the free local provider is named', () => {
    let refusal: unknown;
    try {
      parse(production);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ConfigError);
    expect((refusal as ConfigError).issues).toEqual([{ key: 'BILLING_PROVIDER', message: expect.stringContaining('BILLING_PROVIDER=local') }]);
    expect(paymentProviderOf(parse({ ...production, BILLING_PROVIDER: 'local' }))).toBe('local');
    expect(paymentProviderOf(parse({ ...production, STRIPE_SECRET_KEY: 'sk_live_x' }))).toBe('stripe');
  });

  it('refuses BILLING_PROVIDER=stripe without a Stripe key, and lets a key stand aside for local', () => {
    expect(problemsOf({ BILLING_PROVIDER: 'stripe' })).toEqual(['STRIPE_SECRET_KEY']);
    expect(problemsOf({ BILLING_PROVIDER: 'paypal' })).toEqual(['BILLING_PROVIDER']);
    expect(paymentProviderOf(parse({ BILLING_PROVIDER: 'local', STRIPE_SECRET_KEY: 'sk_test_x' }))).toBe('local');
  });

  it('takes a catalog as JSON', () => {
    const catalog = [
      { id: 'llc-express', name: 'LLC Express', kind: 'one_time', amountMinor: 14900, currency: 'eur' },
      { id: 'pro', name: 'Pro', kind: 'subscription', interval: 'year', amountMinor: 50000, currency: 'eur', stripePriceId: 'price_123' },
    ];
    expect(parse({ BILLING_CATALOG: JSON.stringify(catalog) }).BILLING_CATALOG).toEqual([
      { ...catalog[0], interval: null, formation: false, includesDomain: false },
      { ...catalog[1], formation: false, includesDomain: false },
    ]);
  });

  it.each([
    ['not JSON', '{oops'],
    ['empty', '[]'],
    ['a plan without an interval', JSON.stringify([{ id: 'p', name: 'P', kind: 'subscription', amountMinor: 100, currency: 'usd' }])],
    ['a package with an interval', JSON.stringify([{ id: 'p', name: 'P', kind: 'one_time', interval: 'month', amountMinor: 100, currency: 'usd' }])],
    ['duplicate ids', JSON.stringify([DEFAULT_CATALOG[0], DEFAULT_CATALOG[0]])],
    ['a currency in capitals', JSON.stringify([{ ...DEFAULT_CATALOG[0], currency: 'USD' }])],
    ['a fractional amount', JSON.stringify([{ ...DEFAULT_CATALOG[0], amountMinor: 99.5 }])],
    ['an unknown field', JSON.stringify([{ ...DEFAULT_CATALOG[0], price: 99 }])],
  ])('refuses a catalog that is %s', (_what, value) => {
    expect(problemsOf({ BILLING_CATALOG: value })[0]).toMatch(/^BILLING_CATALOG/);
  });
});
