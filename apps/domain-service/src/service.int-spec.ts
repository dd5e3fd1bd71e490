import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { DomainCandidateView, DomainCheckResponse } from '@dreamseed/contracts';
import type { JobContext } from '@dreamseed/platform';
import type { FakeServer } from '@dreamseed/testing';
import { rdapLookups, startFakeRdap, startTestDomain, type TestDomain } from './__fixtures__/test-domain';
import type { AvailabilityChecker } from './availability/checker';
import { createDomainDb } from './db/client';
import { DomainSelection } from './jobs/selection';

describe('domain service: searches, selection and the voice check against a fake RDAP registry', () => {
  let rdap: FakeServer;
  let service: TestDomain;
  const founder = randomUUID();
  let token: string;
  // Answers are also kept in domain_availability, which every test run shares: names of this run's own.
  const tag = randomUUID().replace(/[^a-f]/g, '').slice(0, 4);
  const bakery = `takenbakery${tag}`;

  beforeAll(async () => {
    rdap = await startFakeRdap();
    service = await startTestDomain({
      DOMAIN_PROVIDER: 'rdap',
      RDAP_BOOTSTRAP_URL: `${rdap.url}/iana/dns.json`,
      RDAP_TIMEOUT_MS: '5000',
      DOMAIN_CHECK_DEADLINE_MS: '400',
    });
    await service.run('domain', 'refresh-rdap-bootstrap', { v: 1 });
    token = await service.tokenFor(founder);
  });
  afterAll(async () => {
    await service.stop();
    await rdap.close();
  });

  const search = (searchId: string, extra: Record<string, unknown> = {}, jobId = searchId) =>
    service.run(
      'domain',
      'search-domains',
      { v: 1, userId: founder, searchId, trigger: 'brand-call', brief: { businessName: `Taken Bakery${tag}`, brandVibe: 'friendly', priceLevel: 'mid-market' }, ...extra },
      jobId,
    );

  it('generates, checks and stores a search under the id it was given; a second run of it changes nothing', async () => {
    const searchId = randomUUID();
    expect(await search(searchId)).toMatchObject({ outcome: 'completed' });
    const { rows } = await service.pool.query('select * from domain.domain_searches where id = $1', [searchId]);
    const row = rows[0] as { business_id: string; status: string; trigger: string; candidates: DomainCandidateView[]; providers: string[]; started_at: Date; completed_at: Date };
    expect(row).toMatchObject({ business_id: founder, status: 'completed', trigger: 'brand-call', providers: ['rdap'] });
    expect(row.completed_at.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    expect(row.candidates.length).toBeGreaterThan(10);
    const taken = row.candidates.find((c) => c.domain === `${bakery}.com`);
    expect(taken).toMatchObject({ available: false, definitive: true, provider: 'rdap', priceMinor: null });
    // The fake registry holds only names starting with "taken": the affixed forms are free.
    expect(row.candidates.find((c) => c.domain === `hey${bakery}.com`)).toMatchObject({ available: true, definitive: true, score: expect.any(Number) });
    const firstTaken = row.candidates.findIndex((c) => c.available === false);
    expect(row.candidates.slice(0, firstTaken).every((c) => c.available !== false)).toBe(true);
    expect(row.candidates.some((c) => c.available === true && c.domain.endsWith('.us') === false)).toBe(true);
    // .us has no RDAP server in this bootstrap: unknown, never a failure.
    const ours = row.candidates.filter((c) => c.domain.endsWith('.us') && c.domain.includes(tag));
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((c) => c.available === null)).toBe(true);

    // The same job again is the same job (its id is the search id); another job for the search finds it done.
    const lookups = rdap.requests.length;
    expect(await search(searchId)).toMatchObject({ outcome: 'completed' });
    expect(await search(searchId, {}, `${searchId}-again`)).toMatchObject({ outcome: 'duplicate', status: 'completed' });
    expect(rdap.requests.length).toBe(lookups);
  });

  it('ends a search with nothing to build from as failed, with a reason', async () => {
    const searchId = randomUUID();
    expect(await search(searchId, { brief: {}, keywords: ['!!!'] })).toMatchObject({ outcome: 'failed' });
    const { body } = await service.call('GET', `/internal/domain-searches/${searchId}`, { token });
    expect(body).toMatchObject({ status: 'failed', candidates: [], error: expect.stringContaining('no words') });
  });

  it("reads the founder's searches with their token, and nobody else's", async () => {
    const searchId = randomUUID();
    await search(searchId, { keywords: ['sourdough'], tlds: ['com', 'io'] });
    const one = await service.call('GET', `/internal/domain-searches/${searchId}`, { token });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: searchId, status: 'completed', keywords: ['sourdough'], tlds: ['com', 'io'] });
    expect((one.body.candidates as DomainCandidateView[]).every((c) => /\.(com|io)$/.test(c.domain))).toBe(true);
    const list = await service.call('GET', '/internal/domain-searches', { token });
    expect((list.body.searches as { id: string }[]).map((s) => s.id)).toContain(searchId);

    const stranger = await service.tokenFor(randomUUID());
    expect((await service.call('GET', `/internal/domain-searches/${searchId}`, { token: stranger })).status).toBe(404);
    expect((await service.call('GET', `/internal/domain-searches/${searchId}`)).status).toBe(401);
    expect((await service.call('GET', `/internal/domain-searches/${searchId}`, { token, internalToken: 'wrong' })).status).toBe(401);
    expect((await service.call('GET', '/internal/domain-searches/not-a-uuid', { token })).status).toBe(404);
  });

  it('selects a free domain: re-checked, recorded on its search, and the analysis service and the profile are told once', async () => {
    const searchId = randomUUID();
    await search(searchId);
    const selectionId = randomUUID();
    const before = rdapLookups(rdap, `hey${bakery}.com`);
    const payload = { v: 1 as const, userId: founder, domain: `Hey${bakery}.com`, selectionId };
    expect(await service.run('domain', 'select-domain', payload, selectionId)).toMatchObject({ outcome: 'selected', searchId });
    expect(rdapLookups(rdap, `hey${bakery}.com`)).toBe(before + 1);
    const selection = await service.call('GET', `/internal/domain-selections/${selectionId}`, { token });
    expect(selection.body).toMatchObject({ id: selectionId, domain: `hey${bakery}.com`, status: 'selected', available: true, searchId });
    const { rows } = await service.pool.query('select selected_domain, selected_at from domain.domain_searches where id = $1', [searchId]);
    expect(rows[0]).toMatchObject({ selected_domain: `hey${bakery}.com`, selected_at: expect.any(Date) });

    const analysis = await service.producer.queue('analysis').getJob(`domain-selected-${selectionId}`);
    expect(analysis?.data).toMatchObject({ userId: founder, domain: `hey${bakery}.com`, searchId });
    const profile = await service.producer.queue('gateway').getJob(`domain-selected-${selectionId}`);
    expect(profile?.data).toMatchObject({ userId: founder, domain: `hey${bakery}.com`, eventId: `domain-selected-${selectionId}` });

    // A retried selection sends nothing new.
    await service.producer.queue('domain').remove(selectionId);
    expect(await service.run('domain', 'select-domain', payload, selectionId)).toMatchObject({ outcome: 'selected' });
    expect(await service.producer.queue('gateway').getJobCounts('waiting')).toEqual({ waiting: 1 });
  });

  it('refuses to select a taken domain, with a message for the founder', async () => {
    const selectionId = randomUUID();
    expect(await service.run('domain', 'select-domain', { v: 1, userId: founder, domain: `${bakery}.com`, selectionId }, selectionId)).toEqual({ outcome: 'unavailable' });
    const { body } = await service.call('GET', `/internal/domain-selections/${selectionId}`, { token });
    expect(body).toMatchObject({ status: 'unavailable', available: false, message: `${bakery}.com is already registered; choose another name.` });
    expect(await service.producer.queue('gateway').getJob(`domain-selected-${selectionId}`)).toBeUndefined();
  });

  it('lets the first decision stand when two copies of a selection race, and sends nothing for a refused name', async () => {
    const searchId = randomUUID();
    await search(searchId);
    const selectionId = randomUUID();
    const domain = `race${bakery}.com`;
    // While this copy re-checks, the other copy finds the name taken and decides.
    const checker = {
      check: async () => {
        await service.pool.query(`update domain.domain_selections set status = 'unavailable', available = false, decided_at = now() where id = $1`, [selectionId]);
        return [{ domain, available: true, provider: 'rdap' }];
      },
    } as unknown as AvailabilityChecker;
    const selection = new DomainSelection(createDomainDb(service.pool), checker, service.producer);
    const context = { log: pino({ level: 'silent' }), signal: new AbortController().signal } as unknown as JobContext;
    expect(await selection.select({ v: 1, userId: founder, domain, selectionId }, context)).toEqual({ outcome: 'unavailable' });
    expect(await service.producer.queue('gateway').getJob(`domain-selected-${selectionId}`)).toBeUndefined();
    const { rows } = await service.pool.query('select selected_domain from domain.domain_searches where id = $1', [searchId]);
    expect(rows[0]?.selected_domain).not.toBe(domain);
  });

  describe('the voice assistant check', () => {
    const check = (body: unknown) => service.call('POST', '/internal/domain-check', { body });

    it('answers for the name and other endings of it', async () => {
      const { status, body } = await check({ domain: 'takensun.com', alternativesTlds: ['io', '.CO', 'xyz'] });
      expect(status).toBe(200);
      const answer = body as unknown as DomainCheckResponse;
      expect(answer).toMatchObject({ domain: 'takensun.com', available: false, definitive: true });
      expect(answer.alternatives.map((a) => [a.domain, a.available])).toEqual([['takensun.io', false], ['takensun.co', false]]);
      const said = (await check({ domain: 'Bright Sun' })).body;
      expect(said).toMatchObject({ error: { code: 'invalid_domain' } });
      expect((await check({ domain: 'brightsun' })).body).toMatchObject({ domain: 'brightsun.com', available: true });
    });

    it('counts the answers by provider, outcome and source in /metrics', async () => {
      await check({ domain: 'takensun.com' });
      const metrics = await (await fetch(service.metricsUrl)).text();
      expect(metrics).toMatch(/domain_availability_answers_total\{provider="rdap",outcome="taken",source="provider"[^}]*\} [1-9]/);
      expect(metrics).toMatch(/domain_availability_answers_total\{provider="rdap",outcome="taken",source="cache"[^}]*\} [1-9]/);
    });

    it('answers within its deadline when the registry is slow, as unknown', async () => {
      const { status, body } = await check({ domain: 'slowsun.com', alternativesTlds: ['net'] });
      expect(status).toBe(200);
      expect(body).toMatchObject({ domain: 'slowsun.com', available: null, definitive: false, alternatives: [{ domain: 'slowsun.net', available: null }] });
    });

    it("refuses the founder's mistakes with 400 and a reason", async () => {
      for (const [domain, problem] of [['-sun.com', 'hyphen_position'], ['sun.xyz', 'unsupported_tld'], [`${'a'.repeat(70)}.com`, 'label_length'], ['sun_1.com', 'bad_characters']]) {
        const { status, body } = await check({ domain });
        expect(status).toBe(400);
        expect(body).toMatchObject({ error: { code: 'invalid_domain', details: { problem } } });
      }
      expect((await check({ nope: 1 })).status).toBe(400);
      expect((await check('{"domain":')).status).toBe(400);
      expect((await check({ domain: 'bücher.com' })).body).toMatchObject({ domain: 'xn--bcher-kva.com' });
    });
  });
});
