import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgSchema, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { SUBSCRIPTION_TYPES } from '@dreamseed/contracts';
import { createdAt, founderReads, oneOf, ownerAll, timestampTz, updatedAt } from '@dreamseed/platform/schema';

/**
 * The billing service's tables. `business_id` is the founder's profile id (`core.users.id`), held without a
 * foreign key because it belongs to the gateway.
 */
export const billing = pgSchema('billing');

/** One checkout and what became of its money: pending, paid, failed, refunded. */
export const payments = billing.table(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    businessId: uuid('business_id').notNull(),
    provider: text('provider').notNull(),
    packageId: text('package_id').notNull(),
    kind: text('kind').notNull(),
    checkoutSessionId: text('checkout_session_id'),
    checkoutUrl: text('checkout_url'),
    paymentIntentId: text('payment_intent_id'),
    invoiceId: text('invoice_id'),
    providerCustomerId: text('provider_customer_id'),
    amountMinor: integer('amount_minor').notNull(),
    amountRefundedMinor: integer('amount_refunded_minor').notNull().default(0),
    currency: text('currency').notNull(),
    status: text('status').notNull().default('pending'),
    paidAt: timestampTz('paid_at'),
    failedAt: timestampTz('failed_at'),
    refundedAt: timestampTz('refunded_at'),
    expiresAt: timestampTz('expires_at'),
    /** Time of the latest provider event applied: late events never roll the state back. */
    lastEventAt: timestampTz('last_event_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    ownerAll('payments', 'billing'),
    uniqueIndex('payments_checkout_session_id_key').on(t.checkoutSessionId),
    uniqueIndex('payments_invoice_id_key').on(t.invoiceId),
    index('payments_payment_intent_id_idx').on(t.paymentIntentId),
    index('payments_business_id_idx').on(t.businessId, t.createdAt),
    // At most one open checkout per founder: a second request reuses or replaces it.
    uniqueIndex('payments_one_pending_checkout_key').on(t.businessId).where(sql`${t.status} = 'pending'`),
    check('payments_amounts', sql`${t.amountMinor} >= 0 and ${t.amountRefundedMinor} >= 0`),
    check('payments_currency', sql`${t.currency} ~ '^[a-z]{3}$'`),
    oneOf('payments_provider', 'provider', ['stripe', 'local']),
    oneOf('payments_kind', 'kind', ['one_time', 'subscription']),
    oneOf('payments_status', 'status', ['pending', 'paid', 'failed', 'expired', 'refunded', 'partially_refunded']),
    founderReads('payments', 'business_id'),
  ],
);

export const subscriptions = billing.table(
  'subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    businessId: uuid('business_id').notNull(),
    provider: text('provider').notNull(),
    providerSubscriptionId: text('provider_subscription_id').notNull(),
    providerCustomerId: text('provider_customer_id'),
    packageId: text('package_id').notNull(),
    plan: text('plan').notNull(),
    status: text('status').notNull(),
    currentPeriodStart: timestampTz('current_period_start'),
    currentPeriodEnd: timestampTz('current_period_end'),
    cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),
    canceledAt: timestampTz('canceled_at'),
    expiredAt: timestampTz('expired_at'),
    lastEventAt: timestampTz('last_event_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    ownerAll('subscriptions', 'billing'),
    uniqueIndex('subscriptions_provider_subscription_id_key').on(t.provider, t.providerSubscriptionId),
    index('subscriptions_business_id_idx').on(t.businessId),
    // The expiry job looks for subscriptions whose period has ended.
    index('subscriptions_period_end_idx').on(t.currentPeriodEnd).where(sql`${t.expiredAt} is null`),
    oneOf('subscriptions_provider', 'provider', ['stripe', 'local']),
    oneOf('subscriptions_plan', 'plan', SUBSCRIPTION_TYPES),
    oneOf('subscriptions_status', 'status', [
      'incomplete',
      'incomplete_expired',
      'trialing',
      'active',
      'past_due',
      'canceled',
      'unpaid',
      'paused',
      'expired',
    ]),
    founderReads('subscriptions', 'business_id'),
  ],
);

/**
 * Every provider event applied, once: inserted in the same transaction as its effect. An event billing cannot
 * read (a Stripe API version it does not support) is kept as `unsupported` with the reason, and applied when it
 * comes again once it can be read.
 */
export const billingEvents = billing.table(
  'billing_events',
  {
    id: text('id').primaryKey(),
    provider: text('provider').notNull(),
    type: text('type').notNull(),
    livemode: boolean('livemode').notNull().default(false),
    eventCreatedAt: timestampTz('event_created_at'),
    /** The Stripe API version the event's object was rendered at (null for the local provider, or none given). */
    apiVersion: text('api_version'),
    outcome: text('outcome').notNull(),
    /** Why an `unsupported` event was not applied. */
    error: text('error'),
    /** The ids the event concerned (session, subscription, invoice, charge): no card or personal data. */
    objectRefs: jsonb('object_refs').notNull().default({}),
    receivedAt: timestampTz('received_at').notNull(),
    processedAt: timestampTz('processed_at').notNull().defaultNow(),
  },
  (t) => [
    ownerAll('billing_events', 'billing'),
    index('billing_events_type_idx').on(t.type, t.processedAt),
    oneOf('billing_events_outcome', 'outcome', ['applied', 'ignored', 'stale', 'unsupported']),
    check('billing_events_error', sql`(${t.outcome} = 'unsupported') = (${t.error} is not null)`),
  ],
  // Platform data, no founder's: row-level security on and no policy, so founders see none of it.
).enableRLS();
