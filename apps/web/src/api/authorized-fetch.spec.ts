import { describe, expect, it, vi } from 'vitest';
import { createAuthorizedFetch, type SessionAccess } from './authorized-fetch';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const invalidToken = () => json(401, { error: { code: 'invalid_token', message: 'The access token is not valid.' } });

function session(overrides: Partial<SessionAccess> = {}) {
  return {
    accessToken: vi.fn(async () => 'old-token'),
    refresh: vi.fn(async () => 'new-token'),
    lost: vi.fn(),
    ...overrides,
  };
}

describe('the API fetch', () => {
  it('sends the access token', async () => {
    const send = vi.fn(async (_: Request) => json(200, { ok: true }));
    const response = await createAuthorizedFetch(session(), send)(new Request('http://app.test/v1/me'));
    expect(response.status).toBe(200);
    expect(send.mock.calls[0]?.[0].headers.get('authorization')).toBe('Bearer old-token');
  });

  it('refreshes once on invalid_token and sends the same request again, body included', async () => {
    const access = session();
    const send = vi.fn(async (request: Request) => (request.headers.get('authorization') === 'Bearer old-token' ? invalidToken() : json(200, { body: await request.text() })));
    const request = new Request('http://app.test/v1/me', { method: 'PATCH', body: JSON.stringify({ business_name: 'Ada Bakes' }) });
    const response = await createAuthorizedFetch(access, send)(request);
    expect(await response.json()).toEqual({ body: '{"business_name":"Ada Bakes"}' });
    expect(access.refresh).toHaveBeenCalledTimes(1);
    expect(send).toHaveBeenCalledTimes(2);
    expect(access.lost).not.toHaveBeenCalled();
  });

  it('shares one refresh between requests that fail together', async () => {
    const access = session();
    const send = vi.fn(async (request: Request) => (request.headers.get('authorization') === 'Bearer old-token' ? invalidToken() : json(200, {})));
    const fetcher = createAuthorizedFetch(access, send);
    await Promise.all([fetcher(new Request('http://app.test/v1/me')), fetcher(new Request('http://app.test/v1/me/calls'))]);
    expect(access.refresh).toHaveBeenCalledTimes(1);
  });

  it('gives up after one retry and ends the session', async () => {
    const access = session();
    const send = vi.fn(async () => invalidToken());
    const response = await createAuthorizedFetch(access, send)(new Request('http://app.test/v1/me'));
    expect(response.status).toBe(401);
    expect(send).toHaveBeenCalledTimes(2);
    expect(access.lost).toHaveBeenCalledTimes(1);
  });

  it('ends the session when it cannot be refreshed', async () => {
    const access = session({ refresh: vi.fn(async () => undefined) });
    const response = await createAuthorizedFetch(access, vi.fn(async () => invalidToken()))(new Request('http://app.test/v1/me'));
    expect(response.status).toBe(401);
    expect(access.lost).toHaveBeenCalledTimes(1);
  });

  it('passes other answers through untouched', async () => {
    const access = session();
    const response = await createAuthorizedFetch(access, vi.fn(async () => json(404, { error: { code: 'not_found', message: 'No.' } })))(new Request('http://app.test/v1/x'));
    expect(response.status).toBe(404);
    expect(access.refresh).not.toHaveBeenCalled();
  });
});
