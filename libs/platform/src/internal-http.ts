/**
 * A measured fast path: HTTP between the platform's own services (the gateway and the services' internal APIs).
 *
 * Why it exists: `assistant-request` makes two such calls while VAPI waits on the line, so their cost is paid on
 * the path a caller hears. It is undici's `request` over keep-alive connections rather than `fetch`.
 * What it bought: a call costs a fraction of the CPU `fetch` took, client and server together, and the
 * assistant-request's tail came down with it (figures: docs/performance-notes.md#internal-http).
 * What a change must re-measure: a change to the agent, its keep-alive or its timeouts runs `npm run bench` and
 * compares the `assistant-request` rows (their CPU per request and p99), with a pause before a round so that idle
 * connections are tested too. Calls to outside APIs (VAPI, RDAP, GoDaddy) keep `fetch`: the plain way wins there.
 */
import { Agent, request } from 'undici';
import { withDeadline } from './lifecycle';

/**
 * Idle connections do not keep a process alive (undici unreferences them), and every call has a deadline. They
 * are kept a minute, under the 65 s our servers keep theirs, so that a burst after a quiet spell (calls starting)
 * finds them open.
 */
const agent = new Agent({ keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });

export interface InternalCall {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Sent as JSON (with its content type). */
  json?: unknown;
  /** The deadline for the whole call, answer body included. */
  timeoutMs: number;
  /** Ends the call early too (a job's or request's own deadline). */
  signal?: AbortSignal;
}

export interface InternalResponse {
  status: number;
  ok: boolean;
  text: string;
  /** The body as JSON; throws when it is not JSON. */
  json<T = unknown>(): T;
  /** The body as JSON, or undefined when it is empty or not JSON (an error page, a cut answer). */
  jsonIfAny<T = unknown>(): T | undefined;
}

/** One call to another service: throws when it cannot connect, or has no complete answer by the deadline. */
export function callInternal(url: string, call: InternalCall): Promise<InternalResponse> {
  const hasBody = call.json !== undefined;
  return withDeadline(call.timeoutMs, call.signal, async (signal) => {
    const response = await request(url, {
      method: call.method ?? (hasBody ? 'POST' : 'GET'),
      headers: { ...call.headers, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
      body: hasBody ? JSON.stringify(call.json) : undefined,
      signal,
      dispatcher: agent,
    });
    // Read in full either way: an unread body holds its connection.
    const text = await response.body.text();
    return {
      status: response.statusCode,
      ok: response.statusCode >= 200 && response.statusCode < 300,
      text,
      json: <T>() => JSON.parse(text) as T,
      jsonIfAny: <T>() => {
        try {
          return JSON.parse(text) as T;
        } catch {
          return undefined;
        }
      },
    };
  });
}
