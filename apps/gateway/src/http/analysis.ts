import { randomUUID } from 'node:crypto';
import type { Request, Router } from 'express';
import { z } from 'zod';
import { ASSESSMENT_CATALOGS, CURRENT_ASSESSMENT_VERSION, INTERNAL_PATHS, assessmentAnswerIssues, assessmentCatalog, type AiAnalysisView, type AssessmentCatalog as AssessmentCatalogView } from '@dreamseed/contracts';
import { AppError, PayloadSealer, badRequest, uuidFrom, type Founder, type JobProducer } from '@dreamseed/platform';
import type { GatewayConfig } from '../config';
import { parseBody } from './middleware';
import { describeRoutes, PAGED } from './openapi';
import { accepted, Analysis, analysesAnswer, assessmentAccepted, AssessmentCatalog, assessmentsAnswer, DreamDna, versionsAnswer } from './responses';
import { publicFieldName, publicView } from './dialect';
import { ownerPath, pathId, readFromOwner, readPageFromOwner } from './owners';

export const assessmentSubmission = z
  .object({
    catalog_version: z.number().int().positive().default(CURRENT_ASSESSMENT_VERSION),
    answers: z
      .array(z.object({ question_id: z.string().min(1).max(100), value: z.string().max(5000) }).strict())
      .min(1, 'answer at least one question')
      .max(100),
  })
  .strict()
  .openapi('AssessmentSubmission', { example: { catalog_version: 1, answers: [{ question_id: 'brand_vibe', value: 'friendly' }, { question_id: 'what_problem', value: 'Bakeries throw away bread every night.' }] } });

describeRoutes(
  'analysis',
  [
    ['get', '/v1/me/dream-dna', 'The current Dream DNA, with the selected domain', undefined, { responses: { 200: DreamDna } }],
    ['get', '/v1/me/dream-dna/versions', 'The Dream DNA versions, newest first, a page at a time', undefined, { ...PAGED, responses: { 200: versionsAnswer } }],
    ['get', '/v1/me/analyses', 'The analysis runs (provider, status, version made, latency), newest first, a page at a time', undefined, { ...PAGED, responses: { 200: analysesAnswer } }],
    ['get', '/v1/me/analyses/{id}', 'One analysis run, by the id POST /v1/me/analyses answered (status queued until a worker takes it)', undefined, { responses: { 200: Analysis } }],
    [
      'post',
      '/v1/me/analyses',
      'Run the analysis again (202 with the run\'s id; send Idempotency-Key to make a retry safe)',
      undefined,
      {
        headers: z.object({ 'idempotency-key': z.string().max(200).optional().openapi({ description: 'The same key from the same founder is the same request: it runs once' }) }),
        responses: { 202: accepted },
      },
    ],
    ['get', '/v1/me/assessments/catalog', 'The assessment questions (current version)', undefined, { responses: { 200: AssessmentCatalog } }],
    ['get', '/v1/me/assessments', 'The assessments submitted, with their answers, newest first, a page at a time', undefined, { ...PAGED, responses: { 200: assessmentsAnswer } }],
    ['post', '/v1/me/assessments', 'Submit assessment answers (202; they feed the next analysis)', assessmentSubmission, { responses: { 202: assessmentAccepted } }],
  ],
  { bearer: true },
);

/** The catalog as `/v1` shows it: each question's `target` names its field as the answers show it, in snake_case. */
function publicCatalog(catalog: AssessmentCatalogView | undefined) {
  if (!catalog) return catalog;
  return publicView({ ...catalog, questions: catalog.questions.map((question) => ({ ...question, target: publicFieldName(question.target) })) });
}

/** A request id from the client's Idempotency-Key (the same key is the same request), else a new one. */
function requestIdOf(req: Request, founder: Founder, kind: string): string {
  const key = req.get('idempotency-key');
  if (!key) return randomUUID();
  if (key.length > 200) throw badRequest('invalid_idempotency_key', 'Idempotency-Key must be at most 200 characters.');
  return uuidFrom(`${founder.id}:${kind}:${key}`);
}

/**
 * The founder's Dream DNA, analyses and assessments (`/v1/me/...`): reads go to the analysis service with the
 * founder's token; a re-run and a submission become `analysis` jobs, answered 202 once Redis holds them. The
 * answers go sealed (`PAYLOAD_ENCRYPTION_KEY`): Redis and the queue dashboard never hold them readable.
 */
export function addAnalysisRoutes(
  router: Router,
  deps: {
    config: Pick<GatewayConfig, 'ANALYSIS_SERVICE_URL' | 'INTERNAL_API_SECRET' | 'PAYLOAD_ENCRYPTION_KEY' | 'PAYLOAD_ENCRYPTION_KEY_PREVIOUS'>;
    producer: JobProducer;
    founderOf: (req: Request) => Promise<Founder>;
  },
): void {
  const { config, producer, founderOf } = deps;
  const sealer = new PayloadSealer(config);
  const owner = { internalSecret: config.INTERNAL_API_SECRET };
  const fromAnalysis = <T>(path: string, req: Request) => readFromOwner<T>(config.ANALYSIS_SERVICE_URL, path, req, owner);
  const pageFromAnalysis = <T>(path: string, req: Request) => readPageFromOwner<T>(config.ANALYSIS_SERVICE_URL, path, req, owner);

  router.get('/dream-dna', async (req, res) => {
    res.json(publicView(await fromAnalysis(INTERNAL_PATHS.analysis.dreamDna, req)));
  });
  router.get('/dream-dna/versions', async (req, res) => {
    res.json(publicView(await pageFromAnalysis(INTERNAL_PATHS.analysis.dreamDnaVersions, req)));
  });
  router.get('/analyses', async (req, res) => {
    res.json(publicView(await pageFromAnalysis(INTERNAL_PATHS.analysis.analyses, req)));
  });
  router.get('/analyses/:id', async (req, res) => {
    const id = pathId(req, 'analysis');
    try {
      res.json(publicView(await fromAnalysis(ownerPath(INTERNAL_PATHS.analysis.analysis, { id }), req)));
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 404) throw error;
      // Asked for and still waiting in Redis, so the analysis service has no row for it yet: the request's own job
      // (`rerun-<id>`, the founder's) says so.
      const founder = await founderOf(req);
      const job = await producer.queue('analysis').getJob(`rerun-${id}`);
      if ((job?.data as { userId?: string } | undefined)?.userId !== founder.id) throw error;
      const queued: AiAnalysisView = {
        id,
        trigger: 'manual',
        provider: null,
        model: null,
        promptVersion: null,
        status: 'queued',
        dreamDnaVersion: null,
        latencyMs: null,
        error: null,
        createdAt: new Date(job?.timestamp ?? Date.now()).toISOString(),
        completedAt: null,
      };
      res.json(publicView(queued));
    }
  });
  router.post('/analyses', async (req, res) => {
    const founder = await founderOf(req);
    const requestId = requestIdOf(req, founder, 'rerun');
    await producer.enqueue('analysis', 'rerun-analysis', { v: 1, userId: founder.id, requestId }, { jobId: `rerun-${requestId}`, correlationId: req.correlationId });
    res.status(202).json({ id: requestId });
  });

  router.get('/assessments/catalog', (_req, res) => {
    res.json(publicCatalog(assessmentCatalog(CURRENT_ASSESSMENT_VERSION)));
  });
  router.get('/assessments', async (req, res) => {
    res.json(publicView(await pageFromAnalysis(INTERNAL_PATHS.analysis.assessments, req)));
  });
  router.post('/assessments', async (req, res) => {
    const body = parseBody(assessmentSubmission, req.body);
    const catalog = ASSESSMENT_CATALOGS.find((c) => c.version === body.catalog_version);
    if (!catalog) throw badRequest('unknown_catalog_version', `There is no assessment version ${body.catalog_version}; the current one is ${CURRENT_ASSESSMENT_VERSION}.`);
    const answers = body.answers.map((answer) => ({ questionId: answer.question_id, value: answer.value.trim() }));
    const issues = assessmentAnswerIssues(catalog, answers);
    if (issues.length) {
      throw badRequest('invalid_answers', 'Some answers are not valid.', issues.map((issue) => ({ path: `answers.${issue.questionId}`, message: issue.message })));
    }
    const founder = await founderOf(req);
    const assessmentId = requestIdOf(req, founder, 'assessment');
    await producer.enqueue(
      'analysis',
      'submit-assessment',
      { v: 1, userId: founder.id, assessmentId, catalogVersion: catalog.version, sealedAnswers: sealer.seal(Buffer.from(JSON.stringify({ assessmentId, answers }))) },
      { jobId: `assessment-${assessmentId}`, correlationId: req.correlationId },
    );
    res.status(202).json({ id: assessmentId, catalog_version: catalog.version });
  });
}
