import type { CaseActionBodies, CaseState } from './api';

/**
 * What operators may do to a case in each state and what each move needs, as the gateway's state machine allows
 * (apps/gateway/src/formation/machine.ts): the pages offer only those moves, and ask for the evidence before sending.
 * The API stays the judge: a refusal is shown in its words.
 */

/** The states in the order a case walks them, then the two it may leave the line for. */
export const CASE_STATES: readonly CaseState[] = ['intake_complete', 'documents_prepared', 'filed', 'approved', 'ein_requested', 'ein_received', 'formed', 'needs_founder', 'rejected'];

export const STATE_WORDS: Record<CaseState, string> = {
  intake_complete: 'Intake complete',
  documents_prepared: 'Documents prepared',
  filed: 'Filed',
  approved: 'Approved',
  ein_requested: 'EIN requested',
  ein_received: 'EIN received',
  formed: 'Formed',
  needs_founder: 'Waiting for the founder',
  rejected: 'Rejected by the state',
};

/** Where `advance` takes a case from each state; to documents_prepared it is the preparing of the documents. */
const NEXT: Partial<Record<CaseState, CaseState>> = {
  documents_prepared: 'filed',
  filed: 'approved',
  approved: 'ein_requested',
  ein_requested: 'ein_received',
  ein_received: 'formed',
};

/** The moves an operator has on a case in `state`. */
export interface OperatorMoves {
  /** Render the documents: into documents_prepared, or again (a new version when the intake changed). */
  prepare?: 'first' | 'again';
  advanceTo?: CaseState;
  ask: boolean;
  reject: boolean;
}

export function movesFor(state: CaseState): OperatorMoves {
  return {
    prepare: state === 'intake_complete' || state === 'rejected' ? 'first' : state === 'documents_prepared' ? 'again' : undefined,
    advanceTo: NEXT[state],
    ask: state !== 'formed' && state !== 'needs_founder',
    reject: state === 'filed',
  };
}

/** The words on the button that moves a case to each state. */
export const ADVANCE_TITLES: Partial<Record<CaseState, string>> = {
  filed: 'Record the filing',
  approved: 'Record the approval',
  ein_requested: 'Record the EIN request',
  ein_received: 'Record the EIN',
  formed: 'Mark as formed',
};

/** What an operator types for an advance. */
export interface EvidenceDraft {
  filing_number: string;
  filed_at: string;
  approved_at: string;
  ein: string;
}
export const emptyEvidence = (): EvidenceDraft => ({ filing_number: '', filed_at: '', approved_at: '', ein: '' });

export type EvidenceField = keyof EvidenceDraft;

/** The evidence each state asks for on entering it. */
export const EVIDENCE_NEEDED: Partial<Record<CaseState, EvidenceField[]>> = {
  filed: ['filing_number', 'filed_at'],
  approved: ['approved_at'],
  ein_received: ['ein'],
};

export const EVIDENCE_LABELS: Record<EvidenceField, string> = {
  filing_number: 'Filing number the state gave',
  filed_at: 'Date filed',
  approved_at: 'Date the state approved it',
  ein: 'EIN (nine digits)',
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The advance's body without its reason, or what is missing; only the evidence `to` asks for is sent. */
export function advanceParams(to: CaseState, expected: CaseState, draft: EvidenceDraft): { ready: Omit<CaseActionBodies['advance'], 'reason'> } | { missing: string } {
  const evidence: CaseActionBodies['advance']['evidence'] = {};
  for (const field of EVIDENCE_NEEDED[to] ?? []) {
    const value = draft[field].trim();
    if (!value) return { missing: `Give the ${EVIDENCE_LABELS[field].toLowerCase()}.` };
    if ((field === 'filed_at' || field === 'approved_at') && !DATE.test(value)) return { missing: `Give the ${EVIDENCE_LABELS[field].toLowerCase()} as a date.` };
    if (field === 'ein' && !/^\d{9}$/.test(value.replace(/[\s-]/g, ''))) return { missing: 'An EIN is nine digits, like 12-3456789.' };
    evidence[field] = value;
  }
  return { ready: { to, expected_state: expected, evidence } };
}

/** What confirming an advance does, in a sentence with its evidence. */
export function advanceSummary(to: CaseState, draft: EvidenceDraft, founder: string): string {
  switch (to) {
    case 'filed':
      return `Record that ${founder}'s filing was made on ${draft.filed_at} under number ${draft.filing_number.trim()}.`;
    case 'approved':
      return `Record that the state approved ${founder}'s filing on ${draft.approved_at}.`;
    case 'ein_requested':
      return `Record that the EIN was requested from the IRS for ${founder}.`;
    case 'ein_received':
      return `Record ${founder}'s EIN ending in ${draft.ein.replace(/\D/g, '').slice(-4)}.`;
    case 'formed':
      return `Mark ${founder}'s business as formed. This closes the case.`;
    default:
      return `Move ${founder}'s case to ${STATE_WORDS[to].toLowerCase()}.`;
  }
}
