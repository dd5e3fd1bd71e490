import { randomUUID } from 'node:crypto';
import { vapiCallDeliveries, type VapiCallLine } from './vapi/calls';
import { VAPI_SYNC_TYPES } from './vapi/schema';

/**
 * Plays a four-call DreamSeed consultation into a running platform the way VAPI would, to the gateway's
 * /webhooks/vapi with the shared secret: each call is the deliveries `vapiCallDeliveries` builds from VAPI's own
 * message shapes (assistant-request, status updates, conversation updates, the ended status and the end-of-call
 * report), with the metadata the platform's assistant-request answer set echoed in every later message, as VAPI
 * echoes `assistantOverrides.metadata`. `npm run demo` and the end-to-end tests use it.
 */
export interface ConsultationScript {
  stage: number;
  lines: VapiCallLine[];
  summary: string;
  structuredData: Record<string, unknown>;
}

export const DEFAULT_CONSULTATION: ConsultationScript[] = [
  {
    stage: 1,
    lines: [
      ['AI', 'What problem do you want to solve?'],
      ['User', 'Small bakeries throw away a lot of bread every night because they cannot predict demand.'],
      ['AI', 'Who would you serve?'],
      ['User', 'Independent neighbourhood bakeries, mostly family run, in Texas.'],
    ],
    summary: 'Founder wants to cut food waste for independent bakeries.',
    structuredData: { problem: 'bakeries waste unsold bread', audience: 'independent neighbourhood bakeries' },
  },
  {
    stage: 2,
    lines: [
      ['AI', 'What makes you different?'],
      ['User', 'We predict demand from weather and local events, and we pick up leftovers for food banks.'],
      ['AI', 'And the price level?'],
      ['User', 'Mid-range, a monthly subscription a small bakery can afford.'],
    ],
    summary: 'Demand forecasting plus leftover pickup, mid-market subscription.',
    structuredData: { difference: 'forecasting plus leftover pickup', price: 'mid-range' },
  },
  {
    stage: 3,
    lines: [
      ['AI', 'How should the brand feel?'],
      ['User', 'Calm, warm, a little playful. Soft greens and cream, nothing loud.'],
      ['AI', 'Any names in mind?'],
      ['User', 'Crumb Keeper, or Second Rise.'],
    ],
    summary: 'Friendly brand, minimal palette; names Crumb Keeper and Second Rise.',
    structuredData: { vibe: 'calm, warm, a little playful', names: ['Crumb Keeper', 'Second Rise'] },
  },
  {
    stage: 4,
    lines: [
      ['AI', 'Which entity would you like to form?'],
      ['User', 'An LLC in Texas, please, the standard package. We want to launch within three months.'],
    ],
    summary: 'LLC in Texas, standard package, launch in three months.',
    structuredData: { entity: 'llc', state: 'TX', package: 'standard', timeline: 'three months', urgency: 'high' },
  },
];

export interface SimulatorOptions {
  gatewayUrl: string;
  webhookSecret: string;
  phone: string;
  script?: ConsultationScript[];
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
