import { randomUUID } from 'node:crypto';
import { founderAccessToken, operatorAccessToken, startTestService } from '@dreamseed/platform/testing';
import { startFakeStripe, type FakeStripe } from '@dreamseed/testing';
import { startBillingService } from '../app';
import { loadBillingConfig } from '../config';

export const INTERNAL_SECRET = 'internal-secret-for-tests';
const ISSUER = 'http://localhost:8080/auth/v1';

/** A founder as the gateway would present them: a profile id and a signed access token. */
export async function founder() {
  const profileId = randomUUID();
  return { profileId, token: await founderAccessToken(profileId, ISSUER, '1h') };
}
export type TestFounder = Awaited<ReturnType<typeof founder>>;

/** An operator as the gateway forwards them: `app_metadata.role` operator, and no founder profile. */
export async function operator() {
  return { token: await operatorAccessToken(ISSUER) };
}

/** A billing service of the test's own (in-process, own queue prefix), with a producer and a pool to look. */
export async function startTestBilling(env: Record<string, string> = {}) {
  const harness = await startTestService({
    label: 'billing',
    start: (base, logger) =>
      startBillingService(loadBillingConfig({ ...base, INTERNAL_API_SECRET: INTERNAL_SECRET, PUBLIC_URL: 'http://gateway.test', ...env }), logger),
  });
  /** The jobs of one name queued for the gateway about a founder, oldest first. */
  async function gatewayJobs(name: string, businessId: string) {
    const jobs = await harness.producer.queue('gateway').getJobs(['waiting', 'delayed', 'prioritized', 'completed', 'active']);
    return jobs
      .filter((job) => job.name === name && job.data.userId === businessId)
      .sort((a, b) => a.timestamp - b.timestamp)
      .map((job) => job.data as Record<string, unknown>);
  }
  return {
    ...harness,
    /** Calls the internal API as the gateway does: internal token plus the founder's (or operator's) token. */
    call(method: string, path: string, who?: { token: string }, body?: unknown) {
      return fetch(`${harness.url}/internal${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-internal-token': INTERNAL_SECRET, ...(who ? { authorization: `Bearer ${who.token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
    /** The profile reports sent to the gateway for a founder, oldest first. */
    profileReports: (businessId: string) => gatewayJobs('profile-payment-updated', businessId),
    /** The formation packages the gateway was told were paid, for a founder, oldest first. */
    formationsPaid: (businessId: string) => gatewayJobs('formation-package-paid', businessId),
  };
}

export type TestBilling = Awaited<ReturnType<typeof startTestBilling>>;

/**
 * For a describe block: a fake Stripe API and a billing service of its own pointed at it, started before the
 * block's tests and stopped after. Read them through the getters once the tests run.
 */
export function billingOnFakeStripe(env: Record<string, string> = {}) {
  let billing: TestBilling | undefined;
  let stripe: FakeStripe | undefined;
  beforeAll(async () => {
    stripe = await startFakeStripe();
    billing = await startTestBilling({ STRIPE_SECRET_KEY: 'sk_test_fake', STRIPE_API_BASE_URL: stripe.url, ...env });
  });
  afterAll(async () => {
    await billing?.stop();
    await stripe?.close();
  });
  const started = <T>(value: T | undefined) => {
    if (!value) throw new Error('billingOnFakeStripe: read inside a test, after beforeAll');
    return value;
  };
  return { billing: () => started(billing), stripe: () => started(stripe) };
}
