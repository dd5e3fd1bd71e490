import type { paths } from '@dreamseed/api-client';
import type { Client } from 'openapi-fetch';
import { api } from '../api/client';
import { ApiError } from '../api/errors';

/**
 * The ticket route as its contract says, for as long as the generated client does not name it yet; once the
 * API document has it, `paths` is used as it is.
 */
type TicketRoute = {
  '/v1/me/events/ticket': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: { 201: { headers: Record<string, unknown>; content: { 'application/json': { ticket: string; expires_at: string } } } };
    };
  };
};
type LivePaths = paths extends Record<'/v1/me/events/ticket', unknown> ? paths : paths & TicketRoute;

/** A single-use ticket for GET /v1/me/events; 'unavailable' when this gateway has no event stream. */
export async function requestEventTicket(): Promise<string | 'unavailable'> {
  const { data, error, response } = await (api as unknown as Client<LivePaths>).POST('/v1/me/events/ticket');
  if (response.status === 404 || response.status === 405) return 'unavailable';
  if (!response.ok || !data) throw ApiError.from(response, error);
  return data.ticket;
}
