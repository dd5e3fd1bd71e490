/** What the API fetch needs of the session: its current token, one refresh, and what to do when it is gone. */
export interface SessionAccess {
  accessToken(): Promise<string | undefined>;
  /** A fresh access token, or undefined when the session cannot be renewed. */
  refresh(): Promise<string | undefined>;
  /** The session is over: the app returns to sign-in, keeping the page to come back to. */
  lost(): void;
}

async function errorCode(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.clone().json()) as { error?: { code?: string } };
    return body.error?.code;
  } catch {
    return undefined;
  }
}

function withToken(request: Request, token: string | undefined): Request {
  const signed = new Request(request);
  if (token) signed.headers.set('Authorization', `Bearer ${token}`);
  return signed;
}

/**
 * The fetch under the API client: adds the founder's access token, and on a 401 `invalid_token` (expired, or the
 * session was refreshed elsewhere) refreshes the session once and sends the request again, as docs/api.md asks.
 * Requests that fail at once share one refresh: a refresh token is single-use, so parallel refreshes would race.
 */
export function createAuthorizedFetch(session: SessionAccess, send: (request: Request) => Promise<Response> = (r) => fetch(r)) {
  let refreshing: Promise<string | undefined> | undefined;
  const refreshOnce = () => {
    refreshing ??= session.refresh().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  };

  return async (request: Request): Promise<Response> => {
    // The body can be read once: keep a copy for the retry before the first send.
    const copy = request.clone();
    const token = await session.accessToken();
    const first = await send(withToken(request, token));
    if (first.status !== 401) return first;
    if (!token || (await errorCode(first)) !== 'invalid_token') {
      session.lost();
      return first;
    }
    const fresh = await refreshOnce();
    if (!fresh) {
      session.lost();
      return first;
    }
    const second = await send(withToken(copy, fresh));
    if (second.status === 401) session.lost();
    return second;
  };
}
