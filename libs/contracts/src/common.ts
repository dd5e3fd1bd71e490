import { z } from 'zod';

/** Ids that cross services: the founder's profile id (`core.users.id`, called business_id by some owners). */
export const userId = z.uuid();
export const callStage = z.number().int().min(1).max(4);
export const isoDateTime = z.iso.datetime({ offset: true });
/** A phone number in E.164 form (the founders' numbers, the transfer numbers). */
export const E164 = /^\+[1-9][0-9]{6,14}$/;

export const ENTITY_TYPES = ['llc', 'corporation', 'partnership', 'sole_proprietorship', 'nonprofit'] as const;
export const PROFILE_STATUSES = [
  'registered',
  'in_consultation',
  'analysis_ready',
  'domain_selected',
  'paid',
  'formed',
  'archived',
] as const;
export const PAYMENT_STATUSES = ['none', 'pending', 'paid', 'failed', 'refunded'] as const;
export const URGENCY_LEVELS = ['high', 'medium', 'low'] as const;
export const ASSISTANT_TYPES = ['shared', 'individual'] as const;
export const SUBSCRIPTION_TYPES = ['monthly', 'yearly'] as const;
export const BRAND_VIBES = ['professional', 'bold', 'friendly', 'elegant'] as const;
export const COLOR_PREFERENCES = ['cool', 'vibrant', 'minimal'] as const;
export const PRICE_LEVELS = ['budget', 'mid-market', 'premium'] as const;
/** The 50 states and DC, as two-letter codes. */
export const US_STATES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS',
  'KY', 'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC',
  'ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY',
] as const;

/**
 * A formation case's states, in the order a case moves through them, then the two it may leave the line for:
 * `needs_founder` (a question back to the founder; the case returns to where it was once answered) and `rejected`
 * (the state refused the filing, with its reason).
 */
export const FORMATION_CASE_STATES = [
  'intake_complete',
  'documents_prepared',
  'filed',
  'approved',
  'ein_requested',
  'ein_received',
  'formed',
  'needs_founder',
  'rejected',
] as const;
export type FormationCaseState = (typeof FORMATION_CASE_STATES)[number];

export type EntityType = (typeof ENTITY_TYPES)[number];
export type ProfileStatus = (typeof PROFILE_STATUSES)[number];
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export type SubscriptionType = (typeof SUBSCRIPTION_TYPES)[number];
export type BrandVibe = (typeof BRAND_VIBES)[number];
export type ColorPreference = (typeof COLOR_PREFERENCES)[number];
export type PriceLevel = (typeof PRICE_LEVELS)[number];
