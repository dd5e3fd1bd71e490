/**
 * Money arrives as an integer of minor units with its ISO 4217 currency (docs/api.md). The number of minor
 * units per major unit is the currency's own (yen has none, dinar three): Intl knows it.
 */
export function formatMoney(amount: number, currency: string, locale?: string): string {
  const code = currency.toUpperCase();
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency: code });
  } catch {
    return `${amount} ${code} (minor units)`;
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

/** A price with its billing period: "$29.00 a month". */
export function formatPrice(amount: number, currency: string, interval?: string | null, locale?: string): string {
  const price = formatMoney(amount, currency, locale);
  if (interval === 'month') return `${price} a month`;
  if (interval === 'year') return `${price} a year`;
  return price;
}
