import { randomUUID } from 'node:crypto';
import { startFakeServer, waitFor, type FakeRequest } from '@dreamseed/testing';

/**
 * VAPI's `POST /call`, held open until the test answers it: the test learns the call id the moment the platform
 * dials, can deliver the call's first messages while the platform still waits for VAPI's answer, and then
 * answers with the call as VAPI reports it.
 */
export interface Dial {
  request: FakeRequest;
  body: {
    assistant?: Record<string, unknown> & { server?: unknown; metadata?: unknown; model?: { tools?: { server?: unknown }[] } };
    assistantId?: string;
    assistantOverrides?: Record<string, unknown> & { metadata?: unknown };
    phoneNumberId?: string;
    customer?: { number?: string };
  };
  /** The id this fake gives the call. */
  callId: string;
  /** Sends VAPI's answer (201 with the call object). */
  answer(call: object): void;
}

export async function startFakeVapiCalls() {
  const dials: (Dial & { taken: boolean })[] = [];
  const server = await startFakeServer({
    'POST /call': (request) =>
      new Promise((resolve) => {
        dials.push({
          request,
          body: (request.body ?? {}) as Dial['body'],
          callId: randomUUID(),
          taken: false,
          answer: (call) => resolve({ status: 201, body: call }),
        });
      }),
  });
  return {
    url: server.url,
    /** The next call the platform dials to this number (within 20 s), not yet answered. */
    async nextDial(customerNumber: string): Promise<Dial> {
      const dial = await waitFor(() => dials.find((d) => !d.taken && d.body.customer?.number === customerNumber), `a POST /call to ${customerNumber}`, 20_000);
      dial.taken = true;
      return dial;
    },
    /** Every POST /call to this number so far. */
    dialsTo: (customerNumber: string) => dials.filter((d) => d.body.customer?.number === customerNumber),
    close: () => server.close(),
  };
}

export type FakeVapiCalls = Awaited<ReturnType<typeof startFakeVapiCalls>>;
