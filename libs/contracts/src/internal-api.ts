import type { BrandVibe, ColorPreference, PriceLevel } from './common';

/**
 * The internal read APIs. The gateway forwards the founder's access token (`Authorization: Bearer`) and the
 * owner reads under row-level security. Paths are relative to the owning service's base URL.
 */
export const INTERNAL_PATHS = {
  gateway: {
    /**
     * The founder calling from an E.164 number: `POST { phone }`, for the voice worker's end-of-call report that
     * names no founder. The number travels in the body, never in a path that access logs and proxies record.
     */
    founderByPhone: '/internal/founders/lookup',
    /** The same by profile id, with the number to dial, for outbound calls. */
    founderById: '/internal/founders/:id',
    /** A caller the intake assistant registered: `{ phone, email, name? }` → 201 (or 200 for a known number). */
    registerFounder: '/internal/founders',
    /**
     * Service to service (internal token only): the founder as a domain's registrant (`RegistrantContact`), for
     * the domain service, whose jobs carry no personal data; 409 `registrant_incomplete` naming what is missing.
     */
    registrantContact: '/internal/founders/:id/registrant',
    /**
     * Service to service (internal token only): the founder's consent to the registration agreements of a domain
     * (`?domain=`), as `RegistrationConsent`, for the purchase; 404 `no_registration_consent` when they gave none
     * for that domain.
     */
    registrationConsent: '/internal/founders/:id/registration-consent',
  },
  voice: {
    /**
     * Synchronous VAPI messages (assistant-request, tool-calls, ...): answered within the gateway's deadline. The
     * gateway sends VAPI's body, and with an assistant-request from an E.164 number also `founder`: the
     * `FounderCallContext` calling from it, or null for nobody. This is the only way the voice service learns the
     * caller of an assistant-request: a missing `founder` means the gateway could not say, and the caller hears
     * an apology.
     */
    vapiSync: '/internal/vapi/sync',
    calls: '/internal/calls',
    /** The outbound calls as planned, newest first, a page at a time. */
    plannedCalls: '/internal/calls/planned',
    /** A web call for the founder's browser: the assistant and a ticket naming the founder (`POST`, founder's token). */
    webCall: '/internal/calls/web',
    callTranscript: '/internal/calls/:id/transcript',
    /** Service to service (internal token only): every ended call of a founder, for the analysis service. */
    founderConsultation: '/internal/founders/:userId/consultation',
    /** Operator reads (internal token and an operator's token, see `OPERATOR_READS`): every call and plan of one founder. */
    operatorCalls: '/internal/operator/founders/:userId/calls',
    /** One call's transcript, for an operator; the gateway records the read in its audit log before asking. */
    operatorTranscript: '/internal/operator/founders/:userId/calls/:id/transcript',
  },
  analysis: {
    dreamDna: '/internal/dream-dna',
    dreamDnaVersions: '/internal/dream-dna/versions',
    analyses: '/internal/analyses',
    analysis: '/internal/analyses/:id',
    assessments: '/internal/assessments',
    assessmentCatalog: '/internal/assessments/catalog',
    /** Operator read: every Dream DNA version with its evidence, and every analysis run, of one founder. */
    operatorDreamDna: '/internal/operator/founders/:userId/dream-dna',
  },
  domain: {
    searches: '/internal/domain-searches',
    search: '/internal/domain-searches/:id',
    /** Fast availability check for the voice assistant's `check_domain` tool. */
    check: '/internal/domain-check',
    /** The outcome of a `select-domain` job (selected, or refused because the name is taken). */
    selection: '/internal/domain-selections/:id',
    /** The selection decided `selected` last: the founder's domain as it stands (404 `no_domain_selected`). */
    currentSelection: '/internal/domain-selections/current',
    /** Operator read: one founder's selections and searches. */
    operatorDomains: '/internal/operator/founders/:userId/domains',
    /**
     * Service to service (internal token only): the registration agreements the registrar requires for a domain
     * (`?domain=`), as `DomainAgreementsResponse`, for the founder to read and agree to before it is bought.
     */
    registrationAgreements: '/internal/registration-agreements',
  },
  billing: {
    packages: '/internal/packages',
    checkout: '/internal/checkout',
    /** The founder confirms their own open checkout of the local provider: 202, or 404 for any other id. */
    confirmCheckout: '/internal/checkout/:id/confirm',
    subscription: '/internal/subscription',
    payments: '/internal/payments',
    /** Operator read: one founder's payments (with refunds) and subscription. */
    operatorBilling: '/internal/operator/founders/:userId/billing',
  },
} as const;

/**
 * How an owner answers an operator read (`INTERNAL_PATHS.*.operator*`): the gateway sends the platform's internal
 * token and forwards the operator's own access token (`Authorization: Bearer`). The owner checks both, the token
 * with `createOperatorTokenVerifier` (app_metadata.role `operator`), and reads the named founder's rows as its own
 * role, newest first, at most `OPERATOR_READ_LIMIT` of each kind. Whether the operator's session still exists and
 * the audit entry are the gateway's part.
 */
export const OPERATOR_READ_LIMIT = 100;

/** One founder's calls, as an operator sees them. */
export interface OperatorCallsView {
  userId: string;
  calls: CallView[];
  planned: PlannedCallView[];
}

/** One founder's Dream DNA history, as an operator sees it. */
export interface OperatorDreamDnaView {
  userId: string;
  /** Newest first; each with its evidence. */
  versions: DreamDnaView[];
  analyses: AiAnalysisView[];
}

export interface OperatorDomainsView {
  userId: string;
  selections: DomainSelectionView[];
  searches: DomainSearchView[];
}

export interface OperatorBillingView {
  userId: string;
  payments: PaymentView[];
  subscription: SubscriptionView | null;
}

/** A legal agreement a registrar requires for registering a domain, as it states it. */
export interface DomainAgreementView {
  /** The registrar's key for it, which the purchase's consent names. */
  key: string;
  title: string;
  /** Where the founder reads it; null when the registrar gives the text only (local registrar). */
  url: string | null;
}

export interface DomainAgreementsResponse {
  domain: string;
  /** The registrar that would register it (`godaddy`, `local`). */
  registrar: string;
  agreements: DomainAgreementView[];
}

/**
 * The founder's agreement to a domain's registration agreements, as a registrar's purchase takes it (GoDaddy's
 * `consent`): the keys agreed to, the address of the founder's browser when they agreed, and when.
 */
export interface RegistrationConsent {
  domain: string;
  agreementKeys: string[];
  /** The founder's IP address as the gateway saw it (behind `TRUST_PROXY`). */
  agreedBy: string;
  agreedAt: string;
}

/** The founder as a domain's registrant (and its admin, tech and billing contact), as registrars take it. */
export interface RegistrantContact {
  nameFirst: string;
  nameLast: string;
  /** The business's legal name, else its name, when there is one. */
  organization: string | null;
  email: string;
  /** EPP's form of an E.164 number: `+<country code>.<number>`, e.g. `+1.5555551234`. */
  phone: string;
  /** The formation details' mailing address, else the business address. */
  address: { address1: string; address2: string | null; city: string; state: string; postalCode: string; country: string };
}

/** What the voice assistant needs to greet and guide a founder (no contact details beyond what it was given). */
export interface FounderCallContext {
  id: string;
  customerPhone: string | null;
  customerName: string | null;
  businessName: string | null;
  businessType: string | null;
  currentCallStage: number;
  assistantType: 'shared' | 'individual';
  individualAssistantId: string | null;
  status: string;
}

/** One ended call as the analysis reads it: the founder's own words apart, and VAPI's analysis when present. */
export interface ConsultationCallView {
  callSessionId: string;
  vapiCallId: string;
  transcriptId: string;
  callStage: number | null;
  endedAt: string | null;
  /** The whole transcript, both speakers. */
  text: string;
  /** The conversation turn by turn, in order (`user` is the founder, `assistant` the AI). */
  turns: { role: string; content: string }[];
  summary: string | null;
  structuredData: Record<string, unknown> | null;
}

export interface ConsultationView {
  userId: string;
  calls: ConsultationCallView[];
}

export interface DreamDnaView {
  id: string;
  businessId: string;
  version: number;
  whatProblem: string | null;
  whoServes: string | null;
  howDifferent: string | null;
  primaryService: string | null;
  brandVibe: BrandVibe | null;
  colorPreference: ColorPreference | null;
  priceLevel: PriceLevel | null;
  selectedDomain: string | null;
  aiAnalysisId: string | null;
  createdAt: string;
  updatedAt: string;
  /**
   * What each field rests on: a short quote of the founder's words (or of a saved fact or an assessment answer)
   * and the run's confidence, from the run that found the field's value. A field without a value, or whose run
   * kept no quote, has none.
   */
  evidence: Partial<Record<DreamDnaField, DreamDnaEvidence>>;
}

/** The Dream DNA's own fields, the ones an analysis finds. */
export type DreamDnaField = 'whatProblem' | 'whoServes' | 'howDifferent' | 'primaryService' | 'brandVibe' | 'colorPreference' | 'priceLevel';

export interface DreamDnaEvidence {
  quote: string;
  /** 0 to 1. */
  confidence: number;
}

export interface AiAnalysisView {
  id: string;
  trigger: string;
  /** Null only while `queued`. */
  provider: string | null;
  model: string | null;
  promptVersion: string | null;
  /** `queued` only from the gateway: the request is in Redis and no worker has taken it yet. */
  status: 'queued' | 'pending' | 'succeeded' | 'failed' | 'unchanged';
  dreamDnaVersion: number | null;
  latencyMs: number | null;
  error: string | null;
  createdAt: string;
  completedAt: string | null;
}

export interface CallView {
  id: string;
  vapiCallId: string | null;
  callStage: number;
  /** `web`: a call from the founder's browser. */
  direction: 'inbound' | 'outbound' | 'web';
  status: string;
  startedAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  summary: string | null;
}

/**
 * An outbound call as planned: `scheduled` until its time, then `dialing`, `placed` (its call then shows among
 * the calls), `failed` (with the reason: VAPI refused it, the founder has no number, or the outcome is unknown and
 * it was not dialled again) or `cancelled`.
 */
export interface PlannedCallView {
  id: string;
  callStage: number;
  status: string;
  scheduledFor: string;
  placedAt: string | null;
  vapiCallId: string | null;
  lastError: string | null;
}

/**
 * What the founder's browser needs to start a web call with VAPI's web SDK: VAPI's public key, the assistant (a
 * saved one's id, or VAPI's assistant object) and VAPI's overrides carrying the ticket that names the founder.
 * The assistant and the overrides are VAPI's own objects, passed to `vapi.start` as they are.
 */
export interface WebCallView {
  publicKey: string;
  callStage: number;
  assistantId: string | null;
  assistant: Record<string, unknown> | null;
  assistantOverrides: Record<string, unknown>;
  expiresAt: string;
}

export interface TranscriptView {
  callId: string;
  callStage: number | null;
  text: string;
  turns: { role: string; content: string; secondsFromStart: number | null }[];
  createdAt: string;
}

export interface DomainCandidateView {
  domain: string;
  available: boolean | null;
  definitive: boolean;
  priceMinor: number | null;
  currency: string | null;
  provider: string;
  checkedAt: string;
  /** How good a name it is (length, pronounceability, keyword kept), 0–100; present on generated candidates. */
  score?: number;
  /** Why `available` is null (`timeout`, `no_rdap_server`, `status_503`, `malformed_response`, ...). */
  reason?: string;
}

export interface DomainSearchView {
  id: string;
  status: 'pending' | 'running' | 'completed' | 'failed';
  trigger: 'api' | 'brand-call';
  keywords: string[];
  tlds: string[];
  candidates: DomainCandidateView[];
  selectedDomain: string | null;
  createdAt: string;
  completedAt: string | null;
}

export interface DomainSelectionView {
  id: string;
  domain: string;
  /** `pending` until re-checked; `selected` (also when the provider could not say) or `unavailable` (taken). */
  status: 'pending' | 'selected' | 'unavailable';
  /** What the re-check found: true, false, or null when the provider could not tell. */
  available: boolean | null;
  searchId: string | null;
  message: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export interface DomainCheckRequest {
  domain: string;
  alternativesTlds?: string[];
}

export interface DomainCheckResponse {
  domain: string;
  available: boolean | null;
  definitive: boolean;
  alternatives: DomainCandidateView[];
}

export interface BillingPackageView {
  id: string;
  name: string;
  kind: 'one_time' | 'subscription';
  interval: 'month' | 'year' | null;
  amountMinor: number;
  currency: string;
  /** Paying it opens the founder's formation case. */
  formation: boolean;
  /** It registers the founder's chosen domain too. */
  includesDomain: boolean;
}

/** Stripe's statuses of a subscription that still runs, and so can be cancelled or replaced. */
export const LIVE_SUBSCRIPTION_STATUSES = ['trialing', 'active', 'past_due', 'unpaid'] as const;

export interface SubscriptionView {
  id: string;
  plan: 'monthly' | 'yearly';
  status: string;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  packageId?: string;
  provider?: string;
}

export interface PaymentView {
  id: string;
  packageId: string;
  kind?: 'one_time' | 'subscription';
  amountMinor: number;
  /** What was given back (charge.refunded), in the same minor units. */
  amountRefundedMinor?: number;
  currency: string;
  status: string;
  paidAt: string | null;
  createdAt?: string;
}

export interface CheckoutResponse {
  checkoutId: string;
  url: string;
}

/** A local checkout's confirmation was accepted: the payment is marked paid shortly (or already was). */
export interface CheckoutConfirmation {
  checkoutId: string;
  confirming: true;
}
