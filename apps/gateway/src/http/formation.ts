import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { INTERNAL_PATHS, type DreamDnaView } from '@dreamseed/contracts';
import { AppError, notFound, type Founder } from '@dreamseed/platform';
import type { AuthService } from '../auth/service';
import type { GatewayConfig } from '../config';
import type { DocumentRow } from '../formation/documents-store';
import { RegistrationConsents } from '../formation/consent';
import { FounderFormation } from '../formation/founder';
import type { DreamDnaWords } from '../formation/intake';
import type { FormationDeps } from '../formation/store';
import { FormationCase, FormationDocuments } from '../formation/views';
import { founderOf } from './founder';
import type { FormationHooks } from './me';
import { parseBody, requireApiUser } from './middleware';
import { describeRoutes } from './openapi';
import { pathId, readFromOwner } from './owners';

const answerBody = z
  .object({ answer: z.string().trim().min(1).max(4000) })
  .strict()
  .openapi('FormationAnswer', { example: { answer: 'The registered agent is Ada Baker herself, at the office address.' } });

const consentBody = z
  .object({ agreement_keys: z.array(z.string().min(1).max(200)).min(1).max(20) })
  .strict()
  .openapi('DomainConsent', { example: { agreement_keys: ['DNRA'] } });

const DomainAgreements = z
  .object({
    domain: z.string(),
    registrar: z.string().openapi({ description: 'The registrar that registers it: godaddy, or local (offline, no real domain)' }),
    agreements: z.array(z.object({ key: z.string(), title: z.string(), url: z.string().nullable() })),
    agreed_at: z.iso.datetime({ offset: true }).nullable(),
  })
  .openapi('DomainAgreements');

describeRoutes(
  'founder',
  [
    [
      'get',
      '/v1/me/formation/case',
      "The founder's formation case: its state, what the founder must do (todo: an open question, what the intake lacks), the timeline of its events, the current documents and the domain's registration (404 no formation case before a formation package is paid)",
      undefined,
      { responses: { 200: FormationCase } },
    ],
    [
      'post',
      '/v1/me/formation/case/answer',
      "Answer the case's open question: the case returns to the state it was asked in (409 invalid_transition with no question open; 409 intake_incomplete, details listing what is missing, when it returns to the filing's preparation without a complete intake)",
      answerBody,
      { responses: { 200: FormationCase } },
    ],
    [
      'get',
      '/v1/me/formation/domain/agreements',
      "The registrar's registration agreements for the domain the package registers, to read before agreeing, and when the founder agreed to them as they stand (null: not yet). 409 no_domain_in_package, no_domain_chosen or domain_registration_started; 503 registrar_unavailable",
      undefined,
      { responses: { 200: DomainAgreements } },
    ],
    [
      'post',
      '/v1/me/formation/domain/consent',
      "Agree to the registration agreements (every key GET …/domain/agreements lists): recorded with the founder's address and the time, as the registrar asks, and the domain's registration is asked if nothing else waits. 409 agreements_changed (details.agreements: the current ones) when the keys are not the current agreements",
      consentBody,
      { responses: { 200: FormationCase } },
    ],
    ['get', '/v1/me/formation/documents', "The case's documents, every version, newest first", undefined, { responses: { 200: FormationDocuments } }],
    [
      'get',
      '/v1/me/formation/documents/{id}',
      'One document, as a PDF to download',
      undefined,
      { file: { contentType: 'application/pdf', description: 'The PDF (Content-Disposition: attachment)' } },
    ],
  ],
  { bearer: true },
);

/** The words of a Dream DNA the documents may use. */
export const dreamDnaWords = (view: Pick<DreamDnaView, 'whatProblem' | 'primaryService' | 'whoServes'> | undefined): DreamDnaWords | null =>
  view ? { whatProblem: view.whatProblem, primaryService: view.primaryService, whoServes: view.whoServes } : null;

/** The founder's address as the gateway sees it (behind `TRUST_PROXY`), an IPv4 one without its IPv6 mapping. */
function clientAddress(req: Request): string {
  const address = req.ip ?? req.socket.remoteAddress ?? '';
  return address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
}

/** Sends a stored document as a PDF download. */
export function sendDocument(res: Response, document: DocumentRow): void {
  res
    .status(200)
    .type('application/pdf')
    .set({
      'Content-Disposition': `attachment; filename="${document.filename.replace(/[^\w.-]/g, '_')}"`,
      ETag: `"${document.sha256}"`,
      'Cache-Control': 'private, no-store',
    })
    .send(document.bytes);
}

/**
 * The founder's formation case under `/v1/me/formation` (beside GET and PUT /v1/me/formation in me.ts): reading it,
 * answering its question, and downloading its documents. Answers `router`, mounted before me.ts's, and the
 * `hooks` me.ts runs: after the formation details are saved, and for the export.
 */
export function founderFormationRoutes(
  auth: AuthService,
  deps: FormationDeps & { config: Pick<GatewayConfig, 'ANALYSIS_SERVICE_URL' | 'DOMAIN_SERVICE_URL' | 'INTERNAL_API_SECRET'> },
) {
  const formation = new FounderFormation(deps);
  const consents = new RegistrationConsents(deps);
  const router = express.Router();
  // Per route rather than for the router: GET and PUT /v1/me/formation pass through here to me.ts, which checks them itself.
  const signedIn = requireApiUser(auth);

  /** The founder's current Dream DNA, read with their token; null when there is none, undefined when it cannot be read now. */
  const dreamDnaOf = (req: Request) => async () => {
    try {
      return dreamDnaWords(await readFromOwner<DreamDnaView>(deps.config.ANALYSIS_SERVICE_URL, INTERNAL_PATHS.analysis.dreamDna, req, { internalSecret: deps.config.INTERNAL_API_SECRET }));
    } catch (error) {
      if (error instanceof AppError && error.status === 404) return null;
      deps.logger.warn({ err: error }, 'dream dna not read for the formation documents; they follow on the next change');
      return undefined;
    }
  };

  router.get('/case', signedIn, async (req, res) => {
    res.json(await formation.caseOf(await founderOf(req, deps.db)));
  });

  router.post('/case/answer', express.json({ limit: '16kb' }), signedIn, async (req, res) => {
    const { answer } = parseBody(answerBody, req.body);
    const founder = await founderOf(req, deps.db);
    await formation.answer(founder, answer, dreamDnaOf(req), req.correlationId);
    res.json(await formation.caseOf(founder));
  });

  router.get('/domain/agreements', signedIn, async (req, res) => {
    res.json(await consents.agreementsFor(await founderOf(req, deps.db), req.correlationId));
  });

  router.post('/domain/consent', express.json({ limit: '16kb' }), signedIn, async (req, res) => {
    const { agreement_keys: keys } = parseBody(consentBody, req.body);
    const founder = await founderOf(req, deps.db);
    await consents.agree(founder, keys, clientAddress(req), req.correlationId);
    res.json(await formation.caseOf(founder));
  });

  router.get('/documents', signedIn, async (req, res) => {
    res.json({ documents: await formation.documents(await founderOf(req, deps.db)) });
  });

  router.get('/documents/:id', signedIn, async (req, res) => {
    const id = pathId(req, 'document');
    const document = await formation.document(await founderOf(req, deps.db), id);
    if (!document) throw notFound('No such document.');
    sendDocument(res, document);
  });

  const hooks: FormationHooks = {
    intakeSaved: (req: Request, founder: Founder) => formation.intakeSaved(founder, dreamDnaOf(req), req.correlationId),
    caseFor: async (founder: Founder) => {
      try {
        return await formation.caseOf(founder);
      } catch (error) {
        if (error instanceof AppError && error.code === 'no_formation_case') return null;
        throw error;
      }
    },
  };
  return { router, hooks };
}
