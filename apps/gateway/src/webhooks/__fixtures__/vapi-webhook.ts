import { PayloadSealer } from '@dreamseed/platform';
import type { TestGateway } from '../../__fixtures__/test-gateway';

/** The secret the test gateways share with "VAPI". */
export const SECRET = 'vapi-webhook-secret-for-tests';

export function statusUpdate(callId: string, status: string) {
  return { message: { type: 'status-update', status, timestamp: Date.now(), call: { id: callId, orgId: 'org-1', type: 'inboundPhoneCall' } } };
}

/** The webhook body a job carries sealed, opened with the gateway's key. */
export async function opened(gateway: TestGateway, sealedBody: string): Promise<{ message: Record<string, unknown> }> {
  return JSON.parse(Buffer.from(await new PayloadSealer(gateway.config).open(sealedBody)).toString('utf8'));
}

/** A delivery to the gateway's webhook, by default with the shared secret. */
export async function post(gateway: TestGateway, body: unknown, headers: Record<string, string> = { 'x-vapi-secret': SECRET }) {
  return fetch(`${gateway.url}/webhooks/vapi`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
