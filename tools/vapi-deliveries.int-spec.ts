import { testInfra } from '@dreamseed/testing';
import { formatReport, runVapiDeliveries } from './vapi-deliveries';

/**
 * Every VAPI message type, 1,000 deliveries each generated from VAPI's own schemas (and some sent twice), against
 * the whole platform as `npm start` runs it: answered with a 2xx (a reply VAPI's schema accepts where VAPI waits
 * for one) or a 4xx in our error shape, never a 5xx or no answer; every queued event stored, no job failed or
 * retried, the platform still ready. The report names the seed: VAPI_DELIVERIES_SEED repeats a run.
 * `npm run test:vapi-long` is the same with more deliveries.
 */
describe('VAPI deliveries of every message type (fast-check, whole platform)', () => {
  jest.setTimeout(300_000);

  it('answers, queues and stores generated deliveries of every type', async () => {
    const { databaseUrl, redisUrl } = testInfra();
    const deliveriesPerType = Number(process.env.VAPI_DELIVERIES_PER_TYPE ?? 1000);
    const seed = process.env.VAPI_DELIVERIES_SEED ? Number(process.env.VAPI_DELIVERIES_SEED) : undefined;
    const report = await runVapiDeliveries({ databaseUrl, redisUrl, deliveriesPerType, seed });
    process.stdout.write(formatReport(report));
    expect(report.results.filter((result) => result.sent < deliveriesPerType)).toEqual([]);
    expect(report.problems).toEqual([]);
  });
});
