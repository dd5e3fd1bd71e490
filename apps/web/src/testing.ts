/**
 * What the web app's component specs share: a signed-in `api/auth` to mock it with, so that the API client sends a
 * token without a GoTrue server, and a JSON answer for a stubbed fetch.
 *
 *   vi.mock('../../api/auth', async () => (await import('../../testing')).signedInAuth);
 */
export const signedInAuth = {
  auth: {
    getSession: async () => ({ data: { session: { access_token: 'token' } } }),
    refreshSession: async () => ({ data: { session: null } }),
    signOut: async () => ({ error: null }),
  },
};

/** A JSON answer with a status, as the gateway gives it. */
export const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
