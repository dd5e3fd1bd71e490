import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ActionSlot } from '../IntentPanel';
import { ActionPanel } from './ActionPanel';
import { json } from '../../../testing';

vi.mock('../../../api/auth', async () => (await import('../../../testing')).signedInAuth);

const accepted = { action: 'rerun-analysis', status: 'accepted', audit_id: '6a1f9a4e-5f52-4c5e-9d8e-0b7f2f7f1b10', request_id: '0e0d5d1c-9f6a-4b7e-8d7c-3a8b4f0d2e11' };

/** The gateway's action route as the test sets it: answers in turn, each request's key and body kept. */
function gateway(...answers: (() => Response | Promise<Response>)[]) {
  const sent: { key: string | null; body: unknown; path: string }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (request: Request) => {
      sent.push({ key: request.headers.get('idempotency-key'), body: await request.json(), path: new URL(request.url).pathname });
      return (answers.shift() ?? (() => json(202, accepted)))();
    }),
  );
  return sent;
}

function show() {
  const onAccepted = vi.fn();
  const queryClient = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <ActionSlot label="Re-run the analysis">
        {(close) => (
          <ActionPanel
            name="rerun-analysis"
            founderId="f-1"
            title="Re-run the analysis"
            about="Reads the calls again."
            params={{ ready: {} }}
            summary="Run the analysis of Ada's calls again."
            onAccepted={onAccepted}
            onClose={close}
          />
        )}
      </ActionSlot>
    </QueryClientProvider>,
  );
  return { onAccepted };
}

function fillAndContinue(reason = 'The founder asked for a fresh look.') {
  fireEvent.click(screen.getByRole('button', { name: 'Re-run the analysis' }));
  fireEvent.change(screen.getByLabelText(/^Why/), { target: { value: reason } });
  fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
}

const confirmButton = () => screen.getByRole('button', { name: /^(Confirm: re-run the analysis|Sending…)$/ });

describe('an action on a founder', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('asks for a reason, then a confirmation, before sending anything', () => {
    const sent = gateway();
    show();
    fireEvent.click(screen.getByRole('button', { name: 'Re-run the analysis' }));
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(screen.getByText(/Say why, in at least 3 characters/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/^Why/), { target: { value: 'Fresh look, please.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(screen.getByText("Run the analysis of Ada's calls again.")).toBeTruthy();
    expect(sent).toHaveLength(0);
  });

  it('sends one key per intent: a double click is one request, and is disabled while it is on its way', async () => {
    let answer: (response: Response) => void = () => undefined;
    const sent = gateway(() => new Promise<Response>((resolve) => (answer = resolve)));
    const { onAccepted } = show();
    fillAndContinue();
    fireEvent.click(confirmButton());
    fireEvent.click(confirmButton());
    await waitFor(() => expect(sent).toHaveLength(1));
    expect((confirmButton() as HTMLButtonElement).disabled).toBe(true);
    answer(json(202, accepted));
    await waitFor(() => expect(onAccepted).toHaveBeenCalledWith(accepted));
    expect(sent[0]).toMatchObject({ path: '/admin/api/founders/f-1/actions/rerun-analysis', body: { reason: 'The founder asked for a fresh look.' } });
    expect(sent[0]?.key).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps the key through a refusal and a second try, and makes a new one when the form opens again', async () => {
    const refusal = { error: { code: 'nothing_to_analyse', message: 'This founder has no completed call and no assessment: there is nothing to analyse yet.' } };
    const sent = gateway(() => json(409, refusal));
    const { onAccepted } = show();
    fillAndContinue();
    fireEvent.click(confirmButton());
    expect((await screen.findByRole('alert')).textContent).toContain('there is nothing to analyse yet');
    fireEvent.click(confirmButton());
    await waitFor(() => expect(onAccepted).toHaveBeenCalledTimes(1));
    expect(sent).toHaveLength(2);
    expect(sent[1]?.key).toBe(sent[0]?.key);

    fillAndContinue('Once more, after the provider came back.');
    fireEvent.click(confirmButton());
    await waitFor(() => expect(sent).toHaveLength(3));
    expect(sent[2]?.key).not.toBe(sent[0]?.key);
  });
});
