import express, { type Router } from 'express';
import { desc, eq } from 'drizzle-orm';
import type { DomainSearchView, DomainSelectionView } from '@dreamseed/contracts';
import { AppError, createFounderTokenVerifier, newestFirstPage, notFound, pageRequest, withFounder } from '@dreamseed/platform';
import type { DomainConfig } from '../config';
import type { DomainDb } from '../db/client';
import { domainSearches, domainSelections } from '../db/schema';
import { candidateViews } from '../jobs/search';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The founder's searches and selections, read for the gateway with the founder's own token under row-level
 * security: another founder's search is simply not found.
 */
export function searchesRouter(config: DomainConfig, db: DomainDb): Router {
  const router = express.Router();
  const founderOf = createFounderTokenVerifier({ secret: config.JWT_SECRET, issuer: config.JWT_ISSUER });

  router.get('/domain-searches', async (req, res) => {
    const founder = await founderOf(req.get('authorization'));
    const page = pageRequest(req.query);
    const { items, next_cursor } = await withFounder(db, founder, (tx) =>
      newestFirstPage(tx.select().from(domainSearches).$dynamic(), domainSearches, domainSearches.createdAt, domainSearches.id, page),
    );
    res.json({ searches: items.map(searchView), next_cursor });
  });

  router.get('/domain-searches/:id', async (req, res) => {
    const founder = await founderOf(req.get('authorization'));
    const id = req.params.id;
    if (!UUID.test(id)) throw notFound('No such search.');
    const [row] = await withFounder(db, founder, (tx) => tx.select().from(domainSearches).where(eq(domainSearches.id, id)));
    if (!row) throw notFound('No such search.');
    res.json(searchView(row));
  });

  // The founder's domain as it stands: the selection decided `selected` last. Before `/:id`, which only takes UUIDs.
  router.get('/domain-selections/current', async (req, res) => {
    const founder = await founderOf(req.get('authorization'));
    const [row] = await withFounder(db, founder, (tx) =>
      tx.select().from(domainSelections).where(eq(domainSelections.status, 'selected')).orderBy(desc(domainSelections.decidedAt)).limit(1),
    );
    if (!row) throw new AppError(404, 'no_domain_selected', 'No domain has been selected yet.');
    res.json(selectionView(row));
  });

  router.get('/domain-selections/:id', async (req, res) => {
    const founder = await founderOf(req.get('authorization'));
    const id = req.params.id;
    if (!UUID.test(id)) throw notFound('No such selection.');
    const [row] = await withFounder(db, founder, (tx) => tx.select().from(domainSelections).where(eq(domainSelections.id, id)));
    if (!row) throw notFound('No such selection.');
    res.json(selectionView(row));
  });

  return router;
}

export function selectionView(row: typeof domainSelections.$inferSelect): DomainSelectionView {
  return {
    id: row.id,
    domain: row.domain,
    status: row.status as DomainSelectionView['status'],
    available: row.available,
    searchId: row.searchId,
    message: row.message,
    createdAt: row.createdAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
  };
}

export function searchView(row: typeof domainSearches.$inferSelect): DomainSearchView & { error: string | null } {
  return {
    id: row.id,
    status: row.status as DomainSearchView['status'],
    trigger: row.trigger as DomainSearchView['trigger'],
    keywords: row.keywords,
    tlds: row.tlds,
    candidates: candidateViews(row.candidates),
    selectedDomain: row.selectedDomain,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    error: row.error,
  };
}
