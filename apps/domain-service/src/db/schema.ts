import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgSchema, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, erasedFoundersTable, founderReads, oneOf, ownerAll, timestampTz, updatedAt } from '@dreamseed/platform/schema';

/**
 * The domain service's tables. `business_id` is the founder's profile id (`core.users.id`), held without a
 * foreign key because it belongs to the gateway.
 */
export const domain = pgSchema('domain');

/** A search: the query, every candidate with its availability, and the domain the founder chose from it. */
export const domainSearches = domain.table(
  'domain_searches',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id').notNull(),
    trigger: text('trigger').notNull(),
    keywords: text('keywords').array().notNull().default(sql`'{}'::text[]`),
    tlds: text('tlds').array().notNull().default(sql`'{}'::text[]`),
    status: text('status').notNull().default('pending'),
    /** [{ domain, available, definitive, priceMinor, currency, provider, checkedAt }] */
    candidates: jsonb('candidates').notNull().default([]),
    providers: text('providers').array().notNull().default(sql`'{}'::text[]`),
    selectedDomain: text('selected_domain'),
    selectedAt: timestampTz('selected_at'),
    error: text('error'),
    createdAt: createdAt(),
    startedAt: timestampTz('started_at'),
    completedAt: timestampTz('completed_at'),
  },
  (t) => [
    ownerAll('domain_searches', 'domain'),
    index('domain_searches_business_id_idx').on(t.businessId, t.createdAt),
    oneOf('domain_searches_trigger', 'trigger', ['api', 'brand-call']),
    oneOf('domain_searches_status', 'status', ['pending', 'running', 'completed', 'failed']),
    founderReads('domain_searches', 'business_id'),
  ],
);

/** Last known availability per domain: a durable second level behind the Redis cache. */
export const domainAvailability = domain.table(
  'domain_availability',
  {
    domain: text('domain').primaryKey(),
    available: boolean('available'),
    definitive: boolean('definitive').notNull(),
    provider: text('provider').notNull(),
    priceMicros: bigint('price_micros', { mode: 'number' }),
    currency: text('currency'),
    checkedAt: timestampTz('checked_at').notNull(),
    expiresAt: timestampTz('expires_at').notNull(),
  },
  (t) => [ownerAll('domain_availability', 'domain'), index('domain_availability_expires_at_idx').on(t.expiresAt)],
  // Platform data, no founder's: row-level security on and no policy, so founders see none of it.
).enableRLS();

/**
 * A founder's choice of domain (id minted by the gateway, so a retried request is one selection), re-checked
 * before it is recorded: `selected`, or `unavailable` when the name turned out to be taken.
 */
export const domainSelections = domain.table(
  'domain_selections',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id').notNull(),
    domain: text('domain').notNull(),
    status: text('status').notNull().default('pending'),
    available: boolean('available'),
    provider: text('provider'),
    searchId: uuid('search_id').references(() => domainSearches.id),
    message: text('message'),
    createdAt: createdAt(),
    decidedAt: timestampTz('decided_at'),
  },
  (t) => [
    ownerAll('domain_selections', 'domain'),
    index('domain_selections_business_id_idx').on(t.businessId, t.createdAt),
    oneOf('domain_selections_status', 'status', ['pending', 'selected', 'unavailable']),
    founderReads('domain_selections', 'business_id'),
  ],
);

/**
 * The registration (purchase) of a founder's domain, one per request (id minted by the gateway, so a retried or
 * repeated request is one registration): `pending` until the registrar confirms it (`registered`, with the
 * order and expiry) or refuses it for good (`failed`, with the reason). `attempts` counts the purchase requests
 * sent: once one was, the registrar is asked whether the domain is already ours before another is sent.
 */
export const domainRegistrations = domain.table(
  'domain_registrations',
  {
    requestId: uuid('request_id').primaryKey(),
    businessId: uuid('business_id').notNull(),
    domain: text('domain').notNull(),
    years: integer('years').notNull().default(1),
    status: text('status').notNull().default('pending'),
    /** The registrar that holds it (godaddy, local). */
    provider: text('provider').notNull(),
    /** The registrar's order id, or its id of the domain when the order's answer was lost. */
    orderId: text('order_id'),
    expiresAt: timestampTz('expires_at'),
    /** Why the last try failed: a code, never contact details. */
    lastError: text('last_error'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    ownerAll('domain_registrations', 'domain'),
    index('domain_registrations_business_id_idx').on(t.businessId, t.createdAt),
    oneOf('domain_registrations_status', 'status', ['pending', 'registered', 'failed']),
    founderReads('domain_registrations', 'business_id'),
  ],
);

/**
 * The founders erased here (`erase-founder`): a search, selection or registration job that starts after the
 * erasure asks this first and writes nothing for them.
 */
export const erasedFounders = erasedFoundersTable(domain, 'domain');
