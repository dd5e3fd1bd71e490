import express, { type Router } from 'express';
import { z } from 'zod';
import { INTERNAL_PATHS, parseDomainName, type DomainAgreementView, type DomainAgreementsResponse } from '@dreamseed/contracts';
import { AppError, badRequest, summarizeIssues } from '@dreamseed/platform';
import { RegistrationError, type Registrar } from '../registration/types';

const agreementsQuery = z.object({ domain: z.string().max(300) });

/** The founder waits on a page of the gateway's for these: a registrar slower than this is unavailable. */
const AGREEMENTS_DEADLINE_MS = 10_000;

/**
 * The registration agreements the registrar requires for a domain, as it states them now, for the gateway to show
 * the founder before they agree and their domain is bought. Mounted under `/internal` behind the internal token.
 * A registrar that cannot say is a 503 the gateway may retry; the purchase checks the consent against the
 * registrar's agreements again, so agreements changed in between are caught there.
 */
export function registrationAgreementsRouter(registrar: Registrar): Router {
  const router = express.Router();

  router.get(INTERNAL_PATHS.domain.registrationAgreements.replace(/^\/internal/, ''), async (req, res) => {
    const query = agreementsQuery.safeParse(req.query);
    if (!query.success) throw badRequest('validation_failed', 'The request is not valid.', summarizeIssues(query.error.issues));
    const parsed = parseDomainName(query.data.domain);
    if (!parsed.ok) throw badRequest('invalid_domain', parsed.message, { problem: parsed.problem });
    const deadline = AbortSignal.timeout(AGREEMENTS_DEADLINE_MS);
    let agreements: DomainAgreementView[];
    try {
      agreements = await registrar.agreements(parsed.domain, deadline);
    } catch (error) {
      if (!(error instanceof RegistrationError) && !deadline.aborted) throw error;
      const reason = error instanceof RegistrationError ? error.code : 'registrar_timeout';
      throw new AppError(503, 'registrar_unavailable', 'The registrar cannot say which agreements it requires right now. Try again shortly.', { reason }, { 'Retry-After': '5' });
    }
    const response: DomainAgreementsResponse = { domain: parsed.domain, registrar: registrar.name, agreements };
    res.json(response);
  });

  return router;
}
