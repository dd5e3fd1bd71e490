import type { FormationCase, FormationCaseEvent } from '../../api/queries';

/** A move of a case as the founder API shows it, for the specs: an operator's move unless told otherwise. */
export const aCaseEvent = (change: Partial<FormationCaseEvent> = {}): FormationCaseEvent => ({
  id: crypto.randomUUID(),
  kind: 'moved',
  from_state: null,
  to_state: 'intake_complete',
  actor_type: 'operator',
  at: '2026-12-01T10:00:00.000Z',
  evidence: {},
  ...change,
});

/** A founder's formation case for the specs: an LLC in Texas, opened with its intake complete. */
export const aFormationCase = (change: Partial<FormationCase> = {}): FormationCase => ({
  id: '2f8b8a84-61f8-4a5e-9a39-0f1f0b1a5c21',
  user_id: '6f1c1f0e-2b1a-4c43-9d49-3c1f3f7f9a10',
  state: 'intake_complete',
  package_id: 'formation-standard',
  includes_domain: true,
  entity_type: 'llc',
  state_of_formation: 'TX',
  filing_number: null,
  state_reason: null,
  ein: null,
  opened_at: '2026-12-01T10:00:00.000Z',
  state_entered_at: '2026-12-01T10:00:00.000Z',
  updated_at: '2026-12-01T10:00:00.000Z',
  version: 1,
  todo: { question: null, asked_at: null, missing: [] },
  domain: null,
  events: [aCaseEvent({ kind: 'opened', actor_type: 'system' })],
  documents: [],
  ...change,
});
