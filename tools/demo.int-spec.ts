import { exitWithin, runTs } from '@dreamseed/testing';
import { startPlatform } from './__fixtures__/platform';

/**
 * The whole voice pipeline, end to end, as `npm start` runs it: the demo plays four calls through the gateway's
 * webhook (assistant-request answered by the voice service after the gateway's founder lookup; events queued,
 * stored by the voice worker; the profile moved on by the gateway worker; each call analysed into the Dream DNA
 * by the analysis worker, reading the calls from the voice service) and reads the result back.
 */
describe('npm run demo against npm start: the whole founder journey', () => {
  jest.setTimeout(120_000);

  it('takes a founder from sign-up through four calls, the Dream DNA, a domain and the payment', async () => {
    const secret = 'demo-webhook-secret-for-tests';
    const platform = await startPlatform('demo', { VAPI_WEBHOOK_SECRET: secret });
    try {
      const demo = runTs('tools/demo.ts', { GATEWAY_URL: platform.gatewayUrl, VAPI_WEBHOOK_SECRET: secret });
      const code = await exitWithin(demo, 90_000);
      const output = demo.output();
      expect({ code, output: code === 0 ? 'ok' : output }).toEqual({ code: 0, output: 'ok' });
      for (const line of ['Call 4 done.', 'call_1_completed: true', 'call_4_completed: true', 'current_call_stage: 5', 'status: analysis_ready', 'entity_type: llc', 'state_of_operation: TX']) {
        expect(output).toContain(line);
      }
      expect(output).toMatch(/stage 1: ended, \d+(\.\d+)? s, Founder wants to cut food waste/);
      expect(output).toMatch(/stage 4: ended/);
      // The Dream DNA, read through the gateway from the analysis service (offline extractor).
      for (const line of ['brand_vibe: friendly', 'color_preference: minimal', 'price_level: mid-market', 'package_preference: standard']) {
        expect(output).toContain(line);
      }
      expect(output).toMatch(/what_problem: .*bakeries/);
      expect(output).toMatch(/Analyses: (succeeded|unchanged) \(offline/);
      // Then a domain and the payment, through the domain and billing services (offline providers).
      const selected = /Domain selected: (\S+)/.exec(output)?.[1];
      expect(selected).toMatch(/^[a-z0-9-]+\.[a-z]+$/);
      expect(output).toContain('Paid: payment_status paid, amount_paid 19900, status paid');
      expect(output).toContain(`Dream DNA selected_domain: ${selected}`);
    } finally {
      await platform.stop();
    }
  });
});
