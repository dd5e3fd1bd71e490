import express, { type Router } from 'express';
import { desc, eq } from 'drizzle-orm';
import { INTERNAL_PATHS, OPERATOR_READ_LIMIT, type OperatorDreamDnaView } from '@dreamseed/contracts';
import { createOperatorReadCheck, withOwnerRole } from '@dreamseed/platform';
import type { AnalysisConfig } from '../config';
import type { AnalysisDb } from '../db/client';
import { aiAnalysis, dreamDna } from '../db/schema';
import { analysisView, withEvidence } from './views';

/** A path of `INTERNAL_PATHS` as a router mounted at `/internal` sees it (its literal type kept, for Express's params). */
const mounted = <P extends string>(path: `/internal${P}`) => path.slice('/internal'.length) as P;

/**
 * One founder's Dream DNA history and analysis runs, read for an operator (`OPERATOR_READ_LIMIT` in the contracts
 * says how): the internal token is checked where the router is mounted, the operator's token here. The operator
 * is not the founder, so the rows are read as the analysis service's own role and filtered by the founder's id.
 */
export function operatorRouter(config: AnalysisConfig, db: AnalysisDb): Router {
  const router = express.Router();
  const checked = createOperatorReadCheck({ secret: config.JWT_SECRET, issuer: config.JWT_ISSUER });

  router.get(mounted(INTERNAL_PATHS.analysis.operatorDreamDna), async (req, res) => {
    const { userId } = await checked(req.get('authorization'), req.params.userId);
    const view = await withOwnerRole(db, 'analysis', async (tx): Promise<OperatorDreamDnaView> => {
      const versions = await tx.select().from(dreamDna).where(eq(dreamDna.businessId, userId)).orderBy(desc(dreamDna.version)).limit(OPERATOR_READ_LIMIT);
      const analyses = await tx
        .select()
        .from(aiAnalysis)
        .where(eq(aiAnalysis.businessId, userId))
        .orderBy(desc(aiAnalysis.createdAt), desc(aiAnalysis.id))
        .limit(OPERATOR_READ_LIMIT);
      return { userId, versions: await withEvidence(tx, versions), analyses: analyses.map(analysisView) };
    });
    res.json(view);
  });

  return router;
}
