import { candidateViews } from '../jobs/search';
import { candidateView } from './types';

describe("a candidate as the founder's views show it", () => {
  const answer = { domain: 'seedbakery.com', available: true, definitive: true, priceMicros: 11_990_000, currency: 'USD', provider: 'godaddy', checkedAt: new Date('2026-12-06T10:00:00Z') };

  it('gives the price in minor units with a lower-case ISO 4217 currency, as billing does', () => {
    expect(candidateView(answer)).toMatchObject({ priceMinor: 1199, currency: 'usd', checkedAt: '2026-12-06T10:00:00.000Z' });
    expect(candidateView({ ...answer, priceMicros: null, currency: null })).toMatchObject({ priceMinor: null, currency: null });
  });

  it('lower-cases the currency of searches stored before', () => {
    expect(candidateViews([{ ...candidateView(answer), currency: 'USD' }])[0]?.currency).toBe('usd');
    expect(candidateViews(null)).toEqual([]);
  });
});
