import { createApiClient } from '@dreamseed/api-client';
import { auth } from './auth';
import { createAuthorizedFetch } from './authorized-fetch';
import { ApiError } from './errors';

let onSessionLost: () => void = () => undefined;

/** The app says how to leave for sign-in (it knows the router and the page to come back to). */
export function whenSessionLost(handler: () => void) {
  onSessionLost = handler;
}

const authorizedFetch = createAuthorizedFetch({
  accessToken: async () => (await auth.getSession()).data.session?.access_token,
  refresh: async () => (await auth.refreshSession()).data.session?.access_token,
  lost: () => {
    void auth.signOut({ scope: 'local' }).finally(() => onSessionLost());
  },
});

/** The founder API, typed from the OpenAPI document (libs/api-client), on this origin. */
export const api = createApiClient({ baseUrl: window.location.origin, fetch: authorizedFetch });

/** An openapi-fetch result: its data, or an ApiError in the API's words. */
export async function unwrap<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) throw ApiError.from(response, error);
  return data as T;
}
