/**
 * The answers of `/v1` as the API document describes them, in zod: the document is generated from these, and in
 * tests every answer is checked against them (`checkResponses` in openapi.ts). Each mirrors a view of
 * `@dreamseed/contracts`; a `satisfies` on the owner's side would be the next step.
 */
import { z } from 'zod';
import { LIVE_SUBSCRIPTION_STATUSES } from '@dreamseed/contracts';

const isoTime = z.iso.datetime({ offset: true });
const uuid = z.uuid();
const nextCursor = z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last' });

export const BillingPackage = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['one_time', 'subscription']),
    interval: z.enum(['month', 'year']).nullable(),
    amountMinor: z.number().int(),
    currency: z.string().regex(/^[a-z]{3}$/),
  })
  .openapi('BillingPackage');

export const Subscription = z
  .object({
    id: uuid,
    plan: z.enum(['monthly', 'yearly']),
    status: z.string().openapi({ description: `Stripe's status; running: ${LIVE_SUBSCRIPTION_STATUSES.join(', ')}` }),
    currentPeriodEnd: isoTime.nullable(),
    cancelAtPeriodEnd: z.boolean(),
    packageId: z.string().optional(),
    provider: z.string().optional(),
  })
  .openapi('Subscription');

export const Payment = z
  .object({
    id: uuid,
    packageId: z.string(),
    kind: z.enum(['one_time', 'subscription']).optional(),
    amountMinor: z.number().int(),
    amountRefundedMinor: z.number().int().optional(),
    currency: z.string().regex(/^[a-z]{3}$/),
    status: z.string(),
    paidAt: isoTime.nullable(),
    createdAt: isoTime.optional(),
  })
  .openapi('Payment');

export const Checkout = z.object({ checkoutId: uuid, url: z.url(), reused: z.boolean().optional() }).openapi('Checkout');
export const CheckoutConfirmation = z.object({ checkoutId: uuid, confirming: z.literal(true) }).openapi('CheckoutConfirmation');
export const Cancelling = z.object({ cancelling: z.literal(true), atPeriodEnd: z.literal(true).optional() }).openapi('Cancelling');

export const Analysis = z
  .object({
    id: uuid,
    trigger: z.string(),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    promptVersion: z.string().nullable(),
    status: z.enum(['queued', 'pending', 'succeeded', 'failed', 'unchanged']),
    dreamDnaVersion: z.number().int().nullable(),
    latencyMs: z.number().int().nullable(),
    error: z.string().nullable(),
    createdAt: isoTime,
    completedAt: isoTime.nullable(),
  })
  .openapi('Analysis');

export const DomainSelection = z
  .object({
    id: uuid,
    domain: z.string(),
    status: z.enum(['pending', 'selected', 'unavailable']),
    available: z.boolean().nullable(),
    searchId: uuid.nullable(),
    message: z.string().nullable(),
    createdAt: isoTime,
    decidedAt: isoTime.nullable(),
  })
  .openapi('DomainSelection');

export const packagesAnswer = z.object({ packages: z.array(BillingPackage) });
export const subscriptionAnswer = z.object({ subscription: Subscription.nullable() });
export const paymentsAnswer = z.object({ payments: z.array(Payment), next_cursor: nextCursor });
export const analysesAnswer = z.object({ analyses: z.array(Analysis), next_cursor: nextCursor });
export const accepted = z.object({ id: uuid }).openapi('Accepted');
