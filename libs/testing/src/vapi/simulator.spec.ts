import { simulateConsultation, DEFAULT_CONSULTATION } from '../call-simulator';
import { startFakeServer, type FakeServer } from '../fake-server';
import { validateVapiMessage } from './schema';

/** The platform as the simulator sees it: a webhook that answers assistant-requests with founder metadata. */
describe('simulateConsultation', () => {
  let gateway: FakeServer;

  beforeAll(async () => {
    gateway = await startFakeServer({
      'POST /webhooks/vapi': (request) => {
        const { message } = request.body as { message: { type: string } };
        if (message.type !== 'assistant-request') return { body: {} };
        return { body: { assistantId: 'stage-assistant', assistantOverrides: { metadata: { userId: 'founder-1', callStage: 1 } } } };
      },
    });
  });

  afterAll(() => gateway.close());

  it('plays each call as VAPI-shaped deliveries, with the answered metadata echoed', async () => {
    const finished: [number, string][] = [];
    const { callIds } = await simulateConsultation({
      gatewayUrl: gateway.url,
      webhookSecret: 'secret',
      phone: '+15125550142',
      script: DEFAULT_CONSULTATION.slice(0, 2),
      afterCall: async (stage, id) => void finished.push([stage, id]),
    });
    expect(finished).toEqual([[1, callIds[0]], [2, callIds[1]]]);
    for (const request of gateway.requests) {
      expect(request.headers['x-vapi-secret']).toBe('secret');
      expect(validateVapiMessage(request.body)).toEqual({ ok: true, errors: [] });
    }
    const reports = gateway.requests
      .map(({ body }) => (body as { message: { type: string; call: { id: string } } }).message)
      .filter((message) => message.type === 'end-of-call-report');
    expect(reports.map((report) => report.call.id)).toEqual(callIds);
    expect(reports[1]).toMatchObject({ call: { assistantOverrides: { metadata: { userId: 'founder-1' } } }, analysis: { summary: DEFAULT_CONSULTATION[1].summary } });
  });

  it('stops when the platform names no founder', async () => {
    gateway.route('POST /webhooks/vapi', { body: { assistantId: 'intake' } });
    await expect(simulateConsultation({ gatewayUrl: gateway.url, webhookSecret: 'secret', phone: '+15125550142' })).rejects.toThrow(/named no founder/);
  });
});
