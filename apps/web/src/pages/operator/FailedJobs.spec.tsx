import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FailedJobs } from './FailedJobs';
import { json } from '../../testing';

vi.mock('../../api/auth', async () => (await import('../../testing')).signedInAuth);

const job = { id: '42', name: 'analyse-founder', failed_reason: 'provider_timeout', attempts_made: 5, failed_at: '2026-12-01T10:00:00Z' };

function show(answer: Response) {
  const sent: { path: string; body: unknown }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (request: Request) => {
      sent.push({ path: new URL(request.url).pathname, body: await request.json() });
      return answer;
    }),
  );
  const changed = vi.fn();
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { mutations: { retry: false } } })}>
      <FailedJobs queue="analysis" jobs={[job]} onChanged={changed} />
    </QueryClientProvider>,
  );
  return { sent, changed };
}

describe('a failed job', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is discarded only after a second, explicit click, with the reason given', async () => {
    const { sent, changed } = show(json(202, { queue: 'analysis', id: '42', state: 'discarded', audit_id: '6a1f9a4e-5f52-4c5e-9d8e-0b7f2f7f1b10' }));
    fireEvent.click(screen.getByRole('button', { name: /^Discard\s*the analyse-founder job$/ }));
    expect(sent).toHaveLength(0);
    fireEvent.change(screen.getByLabelText(/^Why/), { target: { value: 'The founder deleted their account.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Discard the job for good' }));
    expect((await screen.findByRole('status')).textContent).toBe('The job is discarded.');
    expect(sent).toEqual([{ path: '/admin/api/queues/analysis/jobs/42/discard', body: { reason: 'The founder deleted their account.' } }]);
    expect(changed).toHaveBeenCalledTimes(1);
  });

  it('says why a retry was refused', async () => {
    show(json(409, { error: { code: 'job_not_failed', message: 'The job is not failed any more.' } }));
    fireEvent.click(screen.getByRole('button', { name: /^Retry\s*the analyse-founder job$/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Retry the job' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The job is not failed any more.');
  });
});
