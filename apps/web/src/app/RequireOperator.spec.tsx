import type { Session } from '@supabase/auth-js';
import { render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { isOperator, RequireOperator } from './RequireOperator';
import { useSession, type SessionState } from './session';

vi.mock('./session', () => ({ useSession: vi.fn() }));

const sessionOf = (appMetadata: Record<string, unknown>) => ({ access_token: 't', user: { id: 'u', app_metadata: appMetadata } }) as unknown as Session;

function visit(state: SessionState) {
  vi.mocked(useSession).mockReturnValue(state);
  render(
    <MemoryRouter initialEntries={['/operator/stuck']}>
      <Routes>
        <Route
          path="/operator/stuck"
          element={
            <RequireOperator>
              <h1>Stuck founders</h1>
            </RequireOperator>
          }
        />
        <Route path="/sign-in" element={<h1>Sign in</h1>} />
      </Routes>
    </MemoryRouter>,
  );
}

describe('the operators’ pages', () => {
  it('know an operator by the role the platform set in app_metadata, not by anything the user wrote', () => {
    expect(isOperator(sessionOf({ provider: 'email', role: 'operator' }))).toBe(true);
    expect(isOperator(sessionOf({ provider: 'email' }))).toBe(false);
    expect(isOperator(sessionOf({ role: 'Operator' }))).toBe(false);
    const founderWhoWroteIt = { access_token: 't', user: { id: 'u', app_metadata: {}, user_metadata: { role: 'operator' } } } as unknown as Session;
    expect(isOperator(founderWhoWroteIt)).toBe(false);
  });

  it('open for an operator', () => {
    visit({ status: 'signed-in', session: sessionOf({ role: 'operator' }) });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Stuck founders');
  });

  it('tell a founder plainly that they are for staff', () => {
    visit({ status: 'signed-in', session: sessionOf({ provider: 'email' }) });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('This part is for DreamSeed staff');
    expect(screen.queryByText('Stuck founders')).toBeNull();
    expect(screen.getByRole('link', { name: 'Go to your overview' })).toBeTruthy();
  });

  it('send someone signed out to sign in first', () => {
    visit({ status: 'signed-out' });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Sign in');
  });
});
