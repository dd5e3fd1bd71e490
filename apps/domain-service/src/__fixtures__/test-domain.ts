import type { RegistrantContact, RegistrationConsent } from '@dreamseed/contracts';
import { founderAccessToken, operatorAccessToken, startTestService } from '@dreamseed/platform/testing';
import { startFakeServer, type FakeRequest, type FakeResponse, type FakeRoute, type FakeServer } from '@dreamseed/testing';
import { startDomainService } from '../app';
import { loadDomainConfig } from '../config';

export const INTERNAL_TOKEN = 'internal-secret-for-tests';
const ISSUER = 'http://127.0.0.1/auth/v1';

/** A founder whose details make a complete registrant, as the gateway answers them. */
export const ADA: RegistrantContact = {
  nameFirst: 'Ada',
  nameLast: 'Baker',
  organization: 'Ada Bakes LLC',
  email: 'ada@example.com',
  phone: '+1.5555551234',
  address: { address1: '100 Congress Ave', address2: null, city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' },
};

/** The address of the founder's browser when they agreed to the registration agreements, as the gateway saw it. */
export const FOUNDER_IP = '198.51.100.23';

/** The founder's consent to `agreementKeys` for `domain`, as the gateway answers it. */
export const consentTo = (domain: string, agreementKeys: string[]): RegistrationConsent => ({
  domain,
  agreementKeys,
  agreedBy: FOUNDER_IP,
  agreedAt: '2026-12-01T09:30:00.000Z',
});

/**
 * The gateway's registration-consent route (`INTERNAL_PATHS.gateway.registrationConsent`) for a fake gateway: the
 * consent `consentOf` gives for the founder and the domain asked (`?domain=`), else 404 `no_registration_consent`;
 * 401 without the internal token.
 */
export const consentRoute =
  (consentOf: (userId: string, domain: string) => RegistrationConsent | undefined): FakeRoute =>
  (request) => {
    if (request.headers['x-internal-token'] !== INTERNAL_TOKEN) return { status: 401, body: { error: { code: 'unauthorized' } } };
    const consent = consentOf(request.params.id ?? '', request.query.get('domain') ?? '');
    return consent ? { body: consent } : { status: 404, body: { error: { code: 'no_registration_consent', message: 'No consent for this domain.' } } };
  };

/**
 * A fake RDAP registry whose answer depends on the name's first word: `taken…` is registered (200 with a domain
 * object), `slow…` answers after 1.5 s, `broken…` with 500, `limited…` with 429, `garbage…` with a body that is not
 * JSON, `weird…` with JSON that is not a domain; anything else is unregistered (404). It also serves an IANA-style
 * bootstrap at /iana/dns.json naming itself for every TLD the platform offers except .us.
 */
export async function startFakeRdap(): Promise<FakeServer> {
  const rdap = await startFakeServer();
  rdap.route('GET /iana/dns.json', {
    body: {
      version: '1.0',
      publication: '2026-11-20T00:00:00Z',
      services: [
        [['com', 'net', 'org'], [`${rdap.url}/registry-a/`]],
        [['io', 'co', 'ai', 'app', 'dev', 'shop', 'store', 'biz', 'info'], [`${rdap.url}/registry-b`]],
      ],
    },
  });
  const answer = (request: FakeRequest): FakeResponse => {
    const name = request.params.name ?? '';
    if (name.startsWith('taken')) return { body: { objectClassName: 'domain', ldhName: name.toUpperCase(), status: ['active'] } };
    if (name.startsWith('slow')) return { delayMs: 1500, status: 404, body: {} };
    if (name.startsWith('broken')) return { status: 500, body: { error: 'down' } };
    if (name.startsWith('limited')) return { status: 429, body: { error: 'slow down' } };
    if (name.startsWith('garbage')) return { body: '<html>maintenance</html>' };
    if (name.startsWith('weird')) return { body: { objectClassName: 'entity', handle: 'X' } };
    return { status: 404, body: { errorCode: 404, title: 'Not Found' } };
  };
  rdap.route('GET /registry-a/domain/:name', answer);
  rdap.route('GET /registry-b/domain/:name', answer);
  return rdap;
}

/** Looks up fake-server requests for one RDAP name. */
export const rdapLookups = (rdap: FakeServer, name: string) => rdap.requests.filter((r) => r.path.endsWith(`/domain/${name}`)).length;

/**
 * A domain service of the test's own (in-process, own queue prefix), a producer on that prefix, a pool for
 * looking at the rows it writes, and a way to mint the founder tokens the gateway would forward.
 */
export async function startTestDomain(env: Record<string, string> = {}) {
  const harness = await startTestService({
    label: 'domain',
    start: (base, logger) => startDomainService(loadDomainConfig({ ...base, INTERNAL_API_SECRET: INTERNAL_TOKEN, JWT_ISSUER: ISSUER, ...env }), logger),
  });
  return {
    ...harness,
    /** An access token as the gateway issues it, for a founder profile id. */
    tokenFor: (profileId: string) => founderAccessToken(profileId, ISSUER),
    /** An operator's access token as the gateway forwards it: `app_metadata.role` operator, no founder profile. */
    operatorToken: () => operatorAccessToken(ISSUER),
    /** Calls the internal API with the internal token (and a founder token when given). */
    async call(method: string, path: string, options: { body?: unknown; token?: string; internalToken?: string } = {}) {
      const response = await fetch(`${harness.url}${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          'x-internal-token': options.internalToken ?? INTERNAL_TOKEN,
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
      });
      return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
    },
  };
}

export type TestDomain = Awaited<ReturnType<typeof startTestDomain>>;
