import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { RegistrantContact, RegistrationConsent } from '@dreamseed/contracts';
import type { JobContext } from '@dreamseed/platform';
import { startFakeServer, type FakeResponse, type FakeServer } from '@dreamseed/testing';
import { AGREEMENT_KEY, GODADDY_KEY, GODADDY_SECRET, REGISTRATION_AGREEMENT, startFakeGoDaddy, type FakeGoDaddy } from '../__fixtures__/fake-godaddy';
import { ADA, FOUNDER_IP, INTERNAL_TOKEN, consentRoute, consentTo, startTestDomain, type TestDomain } from '../__fixtures__/test-domain';
import { AvailabilityChecker } from '../availability/checker';
import { GoDaddyProvider } from '../availability/godaddy';
import { createDomainDb } from '../db/client';
import { gatewayConsents, gatewayRegistrants } from './gateway';
import { GoDaddyRegistrar } from './godaddy';
import { LOCAL_REGISTRATION_AGREEMENT } from './local';
import { DomainRegistrations } from './registrations';

/**
 * Registering founders' domains against a fake GoDaddy (OTE) and a fake gateway that answers registrant contacts
 * and founders' consent to the registration agreements. The retry paths call the handler the way BullMQ would,
 * one try at a time (the catalog's backoff is seconds); the one-try paths run through the service's worker.
 */
describe('domain registration', () => {
  let godaddy: FakeGoDaddy;
  let gateway: FakeServer;
  let service: TestDomain;
  let registrations: DomainRegistrations;
  const founders = new Map<string, RegistrantContact>();
  const consents = new Map<string, RegistrationConsent>();
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
      'GET /internal/founders/:id/registration-consent': consentRoute((userId, domain) => {
        const consent = consents.get(userId);
        return consent?.domain === domain ? consent : undefined;
      }),
    });
    const env = {
      DOMAIN_PROVIDER: 'godaddy',
      GODADDY_API_KEY: GODADDY_KEY,
      GODADDY_API_SECRET: GODADDY_SECRET,
      GODADDY_BASE_URL: godaddy.url,
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
      registrar: new GoDaddyRegistrar({ ...godaddyOptions, timeoutMs: 3000 }),
      registrants: gatewayRegistrants({ GATEWAY_URL: gateway.url, INTERNAL_API_SECRET: INTERNAL_TOKEN }),
      consents: gatewayConsents({ GATEWAY_URL: gateway.url, INTERNAL_API_SECRET: INTERNAL_TOKEN }),
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
    godaddy.agreements = [REGISTRATION_AGREEMENT];
  });

  /**
   * A founder as the gateway knows them: their registrant contact (null: incomplete) and their consent to these
   * agreements for `domain` (null: they agreed to none).
   */
  const founder = (domain: string, known: { contact?: RegistrantContact | null; agreedTo?: string[] | null } = {}) => {
    const { contact = ADA, agreedTo = [AGREEMENT_KEY] } = known;
    const id = randomUUID();
    if (contact) founders.set(id, contact);
    if (agreedTo) consents.set(id, consentTo(domain, agreedTo));
    return id;
  };
  const request = (userId: string, domain: string) => ({ v: 1 as const, userId, domain, requestId: randomUUID(), years: 1 });
  /** A founder (known to the gateway as `known` says), a name of this run, and a request to register it. */
  const newRequest = (label: string, known: Parameters<typeof founder>[1] = {}) => {
    const domain = name(label);
    const userId = founder(domain, known);
    return { userId, domain, payload: request(userId, domain) };
  };
  /** One try of the job, as BullMQ would make it. */
  const tryOnce = (payload: ReturnType<typeof request>, lastAttempt = false, log = pino({ level: 'silent' })) =>
    registrations.register(payload, { log, signal: new AbortController().signal, correlationId: 'test', attempt: 1, lastAttempt } as unknown as JobContext);
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

  it("tries again after a 503 and buys with the body GoDaddy defines: the founder's consent, and the founder as every contact", async () => {
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
    const { agreedAt } = consentTo(domain, []);
    expect(registered?.body).toEqual({
      domain,
      consent: { agreementKeys: [AGREEMENT_KEY], agreedBy: FOUNDER_IP, agreedAt },
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
    const consentRead = gateway.requests.find((r) => r.path === `/internal/founders/${userId}/registration-consent`);
    expect(Object.fromEntries(consentRead?.query ?? [])).toEqual({ domain });
    expect(consentRead?.headers['x-internal-token']).toBe(INTERNAL_TOKEN);
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
    const { userId, domain, payload } = newRequest('nocontact', { contact: null });
    await expect(tryOnce(payload)).rejects.toThrow('domain registration failed: registrant_incomplete');
    expect(purchasesOf(domain)).toEqual([]);
    expect(await gatewayJobs('profile-domain-registered', userId)).toEqual([expect.objectContaining({ status: 'failed', reason: 'registrant_incomplete' })]);
  });

  it('fails for good, buying nothing, when the founder has not agreed to the registration agreements', async () => {
    const { userId, domain, payload } = newRequest('noconsent', { agreedTo: null });
    await expect(tryOnce(payload)).rejects.toThrow('domain registration failed: registration_consent_missing');
    expect(purchasesOf(domain)).toEqual([]);
    expect(await rowOf(payload.requestId)).toMatchObject({ status: 'failed', attempts: 0, last_error: 'registration_consent_missing' });
    expect(await gatewayJobs('profile-domain-registered', userId)).toEqual([expect.objectContaining({ status: 'failed', reason: 'registration_consent_missing' })]);
  });

  it('fails for good, buying nothing, when GoDaddy requires an agreement the founder did not agree to', async () => {
    // GoDaddy changed its agreements after the founder agreed to the ones it had.
    const { userId, domain, payload } = newRequest('newterms');
    godaddy.agreements = [REGISTRATION_AGREEMENT, { agreementKey: 'DNRA_2', title: 'Domain Name Registration Agreement (revised)', content: '<p>Revised</p>' }];
    await expect(tryOnce(payload)).rejects.toThrow('domain registration failed: registration_consent_outdated');
    expect(purchasesOf(domain)).toEqual([]);
    expect(godaddy.registered.has(domain)).toBe(false);
    expect(await rowOf(payload.requestId)).toMatchObject({ status: 'failed', last_error: 'registration_consent_outdated' });
    expect(await gatewayJobs('profile-domain-registered', userId)).toEqual([expect.objectContaining({ status: 'failed', reason: 'registration_consent_outdated' })]);
  });

  it("keeps the founder's consent out of the job, its outcome, the reports, the logs and the domain tables", async () => {
    const { userId, payload } = newRequest('nowhere');
    const jobId = `register-${payload.requestId}`;
    expect(await service.run('domain', 'register-domain', payload, jobId)).toMatchObject({ outcome: 'registered' });
    const job = await service.producer.queue('domain').getJob(jobId);
    const reports = [...(await gatewayJobs('profile-domain-registered', userId)), ...(await gatewayJobs('founder-attention', userId))];
    expect(reports).toHaveLength(2);

    // A try whose answer is lost and its retry, logging at every level.
    const lines: string[] = [];
    const into = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = pino({ level: 'trace' }, into);
    const retried = newRequest('nowherelogged');
    godaddy.mode = 'lost-once';
    await expect(tryOnce(retried.payload, false, log)).rejects.toMatchObject({ code: 'registrar_status_500' });
    expect(await tryOnce(retried.payload, false, log)).toMatchObject({ outcome: 'registered' });
    expect(lines.length).toBeGreaterThan(1);

    const { agreedAt } = consentTo(payload.domain, []);
    for (const kept of [JSON.stringify(job?.data), JSON.stringify(job?.returnvalue), JSON.stringify(reports), ...lines]) {
      expect(kept).not.toContain(FOUNDER_IP);
      expect(kept).not.toContain(agreedAt);
    }
    // Every row of every domain table, in whatever column (any run's rows: none may hold a founder's address).
    const { rows: tables } = await service.pool.query(`select table_name from information_schema.tables where table_schema = 'domain' and table_type = 'BASE TABLE'`);
    expect(tables.map((t) => t.table_name)).toContain('domain_registrations');
    for (const { table_name } of tables) {
      const { rows } = await service.pool.query(`select count(*)::int as n from domain."${table_name}" as t where t::text like $1`, [`%${FOUNDER_IP}%`]);
      expect({ table: table_name, rows: rows[0].n }).toEqual({ table: table_name, rows: 0 });
    }
  });

  it("reads the founder's consent as the gateway gives it: one it cannot give now may come later, a wrong one never", async () => {
    const answers: FakeResponse[] = [];
    const flaky = await startFakeServer({ 'GET /internal/founders/:id/registration-consent': () => answers.shift() ?? { status: 500, body: {} } });
    const read = gatewayConsents({ GATEWAY_URL: flaky.url, INTERNAL_API_SECRET: INTERNAL_TOKEN });
    const domain = name('readconsent');
    const given = consentTo(domain, [AGREEMENT_KEY]);
    const readWith = (answer?: FakeResponse) => {
      if (answer) answers.push(answer);
      return read(randomUUID(), domain, new AbortController().signal);
    };

    expect(await readWith({ body: { ...given, extra: 'dropped' } })).toEqual(given);
    await expect(readWith({ status: 404, body: { error: { code: 'no_registration_consent' } } })).rejects.toMatchObject({ code: 'registration_consent_missing', permanent: true });
    await expect(readWith({ status: 404, body: { error: { code: 'not_found' } } })).rejects.toMatchObject({ code: 'founder_not_found', permanent: true });
    await expect(readWith({ status: 503, body: { error: { code: 'unavailable' } } })).rejects.toMatchObject({ code: 'gateway_status_503', permanent: false });
    await expect(readWith({ body: { ...given, agreedBy: 'the founder' } })).rejects.toMatchObject({ code: 'registration_consent_invalid', permanent: true });
    await expect(readWith({ body: { ...given, agreedAt: 'yesterday' } })).rejects.toMatchObject({ code: 'registration_consent_invalid', permanent: true });
    await expect(readWith({ body: consentTo(name('another'), [AGREEMENT_KEY]) })).rejects.toMatchObject({ code: 'registration_consent_invalid', permanent: true });
    await flaky.close();
    await expect(readWith()).rejects.toMatchObject({ code: 'gateway_unreachable', permanent: false });
  });

  it('refuses a request id that names another founder', async () => {
    const { payload } = newRequest('twice');
    await tryOnce(payload);
    await expect(tryOnce({ ...payload, userId: founder(payload.domain) })).rejects.toThrow('this request id names another founder or domain');
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

    const agreedToLocal = { agreedTo: [LOCAL_REGISTRATION_AGREEMENT.key] };

    it('registers at once for a year under an order id of the request, buying nothing, and reports it once', async () => {
      const { userId, domain, payload } = newRequest('localshop', agreedToLocal);
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
      const { payload } = newRequest('takenlocal', agreedToLocal);
      expect(await local.run('domain', 'register-domain', payload)).toEqual({ outcome: 'failed', reason: 'domain_taken' });
    });

    it("registers nothing for a founder whose consent does not name the stand-in's agreement", async () => {
      // Consent to GoDaddy's agreements, given before the platform changed registrars.
      const { payload } = newRequest('localterms');
      await expect(local.run('domain', 'register-domain', payload)).rejects.toThrow('domain registration failed: registration_consent_outdated');
      const row = (await local.pool.query('select * from domain.domain_registrations where request_id = $1', [payload.requestId])).rows[0];
      expect(row).toMatchObject({ status: 'failed', provider: 'local', order_id: null, last_error: 'registration_consent_outdated' });
    });
  });
});
