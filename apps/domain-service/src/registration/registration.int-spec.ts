import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { RegistrantContact } from '@dreamseed/contracts';
import type { JobContext } from '@dreamseed/platform';
import { startFakeServer, type FakeServer } from '@dreamseed/testing';
import { AGREEMENT_KEY, GODADDY_KEY, GODADDY_SECRET, startFakeGoDaddy, type FakeGoDaddy } from '../__fixtures__/fake-godaddy';
import { ADA, INTERNAL_TOKEN, startTestDomain, type TestDomain } from '../__fixtures__/test-domain';
import { AvailabilityChecker } from '../availability/checker';
import { GoDaddyProvider } from '../availability/godaddy';
import { createDomainDb } from '../db/client';
import { GoDaddyRegistrar } from './godaddy';
import { gatewayRegistrants } from './registrant';
import { DomainRegistrations } from './registrations';

const CONSENT_IP = '203.0.113.7';

/**
 * Registering founders' domains against a fake GoDaddy (OTE) and a fake gateway that answers registrant contacts.
 * The retry paths call the handler the way BullMQ would, one try at a time (the catalog's backoff is seconds);
 * the one-try paths run through the service's worker.
 */
describe('domain registration', () => {
  let godaddy: FakeGoDaddy;
  let gateway: FakeServer;
  let service: TestDomain;
  let registrations: DomainRegistrations;
  const founders = new Map<string, RegistrantContact>();
  // Names are this run's own: availability answers are kept in a table every run shares.
  const tag = randomUUID().slice(0, 8);
  const name = (label: string) => `${label}${tag}.com`;

  beforeAll(async () => {
    godaddy = await startFakeGoDaddy();
    gateway = await startFakeServer({
      'GET /internal/founders/:id/registrant': (request) => {
        if (request.headers['x-internal-token'] !== INTERNAL_TOKEN) return { status: 401, body: { error: { code: 'unauthorized' } } };
        const contact = founders.get(request.params.id ?? '');
        return contact ? { body: contact } : { status: 409, body: { error: { code: 'registrant_incomplete', details: { missing: ['customer_phone'] } } } };
      },
    });
    const env = {
      DOMAIN_PROVIDER: 'godaddy',
      GODADDY_API_KEY: GODADDY_KEY,
      GODADDY_API_SECRET: GODADDY_SECRET,
      GODADDY_BASE_URL: godaddy.url,
      GODADDY_CONSENT_IP: CONSENT_IP,
      GATEWAY_URL: gateway.url,
    };
    service = await startTestDomain(env);
    // The handler as the service builds it, for the tests that play BullMQ's retries themselves.
    const db = createDomainDb(service.pool);
    const godaddyOptions = { baseUrl: godaddy.url, apiKey: GODADDY_KEY, apiSecret: GODADDY_SECRET };
    registrations = new DomainRegistrations({
      db,
      checker: new AvailabilityChecker({
        redis: service.redis,
        keyPrefix: service.prefix,
        ttlSeconds: 60,
        db,
        primary: new GoDaddyProvider({ ...godaddyOptions, timeoutMs: 3000, batchSize: 10, concurrency: 1 }),
        logger: pino({ level: 'silent' }),
      }),
      registrar: new GoDaddyRegistrar({ ...godaddyOptions, timeoutMs: 3000, consentIp: CONSENT_IP }),
      registrants: gatewayRegistrants({ GATEWAY_URL: gateway.url, INTERNAL_API_SECRET: INTERNAL_TOKEN }),
      producer: service.producer,
    });
  });
  afterAll(async () => {
    await service.stop();
    await gateway.close();
    await godaddy.close();
  });
  beforeEach(() => {
    godaddy.mode = 'ok';
  });

  const founder = (contact: RegistrantContact | null = ADA) => {
    const id = randomUUID();
    if (contact) founders.set(id, contact);
    return id;
  };
  const request = (userId: string, domain: string) => ({ v: 1 as const, userId, domain, requestId: randomUUID(), years: 1 });
  /** A founder (with this contact at the gateway), a name of this run, and a request to register it. */
  const newRequest = (label: string, contact: RegistrantContact | null = ADA) => {
    const userId = founder(contact);
    const domain = name(label);
    return { userId, domain, payload: request(userId, domain) };
  };
  /** One try of the job, as BullMQ would make it. */
  const tryOnce = (payload: ReturnType<typeof request>, lastAttempt = false) =>
    registrations.register(payload, { log: pino({ level: 'silent' }), signal: new AbortController().signal, correlationId: 'test', attempt: 1, lastAttempt } as unknown as JobContext);
  const purchasesOf = (domain: string) => godaddy.purchases.filter((p) => (p.body as { domain?: string } | undefined)?.domain === domain);
  const rowOf = async (requestId: string) => (await service.pool.query('select * from domain.domain_registrations where request_id = $1', [requestId])).rows[0];
  const gatewayJobs = async (jobName: string, userId: string) =>
    (await service.producer.queue('gateway').getJobs(['waiting', 'delayed', 'completed', 'active']))
      .filter((job) => job.name === jobName && job.data.userId === userId)
      .map((job) => job.data as Record<string, unknown>);

  it('buys the domain once when the first answer is lost: the retry looks it up instead of buying again', async () => {
    const { userId, domain, payload } = newRequest('lostanswer');
    godaddy.mode = 'lost-once';

    await expect(tryOnce(payload)).rejects.toMatchObject({ code: 'registrar_status_500', permanent: false });
    expect(await rowOf(payload.requestId)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'registrar_status_500', provider: 'godaddy' });
    expect(godaddy.registered.has(domain)).toBe(true);

    const registered = godaddy.registered.get(domain);
    expect(await tryOnce(payload)).toEqual({ outcome: 'registered', orderId: `domain-${registered?.domainId}` });
    // A repeated delivery of the request after it succeeded: nothing bought, nothing new reported.
    expect(await tryOnce(payload)).toMatchObject({ outcome: 'registered' });
    expect(purchasesOf(domain)).toHaveLength(1);
    expect(await rowOf(payload.requestId)).toMatchObject({ status: 'registered', attempts: 1, last_error: null, expires_at: registered?.expires });

    expect(await gatewayJobs('profile-domain-registered', userId)).toEqual([
      expect.objectContaining({ domain, status: 'registered', orderId: `domain-${registered?.domainId}`, expiresAt: registered?.expires.toISOString() }),
    ]);
    expect(await gatewayJobs('founder-attention', userId)).toEqual([expect.objectContaining({ kind: 'domain_registration_failed', state: 'cleared' })]);
  });

  it('tries again after a 503 and buys with the body GoDaddy defines: agreements, consent and the founder as every contact', async () => {
    const { userId, domain, payload } = newRequest('busyonce');
    godaddy.mode = 'busy-once';

    await expect(tryOnce(payload)).rejects.toMatchObject({ code: 'registrar_status_503' });
    expect(godaddy.registered.has(domain)).toBe(false);
    const done = await tryOnce(payload);
    const registered = godaddy.registered.get(domain);
    expect(done).toEqual({ outcome: 'registered', orderId: String((registered?.domainId ?? 0) * 10) });
    // The 503 bought nothing, so the second try (after a lookup that found nothing) bought it.
    expect(purchasesOf(domain)).toHaveLength(2);
    expect(godaddy.server.requests.filter((r) => r.method === 'GET' && r.path === `/v1/domains/${domain}`).length).toBeGreaterThanOrEqual(1);

    const contact = {
      nameFirst: 'Ada',
      nameLast: 'Baker',
      organization: 'Ada Bakes LLC',
      email: 'ada@example.com',
      phone: '+1.5555551234',
      addressMailing: { address1: '100 Congress Ave', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' },
    };
    expect(registered?.body).toEqual({
      domain,
      consent: { agreementKeys: [AGREEMENT_KEY], agreedBy: CONSENT_IP, agreedAt: expect.any(String) },
      contactRegistrant: contact,
      contactAdmin: contact,
      contactTech: contact,
      contactBilling: contact,
      period: 1,
      privacy: false,
      renewAuto: true,
    });
    const agreements = godaddy.server.requests.find((r) => r.path === '/v1/domains/agreements');
    expect(Object.fromEntries(agreements?.query ?? [])).toEqual({ tlds: 'com', privacy: 'false' });
    expect(agreements?.headers.authorization).toBe(`sso-key ${GODADDY_KEY}:${GODADDY_SECRET}`);
    expect(await gatewayJobs('profile-domain-registered', userId)).toHaveLength(1);
  });

  it('fails a taken name for good without buying, tells the gateway once and raises it for operators (through the worker)', async () => {
    const { userId, domain, payload } = newRequest('takenname');
    expect(await service.run('domain', 'register-domain', payload)).toEqual({ outcome: 'failed', reason: 'domain_taken' });
    expect(purchasesOf(domain)).toEqual([]);
    expect(await rowOf(payload.requestId)).toMatchObject({ status: 'failed', attempts: 0, last_error: 'domain_taken' });
    expect(await gatewayJobs('profile-domain-registered', userId)).toEqual([expect.objectContaining({ domain, status: 'failed', reason: 'domain_taken' })]);
    expect(await gatewayJobs('founder-attention', userId)).toEqual([expect.objectContaining({ kind: 'domain_registration_failed', state: 'raised' })]);
  });

  it('raises the failure on the last try, and registers when an operator retries it later', async () => {
    const { userId, domain, payload } = newRequest('downtoday');
    godaddy.mode = 'down';

    await expect(tryOnce(payload)).rejects.toMatchObject({ code: 'registrar_status_503' });
    expect(await gatewayJobs('profile-domain-registered', userId)).toEqual([]);
    await expect(tryOnce(payload, true)).rejects.toThrow('domain registration failed: registrar_status_503');
    expect(await rowOf(payload.requestId)).toMatchObject({ status: 'failed', attempts: 2, last_error: 'registrar_status_503' });
    expect(await gatewayJobs('profile-domain-registered', userId)).toEqual([expect.objectContaining({ status: 'failed', reason: 'registrar_status_503' })]);
    expect(await gatewayJobs('founder-attention', userId)).toEqual([
      expect.objectContaining({ kind: 'domain_registration_failed', state: 'raised', detail: `Registering ${domain} failed (registrar_status_503) after 2 purchase request(s).` }),
    ]);

    godaddy.mode = 'ok';
    expect(await tryOnce(payload)).toMatchObject({ outcome: 'registered' });
    expect(godaddy.registered.has(domain)).toBe(true);
    const reports = await gatewayJobs('profile-domain-registered', userId);
    expect(reports.map((r) => r.status).sort()).toEqual(['failed', 'registered']);
    expect((await gatewayJobs('founder-attention', userId)).map((r) => r.state).sort()).toEqual(['cleared', 'raised']);
  });

  it('fails for good, buying nothing, when the founder lacks what a registrant needs', async () => {
    const { userId, domain, payload } = newRequest('nocontact', null);
    await expect(tryOnce(payload)).rejects.toThrow('domain registration failed: registrant_incomplete');
    expect(purchasesOf(domain)).toEqual([]);
    expect(await gatewayJobs('profile-domain-registered', userId)).toEqual([expect.objectContaining({ status: 'failed', reason: 'registrant_incomplete' })]);
  });

  it('refuses a request id that names another founder', async () => {
    const payload = request(founder(), name('twice'));
    await tryOnce(payload);
    await expect(tryOnce({ ...payload, userId: founder() })).rejects.toThrow('this request id names another founder or domain');
  });

  describe('with the local registrar (no GoDaddy account)', () => {
    let local: TestDomain;
    beforeAll(async () => {
      local = await startTestDomain({
        DOMAIN_REGISTRAR: 'local',
        DOMAIN_PROVIDER: 'godaddy',
        GODADDY_API_KEY: GODADDY_KEY,
        GODADDY_API_SECRET: GODADDY_SECRET,
        GODADDY_BASE_URL: godaddy.url,
        GATEWAY_URL: gateway.url,
      });
    });
    afterAll(async () => {
      await local.stop();
    });

    it('registers at once for a year under an order id of the request, buying nothing, and reports it once', async () => {
      const { userId, domain, payload } = newRequest('localshop');
      expect(await local.run('domain', 'register-domain', payload)).toEqual({ outcome: 'registered', orderId: `local-${payload.requestId}` });
      expect(await local.run('domain', 'register-domain', payload, `again-${payload.requestId}`)).toEqual({ outcome: 'registered', orderId: `local-${payload.requestId}` });
      expect(purchasesOf(domain)).toEqual([]);
      const row = (await local.pool.query('select * from domain.domain_registrations where request_id = $1', [payload.requestId])).rows[0];
      expect(row).toMatchObject({ status: 'registered', provider: 'local', attempts: 1 });
      const days = (row.expires_at.getTime() - row.created_at.getTime()) / 86_400_000;
      expect(days).toBeGreaterThanOrEqual(365);
      expect(days).toBeLessThanOrEqual(366.1);
      const reports = (await local.producer.queue('gateway').getJobs(['waiting', 'completed'])).filter((job) => job.name === 'profile-domain-registered');
      expect(reports.map((job) => job.data)).toEqual([expect.objectContaining({ userId, domain, status: 'registered', orderId: `local-${payload.requestId}` })]);
    });

    it('fails a taken name without registering it', async () => {
      const payload = request(founder(), name('takenlocal'));
      expect(await local.run('domain', 'register-domain', payload)).toEqual({ outcome: 'failed', reason: 'domain_taken' });
    });
  });
});
