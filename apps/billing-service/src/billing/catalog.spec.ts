import fc from 'fast-check';
import { addInterval, Catalog, catalogFromEnv, DEFAULT_CATALOG, planOf } from './catalog';

const pkg = (overrides: Record<string, unknown> = {}) => ({ id: 'basic', name: 'Basic', kind: 'one_time', amountMinor: 9900, currency: 'usd', ...overrides });
const parse = (list: unknown) => catalogFromEnv.safeParse(typeof list === 'string' ? list : JSON.stringify(list));

describe('the billing catalog', () => {
  it('sells the default packages when BILLING_CATALOG is not set, and each passes its own checks', () => {
    expect(catalogFromEnv.parse(undefined)).toEqual(DEFAULT_CATALOG);
    expect(parse(DEFAULT_CATALOG).success).toBe(true);
  });

  it('reads a JSON list, giving a one-time package no interval', () => {
    expect(parse([pkg()])).toEqual({ success: true, data: [{ ...pkg(), interval: null, formation: false, includesDomain: false }] });
  });

  it('says which packages form a business and which buy the domain: by their id unless the list says', () => {
    const read = (list: unknown[]) => (parse(list).data ?? []).map((p) => [p.id, p.formation, p.includesDomain]);
    expect(DEFAULT_CATALOG.map((p) => [p.id, p.formation, p.includesDomain])).toEqual([
      ['formation-basic', true, false],
      ['formation-standard', true, true],
      ['formation-premium', true, true],
      ['monthly', false, false],
      ['yearly', false, false],
    ]);
    // A list that leaves the flags out gets the same answers from the ids.
    const bare = DEFAULT_CATALOG.map(({ formation: _f, includesDomain: _d, ...p }) => p);
    expect(read(bare)).toEqual(DEFAULT_CATALOG.map((p) => [p.id, p.formation, p.includesDomain]));
    // A package of its own name says so itself.
    expect(read([pkg({ id: 'llc-kit', formation: true, includesDomain: true }), pkg({ id: 'formation-lite', formation: false })])).toEqual([
      ['llc-kit', true, true],
      ['formation-lite', false, false],
    ]);
    expect(read([pkg({ id: 'formation-gold' })])).toEqual([['formation-gold', true, false]]);
  });

  it.each([
    ['text that is not JSON', '[{'],
    ['an empty list', []],
    ['two packages with one id', [pkg(), pkg({ name: 'Again' })]],
    ['a subscription without an interval', [pkg({ kind: 'subscription' })]],
    ['a one-time package with an interval', [pkg({ interval: 'month' })]],
    ['an upper-case currency', [pkg({ currency: 'USD' })]],
    ['an amount in fractions', [pkg({ amountMinor: 99.5 })]],
    ['a free package', [pkg({ amountMinor: 0 })]],
    ['an id with upper case', [pkg({ id: 'Basic' })]],
    ['an unknown field', [pkg({ discount: 10 })]],
    ['a subscription that forms a business', [pkg({ kind: 'subscription', interval: 'month', formation: true })]],
    ['a domain without a formation', [pkg({ includesDomain: true })]],
  ])('refuses %s', (_, list) => {
    expect(parse(list).success).toBe(false);
  });

  it('names the plan of a subscription package in the profile words', () => {
    expect(DEFAULT_CATALOG.map((p) => [p.id, planOf(p)])).toEqual([
      ['formation-basic', null],
      ['formation-standard', null],
      ['formation-premium', null],
      ['monthly', 'monthly'],
      ['yearly', 'yearly'],
    ]);
  });

  it('finds packages by id and shows them without their Stripe price', () => {
    const catalog = new Catalog(DEFAULT_CATALOG.map((p) => (p.id === 'monthly' ? { ...p, stripePriceId: 'price_123' } : p)));
    expect(catalog.find('monthly')?.stripePriceId).toBe('price_123');
    expect(catalog.find('nope')).toBeUndefined();
    expect(catalog.find(null)).toBeUndefined();
    for (const view of catalog.views()) expect(Object.keys(view).sort()).toEqual(['amountMinor', 'currency', 'formation', 'id', 'includesDomain', 'interval', 'kind', 'name']);
  });

  it('finds the package that sells a plan', () => {
    const catalog = new Catalog(DEFAULT_CATALOG);
    expect(catalog.planPackage('monthly')?.id).toBe('monthly');
    expect(catalog.planPackage('yearly')?.id).toBe('yearly');
    expect(new Catalog(DEFAULT_CATALOG.filter((p) => p.id !== 'yearly')).planPackage('yearly')).toBeUndefined();
  });

  it('names the package a subscription bills by its price, so that a plan change moves it', () => {
    const catalog = new Catalog(DEFAULT_CATALOG.map((p) => (p.id === 'yearly' ? { ...p, stripePriceId: 'price_yearly' } : p)));
    const billed = (priceIds: string[], interval: string | null, known: (string | undefined)[]) => catalog.billedPackage({ priceIds, interval }, known)?.id;
    // A Stripe price of the catalog decides, whatever the subscription was bought as.
    expect(billed(['price_yearly'], 'year', ['monthly'])).toBe('yearly');
    // An inline price: the known package at the interval billed, else the catalog's plan at that interval.
    expect(billed(['price_inline'], 'month', ['monthly', 'yearly'])).toBe('monthly');
    expect(billed(['price_inline'], 'year', ['monthly'])).toBe('yearly');
    expect(billed(['price_inline'], 'year', ['formation-basic', undefined])).toBe('yearly');
    // Nothing billed to go by (an event without items): the first known plan.
    expect(billed([], null, [undefined, 'monthly'])).toBe('monthly');
    expect(billed([], null, ['formation-basic'])).toBeUndefined();
    // An interval no plan bills at: the package it is known by.
    expect(billed(['price_inline'], 'week', ['monthly'])).toBe('monthly');
  });

  it('ends a period one calendar month or year later, at the same time of day', () => {
    expect(addInterval(new Date('2026-01-15T10:30:00Z'), 'month')).toEqual(new Date('2026-02-15T10:30:00Z'));
    expect(addInterval(new Date('2026-12-15T10:30:00Z'), 'month')).toEqual(new Date('2027-01-15T10:30:00Z'));
    expect(addInterval(new Date('2026-03-01T00:00:00Z'), 'year')).toEqual(new Date('2027-03-01T00:00:00Z'));
    const from = new Date('2026-05-20T08:00:00Z');
    addInterval(from, 'year');
    expect(from).toEqual(new Date('2026-05-20T08:00:00Z'));
  });

  it('ends a period that starts on a day the next month lacks on that month\'s last day, as Stripe does', () => {
    expect(addInterval(new Date('2026-01-31T09:00:00Z'), 'month')).toEqual(new Date('2026-02-28T09:00:00Z'));
    expect(addInterval(new Date('2028-01-31T09:00:00Z'), 'month')).toEqual(new Date('2028-02-29T09:00:00Z'));
    expect(addInterval(new Date('2026-03-31T09:00:00Z'), 'month')).toEqual(new Date('2026-04-30T09:00:00Z'));
    expect(addInterval(new Date('2028-02-29T09:00:00Z'), 'year')).toEqual(new Date('2029-02-28T09:00:00Z'));
  });

  it('always ends a monthly period in the next calendar month and a yearly one twelve months on', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), (from) => {
        const month = addInterval(from, 'month');
        const year = addInterval(from, 'year');
        const monthsBetween = (end: Date) => (end.getUTCFullYear() - from.getUTCFullYear()) * 12 + end.getUTCMonth() - from.getUTCMonth();
        expect(monthsBetween(month)).toBe(1);
        expect(monthsBetween(year)).toBe(12);
        expect(month.getUTCDate()).toBeLessThanOrEqual(from.getUTCDate());
        expect(month.toISOString().slice(11)).toBe(from.toISOString().slice(11));
      }),
    );
  });
});
