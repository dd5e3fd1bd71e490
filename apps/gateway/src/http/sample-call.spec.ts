import { randomBytes, randomUUID } from 'node:crypto';
import { SAMPLE_CONSULTATION } from '@dreamseed/contracts';
import { ConfigError, parseConfig } from '@dreamseed/platform';
import { validateVapiMessage } from '@dreamseed/testing';
import { gatewayConfigSchema } from '../config';
import { sampleCallDeliveries, sampleCallSeconds } from './sample-call';

const USER_ID = '5a0c8e14-2f6b-4d93-b7a1-9c3e5f0d2b76';

describe('a sample call, as VAPI reports a call it placed', () => {
  it.each(SAMPLE_CONSULTATION.map((script) => [script.stage, script] as const))('is valid against VAPI\'s schema at stage %i', (_stage, script) => {
    const deliveries = sampleCallDeliveries({ vapiCallId: 'sample-1', userId: USER_ID, script, startedAt: new Date('2026-12-06T15:00:00Z') });
    expect(deliveries.map(({ message }) => (message.type === 'status-update' ? `status-update:${message.status}` : message.type))).toEqual([
      'status-update:ringing',
      'status-update:in-progress',
      'status-update:ended',
      'end-of-call-report',
    ]);
    for (const delivery of deliveries) {
      expect(validateVapiMessage(delivery)).toEqual({ ok: true, errors: [] });
      // The voice service learns whose call it is from the metadata an outbound call carries, as VAPI echoes it.
      expect(delivery.message.call).toMatchObject({ id: 'sample-1', type: 'outboundPhoneCall', assistantOverrides: { metadata: { userId: USER_ID, callStage: script.stage } } });
    }
    const report = deliveries[3].message as { artifact: { messages: { message: string }[] }; analysis: { summary: string } };
    expect(report.artifact.messages.map((message) => message.message)).toEqual(script.lines.map(([, text]) => text));
    expect(report.analysis.summary).toBe(script.summary);
  });

  it('lasts what sampleCallSeconds says, so that a call played back ends when its report is sent', () => {
    const script = SAMPLE_CONSULTATION[0];
    const startedAt = new Date('2026-12-06T15:00:00Z');
    const report = sampleCallDeliveries({ vapiCallId: 'sample-1', userId: USER_ID, script, startedAt })[3].message as unknown as { durationSeconds: number; endedAt: string; artifact: { messages: { endTime: number }[] } };
    expect(report.durationSeconds).toBe(sampleCallSeconds(script));
    expect(Date.parse(report.endedAt)).toBe(startedAt.getTime() + sampleCallSeconds(script) * 1000);
    expect(Math.max(...report.artifact.messages.map((message) => message.endTime))).toBeLessThan(Date.parse(report.endedAt));
  });
});

describe('SAMPLE_CALLS', () => {
  const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1/db', REDIS_URL: 'redis://127.0.0.1:6379' };

  it('is off unless asked for, and refused in production', () => {
    const production = { ...base, NODE_ENV: 'production', JWT_SECRET: randomUUID() + randomUUID(), PAYLOAD_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
    expect(parseConfig('gateway', gatewayConfigSchema, production).SAMPLE_CALLS).toBe(false);
    expect(() => parseConfig('gateway', gatewayConfigSchema, { ...production, SAMPLE_CALLS: 'true' })).toThrow(ConfigError);
    expect(parseConfig('gateway', gatewayConfigSchema, { ...base, NODE_ENV: 'development', SAMPLE_CALLS: 'true' }).SAMPLE_CALLS).toBe(true);
  });
});
