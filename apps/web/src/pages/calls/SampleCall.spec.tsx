import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SampleCall } from './SampleCall';
import { json } from '../../testing';

vi.mock('../../api/auth', async () => (await import('../../testing')).signedInAuth);


/** The gateway's two sample routes, as the test sets them. */
function gateway(state: { available: boolean; playing: boolean }, play: () => Response = () => json(202, { call_stage: 1, vapi_call_id: 'sample-1' })) {
  const requests: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      requests.push(`${request.method} ${url.pathname}`);
      if (url.pathname !== '/v1/me/calls/sample') return json(404, { error: { code: 'not_found', message: 'No.' } });
      if (request.method === 'GET') return json(200, state);
      const answer = play();
      if (answer.status === 202) state.playing = true;
      return answer;
    }),
  );
  return requests;
}

function show() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const invalidated = vi.spyOn(queryClient, 'invalidateQueries');
  render(
    <QueryClientProvider client={queryClient}>
      <SampleCall stage={1} />
    </QueryClientProvider>,
  );
  return { invalidated };
}

const button = () => screen.findByRole('button', { name: 'Play a sample consultation' });

describe('the sample consultation', () => {
  beforeEach(() => vi.unstubAllGlobals());
  afterEach(() => vi.unstubAllGlobals());

  it('is not offered where sample calls are off', async () => {
    const requests = gateway({ available: false, playing: false });
    show();
    await waitFor(() => expect(requests).toContain('GET /v1/me/calls/sample'));
    expect(screen.queryByRole('button', { name: /sample/i })).toBeNull();
  });

  it('plays, says so while it plays, and reads the calls and the stage again when it ends', async () => {
    const state = { available: true, playing: false };
    const requests = gateway(state);
    const { invalidated } = show();
    const play = await button();
    expect(screen.getByText(/made-up call of your current stage/)).toBeTruthy();
    fireEvent.click(play);
    expect(await screen.findByText(/A sample Discovery call is playing/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sample playing…' })).toHaveProperty('disabled', true);
    expect(requests).toContain('POST /v1/me/calls/sample');

    state.playing = false;
    expect(await screen.findByText(/The sample call has ended/, undefined, { timeout: 4000 })).toBeTruthy();
    expect(invalidated).toHaveBeenCalledWith({ queryKey: ['calls'] });
    expect(invalidated).toHaveBeenCalledWith({ queryKey: ['me'] });
    expect(screen.getByRole('button', { name: 'Play a sample consultation' })).toHaveProperty('disabled', false);
  });

  it('follows the one already playing instead of showing an error', async () => {
    gateway({ available: true, playing: false }, () => json(409, { error: { code: 'sample_call_playing', message: 'A sample call is playing; wait for it to end.' } }));
    show();
    fireEvent.click(await button());
    expect(await screen.findByText(/is playing/)).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says why when the consultation is already complete', async () => {
    gateway({ available: true, playing: false }, () => json(409, { error: { code: 'consultation_complete', message: 'All four consultation calls are done.' } }));
    show();
    fireEvent.click(await button());
    expect((await screen.findByRole('alert')).textContent).toContain('All four consultation calls are done.');
  });
});
