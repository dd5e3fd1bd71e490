import { z } from 'zod';
import { defineCatalog, job, payloadV1 } from './catalog';
import {
  callStage,
  ENTITY_TYPES,
  isoDateTime,
  PAYMENT_STATUSES,
  PROFILE_STATUSES,
  SUBSCRIPTION_TYPES,
  URGENCY_LEVELS,
  US_STATES,
  userId,
} from './common';

/**
 * Every profile report names itself (`eventId`, unique per report and stable across retries: the gateway
 * applies each once) and says when it happened in its owner's world (`occurredAt`: a report older than one
 * already applied for the same kind of change is recorded and not applied).
 */
/** What an owner may flag for an operator's attention (`founder-attention`). */
export const FOUNDER_ATTENTION_KINDS = ['analysis_failed', 'outbound_call_failed', 'outbound_call_unanswered', 'domain_registration_failed'] as const;
export type FounderAttentionKind = (typeof FOUNDER_ATTENTION_KINDS)[number];

const profileEvent = <T extends z.ZodRawShape>(shape: T) =>
  payloadV1({ userId, eventId: z.string().min(1).max(200), occurredAt: isoDateTime, ...shape });

/**
 * The gateway owns the founder's profile (`core.users`). Services report what changed through this queue;
 * the gateway applies it. Payloads carry ids and business facts, never contact details or secrets.
 */
export const gatewayJobs = defineCatalog({
  /** A consultation call ended: mark `call_N_completed` and move `current_call_stage` on. */
  'profile-call-completed': job(profileEvent({ callStage, callId: z.string().min(1).max(128) })),
  /** The next call was scheduled (outbound) or is expected (inbound). */
  'profile-next-call-scheduled': job(profileEvent({ callStage, scheduledAt: isoDateTime.nullable() })),
  /** Business facts heard in a call or read from an assessment. Only the fields present are applied. */
  'profile-business-facts': job(
    profileEvent({
      facts: z
        .object({
          businessName: z.string().min(1).max(200),
          businessType: z.string().min(1).max(200),
          entityType: z.enum(ENTITY_TYPES),
          stateOfOperation: z.enum(US_STATES),
          urgencyLevel: z.enum(URGENCY_LEVELS),
          timeline: z.string().min(1).max(200),
          packagePreference: z.string().min(1).max(100),
        })
        .partial(),
    }),
  ),
  /** The Dream DNA has a first version: the profile can move to `analysis_ready`. */
  'profile-analysis-ready': job(profileEvent({ dreamDnaVersion: z.number().int().positive() })),
  /** The founder chose a domain: the profile moves to `domain_selected`. */
  'profile-domain-selected': job(profileEvent({ domain: z.string().min(3).max(253) })),
  /** Payment and subscription state, as the billing service sees it after an event. */
  'profile-payment-updated': job(
    profileEvent({
      paymentStatus: z.enum(PAYMENT_STATUSES),
      subscriptionType: z.enum(SUBSCRIPTION_TYPES).nullable().optional(),
      amountPaid: z.number().int().nonnegative().optional(),
      /** The lower-case ISO 4217 currency of `amountPaid`. */
      currency: z.string().regex(/^[a-z]{3}$/).optional(),
      paymentDate: isoDateTime.nullable().optional(),
      subscriptionExpiresAt: isoDateTime.nullable().optional(),
    }),
  ),
  /** A status change decided by another owner (for example `formed` or `archived`). */
  'profile-status-changed': job(profileEvent({ status: z.enum(PROFILE_STATUSES), reason: z.string().max(200) })),
  /**
   * Something an operator should look at, raised or cleared by the owner that saw it: an analysis that failed for
   * good, an outbound call that failed or went unanswered. The gateway keeps one row per founder and kind (the
   * stuck-founders list) and applies each report once and in order, like the profile reports.
   */
  'founder-attention': job(
    profileEvent({
      kind: z.enum(FOUNDER_ATTENTION_KINDS),
      state: z.enum(['raised', 'cleared']),
      /** A short reason for the operator, written by the owner (never what the founder said). */
      detail: z.string().max(500).optional(),
    }),
  ),
  /**
   * Billing saw a formation package paid (once per payment: `eventId` is billing's, stable across retries): the
   * gateway opens the founder's formation case, and asks for the chosen domain's registration when the package
   * includes one.
   */
  'formation-package-paid': job(
    profileEvent({
      paymentId: z.uuid(),
      packageId: z.string().min(1).max(40),
      /** Whether the package buys the founder's chosen domain (billing's catalog says). */
      includesDomain: z.boolean(),
    }),
  ),
  /**
   * What came of registering the founder's domain (domain service): `registered` with its expiry, or `failed` for
   * good with the registrar's reason (the same is raised for operators as `domain_registration_failed`).
   */
  'profile-domain-registered': job(
    profileEvent({
      domain: z.string().min(3).max(253),
      status: z.enum(['registered', 'failed']),
      expiresAt: isoDateTime.nullable().optional(),
      /** The registrar's order or registration id, for support. */
      orderId: z.string().max(200).nullable().optional(),
      reason: z.string().max(500).optional(),
    }),
  ),
  /** Send an auth mail (confirmation, recovery, email change). The mail row holds the address, not the job. */
  'auth-mail-send': job(payloadV1({ mailId: z.uuid() }), { attempts: 8, backoffMs: 5000 }),
});

export type GatewayJobs = typeof gatewayJobs;
