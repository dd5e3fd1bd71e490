import { fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import { ErrorNotice, QueryView } from './status';

describe('the error notice', () => {
  it('shows a network failure in words, with a retry', () => {
    const retry = vi.fn();
    render(<ErrorNotice error={new TypeError('Failed to fetch')} onRetry={retry} />);
    expect(screen.getByRole('alert').textContent).toMatch(/could not reach DreamSeed/);
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('offers no retry for a refusal, only the way on it is given', () => {
    render(
      <MemoryRouter>
        <ErrorNotice error={new ApiError(409, 'domain_unavailable', 'That domain was just taken.')} onRetry={vi.fn()} action={<a href="/domains">Pick another</a>} />
      </MemoryRouter>,
    );
    expect(screen.getByRole('alert').textContent).toContain('That domain was just taken.');
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Pick another' })).toBeTruthy();
  });
});

describe('a query’s states', () => {
  const base = { isPending: false, isError: false, error: null, data: undefined as string | undefined, refetch: vi.fn() };

  it('announces loading', () => {
    render(<QueryView query={{ ...base, isPending: true }} what="your calls">{(d) => d}</QueryView>);
    expect(screen.getByRole('status').textContent).toContain('Loading your calls');
  });

  it('draws the data when it is there', () => {
    render(<QueryView query={{ ...base, data: 'three calls' }} what="your calls">{(d) => <p>{d}</p>}</QueryView>);
    expect(screen.getByText('three calls')).toBeTruthy();
  });
});
