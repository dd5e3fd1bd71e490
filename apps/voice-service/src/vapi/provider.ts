import { randomUUID } from 'node:crypto';

export interface OutboundCallRequest {
  assistant: { assistantId: string } | { assistant: Record<string, unknown> };
  customerNumber: string;
  variableValues: Record<string, string>;
  metadata: { userId: string; callStage: number };
}

/** A failure worth retrying (429, 5xx, the network) or not (any other 4xx). */
export class CallProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** Places outbound calls: VAPI's `POST /call` when a key is configured, else a local stand-in. */
export interface CallProvider {
  readonly name: 'vapi' | 'local';
  place(request: OutboundCallRequest): Promise<{ vapiCallId: string }>;
}

export function createCallProvider(options: { apiKey?: string; baseUrl: string; phoneNumberId?: string }): CallProvider {
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
            assistantOverrides: { variableValues: request.variableValues, metadata: request.metadata },
            metadata: request.metadata,
          }),
          signal: AbortSignal.timeout(15_000),
        });
      } catch (error) {
        throw new CallProviderError(`VAPI unreachable: ${(error as Error).message}`, true);
      }
      const body = (await response.json().catch(() => ({}))) as { id?: unknown; message?: unknown };
      if (!response.ok) {
        const retryable = response.status === 429 || response.status >= 500;
        throw new CallProviderError(`VAPI answered ${response.status}: ${String(body.message ?? '').slice(0, 200)}`, retryable);
      }
      if (typeof body.id !== 'string') throw new CallProviderError('VAPI answered without a call id', true);
      return { vapiCallId: body.id };
    },
  };
}
