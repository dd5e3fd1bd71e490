import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LIVE_EVENT_TYPES } from './event-stream';
import { STALE_AFTER } from './invalidations';
import { LiveUpdates } from './LiveUpdates';

vi.mock('../api/auth', async () => (await import('../testing')).signedInAuth);

/** The browser's EventSource as the test drives it: the one opened, its listeners by event type. */
class FakeEventSource {
  static opened: FakeEventSource[] = [];
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  readonly listeners = new Map<string, (event: MessageEvent<string>) => void>();
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, listener);
  }
  closed = false;
  close() {
    this.closed = true;
  }
  emit(type: string, data: unknown) {
    this.listeners.get(type)?.(new MessageEvent(type, { data: JSON.stringify(data), lastEventId: '1-0' }));
  }
}

describe('live updates of the formation case', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    FakeEventSource.opened = [];
  });

  it('listens for formation.changed, which makes the case, its documents, the details and the profile stale', () => {
    expect(LIVE_EVENT_TYPES).toContain('formation.changed');
    expect(STALE_AFTER['formation.changed']).toEqual(expect.arrayContaining([['formation-case'], ['formation-documents'], ['formation'], ['me']]));
  });

  it('marks the case on screen stale when its event arrives, so that it is read again', async () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify({ ticket: 't1', expires_at: '2026-12-01T10:01:00.000Z' }), { status: 200, headers: { 'content-type': 'application/json' } })),
    );
    const queryClient = new QueryClient();
    queryClient.setQueryData(['formation-case'], { state: 'intake_complete' });
    queryClient.setQueryData(['calls'], { calls: [] });
    render(
      <QueryClientProvider client={queryClient}>
        <LiveUpdates>
          <p>page</p>
        </LiveUpdates>
      </QueryClientProvider>,
    );
    await waitFor(() => expect(FakeEventSource.opened).toHaveLength(1));
    expect(FakeEventSource.opened[0]?.url).toBe('/v1/me/events?ticket=t1');
    FakeEventSource.opened[0]?.emit('formation.changed', { case_id: 'c1', change: 'moved', state: 'documents_prepared', domain_status: null, occurred_at: '2026-12-01T10:00:00.000Z' });
    expect(queryClient.getQueryState(['formation-case'])?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(['calls'])?.isInvalidated).toBe(false);
  });
});
