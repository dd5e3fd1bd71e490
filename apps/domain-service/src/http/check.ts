import express, { type Router } from 'express';
import { z } from 'zod';
import { DOMAIN_TLDS, parseDomainName, type DomainCheckResponse } from '@dreamseed/contracts';
import { badRequest, summarizeIssues } from '@dreamseed/platform';
import type { AvailabilityChecker } from '../availability/checker';
import { candidateView } from '../availability/types';

const checkRequest = z.object({
  domain: z.string().max(300),
  alternativesTlds: z.array(z.string().max(63)).max(20).optional(),
});

/** Other endings offered when the caller names none. */
const DEFAULT_ALTERNATIVES = ['com', 'co', 'net', 'io'];
const MAX_ALTERNATIVES = 4;

/**
 * The voice assistant's `check_domain` tool: one name and a few other endings of it, answered within the
 * deadline (the voice service gives up at 3 s). Whatever is not answered by then is "unknown". A name said
 * without an ending is taken as .com.
 */
export function checkRouter(checker: AvailabilityChecker, deadlineMs: number): Router {
  const router = express.Router();
  router.use(express.json({ limit: '16kb' }));

  router.post('/domain-check', async (req, res) => {
    const body = checkRequest.safeParse(req.body);
    if (!body.success) throw badRequest('validation_failed', 'The request is not valid.', summarizeIssues(body.error.issues));
    const said = body.data.domain.trim();
    const parsed = parseDomainName(said.includes('.') ? said : `${said}.com`);
    if (!parsed.ok) throw badRequest(`invalid_domain`, parsed.message, { problem: parsed.problem });
    const alternatives = [...new Set((body.data.alternativesTlds ?? DEFAULT_ALTERNATIVES).map((tld) => tld.trim().replace(/^\./, '').toLowerCase()))]
      .filter((tld) => tld !== parsed.tld && (DOMAIN_TLDS as readonly string[]).includes(tld))
      .slice(0, MAX_ALTERNATIVES)
      .map((tld) => `${parsed.label}.${tld}`);
    const [asked, ...others] = await checker.check([parsed.domain, ...alternatives], { signal: AbortSignal.timeout(deadlineMs) });
    const response: DomainCheckResponse = {
      domain: parsed.domain,
      available: asked?.available ?? null,
      definitive: asked?.definitive ?? false,
      alternatives: others.map(candidateView),
    };
    res.json(response);
  });

  return router;
}
