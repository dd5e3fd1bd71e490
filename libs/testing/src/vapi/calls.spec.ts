import { vapiCallDeliveries, type VapiCallPlan } from './calls';
import { validateVapiMessage } from './schema';

const CALL_ID = '0f9e8d7c-6b5a-4e3d-8c2b-1a0f9e8d7c6b';
const METADATA = { userId: '5a0c8e14-2f6b-4d93-b7a1-9c3e5f0d2b76', callStage: 3 };

const plan = (overrides: Partial<VapiCallPlan> = {}): VapiCallPlan => ({
  callId: CALL_ID,
  direction: 'inbound',
  customerNumber: '+15125550142',
  metadata: METADATA,
  stage: 3,
  lines: [
    ['AI', 'How should the brand feel?'],
    ['User', 'Calm, warm, a little playful.'],
    ['AI', 'Any names in mind?'],
    ['User', 'Crumb Keeper, or Second Rise. Is secondrise.com free?'],
    ['AI', 'It is taken, but secondrise.co is free.'],
  ],
  summary: 'Calm, warm brand; names Crumb Keeper and Second Rise.',
  structuredData: { vibe: 'calm, warm', names: ['Crumb Keeper', 'Second Rise'] },
  startedAt: new Date('2026-11-17T16:02:13.118Z'),
  ...overrides,
});

/** A delivery's type, with the status of a status update: `status-update:ringing`. */
const step = ({ message }: { message: { type?: string; status?: string } }) => (message.status ? `${message.type}:${message.status}` : message.type);

describe('vapiCallDeliveries', () => {
  it('plays an inbound call the way VAPI sends it, every delivery valid against VAPI’s schema', () => {
    const deliveries = vapiCallDeliveries(plan({ toolUse: { afterLine: 4, name: 'check_domain', arguments: { domain: 'secondrise.com' }, result: 'secondrise.com is taken.' } }));
    expect(deliveries.map(step)).toEqual([
      'assistant-request',
      'status-update:ringing',
      'status-update:in-progress',
      ...Array(4).fill('conversation-update'),
      'tool-calls',
      ...Array(3).fill('conversation-update'),
      'status-update:ended',
      'end-of-call-report',
    ]);
    for (const delivery of deliveries) expect(validateVapiMessage(delivery)).toEqual({ ok: true, errors: [] });
    const timestamps = deliveries.map(({ message }) => message.timestamp as number);
    expect(timestamps).toEqual([...timestamps].sort((a, b) => a - b));
  });

  it('echoes the metadata in every message after the assistant-request, which VAPI sends before it has any', () => {
    const [request, ...rest] = vapiCallDeliveries(plan());
    expect(request.message.call).toMatchObject({ id: CALL_ID, type: 'inboundPhoneCall', customer: { number: '+15125550142' } });
    expect(request.message.call?.assistantOverrides).toBeUndefined();
    for (const { message } of rest) {
      expect(message.call).toMatchObject({ id: CALL_ID, assistantOverrides: { metadata: METADATA } });
      expect(message.customer?.number).toBe('+15125550142');
    }
  });

  it('plays an outbound call from queued, and echoes no metadata when the call was given none', () => {
    const deliveries = vapiCallDeliveries(plan({ direction: 'outbound', metadata: undefined }));
    expect(deliveries.slice(0, 3).map(step)).toEqual(['status-update:queued', 'status-update:ringing', 'status-update:in-progress']);
    for (const delivery of deliveries) {
      expect(validateVapiMessage(delivery).ok).toBe(true);
      expect(delivery.message.call).toMatchObject({ type: 'outboundPhoneCall' });
      expect(delivery.message.call?.assistantOverrides).toBeUndefined();
      expect(delivery.message.assistant?.metadata).toBeUndefined();
    }
  });

  it('ends with the reason, then a report carrying the conversation, the analysis and VAPI’s legacy fields', () => {
    const deliveries = vapiCallDeliveries(plan({ durationSeconds: 202.5, endedReason: 'assistant-ended-call' }));
    const [ended, report] = deliveries.slice(-2).map(({ message }) => message as Record<string, unknown> & typeof message);
    expect(ended).toMatchObject({ status: 'ended', endedReason: 'assistant-ended-call', call: { status: 'ended', endedReason: 'assistant-ended-call' } });
    expect(report).toMatchObject({
      type: 'end-of-call-report',
      endedReason: 'assistant-ended-call',
      startedAt: '2026-11-17T16:02:13.118Z',
      endedAt: '2026-11-17T16:05:35.618Z',
      analysis: { summary: plan().summary, structuredData: plan().structuredData, successEvaluation: 'true' },
      durationSeconds: 202.5,
      durationMs: 202500,
      durationMinutes: 3.375,
      summary: plan().summary,
    });
    const artifact = report.artifact as { messages: { role: string; message?: string }[]; transcript: string };
    expect(artifact.messages.map((item) => item.role)).toEqual(['system', 'bot', 'user', 'bot', 'user', 'bot']);
    expect(artifact.transcript).toBe(`${plan().lines.map(([speaker, text]) => `${speaker}: ${text}`).join('\n')}\n`);
    expect(report.transcript).toBe(artifact.transcript);
  });
});
