import { describe, expect, it } from 'vitest';
import { formatMoney, formatPrice } from './money';

describe('money in minor units', () => {
  it('divides by the currency’s own minor units', () => {
    expect(formatMoney(2999, 'usd', 'en-US')).toBe('$29.99');
    expect(formatMoney(500, 'jpy', 'en-US')).toBe('¥500');
    expect(formatMoney(1234, 'kwd', 'en-US').replace(/\s/g, ' ')).toBe('KWD 1.234');
  });

  it('says the period of a plan', () => {
    expect(formatPrice(1900, 'usd', 'month', 'en-US')).toBe('$19.00 a month');
    expect(formatPrice(19000, 'usd', 'year', 'en-US')).toBe('$190.00 a year');
    expect(formatPrice(49900, 'usd', null, 'en-US')).toBe('$499.00');
  });

  it('still shows an amount in a currency it does not know', () => {
    expect(formatMoney(100, 'not-a-currency', 'en-US')).toBe('100 NOT-A-CURRENCY (minor units)');
  });
});
