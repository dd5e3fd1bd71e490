/**
 * `/v1` speaks one dialect: snake_case keys, the seed's own names, as Supabase and Stripe present data. The owners'
 * views (`@dreamseed/contracts`) are written in TypeScript's camelCase, since services read them as code; the
 * gateway turns each into its public form here, at the one place where it leaves for a client. A few names change
 * beyond their case, so that one thing has one name everywhere:
 *
 * - the founder's id is `user_id` wherever a resource names its founder (the owners call it `businessId`, after
 *   the seed's `business_id` columns, which hold the same profile id);
 * - money is an integer of minor units named `amount` (or `amount_<what>`: `amount_refunded`, the profile's
 *   `amount_paid`), with its lower-case ISO 4217 `currency` beside it, as Stripe names it.
 *
 * Only owners' views go through here: their keys are names the platform chose. Data whose keys someone else
 * chose (a founder's `user_metadata`, GoTrue's account) is never converted.
 */
const RENAMED = {
  businessId: 'user_id',
  amountMinor: 'amount',
  amountRefundedMinor: 'amount_refunded',
  priceMinor: 'amount',
} as const;

type Renamed = typeof RENAMED;

/** A camelCase name in snake_case, as a type: `dreamDnaVersion` → `dream_dna_version`. */
type SnakeName<S extends string> = S extends `${infer Head}${infer Rest}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeName<Rest>}`
  : S;

type PublicName<K> = K extends keyof Renamed ? Renamed[K] : K extends string ? SnakeName<K> : K;

/** An owner's view as `/v1` shows it (see `publicView`). */
export type PublicView<T> = T extends readonly (infer Item)[]
  ? PublicView<Item>[]
  : T extends object
    ? { [K in keyof T as PublicName<K>]: PublicView<T[K]> }
    : T;

const snakeNames = new Map<string, string>();

/** One field's name as `/v1` shows it (for a name given as a value, such as an assessment question's target). */
export function publicFieldName(key: string): string {
  let name = snakeNames.get(key);
  if (name === undefined) {
    name = Object.hasOwn(RENAMED, key) ? RENAMED[key as keyof Renamed] : key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
    // The names are the views' field names, a closed set; the bound only guards against a view that grows keys.
    if (snakeNames.size < 10_000) snakeNames.set(key, name);
  }
  return name;
}

/** An owner's view, or a list or page of them, with every key in the public dialect (see the top of this file). */
export function publicView<T>(value: T): PublicView<T> {
  return convert(value) as PublicView<T>;
}

function convert(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(convert);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  // fromEntries defines each key as its own property, so even a `__proto__` key stays a plain key.
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [publicFieldName(key), convert(item)]));
}
