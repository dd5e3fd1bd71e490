import { AuthClient } from '@supabase/auth-js';

/**
 * The fragment a mail link landed with (a session, or why the link failed), read before auth-js takes the
 * session from it and clears the address bar.
 */
export const landingFragment = new URLSearchParams(window.location.hash.slice(1));

/**
 * The founder's session, through auth-js against the gateway's GoTrue-compatible /auth/v1 on this origin.
 * The implicit flow matches the gateway's mail links, which bring the session back in the URL fragment.
 */
export const auth = new AuthClient({
  url: `${window.location.origin}/auth/v1`,
  storageKey: 'dreamseed-auth',
  persistSession: true,
  autoRefreshToken: true,
  detectSessionInUrl: true,
  flowType: 'implicit',
});

/** Where the gateway's mail links should land, inside the app (the gateway checks them against its site URL). */
export const appUrl = (path: string) => `${window.location.origin}${path}`;
