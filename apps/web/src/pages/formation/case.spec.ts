import { describe, expect, it } from 'vitest';
import type { FormationCase, FormationDocument } from '../../api/queries';
import { aCaseEvent, aFormationCase } from './formation-case.fixture';
import { caseSummary, domainWords, eventWords, fieldTarget, splitVersions, stepsOf, todoOf, workingState } from './case';

const opened = aCaseEvent({ kind: 'opened', to_state: 'intake_complete', actor_type: 'system' });
const openedWaiting = aCaseEvent({ kind: 'opened', to_state: 'needs_founder', actor_type: 'system', evidence: { question: 'To prepare …' } });
const aCase = (change: Partial<FormationCase> = {}) => aFormationCase({ events: [opened], ...change });

const statuses = (c: FormationCase) => stepsOf(c).map((s) => `${s.key}:${s.status}`);

describe('the steps of a formation case', () => {
  it('waits at the founder’s details when the case opened without them', () => {
    const c = aCase({ state: 'needs_founder', events: [openedWaiting], todo: { question: 'To prepare …', asked_at: null, missing: [{ field: 'legal_name', message: 'Give the legal name.' }] } });
    expect(statuses(c)).toEqual(['intake:waiting', 'documents:to-come', 'filed:to-come', 'approved:to-come', 'ein:to-come', 'formed:to-come']);
    expect(caseSummary(c)).toBe('Step 1 of 6, your details: waiting for you');
  });

  it('moves one step on with each state, the EIN step covering its request', () => {
    const current = (state: FormationCase['state']) => stepsOf(aCase({ state })).find((s) => s.status !== 'done')?.key;
    expect(current('intake_complete')).toBe('documents');
    expect(current('documents_prepared')).toBe('filed');
    expect(current('filed')).toBe('approved');
    expect(current('approved')).toBe('ein');
    expect(current('ein_requested')).toBe('ein');
    expect(current('ein_received')).toBe('formed');
    expect(stepsOf(aCase({ state: 'formed' })).every((s) => s.status === 'done')).toBe(true);
    expect(caseSummary(aCase({ state: 'formed' }))).toBe('Formed');
  });

  it('shows a rejected filing at the filing step, turned down', () => {
    expect(statuses(aCase({ state: 'rejected' }))).toContain('filed:rejected');
  });

  it('holds the step an operator asked from, waiting for the founder', () => {
    const asked = aCaseEvent({ to_state: 'needs_founder', from_state: 'filed', evidence: { question: 'Which county?' } });
    const c = aCase({ state: 'needs_founder', events: [opened, asked], todo: { question: 'Which county?', asked_at: asked.at, missing: [] } });
    expect(workingState(c)).toBe('filed');
    expect(statuses(c).slice(2, 4)).toEqual(['filed:done', 'approved:waiting']);
  });
});

describe('what the founder must do', () => {
  const missing = [{ field: 'registered_agent', message: 'Name a registered agent with a street address in Texas.' }];

  it('answers an operator’s question, with the missing details beside it', () => {
    const asked = aCaseEvent({ to_state: 'needs_founder', from_state: 'intake_complete', evidence: { question: 'Is the agent a person?' } });
    const todo = todoOf(aCase({ state: 'needs_founder', events: [opened, asked], todo: { question: 'Is the agent a person?', asked_at: asked.at, missing } }));
    expect(todo).toEqual({ kind: 'answer', question: 'Is the agent a person?', askedAt: asked.at, missing });
  });

  it('completes the details for the system’s question, which only lists them', () => {
    expect(todoOf(aCase({ state: 'needs_founder', events: [openedWaiting], todo: { question: 'To prepare …', asked_at: null, missing } }))).toEqual({ kind: 'intake', missing });
  });

  it('may answer the system’s question once nothing is missing, and has nothing to do otherwise', () => {
    expect(todoOf(aCase({ state: 'needs_founder', events: [openedWaiting], todo: { question: 'To prepare …', asked_at: null, missing: [] } })).kind).toBe('answer');
    expect(todoOf(aCase({ state: 'filed' }))).toEqual({ kind: 'nothing' });
  });
});

describe('where a missing detail is filled in', () => {
  it('links each to the form’s control, a whole part to its first field', () => {
    expect(fieldTarget('legal_name')).toEqual({ control: 'intake-legal_name' });
    expect(fieldTarget('business_address')).toEqual({ control: 'intake-business_address-line1' });
    expect(fieldTarget('registered_agent')).toEqual({ control: 'intake-registered_agent-name' });
    expect(fieldTarget('registered_agent.address.state')).toEqual({ control: 'intake-registered_agent-address-state' });
    expect(fieldTarget('members.1.ownership_percent')).toEqual({ control: 'intake-members-1-ownership_percent' });
    expect(fieldTarget('members')).toEqual({ control: 'intake-members' });
  });

  it('sends the signer’s name to the profile, the county to the principal address, the shares to their count, and names what the form has no field for in words only', () => {
    expect(fieldTarget('organizer.name')).toEqual({ page: '/profile' });
    expect(fieldTarget('county')).toEqual({ control: 'intake-business_address-county' });
    expect(fieldTarget('authorized_shares')).toEqual({ control: 'intake-authorized_shares-count' });
    expect(fieldTarget('members.0.address')).toBeNull();
  });
});

describe('the domain and the timeline', () => {
  it('says what the registration waits for', () => {
    expect(domainWords({ domain: null, status: 'awaiting_selection', expires_at: null, order_id: null, reason: null }).todo).toBe('choose');
    expect(domainWords({ domain: 'adabakes.com', status: 'awaiting_contact', expires_at: null, order_id: null, reason: null }).todo).toBe('contact');
    expect(domainWords({ domain: 'adabakes.com', status: 'registered', expires_at: '2027-12-01T10:05:00.000Z', order_id: '1', reason: null }).words).toMatch(/^adabakes\.com is registered to you until /);
    expect(domainWords({ domain: 'adabakes.com', status: 'failed', expires_at: null, order_id: null, reason: 'refused' }).words).toContain('We are on it');
  });

  it('asks for the founder’s agreement to the registrar’s agreements, also after a registration that failed for want of it', () => {
    const waiting = domainWords({ domain: 'adabakes.com', status: 'awaiting_consent', expires_at: null, order_id: null, reason: null });
    expect(waiting).toEqual({ words: 'Before we register adabakes.com for you, the registrar asks you to read its registration agreements and agree to them.', todo: 'consent' });
    for (const reason of ['registration_consent_outdated', 'registration_consent_missing']) {
      const failed = domainWords({ domain: 'adabakes.com', status: 'failed', expires_at: null, order_id: null, reason });
      expect(failed.todo).toBe('consent');
      expect(failed.words).toContain('Once you have agreed, our team registers it again.');
    }
    expect(domainWords({ domain: 'adabakes.com', status: 'failed', expires_at: null, order_id: null, reason: 'refused' }).todo).toBeUndefined();
    expect(domainWords({ domain: 'adabakes.com', status: 'pending', expires_at: null, order_id: null, reason: null }).todo).toBeUndefined();
  });

  it('tells each move with its evidence, and an answer as the founder’s', () => {
    expect(eventWords(aCaseEvent({ to_state: 'filed', from_state: 'documents_prepared', evidence: { filing_number: '805123456' } }))).toBe('Filed with the state, filing number 805123456.');
    expect(eventWords(aCaseEvent({ to_state: 'ein_received', from_state: 'ein_requested', evidence: { ein_last4: '6789' } }))).toBe('Your EIN arrived (ending in 6789).');
    expect(eventWords(aCaseEvent({ to_state: 'filed', from_state: 'needs_founder', actor_type: 'founder', evidence: { answer: 'Travis County.' } }))).toBe('You answered: “Travis County.”');
    expect(eventWords(aCaseEvent({ kind: 'documents', to_state: 'documents_prepared', evidence: { documents_version: 2 } }))).toBe('Your documents were prepared (version 2).');
  });

  it('keeps the current documents apart from the versions they replaced', () => {
    const doc = (version: number, superseded: boolean) => ({ id: String(version), version, superseded_at: superseded ? '2026-12-02T10:00:00.000Z' : null }) as FormationDocument;
    expect(splitVersions([doc(2, false), doc(1, true)])).toEqual({ current: [doc(2, false)], older: [doc(1, true)] });
  });
});
