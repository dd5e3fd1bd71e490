import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { aFormationCase } from '../../formation/formation-case.fixture';
import type { CaseFile } from './api';
import { CaseActions } from './CaseActions';
import { json } from '../../../testing';

vi.mock('../../../api/auth', async () => (await import('../../../testing')).signedInAuth);

const CASE_ID = '2f8b8a84-61f8-4a5e-9a39-0f1f0b1a5c21';

function fileIn(state: CaseFile['case']['state']): CaseFile {
  const { events: _events, documents: _documents, ...formationCase } = aFormationCase({ id: CASE_ID, state, includes_domain: false, version: 3 });
  return {
    case: { ...formationCase, state_before_question: null, question_by: null, days_in_state: 0.5, sla_days: 2, overdue: false },
    founder: { user_id: formationCase.user_id, customer_name: 'Ada Baker', customer_email: 'ada@example.com', business_name: 'Ada Bakes' },
    intake: null,
    events: [],
    documents: [],
  };
}

function gateway(...answers: (() => Response)[]) {
  const sent: { path: string; key: string | null; body: unknown }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (request: Request) => {
      sent.push({ path: new URL(request.url).pathname, key: request.headers.get('idempotency-key'), body: await request.json() });
      return (answers.shift() ?? (() => json(500, {})))();
    }),
  );
  return sent;
}

function show(state: CaseFile['case']['state']) {
  const onDone = vi.fn();
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { mutations: { retry: false } } })}>
      <CaseActions file={fileIn(state)} name="Ada Baker" onDone={onDone} reread={() => undefined} />
    </QueryClientProvider>,
  );
  return { onDone };
}

function fillReasonAndContinue(reason: string) {
  fireEvent.change(screen.getByLabelText(/^Why/), { target: { value: reason } });
  fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
}

describe('moving a formation case', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('records a filing with its evidence, the state shown and one key for the intent', async () => {
    const done = { action: 'advance', status: 'done', audit_id: 'a', case_id: CASE_ID, from_state: 'documents_prepared', to_state: 'filed', version: 4, documents_version: null };
    const sent = gateway(() => json(200, done));
    const { onDone } = show('documents_prepared');
    expect(screen.queryByRole('button', { name: "Record the state's rejection" })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Record the filing' }));
    fireEvent.change(screen.getByLabelText('Date filed'), { target: { value: '2026-12-03' } });
    fillReasonAndContinue('Filed online with the Texas SOS.');
    expect(screen.getByText('Give the filing number the state gave.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Filing number the state gave'), { target: { value: '805123456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(screen.getByText("Record that Ada Baker's filing was made on 2026-12-03 under number 805123456.")).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Confirm: record the filing' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith(done));
    expect(sent).toEqual([
      {
        path: `/admin/api/formation/cases/${CASE_ID}/advance`,
        key: expect.stringMatching(/^[0-9a-f-]{36}$/),
        body: { to: 'filed', expected_state: 'documents_prepared', evidence: { filing_number: '805123456', filed_at: '2026-12-03' }, reason: 'Filed online with the Texas SOS.' },
      },
    ]);
  });

  it('shows a refusal for an incomplete intake with what is missing, and retries with the same key', async () => {
    const refusal = {
      error: {
        code: 'intake_incomplete',
        message: 'The intake is not complete: the filing needs what is listed in details.',
        details: [{ field: 'registered_agent', message: 'Name a registered agent with a street address in Texas.' }],
      },
    };
    const sent = gateway(() => json(409, refusal), () => json(409, refusal));
    show('intake_complete');
    fireEvent.click(screen.getByRole('button', { name: 'Prepare the documents' }));
    fillReasonAndContinue('Intake reviewed.');
    fireEvent.click(screen.getByRole('button', { name: 'Confirm: prepare the documents' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The intake is not complete');
    expect(alert.textContent).toContain('Name a registered agent with a street address in Texas.');
    fireEvent.click(screen.getByRole('button', { name: 'Confirm: prepare the documents' }));
    await waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[0]).toMatchObject({ path: `/admin/api/formation/cases/${CASE_ID}/documents/prepare`, body: { expected_state: 'intake_complete', reason: 'Intake reviewed.' } });
    expect(sent[1]?.key).toBe(sent[0]?.key);
  });

  it('offers the state’s rejection on a filed case, beside its approval', () => {
    gateway();
    show('filed');
    expect(screen.getByRole('button', { name: "Record the state's rejection" })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Record the approval' })).toBeTruthy();
  });
});
