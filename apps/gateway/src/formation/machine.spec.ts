import type { FormationCaseState } from '@dreamseed/contracts';
import { checkMove, einLast4, followOf, mailFor, normalizeEin, openingState, type CaseSnapshot, type MoveRequest } from './machine';

const at = (state: FormationCaseState, more: Partial<CaseSnapshot> = {}): CaseSnapshot => ({ state, stateBeforeQuestion: null, questionBy: null, filedAt: null, ...more });
const operator = (kind: MoveRequest['kind'], more: Partial<MoveRequest> = {}): MoveRequest => ({ kind, actor: 'operator', evidence: {}, missing: [], ...more });
const MISSING = [{ field: 'registered_agent', message: 'Name a registered agent.' }];
const FILED_AT = new Date('2026-12-03T00:00:00Z');

describe('the formation case state machine', () => {
  it('opens ready for documents with the intake complete, else waiting for the founder', () => {
    expect(openingState([])).toBe('intake_complete');
    expect(openingState(MISSING)).toBe('needs_founder');
  });

  it('walks the line one step at a time, each with its evidence', () => {
    const steps: [FormationCaseState, FormationCaseState, MoveRequest['evidence']][] = [
      ['documents_prepared', 'filed', { filingNumber: '805123456', filedAt: FILED_AT }],
      ['filed', 'approved', { approvedAt: new Date('2026-12-10T00:00:00Z') }],
      ['approved', 'ein_requested', {}],
      ['ein_requested', 'ein_received', { ein: '123456789' }],
      ['ein_received', 'formed', {}],
    ];
    for (const [from, to, evidence] of steps) expect(checkMove(at(from), operator('advance', { to, evidence }))).toEqual({ ok: true, to });
    expect(checkMove(at('intake_complete'), operator('prepare'))).toEqual({ ok: true, to: 'documents_prepared' });
    expect(checkMove(at('rejected'), operator('prepare'))).toEqual({ ok: true, to: 'documents_prepared' });
  });

  it('refuses a step the state does not allow, with the reason', () => {
    expect(checkMove(at('documents_prepared'), operator('advance', { to: 'approved' }))).toMatchObject({ ok: false, status: 409, code: 'invalid_transition', reason: expect.stringContaining('moves to filed') });
    expect(checkMove(at('intake_complete'), operator('advance', { to: 'filed', evidence: { filingNumber: '1', filedAt: FILED_AT } }))).toMatchObject({ code: 'invalid_transition' });
    expect(checkMove(at('formed'), operator('ask', { evidence: { question: 'Why?' } }))).toMatchObject({ code: 'invalid_transition', reason: expect.stringContaining('closed') });
    expect(checkMove(at('approved'), operator('reject', { evidence: { stateReason: 'No.' } }))).toMatchObject({ code: 'invalid_transition' });
    expect(checkMove(at('needs_founder'), operator('advance', { to: 'filed' }))).toMatchObject({ code: 'invalid_transition' });
    expect(checkMove(at('needs_founder'), operator('ask', { evidence: { question: 'And?' } }))).toMatchObject({ code: 'invalid_transition' });
    expect(checkMove(at('filed'), operator('answer'))).toMatchObject({ code: 'not_allowed' });
  });

  it('asks for the evidence a step needs', () => {
    expect(checkMove(at('documents_prepared'), operator('advance', { to: 'filed', evidence: { filedAt: FILED_AT } }))).toMatchObject({ status: 400, code: 'evidence_missing', reason: expect.stringContaining('filing_number') });
    expect(checkMove(at('documents_prepared'), operator('advance', { to: 'filed', evidence: { filingNumber: '1' } }))).toMatchObject({ code: 'evidence_missing', reason: expect.stringContaining('filed_at') });
    expect(checkMove(at('filed'), operator('advance', { to: 'approved' }))).toMatchObject({ code: 'evidence_missing' });
    expect(checkMove(at('filed', { filedAt: FILED_AT }), operator('advance', { to: 'approved', evidence: { approvedAt: new Date('2026-12-01T00:00:00Z') } }))).toMatchObject({ code: 'evidence_missing', reason: expect.stringContaining('before the filing') });
    expect(checkMove(at('ein_requested'), operator('advance', { to: 'ein_received' }))).toMatchObject({ code: 'evidence_missing' });
    expect(checkMove(at('filed'), operator('reject'))).toMatchObject({ code: 'evidence_missing' });
    expect(checkMove(at('filed'), operator('ask'))).toMatchObject({ code: 'evidence_missing' });
  });

  it('keeps a case with missing intake out of documents_prepared', () => {
    expect(checkMove(at('intake_complete'), operator('prepare', { missing: MISSING }))).toMatchObject({ status: 409, code: 'intake_incomplete' });
    expect(checkMove(at('needs_founder', { questionBy: 'system' }), operator('prepare', { missing: MISSING }))).toMatchObject({ code: 'intake_incomplete' });
    expect(checkMove(at('documents_prepared'), operator('prepare', { missing: MISSING }))).toMatchObject({ code: 'intake_incomplete' });
    // Preparing again where the documents are: no move, a new version if the inputs changed.
    expect(checkMove(at('documents_prepared'), operator('prepare'))).toEqual({ ok: true, to: 'documents_prepared' });
  });

  it('asks the founder from any open state, and the answer returns the case where it was', () => {
    for (const state of ['intake_complete', 'documents_prepared', 'filed', 'approved', 'ein_requested', 'ein_received', 'rejected'] as const) {
      expect(checkMove(at(state), operator('ask', { evidence: { question: 'Which county?' } }))).toEqual({ ok: true, to: 'needs_founder' });
    }
    const asked = at('needs_founder', { stateBeforeQuestion: 'filed', questionBy: 'operator' });
    expect(checkMove(asked, { kind: 'answer', actor: 'founder', evidence: { answer: 'Travis.' }, missing: MISSING })).toEqual({ ok: true, to: 'filed' });
    expect(checkMove(at('filed'), { kind: 'answer', actor: 'founder', evidence: { answer: 'Hm' }, missing: [] })).toMatchObject({ code: 'invalid_transition' });
  });

  it('returns to the filing preparation only with the intake complete; completing it answers the system\'s own question', () => {
    const waiting = at('needs_founder', { stateBeforeQuestion: 'intake_complete', questionBy: 'system' });
    expect(checkMove(waiting, { kind: 'resume', actor: 'founder', evidence: {}, missing: MISSING })).toMatchObject({ code: 'intake_incomplete' });
    expect(checkMove(waiting, { kind: 'resume', actor: 'founder', evidence: {}, missing: [] })).toEqual({ ok: true, to: 'intake_complete' });
    expect(checkMove(waiting, { kind: 'answer', actor: 'founder', evidence: { answer: 'Done' }, missing: MISSING })).toMatchObject({ code: 'intake_incomplete' });
    const operatorAsked = at('needs_founder', { stateBeforeQuestion: 'documents_prepared', questionBy: 'operator' });
    expect(checkMove(operatorAsked, { kind: 'resume', actor: 'founder', evidence: {}, missing: [] })).toMatchObject({ code: 'invalid_transition' });
  });

  it('lets only operators move a case forward, ask or reject', () => {
    expect(checkMove(at('documents_prepared'), { kind: 'advance', actor: 'founder', to: 'filed', evidence: { filingNumber: '1', filedAt: FILED_AT }, missing: [] })).toMatchObject({ code: 'not_allowed' });
    expect(checkMove(at('filed'), { kind: 'reject', actor: 'system', evidence: { stateReason: 'x' }, missing: [] })).toMatchObject({ code: 'not_allowed' });
  });

  it('says what the formation data and profile become', () => {
    expect(followOf(null, 'needs_founder', {})).toEqual({ formation: { formationStatus: 'in_progress' } });
    expect(followOf('documents_prepared', 'filed', { filedAt: FILED_AT })).toEqual({ formation: { formationStatus: 'filed', filedAt: FILED_AT } });
    expect(followOf('filed', 'approved', { approvedAt: FILED_AT })).toEqual({ formation: { formationStatus: 'approved', approvedAt: FILED_AT } });
    expect(followOf('approved', 'ein_requested', {})).toEqual({ formation: { einStatus: 'applied' } });
    expect(followOf('ein_requested', 'ein_received', { ein: '123456789' })).toEqual({ formation: { einStatus: 'received' } });
    expect(followOf('ein_received', 'formed', {})).toEqual({ formation: {}, profileStatus: 'formed' });
    expect(followOf('filed', 'rejected', {})).toEqual({ formation: { formationStatus: 'rejected' } });
    expect(followOf('rejected', 'documents_prepared', {})).toEqual({ formation: { formationStatus: 'in_progress', filedAt: null } });
    expect(followOf('filed', 'needs_founder', {})).toEqual({ formation: {} });
  });

  it('mails the founder on the moves that need them', () => {
    expect(mailFor(null, 'needs_founder')).toBe('needs_founder');
    expect(mailFor('intake_complete', 'documents_prepared')).toBe('documents_ready');
    expect(mailFor('needs_founder', 'documents_prepared')).toBeUndefined();
    expect(mailFor('filed', 'rejected')).toBe('rejected');
    expect(mailFor('ein_received', 'formed')).toBe('formed');
    expect(mailFor('documents_prepared', 'filed')).toBeUndefined();
  });

  it('reads an EIN as people write it', () => {
    expect(normalizeEin('12-3456789')).toBe('123456789');
    expect(normalizeEin('123456789')).toBe('123456789');
    expect(normalizeEin('12345678')).toBeUndefined();
    expect(normalizeEin('12-345678a')).toBeUndefined();
    expect(einLast4('123456789')).toBe('6789');
  });
});
