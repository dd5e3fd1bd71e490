import type { FormationCaseState } from '@dreamseed/contracts';

/**
 * The formation case's state machine, pure: which moves each state allows, who may make them, what evidence each
 * needs, and what the founder's formation data and profile become. `cases.ts` applies a move in one transaction.
 *
 *   (payment) ─system─▶ intake_complete ─operator: prepare─▶ documents_prepared ─operator─▶ filed ─operator─▶ approved
 *        └────system──▶ needs_founder (intake missing)                              │ operator: reject
 *   approved ─▶ ein_requested ─▶ ein_received ─▶ formed (operator, each)             ▼
 *                                                                                 rejected ─operator: prepare─▶ documents_prepared
 *   any state but formed and needs_founder ─operator: ask─▶ needs_founder ─founder: answer─▶ the state it was asked in
 */

export type Actor = 'operator' | 'founder' | 'system';

/**
 * What a move is: the operator's `prepare` (documents), `advance`, `ask` and `reject`; the founder's `answer`; and
 * `resume`, the founder completing the intake the system asked for when the case opened.
 */
export type MoveKind = 'open' | 'prepare' | 'advance' | 'ask' | 'reject' | 'answer' | 'resume';

/** What an operator gives with a move forward (the API's evidence, already parsed). */
export interface MoveEvidence {
  filingNumber?: string;
  filedAt?: Date;
  approvedAt?: Date;
  /** Nine digits. */
  ein?: string;
  question?: string;
  answer?: string;
  stateReason?: string;
}

export interface CaseSnapshot {
  state: FormationCaseState;
  stateBeforeQuestion: FormationCaseState | null;
  /** Who asked the open question: the system asks for missing intake, which completing the intake answers. */
  questionBy: 'system' | 'operator' | null;
  filedAt: Date | null;
}

export interface MoveRequest {
  kind: MoveKind;
  actor: Actor;
  /** Where `advance` goes; the other moves know their target. */
  to?: FormationCaseState;
  evidence: MoveEvidence;
  /** What the intake lacks now (only moves into the filing's preparation read it). */
  missing: readonly unknown[];
}

export type MoveCheck = { ok: true; to: FormationCaseState } | { ok: false; status: 400 | 409; code: string; reason: string };

/** The line of states a case walks, each `advance` one step along it. */
const FORWARD: Partial<Record<FormationCaseState, FormationCaseState>> = {
  intake_complete: 'documents_prepared',
  documents_prepared: 'filed',
  filed: 'approved',
  approved: 'ein_requested',
  ein_requested: 'ein_received',
  ein_received: 'formed',
  rejected: 'documents_prepared',
};

/** States an operator may ask the founder a question from: all but the end and a question already open. */
const ASKABLE: readonly FormationCaseState[] = ['intake_complete', 'documents_prepared', 'filed', 'approved', 'ein_requested', 'ein_received', 'rejected'];

/** States in which the documents are being prepared: the intake must be complete to enter them, and they follow intake changes. */
export const PREPARING_STATES: readonly FormationCaseState[] = ['intake_complete', 'documents_prepared', 'rejected'];

/** A case in these states is done with: the operators' queue leaves it out unless asked for. */
export const CLOSED_STATES: readonly FormationCaseState[] = ['formed'];

const refuse = (code: string, reason: string, status: 400 | 409 = 409): MoveCheck => ({ ok: false, status, code, reason });
const invalid = (reason: string) => refuse('invalid_transition', reason);

/** The evidence each target needs, checked after the move itself is allowed. */
function evidenceProblem(to: FormationCaseState, evidence: MoveEvidence, current: CaseSnapshot): string | undefined {
  switch (to) {
    case 'filed':
      if (!evidence.filingNumber) return 'Give the filing number the state gave (evidence.filing_number).';
      if (!evidence.filedAt) return 'Give the date the articles were filed (evidence.filed_at).';
      return undefined;
    case 'approved':
      if (!evidence.approvedAt) return 'Give the date the state approved the filing (evidence.approved_at).';
      if (current.filedAt && evidence.approvedAt < current.filedAt) return 'The approval cannot come before the filing.';
      return undefined;
    case 'ein_received':
      return evidence.ein ? undefined : 'Give the EIN the IRS assigned, nine digits (evidence.ein).';
    default:
      return undefined;
  }
}

/** Whether `request` may move the case as it stands, and where to. */
export function checkMove(current: CaseSnapshot, request: MoveRequest): MoveCheck {
  const { state } = current;
  if (state === 'formed') return invalid('The company is formed: the case is closed.');
  switch (request.kind) {
    case 'open':
      return invalid('The case is open already.');
    case 'prepare':
    case 'advance': {
      if (request.actor !== 'operator') return refuse('not_allowed', 'Only an operator moves a case forward.', 409);
      if (state === 'needs_founder') {
        // What blocks it is worth saying: what the intake lacks, else the open question.
        return request.missing.length ? intakeIncomplete() : invalid("The case waits for the founder's answer; it moves on once they answer.");
      }
      const to = request.kind === 'prepare' ? 'documents_prepared' : request.to;
      const next = FORWARD[state];
      if (request.kind === 'prepare' && state === 'documents_prepared') return request.missing.length ? intakeIncomplete() : { ok: true, to: state };
      if (!to || to !== next) return invalid(`From ${state} a case moves to ${next ?? 'nothing'}${to ? `, not to ${to}` : ''}.`);
      if (to === 'documents_prepared' && request.missing.length) return intakeIncomplete();
      const problem = evidenceProblem(to, request.evidence, current);
      return problem ? refuse('evidence_missing', problem, 400) : { ok: true, to };
    }
    case 'ask':
      if (request.actor !== 'operator') return refuse('not_allowed', 'Only an operator asks the founder.', 409);
      if (!ASKABLE.includes(state)) return invalid('A question to the founder is open already: wait for the answer.');
      return request.evidence.question ? { ok: true, to: 'needs_founder' } : refuse('evidence_missing', 'Say what to ask the founder (question).', 400);
    case 'reject':
      if (request.actor !== 'operator') return refuse('not_allowed', 'Only an operator records a rejection.', 409);
      if (state !== 'filed') return invalid(`Only a filed case can be rejected by the state; this one is ${state}.`);
      return request.evidence.stateReason ? { ok: true, to: 'rejected' } : refuse('evidence_missing', "Give the state's reason (state_reason).", 400);
    case 'answer':
    case 'resume': {
      if (request.actor !== 'founder') return refuse('not_allowed', 'Only the founder answers their question.', 409);
      if (state !== 'needs_founder') return invalid('No question is open on the case.');
      if (request.kind === 'resume' && current.questionBy !== 'system') return invalid("An operator's question needs the founder's answer.");
      const back = current.stateBeforeQuestion ?? 'intake_complete';
      // Back into the preparation of the filing only with the intake complete: that is what the filing needs.
      if ((back === 'intake_complete' || back === 'documents_prepared') && request.missing.length) return intakeIncomplete();
      return { ok: true, to: back };
    }
  }
}

const intakeIncomplete = (): MoveCheck =>
  refuse('intake_incomplete', 'The intake is not complete: the filing needs what is listed in details.');

/** Where a new case starts: ready for documents when the intake is complete, else waiting for the founder. */
export const openingState = (missing: readonly unknown[]): FormationCaseState => (missing.length ? 'needs_founder' : 'intake_complete');

/** What the founder's formation data (core.business_formation_data) becomes on entering a state. */
export interface FormationFollow {
  formationStatus?: 'in_progress' | 'filed' | 'approved' | 'rejected';
  einStatus?: 'applied' | 'received';
  filedAt?: Date | null;
  approvedAt?: Date | null;
}

/** The formation data and profile status that follow a move into `to`. */
export function followOf(from: FormationCaseState | null, to: FormationCaseState, evidence: MoveEvidence): { formation: FormationFollow; profileStatus?: 'formed' } {
  switch (to) {
    case 'intake_complete':
      return { formation: from === null ? { formationStatus: 'in_progress' } : {} };
    case 'documents_prepared':
      // A refiling after a rejection starts over: the earlier filing's date is history (the case's events keep it).
      return { formation: from === 'rejected' ? { formationStatus: 'in_progress', filedAt: null } : { formationStatus: 'in_progress' } };
    case 'filed':
      return { formation: { formationStatus: 'filed', filedAt: evidence.filedAt ?? null } };
    case 'approved':
      return { formation: { formationStatus: 'approved', approvedAt: evidence.approvedAt ?? null } };
    case 'ein_requested':
      return { formation: { einStatus: 'applied' } };
    case 'ein_received':
      return { formation: { einStatus: 'received' } };
    case 'formed':
      return { formation: {}, profileStatus: 'formed' };
    case 'rejected':
      return { formation: { formationStatus: 'rejected' } };
    case 'needs_founder':
      return { formation: from === null ? { formationStatus: 'in_progress' } : {} };
  }
}

/** Moves into these states want the founder to know by mail (the event stream tells an open app at once). */
/** The mails a founder gets about their case: its moves that concern them (`mailFor`), and the domain's agreements to agree to. */
export type FounderMail = 'needs_founder' | 'rejected' | 'formed' | 'documents_ready' | 'domain_consent';

export function mailFor(from: FormationCaseState | null, to: FormationCaseState): FounderMail | undefined {
  if (to === 'needs_founder' || to === 'rejected' || to === 'formed') return to;
  if (to === 'documents_prepared' && from !== 'needs_founder') return 'documents_ready';
  return undefined;
}

/**
 * How long a case may stay in a state before the operators' queue flags it, in days: the platform's own steps are
 * quick; the state's and the IRS's take their time; a founder is reminded after a week.
 */
export const SLA_DAYS: Record<FormationCaseState, number> = {
  intake_complete: 2,
  documents_prepared: 2,
  filed: 21,
  approved: 2,
  ein_requested: 14,
  ein_received: 2,
  formed: 0,
  needs_founder: 7,
  rejected: 3,
};

/** An EIN as people write it (`12-3456789`) to its nine digits, or undefined when it is not one. */
export function normalizeEin(value: string): string | undefined {
  const digits = value.replace(/[\s-]/g, '');
  return /^\d{9}$/.test(digits) ? digits : undefined;
}

/** An EIN as shown where the whole is not needed (audit entries, events): its last four digits. */
export const einLast4 = (ein: string) => ein.slice(-4);
