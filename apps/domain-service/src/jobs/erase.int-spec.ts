import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { JobContext } from '@dreamseed/platform';
import { startFakeServer, waitFor, type FakeServer } from '@dreamseed/testing';
import { AGREEMENT_KEY, GODADDY_KEY, GODADDY_SECRET, startFakeGoDaddy, type FakeGoDaddy } from '../__fixtures__/fake-godaddy';
import { ADA, consentRoute, consentTo, startTestDomain, type TestDomain } from '../__fixtures__/test-domain';
import type { AvailabilityChecker } from '../availability/checker';
import type { Availability } from '../availability/types';
import { createDomainDb } from '../db/client';
import { eraseFounder } from './erase';
import { DomainSearches } from './search';
import { DomainSelection } from './selection';

/**
 * `erase-founder`: a founder who deleted their account leaves no search or selection, and keeps their purchases;
 * work on them that runs after the erasure (a job queued before it, retried or delayed) brings nothing back and
 * buys nothing. Availability and purchases go to a fake GoDaddy, registrant contacts and consents come from a fake
 * gateway.
 */
describe('domain service: erasing a founder', () => {
  let godaddy: FakeGoDaddy;
  let gateway: FakeServer;
  let service: TestDomain;
  /** What the fake gateway does when asked for a founder's contact, before answering it. */
  const onContact = new Map<string, () => Promise<unknown>>();
  // Names are this run's own: availability answers are kept in a table every run shares.
  const tag = randomUUID().slice(0, 8);
  const name = (label: string) => `${label}${tag}.com`;

  beforeAll(async () => {
    godaddy = await startFakeGoDaddy();
    gateway = await startFakeServer({
      'GET /internal/founders/:id/registrant': async (request) => {
        await onContact.get(request.params.id ?? '')?.();
        return { body: ADA };
      },
      // Every founder here agreed to GoDaddy's agreements for the domain asked.
      'GET /internal/founders/:id/registration-consent': consentRoute((_userId, domain) => consentTo(domain, [AGREEMENT_KEY])),
    });
    service = await startTestDomain({
      DOMAIN_PROVIDER: 'godaddy',
      GODADDY_API_KEY: GODADDY_KEY,
      GODADDY_API_SECRET: GODADDY_SECRET,
      GODADDY_BASE_URL: godaddy.url,
      GATEWAY_URL: gateway.url,
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

  const count = async (table: string, userId: string) => (await service.pool.query(`select count(*)::int as n from domain.${table} where business_id = $1`, [userId])).rows[0].n as number;
  const countsOf = async (userId: string) => ({
    searches: await count('domain_searches', userId),
    selections: await count('domain_selections', userId),
    registrations: await count('domain_registrations', userId),
  });
  const erase = (userId: string) => service.run('domain', 'erase-founder', { v: 1, userId }, `erase-${randomUUID()}`);
  /** Every report to the gateway or the analysis service about the founder. */
  const reportsOn = async (userId: string) =>
    [
      ...(await service.producer.queue('gateway').getJobs(['waiting', 'delayed', 'completed', 'active'])),
      ...(await service.producer.queue('analysis').getJobs(['waiting', 'delayed', 'completed', 'active'])),
    ].filter((job) => job.data.userId === userId);
  const purchasesOf = (domain: string) => godaddy.purchases.filter((p) => (p.body as { domain?: string } | undefined)?.domain === domain);
  const registrationOf = async (requestId: string) => (await service.pool.query('select * from domain.domain_registrations where request_id = $1', [requestId])).rows[0];
  const registerRequest = (userId: string, domain: string) => ({ v: 1 as const, userId, domain, requestId: randomUUID(), years: 1 });
  const context = () => ({ log: pino({ level: 'silent' }), signal: new AbortController().signal, correlationId: 'test' }) as unknown as JobContext;
  /** A checker that erases the founder while it looks, then finds every name free. */
  const checkerErasing = (userId: string) =>
    ({
      check: async (domains: string[]): Promise<Availability[]> => {
        await eraseFounder(createDomainDb(service.pool), userId);
        return domains.map((domain) => ({ domain, available: true, definitive: true, priceMicros: null, currency: null, provider: 'godaddy', checkedAt: new Date() }));
      },
    }) as unknown as AvailabilityChecker;

  /** Two searches with their candidates, a selection from one of them, and the registration of the chosen name. */
  async function founderWithEverything() {
    const userId = randomUUID();
    const searchIds = [randomUUID(), randomUUID()];
    for (const id of searchIds) {
      await service.pool.query(
        `insert into domain.domain_searches (id, business_id, trigger, keywords, status, candidates) values ($1, $2, 'api', '{green,lots}', 'completed', $3)`,
        [id, userId, JSON.stringify([{ domain: 'greenlots.com', available: true, definitive: true, priceMinor: 1299, currency: 'USD', provider: 'rdap', checkedAt: new Date().toISOString() }])],
      );
    }
    await service.pool.query(`insert into domain.domain_selections (id, business_id, domain, status, search_id) values ($1, $2, 'greenlots.com', 'selected', $3)`, [randomUUID(), userId, searchIds[0]]);
    await service.pool.query(`insert into domain.domain_registrations (request_id, business_id, domain, status, provider) values ($1, $2, 'greenlots.com', 'registered', 'local')`, [randomUUID(), userId]);
    return userId;
  }

  it("erases the founder's searches and selections, keeps their registration, touches no one else; again is a no-op", async () => {
    const founder = await founderWithEverything();
    const other = await founderWithEverything();

    expect(await service.run('domain', 'erase-founder', { v: 1, userId: founder })).toEqual({ searches: 2, selections: 1 });
    expect(await countsOf(founder)).toEqual({ searches: 0, selections: 0, registrations: 1 });
    expect(await countsOf(other)).toEqual({ searches: 2, selections: 1, registrations: 1 });

    // A retried job, or one for a founder with nothing here, succeeds and deletes nothing.
    expect(await service.run('domain', 'erase-founder', { v: 1, userId: founder }, `erase-again-${founder}`)).toEqual({ searches: 0, selections: 0 });
    expect(await service.run('domain', 'erase-founder', { v: 1, userId: randomUUID() })).toEqual({ searches: 0, selections: 0 });
    expect(await countsOf(other)).toEqual({ searches: 2, selections: 1, registrations: 1 });
    const marks = await service.pool.query('select user_id from domain.erased_founders where user_id = any($1)', [[founder, other]]);
    expect(marks.rows).toEqual([{ user_id: founder }]);
  });

  it('completes a search and a selection that start after the erasure as erased: nothing written, checked or told', async () => {
    const founder = await founderWithEverything();
    const other = await founderWithEverything();
    await erase(founder);
    const lookups = godaddy.server.requests.length;

    expect(await service.run('domain', 'search-domains', { v: 1, userId: founder, searchId: randomUUID(), trigger: 'brand-call', keywords: ['green', 'lots'] })).toEqual({ outcome: 'erased' });
    expect(await service.run('domain', 'select-domain', { v: 1, userId: founder, domain: name('greenlots'), selectionId: randomUUID() })).toEqual({ outcome: 'erased' });
    expect(await countsOf(founder)).toEqual({ searches: 0, selections: 0, registrations: 1 });
    expect(godaddy.server.requests.length).toBe(lookups);
    expect(await reportsOn(founder)).toEqual([]);

    // Another founder's work goes on as before.
    expect(await service.run('domain', 'search-domains', { v: 1, userId: other, searchId: randomUUID(), trigger: 'api', keywords: ['green', 'lots'] })).toMatchObject({ outcome: 'completed' });
    expect(await service.run('domain', 'select-domain', { v: 1, userId: other, domain: name('greenlots'), selectionId: randomUUID() })).toMatchObject({ outcome: 'selected' });
    expect(await countsOf(other)).toEqual({ searches: 3, selections: 2, registrations: 1 });
    expect((await reportsOn(other)).map((job) => job.name).sort()).toEqual(['profile-domain-selected', 'record-selected-domain']);
  });

  it('leaves nothing of a search or a selection under way when the founder is erased, and tells nobody', async () => {
    const founder = randomUUID();
    const db = createDomainDb(service.pool);

    const searches = new DomainSearches(db, checkerErasing(founder), 5);
    expect(await searches.search({ v: 1, userId: founder, searchId: randomUUID(), trigger: 'api', keywords: ['green', 'lots'] }, context())).toEqual({ outcome: 'erased' });

    const selection = new DomainSelection(db, checkerErasing(founder), service.producer);
    expect(await selection.select({ v: 1, userId: founder, domain: name('greenlots'), selectionId: randomUUID() }, context())).toEqual({ outcome: 'erased' });

    expect(await countsOf(founder)).toEqual({ searches: 0, selections: 0, registrations: 0 });
    expect(await reportsOn(founder)).toEqual([]);
  });

  it('buys nothing for a registration that starts after the erasure, writes nothing and tells nobody', async () => {
    const founder = randomUUID();
    await erase(founder);
    const domain = name('afterwards');
    const lookups = godaddy.server.requests.length;

    const request = registerRequest(founder, domain);
    expect(await service.run('domain', 'register-domain', request)).toEqual({ outcome: 'erased' });
    expect(purchasesOf(domain)).toEqual([]);
    expect(godaddy.server.requests.length).toBe(lookups);
    expect(await registrationOf(request.requestId)).toBeUndefined();
    expect(await reportsOn(founder)).toEqual([]);
  });

  it('cancels a registration that began before the erasure but bought nothing yet (also when erased at the last moment)', async () => {
    // Its first try stopped before the purchase (a registrar outage, say): the row is there, pending, unbought.
    const founder = randomUUID();
    const begun = registerRequest(founder, name('begun'));
    await service.pool.query(`insert into domain.domain_registrations (request_id, business_id, domain, status, provider, last_error) values ($1, $2, $3, 'pending', 'godaddy', 'registrar_status_503')`, [
      begun.requestId,
      founder,
      begun.domain,
    ]);
    await erase(founder);
    expect(await service.run('domain', 'register-domain', begun)).toEqual({ outcome: 'erased' });
    expect(await registrationOf(begun.requestId)).toMatchObject({ status: 'failed', last_error: 'founder_erased', attempts: 0 });
    // A copy of the job run again (an operator's retry) does not open it again.
    expect(await service.run('domain', 'register-domain', begun, `again-${begun.requestId}`)).toEqual({ outcome: 'erased' });

    // Erased while the job reads the founder's contact, after availability and just before the purchase.
    const late = randomUUID();
    onContact.set(late, () => eraseFounder(createDomainDb(service.pool), late));
    const lastMoment = registerRequest(late, name('lastmoment'));
    expect(await service.run('domain', 'register-domain', lastMoment)).toEqual({ outcome: 'erased' });
    expect(await registrationOf(lastMoment.requestId)).toMatchObject({ status: 'failed', last_error: 'founder_erased', attempts: 0 });

    expect(purchasesOf(begun.domain)).toEqual([]);
    expect(purchasesOf(lastMoment.domain)).toEqual([]);
    expect(await reportsOn(founder)).toEqual([]);
    expect(await reportsOn(late)).toEqual([]);
  });

  it('keeps a domain bought before the erasure: the retry finds the purchase, records it, buys nothing more and tells nobody', async () => {
    const founder = randomUUID();
    const domain = name('boughtbefore');
    const request = registerRequest(founder, domain);
    // The purchase goes through but its answer is lost: the job will try again after its backoff.
    godaddy.mode = 'lost-once';
    const queue = service.producer.queue('domain');
    const { jobId } = await service.producer.enqueue('domain', 'register-domain', request);
    await waitFor(async () => (await queue.getJobState(jobId)) === 'delayed', 'the registration to wait for its retry');
    expect(await registrationOf(request.requestId)).toMatchObject({ status: 'pending', attempts: 1 });

    await erase(founder);
    await (await queue.getJob(jobId))?.promote();
    await waitFor(async () => (await queue.getJobState(jobId)) === 'completed', 'the retried registration');
    const registered = godaddy.registered.get(domain);
    expect((await queue.getJob(jobId))?.returnvalue).toEqual({ outcome: 'registered', orderId: `domain-${registered?.domainId}` });
    expect(purchasesOf(domain)).toHaveLength(1);
    expect(await registrationOf(request.requestId)).toMatchObject({ status: 'registered', attempts: 1, last_error: null });
    expect(await countsOf(founder)).toEqual({ searches: 0, selections: 0, registrations: 1 });
    expect(await reportsOn(founder)).toEqual([]);
  });
});
