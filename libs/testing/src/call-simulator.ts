import { randomUUID } from 'node:crypto';
import { SAMPLE_CONSULTATION, type SampleConsultationCall } from '@dreamseed/contracts';
import { vapiCallDeliveries } from './vapi/calls';
import { VAPI_SYNC_TYPES } from './vapi/schema';

/** One call of a consultation as the simulator plays it. */
export type ConsultationScript = SampleConsultationCall;

/** The sample consultation (`@dreamseed/contracts`), which the gateway also plays outside production. */
export const DEFAULT_CONSULTATION: readonly ConsultationScript[] = SAMPLE_CONSULTATION;

/**
 * Plays a four-call DreamSeed consultation into a running platform the way VAPI would, to the gateway's
 * /webhooks/vapi with the shared secret: each call is the deliveries `vapiCallDeliveries` builds from VAPI's own
 * message shapes (assistant-request, status updates, conversation updates, the ended status and the end-of-call
 * report), with the metadata the platform's assistant-request answer set echoed in every later message, as VAPI
 * echoes `assistantOverrides.metadata`. `npm run demo` and the end-to-end tests use it.
 */
export interface SimulatorOptions {
  gatewayUrl: string;
  webhookSecret: string;
  phone: string;
  script?: readonly ConsultationScript[];
  /** Waits between the calls, for example until the profile shows the call completed. */
  afterCall?: (stage: number, vapiCallId: string) => Promise<void>;
}

/** The calls played, and how many of their deliveries were events the platform queues (VAPI waits on none of them). */
export async function simulateConsultation(options: SimulatorOptions): Promise<{ callIds: string[]; eventsSent: number }> {
  const waitedOn = new Set<string>(VAPI_SYNC_TYPES);
  let eventsSent = 0;
  const send = async (delivery: { message: { type?: string } }) => {
    const response = await fetch(`${options.gatewayUrl}/webhooks/vapi`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-vapi-secret': options.webhookSecret },
      body: JSON.stringify(delivery),
    });
    if (!response.ok) throw new Error(`webhook ${String(delivery.message.type)} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };

  const callIds: string[] = [];
  for (const script of options.script ?? DEFAULT_CONSULTATION) {
    const plan = {
      callId: randomUUID(),
      direction: 'inbound' as const,
      customerNumber: options.phone,
      stage: script.stage,
      lines: script.lines,
      summary: script.summary,
      structuredData: script.structuredData,
      startedAt: new Date(),
    };
    callIds.push(plan.callId);
    // The assistant VAPI would run comes back with the metadata that ties every later message to the founder.
    const [assistantRequest] = vapiCallDeliveries(plan);
    const answer = await send(assistantRequest);
    const metadata = (answer.assistantOverrides as { metadata?: Record<string, unknown> } | undefined)?.metadata;
    if (!metadata) throw new Error(`assistant-request for stage ${script.stage} named no founder: ${JSON.stringify(answer).slice(0, 300)}`);
    for (const delivery of vapiCallDeliveries({ ...plan, metadata }).slice(1)) {
      await send(delivery);
      if (!waitedOn.has(String(delivery.message.type))) eventsSent += 1;
    }
    await options.afterCall?.(script.stage, plan.callId);
  }
  return { callIds, eventsSent };
}
