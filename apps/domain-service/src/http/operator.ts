import express, { type Router } from 'express';
import { desc, eq } from 'drizzle-orm';
import { INTERNAL_PATHS, OPERATOR_READ_LIMIT, type OperatorDomainsView } from '@dreamseed/contracts';
import { createOperatorReadCheck, withOwnerRole } from '@dreamseed/platform';
import type { DomainConfig } from '../config';
import type { DomainDb } from '../db/client';
import { domainSearches, domainSelections } from '../db/schema';
import { searchView, selectionView } from './searches';

/**
 * The operator's read of one founder's domains (the contracts' `OPERATOR_READ_LIMIT` says how an owner answers
 * it): mounted under `/internal` behind the internal token, with the operator's own token checked here. The
 * founder's rows are read as the domain service's role, since no founder token is at hand.
 */
export function operatorDomainsRouter(config: DomainConfig, db: DomainDb): Router {
  const router = express.Router();
  const checked = createOperatorReadCheck({ secret: config.JWT_SECRET, issuer: config.JWT_ISSUER });

  router.get(INTERNAL_PATHS.domain.operatorDomains.replace(/^\/internal/, ''), async (req, res) => {
    const { userId } = await checked(req.get('authorization'), req.params.userId);
    const view = await withOwnerRole(db, 'domain', async (tx): Promise<OperatorDomainsView> => {
      const selections = await tx
        .select()
        .from(domainSelections)
        .where(eq(domainSelections.businessId, userId))
        .orderBy(desc(domainSelections.createdAt), desc(domainSelections.id))
        .limit(OPERATOR_READ_LIMIT);
      const searches = await tx
        .select()
        .from(domainSearches)
        .where(eq(domainSearches.businessId, userId))
        .orderBy(desc(domainSearches.createdAt), desc(domainSearches.id))
        .limit(OPERATOR_READ_LIMIT);
      return { userId, selections: selections.map(selectionView), searches: searches.map(searchView) };
    });
    res.json(view);
  });

  return router;
}
