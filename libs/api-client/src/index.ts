import createClient, { type ClientOptions } from 'openapi-fetch';
import type { paths } from './schema';

export type { components, operations, paths } from './schema';

/**
 * A typed client of the founder API (openapi-fetch over the generated `paths`): every path, parameter and body is
 * checked at compile time against the document the gateway serves. Pass the founder's access token in `headers`
 * (or a `fetch` that adds it) and the gateway's URL as `baseUrl`.
 */
export function createApiClient(options: ClientOptions & { baseUrl: string }) {
  return createClient<paths>(options);
}

export type ApiClient = ReturnType<typeof createApiClient>;
