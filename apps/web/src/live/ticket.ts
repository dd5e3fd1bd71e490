import { api } from '../api/client';
import { ApiError } from '../api/errors';

/** A single-use ticket for GET /v1/me/events; 'unavailable' when this gateway has no event stream. */
export async function requestEventTicket(): Promise<string | 'unavailable'> {
  const { data, error, response } = await api.POST('/v1/me/events/ticket');
  if (response.status === 404 || response.status === 405) return 'unavailable';
  if (!response.ok || !data) throw ApiError.from(response, error);
  return data.ticket;
}
