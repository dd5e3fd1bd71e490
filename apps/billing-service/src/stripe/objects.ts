import { z } from 'zod';

/**
 * The parts of Stripe's objects the billing service reads, as the gateway forwards them (it strips everything
 * else: no card, contact or address data reaches the queue). Both shapes of the supported API versions are read
 * (versions.ts): from Basil (2025-03-31) a subscription's period is on its items and an invoice's subscription
 * under `parent`; before it both were at the top level. Every field is optional or nullable: events differ, and
 * an unexpected shape is ignored rather than failed.
 */
const id = z.string().min(1).max(255);
const seconds = z.number().int().nonnegative();
const money = z.number().int().nonnegative();

/** The metadata we set on sessions, payment intents and subscriptions. */
export const ourMetadata = z
  .looseObject({ paymentId: z.uuid().optional(), businessId: z.uuid().optional(), packageId: z.string().max(40).optional() })
  .catch({});

export const checkoutSession = z.looseObject({
  id,
  mode: z.string().nullish(),
  payment_status: z.string().nullish(),
  status: z.string().nullish(),
  client_reference_id: z.string().nullish(),
  customer: id.nullish(),
  payment_intent: id.nullish(),
  subscription: id.nullish(),
  amount_total: money.nullish(),
  currency: z.string().nullish(),
  metadata: ourMetadata.nullish(),
});

export const subscription = z.looseObject({
  id,
  status: z.string(),
  customer: id.nullish(),
  cancel_at_period_end: z.boolean().nullish(),
  canceled_at: seconds.nullish(),
  ended_at: seconds.nullish(),
  metadata: ourMetadata.nullish(),
  /** Before Basil. */
  current_period_start: seconds.nullish(),
  current_period_end: seconds.nullish(),
  items: z
    .looseObject({
      data: z.array(
        z.looseObject({
          current_period_start: seconds.nullish(),
          current_period_end: seconds.nullish(),
          price: z.looseObject({ id: id.nullish(), recurring: z.looseObject({ interval: z.string() }).nullish() }).nullish(),
        }),
      ),
    })
    .nullish(),
});

export const invoice = z.looseObject({
  id,
  status: z.string().nullish(),
  customer: id.nullish(),
  billing_reason: z.string().nullish(),
  amount_paid: money.nullish(),
  amount_due: money.nullish(),
  currency: z.string().nullish(),
  attempt_count: z.number().int().nullish(),
  parent: z
    .looseObject({
      subscription_details: z.looseObject({ subscription: id.nullish(), metadata: ourMetadata.nullish() }).nullish(),
    })
    .nullish(),
  /** Before Basil: the subscription's id, and (since 2023-08) its metadata. */
  subscription: id.nullish(),
  subscription_details: z.looseObject({ metadata: ourMetadata.nullish() }).nullish(),
  lines: z.looseObject({ data: z.array(z.looseObject({ period: z.looseObject({ start: seconds, end: seconds }).nullish() })) }).nullish(),
  status_transitions: z.looseObject({ paid_at: seconds.nullish() }).nullish(),
});

export const charge = z.looseObject({
  id,
  amount: money,
  amount_refunded: money,
  refunded: z.boolean().nullish(),
  currency: z.string().nullish(),
  payment_intent: id.nullish(),
  metadata: ourMetadata.nullish(),
});

export type CheckoutSessionObject = z.output<typeof checkoutSession>;
export type SubscriptionObject = z.output<typeof subscription>;
export type InvoiceObject = z.output<typeof invoice>;
export type ChargeObject = z.output<typeof charge>;

const numbers = (values: (number | null | undefined)[]) => values.filter((s): s is number => typeof s === 'number');

/**
 * A subscription's period: the widest over its items (Basil moved it there), else the subscription's own
 * (before Basil).
 */
export function periodOf(sub: SubscriptionObject): { start: Date | null; end: Date | null } {
  const items = sub.items?.data ?? [];
  const starts = numbers(items.map((i) => i.current_period_start));
  const ends = numbers(items.map((i) => i.current_period_end));
  return {
    start: starts.length ? new Date(Math.min(...starts) * 1000) : fromSeconds(sub.current_period_start),
    end: ends.length ? new Date(Math.max(...ends) * 1000) : fromSeconds(sub.current_period_end),
  };
}

/** What a subscription bills: its items' price ids, and the interval they recur at. */
export function billedOf(sub: SubscriptionObject): { priceIds: string[]; interval: string | null } {
  const prices = (sub.items?.data ?? []).map((item) => item.price).filter((price) => !!price);
  return {
    priceIds: prices.map((price) => price.id).filter((priceId): priceId is string => !!priceId),
    interval: prices.find((price) => price.recurring)?.recurring?.interval ?? null,
  };
}

/**
 * The subscription an invoice bills, and the metadata we set on it: under `parent.subscription_details` from
 * Basil, at the top level (`subscription`, `subscription_details.metadata`) before it.
 */
export function invoiceSubscriptionOf(inv: InvoiceObject): { subscriptionId: string | null; metadata: z.output<typeof ourMetadata> | null } {
  const details = inv.parent?.subscription_details;
  return {
    subscriptionId: details?.subscription ?? inv.subscription ?? null,
    metadata: details?.metadata ?? inv.subscription_details?.metadata ?? null,
  };
}

/** The end of the period an invoice paid for (its lines' latest end). */
export function invoicePeriodEnd(inv: InvoiceObject): Date | null {
  const ends = numbers((inv.lines?.data ?? []).map((line) => line.period?.end));
  return ends.length ? new Date(Math.max(...ends) * 1000) : null;
}

export const fromSeconds = (value: number | null | undefined): Date | null => (typeof value === 'number' ? new Date(value * 1000) : null);
