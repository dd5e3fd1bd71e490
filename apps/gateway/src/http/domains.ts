import { randomUUID } from 'node:crypto';
import express, { type Request, type Router } from 'express';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  DOMAIN_TLDS,
  INTERNAL_PATHS,
  parseDomainName,
  type DomainBrief,
  type DomainSearchView,
  type DomainSelectionView,
  type DreamDnaView,
} from '@dreamseed/contracts';
import { AppError, badRequest, notFound, sleep, withFounder, type Founder, type JobProducer } from '@dreamseed/platform';
import type { AuthService } from '../auth/service';
import type { GatewayConfig } from '../config';
import type { GatewayDb } from '../db/client';
import { founderOf } from './founder';
import { parseBody, requireApiUser } from './middleware';
import { describeRoutes, PAGED } from './openapi';
import { DomainSearch, DomainSelection, pendingSearch, pendingSelection, searchesAnswer } from './responses';
import { publicView } from './dialect';
import { ownerPath, pathId, readFromOwner, readPageFromOwner } from './owners';

/** How long a POST waits for its job before answering 202 with the id to read later. */
const WAIT_FOR_RESULT_MS = 2000;

const keyword = z
  .string()
  .trim()
  .min(1)
  .max(63)
  // A control character or a lone surrogate can be neither a name nor stored (Postgres text takes no NUL): refused
  // here, rather than queued for a search that fails on every retry.
  .regex(/^[^\p{Cc}\p{Cs}]*$/u, 'must not contain control characters')
  .regex(/[\p{L}\p{N}]/u, 'must contain a letter or a digit')
  // The two rules as one pattern for the document: zod-to-openapi would print only the first, with its `/u`.
  .openapi({ pattern: '^[^\\p{Cc}\\p{Cs}]*[\\p{L}\\p{N}][^\\p{Cc}\\p{Cs}]*$' });

export const domainSearchRequest = z
  .object({
    keywords: z.array(keyword).max(10).optional(),
    tlds: z
      .array(z.string().trim().toLowerCase().transform((tld) => tld.replace(/^\./, '')))
      .max(DOMAIN_TLDS.length)
      .optional(),
  })
  .strict()
  .openapi('DomainSearchRequest', { example: { keywords: ['sourdough', 'bakery'], tlds: ['com', 'co'] } });

export const domainSelectionRequest = z.object({ domain: z.string().max(300) }).strict().openapi('DomainSelectionRequest', { example: { domain: 'seedbakery.com' } });

describeRoutes(
  'domains',
  [
    ['post', '/v1/domains/searches', 'Propose and check domain names (200 with the results when done within 2 s, else 202 with the id)', domainSearchRequest, { responses: { 200: DomainSearch, 202: pendingSearch } }],
    ['get', '/v1/domains/searches', 'The founder\'s domain searches, newest first, a page at a time', undefined, { ...PAGED, responses: { 200: searchesAnswer } }],
    ['get', '/v1/domains/searches/{id}', 'One search: every candidate with availability, price, provider and whether the answer was definitive', undefined, { responses: { 200: DomainSearch } }],
    ['post', '/v1/domains/selections', 'Choose a domain: re-checked, then recorded (200 selected, 409 taken, or 202 with the selection id)', domainSelectionRequest, { responses: { 200: DomainSelection, 202: pendingSelection } }],
    ['get', '/v1/domains/selections/current', 'The founder\'s domain as it stands: the selection decided last (404 no_domain_selected)', undefined, { responses: { 200: DomainSelection } }],
    ['get', '/v1/domains/selections/{id}', 'The outcome of a selection (pending, selected or unavailable)', undefined, { responses: { 200: DomainSelection } }],
  ],
  { bearer: true },
);

/**
 * Domain names for the founder. Commands go to the domain service as jobs whose ids the gateway mints (a retry
 * is the same job); reads go to its internal API with the founder's token. A POST waits briefly for its job so
 * that a fast answer comes back at once.
 */
export function domainsRouter(
  auth: AuthService,
  db: GatewayDb,
  config: Pick<GatewayConfig, 'DOMAIN_SERVICE_URL' | 'ANALYSIS_SERVICE_URL' | 'INTERNAL_API_SECRET'>,
  producer: JobProducer,
): Router {
  const router = express.Router();
  router.use(express.json({ limit: '16kb' }));
  router.use(requireApiUser(auth));

  const fromDomain = <T>(path: string, req: Request) => readFromOwner<T>(config.DOMAIN_SERVICE_URL, path, req, { internalSecret: config.INTERNAL_API_SECRET });

  router.post('/searches', async (req, res) => {
    const body = parseBody(domainSearchRequest, req.body);
    const unsupported = (body.tlds ?? []).filter((tld) => !(DOMAIN_TLDS as readonly string[]).includes(tld));
    if (unsupported.length) {
      throw badRequest('unsupported_tld', `We cannot check ${unsupported.map((t) => `.${t}`).join(', ')} names; choose from ${DOMAIN_TLDS.map((t) => `.${t}`).join(', ')}.`);
    }
    const founder = await founderOf(req, db);
    const brief = await briefFor(req, founder, db, config);
    if (!body.keywords?.length && !brief.businessName && !brief.primaryService) {
      throw badRequest('nothing_to_search', 'Add your business name to your profile, or give keywords to search with.');
    }
    const searchId = randomUUID();
    await producer.enqueue(
      'domain',
      'search-domains',
      { v: 1, userId: founder.id, searchId, trigger: 'api', keywords: body.keywords, tlds: body.tlds?.length ? [...new Set(body.tlds)] : undefined, brief },
      { jobId: searchId, correlationId: req.correlationId },
    );
    res.location(`/v1/domains/searches/${searchId}`);
    if (await finished(producer, searchId)) {
      res.json(publicView(await fromDomain<DomainSearchView>(ownerPath(INTERNAL_PATHS.domain.search, { id: searchId }), req)));
    } else {
      res.status(202).json({ id: searchId, status: 'pending' });
    }
  });

  router.get('/searches', async (req, res) => {
    res.json(publicView(await readPageFromOwner(config.DOMAIN_SERVICE_URL, INTERNAL_PATHS.domain.searches, req, { internalSecret: config.INTERNAL_API_SECRET })));
  });

  router.get('/searches/:id', async (req, res) => {
    res.json(publicView(await fromDomain(ownerPath(INTERNAL_PATHS.domain.search, { id: pathId(req, 'search') }), req)));
  });

  // `/selection` is the path's earlier name, kept working for clients written before it matched the GET paths.
  router.post(['/selections', '/selection'], async (req, res) => {
    const parsed = parseDomainName(parseBody(domainSelectionRequest, req.body).domain);
    if (!parsed.ok) throw new AppError(400, 'invalid_domain', parsed.message, { problem: parsed.problem });
    const founder = await founderOf(req, db);
    const selectionId = randomUUID();
    await producer.enqueue('domain', 'select-domain', { v: 1, userId: founder.id, domain: parsed.domain, selectionId }, { jobId: selectionId, correlationId: req.correlationId });
    res.location(`/v1/domains/selections/${selectionId}`);
    if (!(await finished(producer, selectionId))) {
      res.status(202).json({ id: selectionId, domain: parsed.domain, status: 'pending' });
      return;
    }
    const selection = await fromDomain<DomainSelectionView>(ownerPath(INTERNAL_PATHS.domain.selection, { id: selectionId }), req);
    if (selection.status === 'unavailable') throw new AppError(409, 'domain_unavailable', selection.message ?? `${parsed.domain} is already registered.`, { selection: publicView(selection) });
    res.json(publicView(selection));
  });

  router.get('/selections/current', async (req, res) => {
    res.json(publicView(await fromDomain(INTERNAL_PATHS.domain.currentSelection, req)));
  });

  router.get('/selections/:id', async (req, res) => {
    res.json(publicView(await fromDomain(ownerPath(INTERNAL_PATHS.domain.selection, { id: pathId(req, 'selection') }), req)));
  });

  return router;
}

/**
 * What the names are built from: the business name and type from the profile, and the Dream DNA from the
 * analysis service when there is one (404 or an analysis service that cannot answer: none yet).
 */
async function briefFor(
  req: Request,
  founder: Founder,
  db: GatewayDb,
  config: Pick<GatewayConfig, 'ANALYSIS_SERVICE_URL' | 'INTERNAL_API_SECRET'>,
): Promise<DomainBrief> {
  const profile = await withFounder(db, founder, async (tx) => {
    const result = await tx.execute(sql`select business_name, business_type from core.users where id = ${founder.id} and deleted_at is null`);
    return result.rows[0] as { business_name: string | null; business_type: string | null } | undefined;
  });
  if (!profile) throw notFound('No profile.');
  const dna = await readFromOwner<DreamDnaView>(config.ANALYSIS_SERVICE_URL, INTERNAL_PATHS.analysis.dreamDna, req, {
    internalSecret: config.INTERNAL_API_SECRET,
    timeoutMs: 1500,
  }).catch((error: unknown) => {
    if (error instanceof AppError && (error.status === 404 || error.status === 503)) return undefined;
    throw error;
  });
  return {
    businessName: profile.business_name,
    businessType: profile.business_type,
    primaryService: dna?.primaryService ?? null,
    whoServes: dna?.whoServes ?? null,
    brandVibe: dna?.brandVibe ?? null,
    priceLevel: dna?.priceLevel ?? null,
  };
}

/** Whether the job ended (completed or failed) within the wait. */
async function finished(producer: JobProducer, jobId: string): Promise<boolean> {
  const deadline = Date.now() + WAIT_FOR_RESULT_MS;
  const queue = producer.queue('domain');
  for (;;) {
    const state = await queue.getJobState(jobId).catch(() => 'unknown');
    if (state === 'completed' || state === 'failed') return true;
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
}

