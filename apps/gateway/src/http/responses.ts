/**
 * The answers of `/v1` as the API document describes them, in zod: the document is generated from these, and in
 * tests every answer is checked against them (`checkResponses` in openapi.ts). Each describes a view of
 * `@dreamseed/contracts` in the public dialect (`publicView`, dialect.ts); the checks at the end of this file fail
 * to compile when a view and its schema part.
 */
import { z } from 'zod';
import {
  LIVE_SUBSCRIPTION_STATUSES,
  type AiAnalysisView,
  type BillingPackageView,
  type CallView,
  type CheckoutResponse,
  type DomainCandidateView,
  type DomainSearchView,
  type DomainSelectionView,
  type DreamDnaView,
  type PaymentView,
  type PlannedCallView,
  type SubscriptionView,
  type TranscriptView,
} from '@dreamseed/contracts';
import type { PublicView } from './dialect';

const isoTime = z.iso.datetime({ offset: true });
const uuid = z.uuid();
const nextCursor = z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last' });

export const BillingPackage = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['one_time', 'subscription']),
    interval: z.enum(['month', 'year']).nullable(),
    amount: z.number().int(),
    currency: z.string().regex(/^[a-z]{3}$/),
    formation: z.boolean().openapi({ description: "Paying it opens the founder's formation case (GET /v1/me/formation/case)" }),
    includes_domain: z.boolean().openapi({ description: "It registers the founder's chosen domain too" }),
  })
  .openapi('BillingPackage');

export const Subscription = z
  .object({
    id: uuid,
    plan: z.enum(['monthly', 'yearly']),
    status: z.string().openapi({ description: `Stripe's status; running: ${LIVE_SUBSCRIPTION_STATUSES.join(', ')}` }),
    current_period_end: isoTime.nullable(),
    cancel_at_period_end: z.boolean(),
    package_id: z.string().optional(),
    provider: z.string().optional(),
  })
  .openapi('Subscription');

export const Payment = z
  .object({
    id: uuid,
    package_id: z.string(),
    kind: z.enum(['one_time', 'subscription']).optional(),
    amount: z.number().int(),
    amount_refunded: z.number().int().optional(),
    currency: z.string().regex(/^[a-z]{3}$/),
    status: z.string(),
    paid_at: isoTime.nullable(),
    created_at: isoTime.optional(),
  })
  .openapi('Payment');

export const Checkout = z.object({ checkout_id: uuid, url: z.url(), reused: z.boolean().optional() }).openapi('Checkout');
export const CheckoutConfirmation = z.object({ checkout_id: uuid, confirming: z.literal(true) }).openapi('CheckoutConfirmation');
export const Cancelling = z.object({ cancelling: z.literal(true), at_period_end: z.literal(true).optional() }).openapi('Cancelling');
export const SubscriptionChanging = z.object({ changing: z.literal(true), plan: z.enum(['monthly', 'yearly']) }).openapi('SubscriptionChanging');

export const Analysis = z
  .object({
    id: uuid,
    trigger: z.string(),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    prompt_version: z.string().nullable(),
    status: z.enum(['queued', 'pending', 'succeeded', 'failed', 'unchanged']),
    dream_dna_version: z.number().int().nullable(),
    latency_ms: z.number().int().nullable(),
    error: z.string().nullable(),
    created_at: isoTime,
    completed_at: isoTime.nullable(),
  })
  .openapi('Analysis');

export const DomainSelection = z
  .object({
    id: uuid,
    domain: z.string(),
    status: z.enum(['pending', 'selected', 'unavailable']),
    available: z.boolean().nullable(),
    search_id: uuid.nullable(),
    message: z.string().nullable(),
    created_at: isoTime,
    decided_at: isoTime.nullable(),
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
    amount: z.number().int().nullable(),
    currency: z.string().regex(/^[a-z]{3}$/).nullable(),
    provider: z.string(),
    checked_at: isoTime,
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
    selected_domain: z.string().nullable(),
    created_at: isoTime,
    completed_at: isoTime.nullable(),
    error: z.string().nullable().optional(),
  })
  .openapi('DomainSearch');

export const searchesAnswer = z.object({ searches: z.array(DomainSearch), next_cursor: nextCursor });
export const pendingSearch = z.object({ id: uuid, status: z.literal('pending') }).openapi('PendingSearch');
export const pendingSelection = z.object({ id: uuid, domain: z.string(), status: z.literal('pending') }).openapi('PendingSelection');

export const Call = z
  .object({
    id: uuid,
    vapi_call_id: z.string().nullable(),
    call_stage: z.number().int(),
    direction: z.enum(['inbound', 'outbound', 'web']),
    status: z.string(),
    started_at: isoTime.nullable(),
    ended_at: isoTime.nullable(),
    duration_seconds: z.number().nullable(),
    summary: z.string().nullable(),
  })
  .openapi('Call');

export const PlannedCall = z
  .object({
    id: uuid,
    call_stage: z.number().int(),
    status: z.string(),
    scheduled_for: isoTime,
    placed_at: isoTime.nullable(),
    vapi_call_id: z.string().nullable(),
    last_error: z.string().nullable(),
  })
  .openapi('PlannedCall');

export const callsAnswer = z.object({
  calls: z.array(Call),
  planned: z.array(PlannedCall).openapi({ description: 'The newest 20 outbound calls as planned; every one is in GET /v1/me/calls/planned' }),
  next_cursor: nextCursor,
});
export const plannedAnswer = z.object({ planned: z.array(PlannedCall), next_cursor: nextCursor });
export const callPlanned = z.object({ call_stage: z.number().int(), at: isoTime }).openapi('CallPlanned');
export const WebCall = z
  .object({
    public_key: z.string().openapi({ description: "VAPI's public key, for its web SDK" }),
    call_stage: z.number().int(),
    assistant_id: z.string().nullable().openapi({ description: "A saved assistant's id, or null when `assistant` is given" }),
    assistant: z.record(z.string(), z.unknown()).nullable().openapi({ description: "VAPI's assistant object, as VAPI names its fields" }),
    assistant_overrides: z
      .record(z.string(), z.unknown())
      .openapi({ description: "VAPI's assistant overrides, as VAPI names them: pass to vapi.start unchanged; their metadata carries the ticket that names the founder" }),
    expires_at: isoTime.openapi({ description: 'Start the call before this; the ticket then names the founder for the whole call' }),
  })
  .openapi('WebCall');
export const sampleCallState = z.object({ available: z.boolean(), playing: z.boolean() }).openapi('SampleCallState');
export const samplePlaying = z.object({ call_stage: z.number().int(), vapi_call_id: z.string() }).openapi('SamplePlaying');

export const Transcript = z
  .object({
    call_id: uuid,
    call_stage: z.number().int().nullable(),
    text: z.string(),
    turns: z.array(z.object({ role: z.string(), content: z.string(), seconds_from_start: z.number().nullable() })),
    created_at: isoTime,
  })
  .openapi('Transcript');

const Evidence = z
  .object({
    quote: z.string().openapi({ description: "A short quote of the founder's words, a saved fact or an assessment answer" }),
    confidence: z.number().min(0).max(1).openapi({ description: "The analysis's confidence in the field's value, 0 to 1" }),
  })
  .openapi('DreamDnaEvidence');

export const DreamDna = z
  .object({
    id: uuid,
    user_id: uuid,
    version: z.number().int(),
    what_problem: z.string().nullable(),
    who_serves: z.string().nullable(),
    how_different: z.string().nullable(),
    primary_service: z.string().nullable(),
    brand_vibe: z.string().nullable(),
    color_preference: z.string().nullable(),
    price_level: z.string().nullable(),
    selected_domain: z.string().nullable(),
    ai_analysis_id: uuid.nullable(),
    created_at: isoTime,
    updated_at: isoTime,
    evidence: z
      .object({
        what_problem: Evidence.optional(),
        who_serves: Evidence.optional(),
        how_different: Evidence.optional(),
        primary_service: Evidence.optional(),
        brand_vibe: Evidence.optional(),
        color_preference: Evidence.optional(),
        price_level: Evidence.optional(),
      })
      .openapi({
        description:
          'What each field rests on, by field name: the run that found its value, quoting what the founder said (or a saved fact, or an assessment answer). A field carried over from an earlier version keeps the quote of the run that found it; a field without a value, or whose run kept no quote, is absent.',
      }),
  })
  .openapi('DreamDna');

export const versionsAnswer = z.object({ versions: z.array(DreamDna), next_cursor: nextCursor });

export const Assessment = z
  .object({
    id: uuid,
    catalog_version: z.number().int(),
    status: z.string(),
    submitted_at: isoTime,
    analysed_at: isoTime.nullable(),
    answers: z.array(z.object({ question_id: z.string(), value: z.string() })),
  })
  .openapi('Assessment');

export const assessmentsAnswer = z.object({ assessments: z.array(Assessment), next_cursor: nextCursor });
export const assessmentAccepted = z.object({ id: uuid, catalog_version: z.number().int() }).openapi('AssessmentAccepted');

export const AssessmentCatalog = z
  .object({
    version: z.number().int(),
    questions: z.array(
      z.discriminatedUnion('kind', [
        z.object({ id: z.string(), kind: z.literal('text'), prompt: z.string(), target: z.string(), max_length: z.number().int() }),
        z.object({ id: z.string(), kind: z.literal('choice'), prompt: z.string(), target: z.string(), options: z.array(z.string()) }),
      ]),
    ),
  })
  .openapi('AssessmentCatalog');

/** Compiles only when every value of `View` is one that `Schema` accepts. */
type Describes<Schema extends z.ZodType, View extends z.input<Schema>> = [Schema, View];

// A field an owner renames, adds as required or retypes fails here, before any test runs.
export type ViewsDescribed = [
  Describes<typeof BillingPackage, PublicView<BillingPackageView>>,
  Describes<typeof Subscription, PublicView<SubscriptionView>>,
  Describes<typeof Payment, PublicView<PaymentView>>,
  Describes<typeof Checkout, PublicView<CheckoutResponse>>,
  Describes<typeof Analysis, PublicView<AiAnalysisView>>,
  Describes<typeof DomainSelection, PublicView<DomainSelectionView>>,
  Describes<typeof DomainCandidate, PublicView<DomainCandidateView>>,
  Describes<typeof DomainSearch, PublicView<DomainSearchView>>,
  Describes<typeof Call, PublicView<CallView>>,
  Describes<typeof PlannedCall, PublicView<PlannedCallView>>,
  Describes<typeof Transcript, PublicView<TranscriptView>>,
  Describes<typeof DreamDna, PublicView<DreamDnaView>>,
];
