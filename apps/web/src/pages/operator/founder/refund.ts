import type { FounderFile, Ready } from '../api';

export type Payment = Ready<FounderFile['billing']>['payments'][number];

/** What is left to refund of a payment, in minor units: nothing unless it was paid. */
export function refundableAmount(payment: Payment): number {
  if (payment.status !== 'paid' && payment.status !== 'partially_refunded') return 0;
  return Math.max(0, payment.amount - (payment.amount_refunded ?? 0));
}

/** The currency's minor units per major unit, as Intl knows them (yen none, dinar three). */
function fractionDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * An amount an operator typed in the currency's major units ("12.50", "12,50"), in minor units; null when it is not
 * a positive amount with at most the currency's decimals.
 */
export function toMinorUnits(typed: string, currency: string): number | null {
  const digits = fractionDigits(currency);
  const text = typed.trim().replace(',', '.');
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) return null;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return null;
  const minor = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) && minor > 0 ? minor : null;
}
