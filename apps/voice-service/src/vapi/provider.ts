import { randomUUID } from 'node:crypto';
import type { VapiServer } from './server';

export interface OutboundCallRequest {
  assistant: { assistantId: string } | { assistant: Record<string, unknown> };
  /**
   * Where the call's messages go (`vapiServer`). A transient assistant carries it itself; a saved one
   * (`assistantId`) gets it through the call's overrides, so that its messages carry our credential too.
   */
  server?: VapiServer;
  customerNumber: string;
  variableValues: Record<string, string>;
  metadata: { userId: string; callStage: number };
}

/**
 * Why a call was not placed: worth retrying (429, 5xx, a connection that never opened) or not (any other 4xx).
 * `outcomeUnknown` when the request may have reached VAPI and its answer was lost (a timeout, a connection cut
 * mid-way, a 2xx without a call id): the call may be ringing, so dialling again could call the founder twice.
 */
export class CallProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly outcomeUnknown = false,
    /** Why, as a short code an operator may be shown: the message can quote what VAPI was sent (the number). */
    readonly code = outcomeUnknown ? 'outcome_unknown' : retryable ? 'vapi_unavailable' : 'vapi_refused',
  ) {
    super(message);
  }
}

/** Connection errors raised before any byte of the request left: VAPI cannot have seen it. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function lostRequest(error: unknown): CallProviderError {
  const code = (error as { cause?: { code?: unknown } }).cause?.code;
  if (typeof code === 'string' && NEVER_CONNECTED.has(code)) return new CallProviderError(`VAPI unreachable (${code})`, true, false, 'vapi_unreachable');
  const name = (error as Error).name === 'TimeoutError' ? 'no answer in time' : `the connection failed (${String(code ?? (error as Error).name)})`;
  return new CallProviderError(`VAPI request sent, ${name}: the call may have been placed`, false, true);
}

/** `text` with the server object's header values (the webhook secret) masked. */
const withoutSecrets = (text: string, server: VapiServer | undefined) =>
  Object.values(server?.headers ?? {}).reduce((scrubbed, secret) => scrubbed.replaceAll(secret, '[secret]'), text);

/** Places outbound calls: VAPI's `POST /call` when a key is configured, else a local stand-in. */
export interface CallProvider {
  readonly name: 'vapi' | 'local';
  place(request: OutboundCallRequest): Promise<{ vapiCallId: string }>;
}

export function createCallProvider(options: { apiKey?: string; baseUrl: string; phoneNumberId?: string; timeoutMs?: number }): CallProvider {
  if (!options.apiKey) {
    return { name: 'local', place: async () => ({ vapiCallId: `simulated-${randomUUID()}` }) };
  }
  return {
    name: 'vapi',
    async place(request) {
      let response: Response;
      try {
        response = await fetch(`${options.baseUrl}/call`, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            ...request.assistant,
            phoneNumberId: options.phoneNumberId,
            customer: { number: request.customerNumber },
            assistantOverrides: {
              server: 'assistantId' in request.assistant ? request.server : undefined,
              variableValues: request.variableValues,
              metadata: request.metadata,
            },
          }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
      } catch (error) {
        throw lostRequest(error);
      }
      const body = (await response.json().catch(() => ({}))) as { id?: unknown; message?: unknown };
      if (!response.ok) {
        const retryable = response.status === 429 || response.status >= 500;
        // VAPI's validation messages may quote what was sent: the secret on the server object never goes on
        // into the row's last error, the job's failure reason or a log.
        throw new CallProviderError(
          `VAPI answered ${response.status}: ${withoutSecrets(String(body.message ?? ''), request.server).slice(0, 200)}`,
          retryable,
          false,
          `${retryable ? 'vapi_unavailable' : 'vapi_refused'}_${response.status}`,
        );
      }
      if (typeof body.id !== 'string') throw new CallProviderError(`VAPI answered ${response.status} without a call id: the call may have been placed`, false, true);
      return { vapiCallId: body.id };
    },
  };
}
