import type { DomainAgreementsResponse } from '@dreamseed/contracts';
import { GODADDY_KEY, GODADDY_SECRET, REGISTRATION_AGREEMENT, startFakeGoDaddy, type FakeGoDaddy } from '../__fixtures__/fake-godaddy';
import { startTestDomain, type TestDomain } from '../__fixtures__/test-domain';
import { LOCAL_REGISTRATION_AGREEMENT } from '../registration/local';

/**
 * The registration agreements the gateway shows a founder before they agree and their domain is bought, from
 * GoDaddy (a fake of its OTE API) or from the local stand-in.
 */
describe('the registration agreements of a domain', () => {
  let godaddy: FakeGoDaddy;
  let service: TestDomain;
  let local: TestDomain;

  beforeAll(async () => {
    godaddy = await startFakeGoDaddy();
    const keys = { GODADDY_API_KEY: GODADDY_KEY, GODADDY_API_SECRET: GODADDY_SECRET, GODADDY_BASE_URL: godaddy.url, DOMAIN_PROVIDER: 'offline' };
    service = await startTestDomain({ ...keys, DOMAIN_REGISTRAR: 'godaddy' });
    local = await startTestDomain({ ...keys, DOMAIN_REGISTRAR: 'local' });
  });
  afterAll(async () => {
    await service.stop();
    await local.stop();
    await godaddy.close();
  });
  beforeEach(() => {
    godaddy.mode = 'ok';
  });

  const agreementsOf = (of: TestDomain, domain: string, internalToken?: string) =>
    of.call('GET', `/internal/registration-agreements?${new URLSearchParams({ domain }).toString()}`, { internalToken });

  it("answers GoDaddy's agreements for the domain's TLD, as GoDaddy titles and links them", async () => {
    const { status, body } = await agreementsOf(service, ' Bücher.IO ');
    expect(status).toBe(200);
    const expected: DomainAgreementsResponse = {
      domain: 'xn--bcher-kva.io',
      registrar: 'godaddy',
      agreements: [{ key: REGISTRATION_AGREEMENT.agreementKey, title: REGISTRATION_AGREEMENT.title, url: REGISTRATION_AGREEMENT.url ?? null }],
    };
    expect(body).toEqual(expected);
    const asked = godaddy.server.requests.filter((r) => r.path === '/v1/domains/agreements').at(-1);
    expect(Object.fromEntries(asked?.query ?? [])).toEqual({ tlds: 'io', privacy: 'false' });
    expect(asked?.headers.authorization).toBe(`sso-key ${GODADDY_KEY}:${GODADDY_SECRET}`);
  });

  it("answers the local stand-in's own agreement, which says that nothing is bought, without asking GoDaddy", async () => {
    const asked = godaddy.server.requests.length;
    const { status, body } = await agreementsOf(local, 'seedbakery.com');
    expect(status).toBe(200);
    expect(body).toEqual({ domain: 'seedbakery.com', registrar: 'local', agreements: [LOCAL_REGISTRATION_AGREEMENT] });
    expect(LOCAL_REGISTRATION_AGREEMENT).toMatchObject({ url: null, title: expect.stringMatching(/no real domain is registered or bought/) });
    expect(godaddy.server.requests.length).toBe(asked);
  });

  it('refuses a name that cannot be registered (400 invalid_domain) and a request without one (400)', async () => {
    for (const [domain, problem] of [['sun.xyz', 'unsupported_tld'], ['-sun.com', 'hyphen_position'], ['sun', 'no_tld'], ['', 'empty']]) {
      expect(await agreementsOf(service, domain as string)).toMatchObject({ status: 400, body: { error: { code: 'invalid_domain', details: { problem } } } });
    }
    expect(await service.call('GET', '/internal/registration-agreements')).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
    expect(await service.call('GET', '/internal/registration-agreements?domain=a.com&domain=b.com')).toMatchObject({ status: 400 });
  });

  it('refuses a caller without the internal token (401)', async () => {
    const asked = godaddy.server.requests.length;
    expect(await agreementsOf(service, 'seedbakery.com', '')).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(await agreementsOf(service, 'seedbakery.com', 'wrong')).toMatchObject({ status: 401 });
    expect(await agreementsOf(local, 'seedbakery.com', 'wrong')).toMatchObject({ status: 401 });
    expect(godaddy.server.requests.length).toBe(asked);
  });

  it('answers 503 registrar_unavailable, with the reason, when GoDaddy is down', async () => {
    godaddy.mode = 'down';
    expect(await agreementsOf(service, 'seedbakery.com')).toMatchObject({
      status: 503,
      body: { error: { code: 'registrar_unavailable', details: { reason: 'registrar_status_503' } } },
    });
    godaddy.mode = 'ok';
    expect(await agreementsOf(service, 'seedbakery.com')).toMatchObject({ status: 200 });
  });
});
