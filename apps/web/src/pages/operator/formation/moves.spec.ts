import { describe, expect, it } from 'vitest';
import { advanceParams, advanceSummary, emptyEvidence, movesFor } from './moves';

describe('the moves an operator has on a case', () => {
  it('offers in each state only what the state machine allows', () => {
    expect(movesFor('intake_complete')).toEqual({ prepare: 'first', advanceTo: undefined, ask: true, reject: false });
    expect(movesFor('documents_prepared')).toEqual({ prepare: 'again', advanceTo: 'filed', ask: true, reject: false });
    expect(movesFor('filed')).toEqual({ prepare: undefined, advanceTo: 'approved', ask: true, reject: true });
    expect(movesFor('approved').advanceTo).toBe('ein_requested');
    expect(movesFor('ein_requested').advanceTo).toBe('ein_received');
    expect(movesFor('ein_received').advanceTo).toBe('formed');
    expect(movesFor('rejected')).toEqual({ prepare: 'first', advanceTo: undefined, ask: true, reject: false });
    expect(movesFor('needs_founder')).toEqual({ prepare: undefined, advanceTo: undefined, ask: false, reject: false });
    expect(movesFor('formed')).toEqual({ prepare: undefined, advanceTo: undefined, ask: false, reject: false });
  });
});

describe('the evidence an advance needs', () => {
  const draft = { ...emptyEvidence(), filing_number: ' 805123456 ', filed_at: '2026-12-03', approved_at: '2026-12-10', ein: '12-3456789' };

  it('sends to filed the filing number and date, with the state the operator saw', () => {
    expect(advanceParams('filed', 'documents_prepared', draft)).toEqual({
      ready: { to: 'filed', expected_state: 'documents_prepared', evidence: { filing_number: '805123456', filed_at: '2026-12-03' } },
    });
    expect(advanceParams('filed', 'documents_prepared', { ...draft, filing_number: '' })).toEqual({ missing: 'Give the filing number the state gave.' });
  });

  it('sends only what the next state asks: the approval date, nothing, the EIN', () => {
    expect(advanceParams('approved', 'filed', draft)).toEqual({ ready: { to: 'approved', expected_state: 'filed', evidence: { approved_at: '2026-12-10' } } });
    expect(advanceParams('approved', 'filed', { ...draft, approved_at: '10/12/2026' })).toEqual({ missing: 'Give the date the state approved it as a date.' });
    expect(advanceParams('ein_requested', 'approved', emptyEvidence())).toEqual({ ready: { to: 'ein_requested', expected_state: 'approved', evidence: {} } });
    expect(advanceParams('ein_received', 'ein_requested', draft)).toEqual({ ready: { to: 'ein_received', expected_state: 'ein_requested', evidence: { ein: '12-3456789' } } });
    expect(advanceParams('ein_received', 'ein_requested', { ...draft, ein: '12-345' })).toEqual({ missing: 'An EIN is nine digits, like 12-3456789.' });
    expect(advanceParams('formed', 'ein_received', emptyEvidence())).toEqual({ ready: { to: 'formed', expected_state: 'ein_received', evidence: {} } });
  });

  it('says what confirming records, of the EIN only its last four digits', () => {
    expect(advanceSummary('filed', draft, 'Ada')).toBe("Record that Ada's filing was made on 2026-12-03 under number 805123456.");
    expect(advanceSummary('ein_received', draft, 'Ada')).toBe("Record Ada's EIN ending in 6789.");
  });
});
