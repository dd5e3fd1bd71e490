import { eq } from 'drizzle-orm';
import type { FormationCaseState } from '@dreamseed/contracts';
import { AppError } from '@dreamseed/platform';
import type { GatewayTx } from '../db/client';
import { businessFormationData, users } from '../db/schema';
import { storeDocuments } from './documents-store';
import { documentInputOf, draftOf, missingIntake, type DreamDnaWords, type IntakeDraft } from './intake';
import { checkMove, einLast4, followOf, mailFor, type MoveEvidence, type MoveKind } from './machine';
import { queueFormationMail } from './mail';
import { lockCaseOf, markFormed, followFormation, recordEvent, updateCase, type Aftermath, type CaseActor, type CaseRow, type FormationDeps } from './store';

/**
 * A move of a formation case, as one transaction: the case locked, the expected state and the machine's rules
 * checked, the case changed, the move recorded with its evidence, the formation data and profile following, the
 * documents rendered where the move needs them, and a mail queued where the founder must hear of it.
 */

export interface MoveInput {
  kind: MoveKind;
  /** Where `advance` goes. */
  to?: FormationCaseState;
  /** The state the mover saw: if the case has moved meanwhile, nothing happens (409 `state_changed`). */
  expectedState?: FormationCaseState;
  evidence: MoveEvidence;
  /** The operator's own reason (staff only). */
  reason?: string | null;
  actor: CaseActor;
  /**
   * The Dream DNA's words for the documents, read by the caller (an owner read wants the caller's token). Undefined
   * when not read: then a move that keeps the documents current leaves them as they are.
   */
  dreamDna?: DreamDnaWords | null;
}

export interface MoveOutcome {
  caseId: string;
  userId: string;
  from: FormationCaseState;
  to: FormationCaseState;
  version: number;
  /** The current documents' version, when the move rendered or kept them. */
  documentsVersion?: number;
}

/** No case: the founder has paid no formation package yet, or the id names none. */
export const noCase = () => new AppError(404, 'no_formation_case', 'There is no formation case: it opens once a formation package is paid.');

/** The intake as it now stands, read in the move's transaction. */
export async function intakeIn(tx: GatewayTx, userId: string, dreamDna?: DreamDnaWords | null): Promise<IntakeDraft> {
  const [profile] = await tx.select().from(users).where(eq(users.id, userId));
  if (!profile) throw noCase();
  const [formation] = await tx.select().from(businessFormationData).where(eq(businessFormationData.userId, userId));
  return draftOf(profile, formation, dreamDna);
}

/** Locks the case (by its id, or its founder's) and moves it. */
export async function moveCase(tx: GatewayTx, deps: FormationDeps, by: { caseId: string } | { userId: string }, input: MoveInput, aftermath: Aftermath): Promise<MoveOutcome> {
  const row = await lockCaseOf(tx, by);
  if (!row) throw noCase();
  return moveLocked(tx, deps, row, input, aftermath);
}

/** The evidence as the case's events keep it: what the founder may see, and of the EIN only its last four digits. */
function evidenceRecord(evidence: MoveEvidence, row: CaseRow): Record<string, unknown> {
  const record: Record<string, unknown> = {
    filing_number: evidence.filingNumber,
    filed_at: evidence.filedAt?.toISOString(),
    approved_at: evidence.approvedAt?.toISOString(),
    ein_last4: evidence.ein ? einLast4(evidence.ein) : undefined,
    question: evidence.question ?? (evidence.answer !== undefined ? row.question : undefined),
    answer: evidence.answer,
    state_reason: evidence.stateReason,
  };
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** The case's own columns that a move into `to` sets. */
function changesFor(row: CaseRow, to: FormationCaseState, input: MoveInput): Partial<CaseRow> {
  const { evidence } = input;
  const answered = row.state === 'needs_founder' && to !== 'needs_founder';
  return {
    state: to,
    ...(to === 'needs_founder'
      ? { question: evidence.question ?? null, questionBy: input.actor.type === 'system' ? 'system' : 'operator', questionAskedAt: new Date(), stateBeforeQuestion: row.state }
      : {}),
    ...(answered ? { question: null, questionBy: null, questionAskedAt: null, stateBeforeQuestion: null } : {}),
    // A refiling starts over: the rejected filing's number and reason stay in the case's events.
    ...(row.state === 'rejected' && to === 'documents_prepared' ? { filingNumber: null, stateReason: null } : {}),
    ...(to === 'filed' ? { filingNumber: evidence.filingNumber ?? null } : {}),
    ...(to === 'rejected' ? { stateReason: evidence.stateReason ?? null } : {}),
    ...(to === 'ein_received' ? { ein: evidence.ein ?? null } : {}),
  };
}

export async function moveLocked(tx: GatewayTx, deps: FormationDeps, row: CaseRow, input: MoveInput, aftermath: Aftermath): Promise<MoveOutcome> {
  if (input.expectedState && row.state !== input.expectedState) {
    throw new AppError(409, 'state_changed', `The case is ${row.state} now, not ${input.expectedState}: read it again before acting.`, {
      expected_state: input.expectedState,
      state: row.state,
    });
  }
  const from = row.state as FormationCaseState;
  const draft = await intakeIn(tx, row.userId, input.dreamDna);
  const missing = missingIntake(draft);
  const check = checkMove(
    { state: from, stateBeforeQuestion: row.stateBeforeQuestion as FormationCaseState | null, questionBy: row.questionBy as 'system' | 'operator' | null, filedAt: await filedAtOf(tx, row.userId) },
    { kind: input.kind, actor: input.actor.type, to: input.to, evidence: input.evidence, missing },
  );
  if (!check.ok) throw new AppError(check.status, check.code, check.reason, check.code === 'intake_incomplete' ? missing : undefined);
  const { to } = check;

  // Entering (or staying in) documents_prepared: the documents must say what the intake says now.
  const documents = to === 'documents_prepared' && (input.kind === 'prepare' || input.dreamDna !== undefined)
    ? await renderIfChanged(tx, row, draft, input.actor, input.reason, aftermath)
    : undefined;
  if (to === from) return { caseId: row.id, userId: row.userId, from, to, version: documents?.row.version ?? row.version, documentsVersion: documents?.version };

  const moved = await updateCase(tx, documents?.row ?? row, changesFor(row, to, input));
  await recordEvent(tx, row, { kind: 'moved', from, to, actor: input.actor, evidence: evidenceRecord(input.evidence, row), reason: input.reason });
  const follow = followOf(from, to, input.evidence);
  await followFormation(tx, row.userId, follow.formation);
  if (follow.profileStatus === 'formed') await markFormed(tx, row.userId);
  const mail = mailFor(from, to);
  if (mail) aftermath.mail(await queueFormationMail(tx, deps.config, row.userId, mail, { question: moved.question, stateReason: moved.stateReason }));
  aftermath.changed(row, 'moved');
  return { caseId: row.id, userId: row.userId, from, to, version: moved.version, documentsVersion: documents?.version };
}

async function filedAtOf(tx: GatewayTx, userId: string): Promise<Date | null> {
  const [formation] = await tx.select({ filedAt: businessFormationData.filedAt }).from(businessFormationData).where(eq(businessFormationData.userId, userId));
  return formation?.filedAt ?? null;
}

/**
 * Renders the documents from the intake as it stands and stores them as a new version when they changed, with an
 * event and the case's entity type and state as they will be filed. Answers the case and the current version.
 */
export async function renderIfChanged(tx: GatewayTx, row: CaseRow, draft: IntakeDraft, actor: CaseActor, reason: string | null | undefined, aftermath: Aftermath) {
  const documents = await storeDocuments(tx, row.id, documentInputOf(draft, new Date()));
  if (!documents.stored) return { row, version: documents.version };
  const state = row.state as FormationCaseState;
  await recordEvent(tx, row, { kind: 'documents', from: state, to: state, actor, evidence: { documents_version: documents.version }, reason });
  aftermath.changed(row, 'documents');
  return { row: await updateCase(tx, row, { entityType: draft.entityType, stateOfFormation: draft.stateOfFormation }), version: documents.version };
}
