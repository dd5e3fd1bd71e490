import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FormationCase, FormationDocument } from '../../api/queries';
import { CaseDocuments } from './CaseParts';

vi.mock('../../api/auth', async () => (await import('../../testing')).signedInAuth);

const aDocument = (version: number, supersededAt: string | null): FormationDocument => ({
  id: `00000000-0000-4000-8000-00000000000${version}`,
  kind: 'articles_of_organization',
  version,
  filename: `articles-of-organization-v${version}.pdf`,
  content_type: 'application/pdf',
  sha256: 'a'.repeat(64),
  size_bytes: 4096,
  created_at: '2026-12-01T10:00:00.000Z',
  superseded_at: supersededAt,
});

describe('the formation documents', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the current ones, and reads the older versions only when the founder opens them', async () => {
    const current = aDocument(2, null);
    const requests: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (request: Request) => {
        requests.push(new URL(request.url).pathname);
        return new Response(JSON.stringify({ documents: [current, aDocument(1, '2026-12-02T10:00:00.000Z')] }), { status: 200, headers: { 'content-type': 'application/json' } });
      }),
    );
    render(
      <QueryClientProvider client={new QueryClient()}>
        <MemoryRouter>
          <CaseDocuments formationCase={{ documents: [current] } as FormationCase} />
        </MemoryRouter>
      </QueryClientProvider>,
    );
    expect(screen.getByRole('button', { name: 'Download Articles of Organization, version 2' })).toBeTruthy();
    expect(requests).toEqual([]);
    const fold = screen.getByText('Older versions').closest('details') as HTMLDetailsElement;
    fold.open = true;
    fireEvent(fold, new Event('toggle'));
    expect(await screen.findByRole('button', { name: 'Download Articles of Organization, version 1' })).toBeTruthy();
    expect(requests).toEqual(['/v1/me/formation/documents']);
  });
});
