import { describe, expect, it } from 'vitest';
import { refundableAmount, toMinorUnits, type Payment } from './refund';

const payment = (over: Partial<Payment>): Payment => ({ id: 'p', package_id: 'formation-standard', amount: 19900, currency: 'usd', status: 'paid', paid_at: null, ...over });

describe('refunds', () => {
  it('turns a typed amount into minor units of its currency', () => {
    expect(toMinorUnits('12.50', 'usd')).toBe(1250);
    expect(toMinorUnits('12,5', 'eur')).toBe(1250);
    expect(toMinorUnits('199', 'usd')).toBe(19900);
    expect(toMinorUnits('500', 'jpy')).toBe(500);
    expect(toMinorUnits('1.5', 'jpy')).toBeNull();
    expect(toMinorUnits('0', 'usd')).toBeNull();
    expect(toMinorUnits('-3', 'usd')).toBeNull();
    expect(toMinorUnits('1.234', 'usd')).toBeNull();
    expect(toMinorUnits('', 'usd')).toBeNull();
  });

  it('offers what is left of a paid payment, and nothing of one that is not paid', () => {
    expect(refundableAmount(payment({}))).toBe(19900);
    expect(refundableAmount(payment({ status: 'partially_refunded', amount_refunded: 4900 }))).toBe(15000);
    expect(refundableAmount(payment({ status: 'refunded', amount_refunded: 19900 }))).toBe(0);
    expect(refundableAmount(payment({ status: 'pending' }))).toBe(0);
  });
});
