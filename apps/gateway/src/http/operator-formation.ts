import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import { INTERNAL_PATHS, type OperatorDreamDnaView } from '@dreamseed/contracts';
import { notFound } from '@dreamseed/platform';
import { documentOf, documentsOf } from '../formation/documents-store';
import { CASE_ACTIONS, CaseActionDone, performCaseAction, type CaseActionName } from '../formation/operator-actions';
import { caseFounder, FormationCaseFile, formationCaseFile, formationQueue, formationQueueAnswer, formationSla, FormationSla, queueQuery } from '../formation/operator-reads';
import { FormationDocuments, documentView } from '../formation/views';
import { recordAudit, recordFileRead } from '../operator/audit';
import { dreamDnaWords, sendDocument } from './formation';
import { describeRoutes } from './openapi';
import type { OperatorDeps } from './operator';
import { operatorOf } from './operator-guard';
import { ownerPath, pathId, readFromOwner } from './owners';

const idempotencyKey = z.object({
  'idempotency-key': z.string().max(200).optional().openapi({ description: 'The same key from the same operator for the same action is the same request: done once, answered as the first time' }),
});

const ACTION_PATHS: Record<CaseActionName, [string, string]> = {
  advance: [
    'advance',
    'Move the case one state on: documents_prepared → filed (evidence.filing_number, filed_at) → approved (approved_at) → ein_requested → ein_received (evidence.ein) → formed; to documents_prepared prepares the documents',
  ],
  ask: ['ask', 'Ask the founder a question: the case waits in needs_founder until they answer, then returns to where it was'],
  reject: ['reject', "Record the state's rejection of a filed case, with the state's reason"],
  prepare: [
    'documents/prepare',
    'Render the documents from the intake, profile and Dream DNA (a new version when the inputs changed) and move intake_complete or rejected to documents_prepared (409 intake_incomplete, details listing what is missing)',
  ],
};

describeRoutes(
  'operators',
  [
    [
      'get',
      '/admin/api/formation/cases',
      "The formation cases' queue, oldest in its state first, each flagged (overdue) past its state's target or older_than_days; formed cases only with ?state=formed",
      undefined,
      { query: queueQuery, responses: { 200: formationQueueAnswer } },
    ],
    ['get', '/admin/api/formation/cases/{id}', 'One case whole: the case, the founder, the intake, every event with who and why, every document version (the read is audited as read_file)', undefined, { responses: { 200: FormationCaseFile } }],
    ['get', '/admin/api/formation/cases/{id}/documents', "The case's documents, every version, newest first", undefined, { responses: { 200: FormationDocuments } }],
    ['get', '/admin/api/formation/cases/{id}/documents/{docId}', 'One document, as a PDF to download (audited as read_formation_document)', undefined, { file: { contentType: 'application/pdf', description: 'The PDF (Content-Disposition: attachment)' } }],
    [
      'get',
      '/admin/api/formation/sla',
      'SLA figures: the median days cases stayed in each state (over stays that ended), and the open cases in each state and past its target (or older_than_days)',
      undefined,
      { query: z.object({ older_than_days: queueQuery.shape.older_than_days }), responses: { 200: FormationSla } },
    ],
  ],
  { bearer: true },
);

describeRoutes(
  'operators',
  (Object.keys(ACTION_PATHS) as CaseActionName[]).map(
    (name) =>
      [
        'post',
        `/admin/api/formation/cases/{id}/${ACTION_PATHS[name][0]}`,
        `${ACTION_PATHS[name][1]}. A move the state does not allow is 409 invalid_transition; a case moved since expected_state is 409 state_changed; missing evidence 400 evidence_missing. Every attempt is in the audit log`,
        CASE_ACTIONS[name],
        { headers: idempotencyKey, responses: { 200: CaseActionDone } },
      ] as const,
  ),
  { bearer: true, responses: { 422: 'The Idempotency-Key was used for this action with other params (idempotency_key_reused)' } },
);

/** Formation cases as operators work them (`/admin/api/formation`, behind `requireOperator`). */
export function operatorFormationRouter(deps: OperatorDeps): Router {
  const { db, config } = deps;
  const router = express.Router();
  router.use(express.json({ limit: '16kb' }));

  /** The founder's newest Dream DNA, read with the operator's token (null when there is none). */
  const dreamDnaFor = (req: Request) => async (userId: string) => {
    const path = ownerPath(INTERNAL_PATHS.analysis.operatorDreamDna, { userId });
    const history = await readFromOwner<OperatorDreamDnaView>(config.ANALYSIS_SERVICE_URL, path, req, { internalSecret: config.INTERNAL_API_SECRET });
    return dreamDnaWords(history.versions[0]);
  };

  const caseId = (req: Request) => pathId(req, 'formation case');

  router.get('/formation/cases', async (req, res) => {
    res.json(await formationQueue(db, req.query));
  });

  router.get('/formation/sla', async (req, res) => {
    res.json(await formationSla(db, req.query));
  });

  router.get('/formation/cases/:id', async (req, res) => {
    const file = await formationCaseFile(db, caseId(req));
    if (!file) throw notFound('No formation case has this id.');
    await recordFileRead(db, operatorOf(req), file.founder.user_id);
    res.json(file);
  });

  router.get('/formation/cases/:id/documents', async (req, res) => {
    const id = caseId(req);
    if (!(await caseFounder(db, id))) throw notFound('No formation case has this id.');
    res.json({ documents: (await documentsOf(db, id)).map(documentView) });
  });

  router.get('/formation/cases/:id/documents/:docId', async (req, res) => {
    const id = caseId(req);
    const docId = z.uuid().safeParse(req.params.docId);
    const document = docId.success ? await documentOf(db, id, docId.data.toLowerCase()) : undefined;
    if (!document) throw notFound('No such document on this case.');
    await recordAudit(db, { actor: operatorOf(req), action: 'read_formation_document', userId: (await caseFounder(db, id)) ?? null, target: document.id, params: { case_id: id, kind: document.kind, version: document.version }, outcome: 'done' });
    sendDocument(res, document);
  });

  for (const name of Object.keys(ACTION_PATHS) as CaseActionName[]) {
    router.post(`/formation/cases/:id/${ACTION_PATHS[name][0]}`, async (req, res) => {
      res.json(await performCaseAction(deps, req, name, caseId(req), dreamDnaFor(req)));
    });
  }

  return router;
}
