import express, { type Router } from 'express';
import { desc, eq, inArray } from 'drizzle-orm';
import { AppError, createFounderTokenVerifier, newestFirstPage, notFound, pageRequest, withFounder } from '@dreamseed/platform';
import type { AnalysisConfig } from '../config';
import type { AnalysisDb } from '../db/client';
import { aiAnalysis, assessmentResponses, businessAssessment, dreamDna } from '../db/schema';
import { analysisView, UUID, withEvidence } from './views';

/**
 * The founder's Dream DNA, its history, the analysis runs and the assessments, read for the gateway with the
 * founder's own token: checked here, and the rows read as the founder under row-level security.
 */
export function founderRouter(config: AnalysisConfig, db: AnalysisDb): Router {
  const router = express.Router();
  const founderOf = createFounderTokenVerifier({ secret: config.JWT_SECRET, issuer: config.JWT_ISSUER });

  router.get('/dream-dna', async (req, res) => {
    const founder = await founderOf(req.get('authorization'));
    const [view] = await withFounder(db, founder, async (tx) => withEvidence(tx, await tx.select().from(dreamDna).orderBy(desc(dreamDna.version)).limit(1)));
    if (!view) throw new AppError(404, 'dream_dna_not_ready', 'No Dream DNA yet: it appears after the first consultation call or assessment is analysed.');
    res.json(view);
  });

  router.get('/dream-dna/versions', async (req, res) => {
    const founder = await founderOf(req.get('authorization'));
    const page = pageRequest(req.query);
    const { items, next_cursor } = await withFounder(db, founder, async (tx) => {
      const { items: shown, next_cursor } = await newestFirstPage(tx.select().from(dreamDna).$dynamic(), dreamDna, dreamDna.version, dreamDna.id, page);
      return { items: await withEvidence(tx, shown), next_cursor };
    });
    res.json({ versions: items, next_cursor });
  });

  router.get('/analyses', async (req, res) => {
    const founder = await founderOf(req.get('authorization'));
    const page = pageRequest(req.query);
    const { items, next_cursor } = await withFounder(db, founder, (tx) =>
      newestFirstPage(tx.select().from(aiAnalysis).$dynamic(), aiAnalysis, aiAnalysis.createdAt, aiAnalysis.id, page),
    );
    res.json({ analyses: items.map(analysisView), next_cursor });
  });

  router.get('/analyses/:id', async (req, res) => {
    const founder = await founderOf(req.get('authorization'));
    const id = req.params.id;
    const [row] = UUID.test(id) ? await withFounder(db, founder, (tx) => tx.select().from(aiAnalysis).where(eq(aiAnalysis.id, id))) : [];
    if (!row) throw notFound('No such analysis.');
    res.json(analysisView(row));
  });

  router.get('/assessments', async (req, res) => {
    const founder = await founderOf(req.get('authorization'));
    const page = pageRequest(req.query);
    const { items: assessments, next_cursor } = await withFounder(db, founder, async (tx) => {
      const { items: rows, next_cursor } = await newestFirstPage(
        tx.select().from(businessAssessment).$dynamic(),
        businessAssessment,
        businessAssessment.submittedAt,
        businessAssessment.id,
        page,
      );
      const answers = rows.length
        ? await tx.select().from(assessmentResponses).where(inArray(assessmentResponses.assessmentId, rows.map((row) => row.id)))
        : [];
      const items = rows.map((row) => ({
        id: row.id,
        catalogVersion: row.catalogVersion,
        status: row.status,
        submittedAt: row.submittedAt.toISOString(),
        analysedAt: row.analysedAt?.toISOString() ?? null,
        answers: answers.filter((answer) => answer.assessmentId === row.id).map((answer) => ({ questionId: answer.questionId, value: answer.answer })),
      }));
      return { items, next_cursor };
    });
    res.json({ assessments, next_cursor });
  });

  return router;
}
