import type { Session } from '@supabase/auth-js';
import { useSyncExternalStore } from 'react';
import { auth } from '../api/auth';

export type SessionState = { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; session: Session };

let state: SessionState = { status: 'loading' };
const listeners = new Set<() => void>();
const recoveryListeners = new Set<() => void>();

auth.onAuthStateChange((event, session) => {
  state = session ? { status: 'signed-in', session } : { status: 'signed-out' };
  listeners.forEach((listener) => listener());
  // A password-recovery link signed the founder in: they came to choose a new password.
  if (event === 'PASSWORD_RECOVERY') recoveryListeners.forEach((listener) => listener());
});

export function useSession(): SessionState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}

export function onPasswordRecovery(listener: () => void) {
  recoveryListeners.add(listener);
  return () => {
    recoveryListeners.delete(listener);
  };
}
