import { randomUUID } from 'node:crypto';

/**
 * Plays a four-call DreamSeed consultation into a running platform the way VAPI would: for each stage an
 * assistant-request (the founder found by phone), status updates, and an end-of-call report with a transcript,
 * messages and analysis, all to the gateway's /webhooks/vapi with the shared secret. `npm run demo` and the
 * end-to-end tests use it.
 */
export interface ConsultationScript {
  stage: number;
  lines: [speaker: 'AI' | 'User', text: string][];
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

export async function simulateConsultation(options: SimulatorOptions): Promise<{ callIds: string[] }> {
  const send = async (message: Record<string, unknown>) => {
    const response = await fetch(`${options.gatewayUrl}/webhooks/vapi`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-vapi-secret': options.webhookSecret },
      body: JSON.stringify({ message: { timestamp: Date.now(), ...message } }),
    });
    if (!response.ok) throw new Error(`webhook ${String(message.type)} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };

  const callIds: string[] = [];
  for (const call of options.script ?? DEFAULT_CONSULTATION) {
    const vapiCallId = `sim-${randomUUID()}`;
    callIds.push(vapiCallId);
    const customer = { number: options.phone };
    // The assistant VAPI would run comes back with the metadata that ties every later message to the founder.
    const answer = await send({ type: 'assistant-request', call: { id: vapiCallId, type: 'inboundPhoneCall' }, customer });
    const overrides = (answer.assistantOverrides ?? {}) as { metadata?: Record<string, unknown> };
    if (!overrides.metadata) throw new Error(`assistant-request for stage ${call.stage} named no founder: ${JSON.stringify(answer).slice(0, 300)}`);
    const vapiCall = { id: vapiCallId, orgId: 'simulator', type: 'inboundPhoneCall', assistantOverrides: overrides, customer };

    const startedAt = new Date();
    await send({ type: 'status-update', status: 'ringing', call: vapiCall, customer });
    await send({ type: 'status-update', status: 'in-progress', call: vapiCall, customer });
    let seconds = 0;
    const messages = call.lines.map(([speaker, text]) => {
      seconds += 4;
      return { role: speaker === 'AI' ? 'bot' : 'user', message: text, secondsFromStart: seconds, duration: 3500 };
    });
    const endedAt = new Date(startedAt.getTime() + (seconds + 5) * 1000);
    await send({ type: 'status-update', status: 'ended', endedReason: 'customer-ended-call', call: vapiCall, customer });
    await send({
      type: 'end-of-call-report',
      endedReason: 'customer-ended-call',
      call: vapiCall,
      customer,
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      cost: 0.05 * call.lines.length,
      artifact: { transcript: call.lines.map(([speaker, text]) => `${speaker}: ${text}`).join('\n'), messages },
      analysis: { summary: call.summary, structuredData: call.structuredData, successEvaluation: 'true' },
    });
    await options.afterCall?.(call.stage, vapiCallId);
  }
  return { callIds };
}
