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

export const DomainCandidate = z
  .object({
    domain: z.string(),
    available: z.boolean().nullable(),
    definitive: z.boolean(),
    priceMinor: z.number().int().nullable(),
    currency: z.string().regex(/^[a-z]{3}$/).nullable(),
    provider: z.string(),
    checkedAt: isoTime,
    score: z.number().optional(),
    reason: z.string().optional(),
  })
  .openapi('DomainCandidate');

export const DomainSearch = z
  .object({
    id: uuid,
    status: z.enum(['pending', 'running', 'completed', 'failed']),
    trigger: z.enum(['api', 'brand-call']),
    keywords: z.array(z.string()),
    tlds: z.array(z.string()),
    candidates: z.array(DomainCandidate),
    selectedDomain: z.string().nullable(),
    createdAt: isoTime,
    completedAt: isoTime.nullable(),
    error: z.string().nullable().optional(),
  })
  .openapi('DomainSearch');

export const searchesAnswer = z.object({ searches: z.array(DomainSearch), next_cursor: nextCursor });
export const pendingSearch = z.object({ id: uuid, status: z.literal('pending') }).openapi('PendingSearch');
export const pendingSelection = z.object({ id: uuid, domain: z.string(), status: z.literal('pending') }).openapi('PendingSelection');

export const Call = z
  .object({
    id: uuid,
    vapiCallId: z.string().nullable(),
    callStage: z.number().int(),
    direction: z.enum(['inbound', 'outbound']),
    status: z.string(),
    startedAt: isoTime.nullable(),
    endedAt: isoTime.nullable(),
    durationSeconds: z.number().nullable(),
    summary: z.string().nullable(),
  })
  .openapi('Call');

export const PlannedCall = z
  .object({
    id: uuid,
    callStage: z.number().int(),
    status: z.string(),
    scheduledFor: isoTime,
    placedAt: isoTime.nullable(),
    vapiCallId: z.string().nullable(),
    lastError: z.string().nullable(),
  })
  .openapi('PlannedCall');

export const callsAnswer = z.object({ calls: z.array(Call), planned: z.array(PlannedCall), next_cursor: nextCursor });
export const callPlanned = z.object({ callStage: z.number().int(), at: isoTime }).openapi('CallPlanned');

export const Transcript = z
  .object({
    callId: uuid,
    callStage: z.number().int().nullable(),
    text: z.string(),
    turns: z.array(z.object({ role: z.string(), content: z.string(), secondsFromStart: z.number().nullable() })),
    createdAt: isoTime,
  })
  .openapi('Transcript');

export const DreamDna = z
  .object({
    id: uuid,
    businessId: uuid,
    version: z.number().int(),
    whatProblem: z.string().nullable(),
    whoServes: z.string().nullable(),
    howDifferent: z.string().nullable(),
    primaryService: z.string().nullable(),
    brandVibe: z.string().nullable(),
    colorPreference: z.string().nullable(),
    priceLevel: z.string().nullable(),
    selectedDomain: z.string().nullable(),
    aiAnalysisId: uuid.nullable(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .openapi('DreamDna');

export const versionsAnswer = z.object({ versions: z.array(DreamDna), next_cursor: nextCursor });

export const Assessment = z
  .object({
    id: uuid,
    catalogVersion: z.number().int(),
    status: z.string(),
    submittedAt: isoTime,
    analysedAt: isoTime.nullable(),
    answers: z.array(z.object({ questionId: z.string(), value: z.string() })),
  })
  .openapi('Assessment');

export const assessmentsAnswer = z.object({ assessments: z.array(Assessment), next_cursor: nextCursor });
export const assessmentAccepted = z.object({ id: uuid, catalog_version: z.number().int() }).openapi('AssessmentAccepted');

export const AssessmentCatalog = z
  .object({
    version: z.number().int(),
    questions: z.array(
      z.discriminatedUnion('kind', [
        z.object({ id: z.string(), kind: z.literal('text'), prompt: z.string(), target: z.string(), maxLength: z.number().int() }),
        z.object({ id: z.string(), kind: z.literal('choice'), prompt: z.string(), target: z.string(), options: z.array(z.string()) }),
      ]),
    ),
  })
  .openapi('AssessmentCatalog');
