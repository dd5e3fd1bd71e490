import { randomUUID } from 'node:crypto';
import type { GatewayJobs, JobInputOf } from '@dreamseed/contracts';
import { startFakeServer, type FakeServer } from '@dreamseed/testing';
import { callAs, signUpFounder, signUpOperator, type TestAccount } from '../../__fixtures__/operators';
import { startTestGateway, type TestGateway } from '../../__fixtures__/test-gateway';

export type Founder = TestAccount & { profileId: string };

const TX = { city: 'Austin', state: 'TX', postal_code: '78701' } as const;

/** A complete intake for a Texas LLC of two members (what PUT /v1/me/formation takes). */
export const COMPLETE_INTAKE = {
  legal_name: 'Ada Bakes LLC',
  entity_type: 'llc',
  state_of_formation: 'TX',
  business_address: { line1: '100 Congress Ave', ...TX },
  registered_agent: { name: 'Ada Baker', address: { line1: '100 Congress Ave', ...TX } },
  members: [
    { name: 'Ada Baker', role: 'member', ownership_percent: 60, address: { line1: '1 Oak St', ...TX } },
    { name: 'Bo Baker', role: 'member', ownership_percent: 40, address: { line1: '2 Elm St', ...TX } },
  ],
  management_structure: 'member_managed',
};

/** GoDaddy's registration agreement for a .com, as its `LegalAgreement` names it. */
export const REGISTRATION_AGREEMENT = { key: 'DNRA', title: 'Domain Name Registration Agreement', url: 'https://www.godaddy.com/legal/agreements/domain-name-registration-agreement' };

const DREAM_DNA = {
  whatProblem: 'Bakeries throw away bread every night.',
  whoServes: 'Neighbourhood cafés',
  howDifferent: 'Day-old bread, rescued',
  primaryService: 'Selling rescued day-old bread to cafés',
  brandVibe: 'friendly',
  colorPreference: 'vibrant',
  priceLevel: 'mid-market',
};

/**
 * A gateway with the analysis service stood in for (the Dream DNA its founder and operator reads answer), the
 * other owners' reports delivered on its `gateway` queue, and an operator.
 */
export async function startFormationWorld() {
  const dreamDnaOf = (userId: string) => ({
    id: randomUUID(),
    businessId: userId,
    version: 1,
    ...DREAM_DNA,
    selectedDomain: null,
    aiAnalysisId: null,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    evidence: {},
  });
  const owners: FakeServer = await startFakeServer({
    // The founder's own read names no founder in its path: the fake answers the same words for everyone.
    'GET /internal/dream-dna': () => ({ body: dreamDnaOf(randomUUID()) }),
    'GET /internal/operator/founders/:userId/dream-dna': ({ params }) => ({ body: { userId: params.userId, versions: [dreamDnaOf(params.userId ?? '')], analyses: [] } }),
    // The domain service answers GoDaddy's agreements for a .com (GET /v1/domains/agreements?tlds=com&privacy=false).
    'GET /internal/registration-agreements': ({ query }) => ({ body: { domain: query.get('domain'), registrar: 'godaddy', agreements: [REGISTRATION_AGREEMENT] } }),
  });
  const gateway: TestGateway = await startTestGateway({ AUTH_AUTOCONFIRM: 'true', AUTH_PHONE_AUTOCONFIRM: 'true', ANALYSIS_SERVICE_URL: owners.url, VOICE_SERVICE_URL: owners.url, DOMAIN_SERVICE_URL: owners.url, BILLING_SERVICE_URL: owners.url });
  const operator = await signUpOperator(gateway);

  /** Delivers a report on the gateway queue and waits until it is handled; answers the handler's outcome. */
  async function report<N extends keyof GatewayJobs & string>(name: N, payload: JobInputOf<GatewayJobs, N>, jobId?: string) {
    return ((await gateway.run('gateway', name, payload, jobId)) as { outcome?: string } | undefined)?.outcome;
  }

  /** A founder with a name on their profile (the organizer the documents name). */
  async function newFounder(): Promise<Founder> {
    const founder = await signUpFounder(gateway);
    await callAs(gateway, founder, 'PATCH', '/v1/me', { customer_name: 'Ada Baker', business_name: 'Ada Bakes' });
    return founder;
  }

  const paid = (founder: Founder, more: Partial<JobInputOf<GatewayJobs, 'formation-package-paid'>> = {}) =>
    report('formation-package-paid', {
      v: 1,
      userId: founder.profileId,
      eventId: `payment-${randomUUID()}`,
      occurredAt: new Date().toISOString(),
      paymentId: randomUUID(),
      packageId: 'formation_premium',
      includesDomain: false,
      ...more,
    });

  return {
    gateway,
    operator,
    report,
    newFounder,
    paid,
    asOperator: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => callAs(gateway, operator, method, path, body, headers),
    as: (founder: Founder, method: string, path: string, body?: unknown) => callAs(gateway, founder, method, path, body),
    /** The owners' stand-in (the domain service's agreements among them), for a test to change an answer. */
    owners,
    /** The founder agrees to the registration agreements of their case's domain, as their page does. */
    async agree(founder: Founder, keys = [REGISTRATION_AGREEMENT.key]) {
      return callAs(gateway, founder, 'POST', '/v1/me/formation/domain/consent', { agreement_keys: keys });
    },
    async caseOf(founder: Founder) {
      const response = await callAs(gateway, founder, 'GET', '/v1/me/formation/case');
      if (response.status !== 200) throw new Error(`GET /v1/me/formation/case: ${response.status} ${await response.text()}`);
      return (await response.json()) as FormationCaseBody;
    },
    async stop() {
      await gateway.stop();
      await owners.close();
    },
  };
}

export type FormationWorld = Awaited<ReturnType<typeof startFormationWorld>>;

export interface FormationCaseBody {
  id: string;
  state: string;
  version: number;
  package_id: string;
  filing_number: string | null;
  ein: string | null;
  todo: { question: string | null; missing: { field: string; message: string }[] };
  events: { kind: string; from_state: string | null; to_state: string; actor_type: string; evidence: Record<string, unknown> }[];
  documents: { id: string; kind: string; version: number; filename: string; sha256: string; superseded_at: string | null }[];
  domain: { domain: string | null; status: string; expires_at: string | null; order_id: string | null } | null;
}

export const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string; details?: unknown } }).error;
