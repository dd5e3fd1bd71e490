import { z } from 'zod';
import { defineCatalog, job, payloadV1 } from './catalog';
import { BRAND_VIBES, PRICE_LEVELS, userId } from './common';

/**
 * What the name generator works from: the founder's business name and the Dream DNA fields that shape names
 * and TLDs. The sender (the gateway for API searches, the analysis service after the brand call) fills it.
 */
export const domainBrief = z.object({
  businessName: z.string().max(200).nullish(),
  businessType: z.string().max(200).nullish(),
  primaryService: z.string().max(500).nullish(),
  whoServes: z.string().max(500).nullish(),
  brandVibe: z.enum(BRAND_VIBES).nullish(),
  priceLevel: z.enum(PRICE_LEVELS).nullish(),
});
export type DomainBrief = z.infer<typeof domainBrief>;

export const domainJobs = defineCatalog({
  /** Generate names and check them. The search row is created by the worker under the given id (idempotent). */
  'search-domains': job(
    payloadV1({
      userId,
      searchId: z.uuid(),
      trigger: z.enum(['api', 'brand-call']),
      keywords: z.array(z.string().min(1).max(63)).max(10).optional(),
      tlds: z.array(z.string().min(2).max(63)).max(20).optional(),
      brief: domainBrief.optional(),
    }),
    { attempts: 3, backoffMs: 2000 },
  ),
  /** Re-check and record the founder's chosen domain. */
  'select-domain': job(payloadV1({ userId, domain: z.string().min(3).max(253), selectionId: z.uuid() }), {
    attempts: 3,
    backoffMs: 2000,
  }),
  /**
   * Register (buy) the founder's chosen domain for a paid package that includes one: availability re-checked
   * first; `requestId` makes it idempotent (never bought twice, and an answer that was lost is looked up at the
   * registrar before trying again). The outcome goes back as `profile-domain-registered`.
   */
  'register-domain': job(payloadV1({ userId, domain: z.string().min(3).max(253), requestId: z.uuid(), years: z.number().int().min(1).max(10).default(1) }), {
    attempts: 6,
    backoffMs: 10_000,
  }),
  /**
   * The founder deleted their account: erase what they said and what was made from it in this owner's tables (the
   * gateway sends one per owner, in the deletion's own transaction through its inbox). Idempotent; keeps only
   * records the platform must keep (see docs/security.md, account deletion).
   */
  'erase-founder': job(payloadV1({ userId }), { attempts: 8, backoffMs: 10_000 }),
  /** Refresh the IANA RDAP bootstrap file (scheduled). */
  'refresh-rdap-bootstrap': job(payloadV1({}), { attempts: 3, backoffMs: 60000 }),
});

export type DomainJobs = typeof domainJobs;
