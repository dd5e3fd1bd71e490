import { isDeepStrictEqual } from 'node:util';
import type { Request } from 'express';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { FORMATION_CASE_STATES } from '@dreamseed/contracts';
import { AppError, badRequest, notFound, summarizeIssues, withOwnerRole } from '@dreamseed/platform';
import { formationCases } from '../db/schema';
import { operatorOf } from '../http/operator-guard';
import { acceptedWithKey, claimAudit, outcomeOf, recordAudit, settleAudit, type AuditRow } from '../operator/audit';
import { reason } from '../operator/actions';
import type { DreamDnaWords } from './intake';
import { einLast4, normalizeEin, type MoveEvidence } from './machine';
import { moveCase, type MoveInput } from './moves';
import { Aftermath, type FormationDeps } from './store';

/**
 * What an operator does to a case (`POST /admin/api/formation/cases/{id}/…`): advance it, ask the founder, record the
 * state's rejection, prepare the documents. Each is a move of the case in one transaction with its audit entry, so
 * that every attempt is in the audit log (done, refused or failed), and an Idempotency-Key makes a repeat answer what
 * the first did without moving twice. Two operators acting on one case at once do one thing: the case is locked for
 * the move and each names the state they saw (`expected_state`), so the second finds it moved and is refused.
 */

const caseState = z.enum(FORMATION_CASE_STATES);
const day = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((value) => new Date(value.length === 10 ? `${value}T00:00:00.000Z` : value));

export const advanceBody = z
  .object({
    to: caseState.openapi({ description: 'The next state along the line (documents_prepared prepares the documents, as …/documents/prepare does)' }),
    expected_state: caseState.openapi({ description: 'The state the operator saw: if the case has moved since, nothing happens (409 state_changed)' }),
    reason,
    evidence: z
      .object({
        filing_number: z.string().trim().min(1).max(100).optional().openapi({ description: 'To filed: the number the state gave the filing' }),
        filed_at: day.optional().openapi({ description: 'To filed: the date of the filing (YYYY-MM-DD or a time)' }),
        approved_at: day.optional().openapi({ description: 'To approved: the date the state approved it' }),
        ein: z.string().trim().max(20).optional().openapi({ description: 'To ein_received: the EIN, nine digits (12-3456789 is fine)' }),
      })
      .strict()
      .default({}),
  })
  .strict()
  .openapi('FormationAdvanceRequest', { example: { to: 'filed', expected_state: 'documents_prepared', reason: 'Filed online with the Texas SOS.', evidence: { filing_number: '805123456', filed_at: '2026-12-03' } } });

export const askBody = z
  .object({ question: z.string().trim().min(3).max(2000), reason, expected_state: caseState.optional() })
  .strict()
  .openapi('FormationAskRequest', { example: { question: 'Is the registered agent at 100 Congress Ave a person or a company?', reason: 'The agent has no name on file with the state.' } });

export const rejectBody = z
  .object({ state_reason: z.string().trim().min(3).max(2000).openapi({ description: "The state's reason, as it gave it" }), reason, expected_state: caseState.optional() })
  .strict()
  .openapi('FormationRejectRequest', { example: { state_reason: 'The name is not distinguishable from an existing entity.', reason: 'Rejection letter received by mail.' } });

export const prepareBody = z
  .object({ reason, expected_state: caseState.optional() })
  .strict()
  .openapi('FormationPrepareRequest', { example: { reason: 'Intake reviewed: ready to draft.' } });

export const CASE_ACTIONS = {
  advance: advanceBody,
  ask: askBody,
  reject: rejectBody,
  prepare: prepareBody,
} as const;
export type CaseActionName = keyof typeof CASE_ACTIONS;

/** The audit log's name of each action. */
const AUDIT_NAMES: Record<CaseActionName, string> = {
  advance: 'formation_advance',
  ask: 'formation_ask',
  reject: 'formation_reject',
  prepare: 'formation_prepare_documents',
};

export const CaseActionDone = z
  .object({
    action: z.enum(['advance', 'ask', 'reject', 'prepare']),
    status: z.literal('done'),
    audit_id: z.uuid(),
    case_id: z.uuid(),
    from_state: caseState,
    to_state: caseState,
    version: z.number().int(),
    documents_version: z.number().int().nullable().openapi({ description: 'The current documents, when the action prepared them' }),
  })
  .openapi('FormationActionDone');

type Body = z.output<typeof advanceBody> | z.output<typeof askBody> | z.output<typeof rejectBody> | z.output<typeof prepareBody>;

/** The move an action's body asks for. */
function moveOf(name: CaseActionName, body: Body): Omit<MoveInput, 'actor' | 'dreamDna'> {
  const common = { reason: body.reason, expectedState: body.expected_state };
  switch (name) {
    case 'advance': {
      const { to, evidence } = body as z.output<typeof advanceBody>;
      const ein = evidence.ein === undefined ? undefined : normalizeEin(evidence.ein);
      if (evidence.ein !== undefined && !ein) throw badRequest('validation_failed', 'The request is not valid.', [{ path: 'evidence.ein', message: 'an EIN is nine digits' }]);
      const moved: MoveEvidence = { filingNumber: evidence.filing_number, filedAt: evidence.filed_at, approvedAt: evidence.approved_at, ein };
      return to === 'documents_prepared' ? { ...common, kind: 'prepare', evidence: {} } : { ...common, kind: 'advance', to, evidence: moved };
    }
    case 'ask':
      return { ...common, kind: 'ask', evidence: { question: (body as z.output<typeof askBody>).question } };
    case 'reject':
      return { ...common, kind: 'reject', evidence: { stateReason: (body as z.output<typeof rejectBody>).state_reason } };
    case 'prepare':
      return { ...common, kind: 'prepare', evidence: {} };
  }
}

/** An action's params as the audit log keeps them: never the whole EIN. */
function auditParams(raw: Record<string, unknown>): Record<string, unknown> {
  const { reason: _reason, ...params } = raw;
  const evidence = params.evidence as { ein?: string } | undefined;
  if (evidence?.ein) {
    const { ein, ...rest } = evidence;
    return { ...params, evidence: { ...rest, ein_last4: einLast4(normalizeEin(ein) ?? ein) } };
  }
  return params;
}

/**
 * Runs an action on the case `caseId`: the 200 answer, or the error to throw. `dreamDna` reads the founder's Dream DNA
 * for the documents with the operator's token, only for the actions that prepare them.
 */
export async function performCaseAction(
  deps: FormationDeps,
  req: Request,
  name: CaseActionName,
  caseId: string,
  dreamDna: (userId: string) => Promise<DreamDnaWords | null>,
): Promise<z.output<typeof CaseActionDone>> {
  const operator = operatorOf(req);
  const [found] = await deps.db.select({ userId: formationCases.userId }).from(formationCases).where(eq(formationCases.id, caseId));
  const entry = { actor: operator, action: AUDIT_NAMES[name], userId: found?.userId ?? null, target: caseId };
  const rawBody = (req.body ?? {}) as Record<string, unknown>;
  const given = typeof rawBody.reason === 'string' ? rawBody.reason : null;
  const refused = async (error: AppError, params?: Record<string, unknown>) => {
    await recordAudit(deps.db, { ...entry, reason: given, params, outcome: 'refused', code: error.code });
    return error;
  };

  const key = req.get('idempotency-key');
  if (key !== undefined && (key.length < 1 || key.length > 200)) throw await refused(badRequest('invalid_idempotency_key', 'Idempotency-Key must be 1 to 200 characters.'));
  if (!found) throw await refused(notFound('No formation case has this id.'));
  const parsed = CASE_ACTIONS[name].safeParse(rawBody);
  if (!parsed.success) throw await refused(badRequest('validation_failed', 'The request is not valid.', summarizeIssues(parsed.error.issues)));
  const body = parsed.data as Body;
  const params = auditParams(rawBody);
  let move: ReturnType<typeof moveOf>;
  try {
    move = moveOf(name, body);
  } catch (error) {
    throw await refused(error as AppError, params);
  }

  const replay = async (existing: AuditRow) => {
    const { answer, ...stored } = existing.params as { answer?: z.output<typeof CaseActionDone> };
    if (!isDeepStrictEqual(stored, params) || !answer) {
      throw await refused(new AppError(422, 'idempotency_key_reused', 'This Idempotency-Key was used for this action with other params; use a new key.'), params);
    }
    return answer;
  };
  const earlier = key ? await acceptedWithKey(deps.db, entry, key) : undefined;
  if (earlier) return replay(earlier);

  // The Dream DNA is read before the transaction: an owner's answer is not worth holding the case's lock for.
  let words: DreamDnaWords | null | undefined;
  try {
    words = move.kind === 'prepare' ? await dreamDna(found.userId) : undefined;
  } catch (error) {
    await recordAudit(deps.db, { ...entry, reason: body.reason, params, ...outcomeOf(error) });
    throw error;
  }
  const aftermath = new Aftermath();
  type Outcome = { answer: z.output<typeof CaseActionDone> } | { existing: AuditRow } | { error: unknown };
  const outcome = await withOwnerRole(deps.db, 'gateway', async (tx): Promise<Outcome> => {
    const claim = await claimAudit(tx, { ...entry, reason: body.reason, params, outcome: 'done', idempotencyKey: key ?? null });
    if (!claim.claimed) return { existing: claim.existing };
    try {
      // A savepoint: a refused or failed move leaves nothing of itself, and its audit entry still commits.
      const moved = await tx.transaction((inner) => moveCase(inner, deps, { caseId }, { ...move, actor: { type: 'operator', id: operator.id, email: operator.email }, dreamDna: words }, aftermath));
      const answer = {
        action: name,
        status: 'done' as const,
        audit_id: claim.id,
        case_id: caseId,
        from_state: moved.from,
        to_state: moved.to,
        version: moved.version,
        documents_version: moved.documentsVersion ?? null,
      };
      await settleAudit(tx, claim.id, 'done', { params: { ...params, answer } });
      return { answer };
    } catch (error) {
      await settleAudit(tx, claim.id, outcomeOf(error).outcome, { code: outcomeOf(error).code });
      return { error };
    }
  });
  if ('error' in outcome) throw outcome.error;
  if ('existing' in outcome) return replay(outcome.existing);
  await aftermath.run(deps, req.correlationId);
  return outcome.answer;
}
