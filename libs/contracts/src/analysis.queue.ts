import { z } from 'zod';
import { defineCatalog, job, payloadV1 } from './catalog';
import { userId } from './common';

export const ANALYSIS_TRIGGERS = ['call-ended', 'assessment', 'business-fact', 'manual'] as const;

/**
 * The facts the assistant's `save_business_fact` tool may save, by the names the tool offers, and the names
 * assistants have been seen to use for them, each to the profile field it fills. A fact under another name is
 * refused by the voice service before it is queued: the tool is for business facts, never the caller's contact
 * details.
 */
export const BUSINESS_FACT_NAMES = {
  business_name: 'businessName',
  business_type: 'businessType',
  entity_type: 'entityType',
  state_of_operation: 'stateOfOperation',
  urgency_level: 'urgencyLevel',
  timeline: 'timeline',
  package_preference: 'packagePreference',
} as const;
export const BUSINESS_FACT_ALIASES: Record<string, (typeof BUSINESS_FACT_NAMES)[keyof typeof BUSINESS_FACT_NAMES]> = {
  ...BUSINESS_FACT_NAMES,
  ...Object.fromEntries(Object.values(BUSINESS_FACT_NAMES).map((field) => [field, field])),
  state: 'stateOfOperation',
  urgency: 'urgencyLevel',
  package: 'packagePreference',
};

/** The answers of one assessment, as `submit-assessment` carries them (sealed or, from older gateways, clear). */
export const assessmentAnswers = z
  .array(
    z.object({
      questionId: z.string().min(1).max(100),
      value: z.union([z.string().max(5000), z.number(), z.boolean(), z.array(z.string().max(500)).max(50)]),
    }),
  )
  .min(1)
  .max(200);

/** What `sealedAnswers` holds once opened. */
export const sealedAssessment = z.object({ assessmentId: z.uuid(), answers: assessmentAnswers });

export const analysisJobs = defineCatalog({
  /** Analyse everything the founder said and answered so far into a new Dream DNA version. */
  'analyse-founder': job(
    payloadV1({
      userId,
      trigger: z.enum(ANALYSIS_TRIGGERS),
      /** What caused the run (a call id, an assessment id): with the trigger, it makes the run idempotent. */
      sourceId: z.string().min(1).max(128),
    }),
    { attempts: 5, backoffMs: 5000 },
  ),
  /**
   * The founder deleted their account: erase what they said and what was made from it in this owner's tables (the
   * gateway sends one per owner, in the deletion's own transaction through its inbox). Idempotent; keeps only
   * records the platform must keep (see docs/security.md, account deletion).
   */
  'erase-founder': job(payloadV1({ userId }), { attempts: 8, backoffMs: 10_000 }),
  /** Run again on request, for example with another provider or after a failure. */
  'rerun-analysis': job(payloadV1({ userId, requestId: z.uuid() }), { attempts: 5, backoffMs: 5000 }),
  /**
   * Store a submitted assessment; the id is minted by the gateway so a retried submission is stored once. The
   * answers are the founder's own words, so they travel sealed like VAPI bodies: `sealedAnswers` is
   * `{ assessmentId, answers }` as JSON, a compact JWE under `PAYLOAD_ENCRYPTION_KEY` (libs/platform
   * `PayloadSealer`); the assessment id inside ties the answers to this job, so sealed answers moved into
   * another job are refused.
   */
  'submit-assessment': job(
    payloadV1({
      userId,
      assessmentId: z.uuid(),
      catalogVersion: z.number().int().positive(),
      /** The gateway's largest submission (100 answers of 5,000 characters of any script), sealed, with room. */
      sealedAnswers: z.string().min(1).max(4_000_000).optional(),
      /**
       * The answers in the clear, as gateways before sealing sent them: still taken, so that jobs queued before an
       * upgrade are processed after it. Nothing sends them any more; an analysis service that reads
       * `sealedAnswers` goes out before a gateway that sends them.
       */
      answers: assessmentAnswers.optional(),
    }).refine((payload) => (payload.sealedAnswers === undefined) !== (payload.answers === undefined), {
      message: 'carries either sealedAnswers or answers',
    }),
  ),
  /** A fact the assistant saved during a call (`save_business_fact` tool). */
  'record-business-fact': job(
    payloadV1({
      userId,
      vapiCallId: z.string().min(1).max(128),
      toolCallId: z.string().min(1).max(128),
      field: z.string().min(1).max(100),
      value: z.string().max(2000),
    }),
  ),
  /** The founder selected a domain: the Dream DNA shows it. */
  'record-selected-domain': job(payloadV1({ userId, domain: z.string().min(3).max(253), searchId: z.uuid().optional() })),
});

export type AnalysisJobs = typeof analysisJobs;
