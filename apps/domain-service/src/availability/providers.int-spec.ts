import pg from 'pg';
import pino from 'pino';
import { createRedis } from '@dreamseed/platform';
import { startFakeServer, testInfra, uniquePrefix, type FakeServer } from '@dreamseed/testing';
import { rdapLookups, startFakeRdap } from '../__fixtures__/test-domain';
import { createDomainDb } from '../db/client';
import { RdapBootstrapStore, SHIPPED_SERVERS, parseBootstrap } from './bootstrap';
import { AvailabilityChecker } from './checker';
import { GoDaddyProvider } from './godaddy';
import { OfflineProvider } from './offline';
import { RdapProvider } from './rdap';

const logger = pino({ level: 'silent' });
const signal = () => AbortSignal.timeout(10_000);

describe('availability providers against fake registries', () => {
  let rdapServer: FakeServer;
  let rdap: RdapProvider;
  const { databaseUrl, redisUrl } = testInfra();
  const redis = createRedis(redisUrl, 'producer', { name: 'test' });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const db = createDomainDb(pool);
  const tag = uniquePrefix('avail').slice(2).replace(/-/g, '');

  beforeAll(async () => {
    rdapServer = await startFakeRdap();
    const servers = parseBootstrap((await (await fetch(`${rdapServer.url}/iana/dns.json`)).json()) as unknown);
    rdap = new RdapProvider({ current: async () => servers }, { timeoutMs: 500, concurrency: 4 });
  });
  afterAll(async () => {
    await rdapServer.close();
    redis.disconnect();
    await pool.end();
  });

  describe('RDAP', () => {
    it('reads 404 as free and 200 with a domain object as taken, both from the registry itself', async () => {
      const [free, taken] = await rdap.checkMany([`free${tag}.com`, `taken${tag}.io`], { signal: signal() });
      expect(free).toMatchObject({ domain: `free${tag}.com`, available: true, definitive: true, provider: 'rdap', priceMicros: null });
      expect(taken).toMatchObject({ domain: `taken${tag}.io`, available: false, definitive: true });
      const lookup = rdapServer.requests.find((r) => r.path === `/registry-b/domain/taken${tag}.io`);
      expect(lookup?.headers.accept).toContain('application/rdap+json');
    });

    it('answers unknown for timeouts, 5xx, 429, malformed bodies and TLDs without an RDAP server', async () => {
      const names = [`slow${tag}.com`, `broken${tag}.com`, `limited${tag}.net`, `garbage${tag}.org`, `weird${tag}.co`, `free${tag}.us`];
      const answers = await rdap.checkMany(names, { signal: signal() });
      expect(answers.map((a) => [a.domain, a.available, a.definitive, a.reason])).toEqual([
        [`slow${tag}.com`, null, false, 'timeout'],
        [`broken${tag}.com`, null, false, 'status_500'],
        [`limited${tag}.net`, null, false, 'status_429'],
        [`garbage${tag}.org`, null, false, 'malformed_response'],
        [`weird${tag}.co`, null, false, 'malformed_response'],
        [`free${tag}.us`, null, false, 'no_rdap_server'],
      ]);
      expect(rdapServer.requests.some((r) => r.path.endsWith(`free${tag}.us`))).toBe(false);
    });

    it("stops at the caller's deadline", async () => {
      const answers = await rdap.checkMany([`slow1${tag}.com`, `slow2${tag}.com`], { signal: AbortSignal.timeout(100) });
      expect(answers.every((a) => a.available === null && a.reason === 'timeout')).toBe(true);
    });
  });

  describe('the RDAP bootstrap', () => {
    it('ships the TLDs the platform offers with their registries', () => {
      expect(SHIPPED_SERVERS.get('com')).toBe('https://rdap.verisign.com/com/v1/');
      for (const tld of ['net', 'org', 'io', 'co', 'ai', 'app', 'dev', 'shop', 'store', 'biz', 'info', 'us']) expect(SHIPPED_SERVERS.get(tld)).toMatch(/^https:\/\//);
    });

    it('refreshes from the configured URL, and keeps what it has when the download is bad', async () => {
      const key = `${uniquePrefix('boot')}:domain:rdap-bootstrap`;
      const store = new RdapBootstrapStore(redis, key, logger, 0);
      expect((await store.current()).get('com')).toBe('https://rdap.verisign.com/com/v1/');
      const iana = await startFakeServer({
        'GET /bad.json': { body: { services: 'nope' } },
        'GET /empty.json': { body: { version: '1.0', services: [[['xyz'], ['https://rdap.example/']]] } },
        'GET /html.json': { body: '<html>' },
        'GET /down.json': { status: 503, body: {} },
      });
      try {
        for (const file of ['bad', 'empty', 'html', 'down']) await expect(store.refresh(`${iana.url}/${file}.json`)).rejects.toThrow();
        expect((await store.current()).get('com')).toBe('https://rdap.verisign.com/com/v1/');
        expect(await store.refresh(`${rdapServer.url}/iana/dns.json`)).toEqual({ tlds: 12, publication: '2026-11-20T00:00:00Z' });
        expect((await store.current()).get('com')).toBe(`${rdapServer.url}/registry-a/`);
        // Another replica reads the refreshed file from Redis.
        const other = new RdapBootstrapStore(redis, key, logger, 0);
        expect((await other.current()).get('io')).toBe(`${rdapServer.url}/registry-b/`);
        await expect(store.refresh(`${iana.url}/bad.json`)).rejects.toThrow();
        expect((await other.current()).get('io')).toBe(`${rdapServer.url}/registry-b/`);
      } finally {
        await iana.close();
        await redis.del(key);
      }
    });
  });

  describe('GoDaddy', () => {
    let godaddy: FakeServer;
    let mode: 'ok' | 'limited-once' | 'denied' | 'partial' | 'garbage' | 'down' = 'ok';
    let limitedSent = 0;
    beforeAll(async () => {
      godaddy = await startFakeServer({
        'POST /v1/domains/available': (request) => {
          const names = request.body as string[];
          if (mode === 'denied') return { status: 403, body: { code: 'ACCESS_DENIED', message: 'Authenticated user is not allowed access' } };
          if (mode === 'down') return { status: 500, body: { code: 'INTERNAL' } };
          if (mode === 'garbage') return { body: '<html>' };
          if (mode === 'limited-once' && limitedSent === 0) {
            limitedSent += 1;
            return { status: 429, body: { code: 'TOO_MANY_REQUESTS', message: 'slow down', retryAfterSec: 1 } };
          }
          const domains = names.map((domain) => ({ domain, available: !domain.startsWith('taken'), definitive: true, price: 11_990_000, currency: 'USD', period: 1 }));
          if (mode === 'partial') {
            return { status: 203, body: { domains: domains.slice(1), errors: [{ code: 'UNSUPPORTED_TLD', domain: names[0], message: 'x', path: 'domain', status: 422 }] } };
          }
          return { body: { domains } };
        },
      });
    });
    afterAll(() => godaddy.close());
    const provider = (batchSize = 2) =>
      new GoDaddyProvider({ baseUrl: godaddy.url, apiKey: 'key-1', apiSecret: 'secret-1', timeoutMs: 3000, batchSize, concurrency: 2 });

    it('checks in batches with sso-key auth and keeps prices in micro-units', async () => {
      mode = 'ok';
      const before = godaddy.requests.length;
      const names = ['alpha.com', 'beta.com', 'taken-gamma.com', 'delta.io', 'epsilon.co'];
      const answers = await provider(2).checkMany(names, { signal: signal() });
      const sent = godaddy.requests.slice(before);
      expect(sent.map((r) => r.body)).toEqual([['alpha.com', 'beta.com'], ['taken-gamma.com', 'delta.io'], ['epsilon.co']]);
      expect(sent[0]?.headers.authorization).toBe('sso-key key-1:secret-1');
      expect(sent[0]?.query.get('checkType')).toBe('FAST');
      expect(answers.map((a) => a.domain)).toEqual(names);
      expect(answers[0]).toMatchObject({ available: true, definitive: true, priceMicros: 11_990_000, currency: 'USD', provider: 'godaddy' });
      expect(answers[2]).toMatchObject({ available: false });
    });

    it("waits the 429's retryAfterSec and tries again", async () => {
      mode = 'limited-once';
      limitedSent = 0;
      const started = Date.now();
      const [answer] = await provider().checkMany(['zeta.com'], { signal: signal() });
      expect(answer).toMatchObject({ available: true });
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    });

    it('answers unknown for names in a partial answer, 5xx and malformed bodies', async () => {
      mode = 'partial';
      const partial = await provider(5).checkMany(['one.com', 'two.com'], { signal: signal() });
      expect(partial.map((a) => [a.available, a.reason])).toEqual([[null, 'not_answered'], [true, undefined]]);
      mode = 'down';
      expect((await provider().checkMany(['one.com'], { signal: signal() }))[0]).toMatchObject({ available: null, reason: 'status_500' });
      mode = 'garbage';
      expect((await provider().checkMany(['one.com'], { signal: signal() }))[0]).toMatchObject({ available: null, reason: 'malformed_response' });
    });

    it('falls back to RDAP when GoDaddy refuses access (403), and leaves GoDaddy alone afterwards', async () => {
      mode = 'denied';
      const checker = new AvailabilityChecker({ redis, keyPrefix: uniquePrefix('gd'), ttlSeconds: 60, db, primary: provider(), fallback: rdap, logger });
      const before = godaddy.requests.length;
      const answers = await checker.check([`free403${tag}.com`, `taken403${tag}.com`], { signal: signal() });
      expect(answers.map((a) => [a.provider, a.available])).toEqual([['rdap', true], ['rdap', false]]);
      await checker.check([`other403${tag}.com`], { signal: signal() });
      expect(godaddy.requests.length - before).toBe(1);
    });

    it('asks RDAP for what GoDaddy could not answer', async () => {
      mode = 'down';
      const checker = new AvailabilityChecker({ redis, keyPrefix: uniquePrefix('gd'), ttlSeconds: 60, db, primary: provider(), fallback: rdap, logger });
      const [answer] = await checker.check([`free500${tag}.net`], { signal: signal() });
      expect(answer).toMatchObject({ provider: 'rdap', available: true });
    });
  });

  describe('the cache', () => {
    it('answers again from Redis, then from domain_availability, and re-checks when asked for a fresh answer', async () => {
      const keyPrefix = uniquePrefix('cache');
      const checker = new AvailabilityChecker({ redis, keyPrefix, ttlSeconds: 60, db, primary: rdap, logger });
      const names = [`cached${tag}.com`, `takencached${tag}.com`, `broken${tag}x.com`];
      const first = await checker.check(names, { signal: signal() });
      const lookups = () => names.map((name) => rdapLookups(rdapServer, name));
      expect(lookups()).toEqual([1, 1, 1]);
      const second = await checker.check(names, { signal: signal() });
      expect(second.slice(0, 2)).toEqual(first.slice(0, 2));
      // Unknown answers are not remembered: the broken registry is asked again.
      expect(lookups()).toEqual([1, 1, 2]);
      expect(await redis.ttl(`${keyPrefix}:domain:availability:cached${tag}.com`)).toBeGreaterThan(50);

      await redis.del(`${keyPrefix}:domain:availability:cached${tag}.com`);
      const fromTable = await checker.check([`cached${tag}.com`], { signal: signal() });
      expect(fromTable[0]).toMatchObject({ available: true, provider: 'rdap' });
      expect(lookups()[0]).toBe(1);
      expect(await redis.ttl(`${keyPrefix}:domain:availability:cached${tag}.com`)).toBeGreaterThan(50);
      const stored = await pool.query('select available, definitive, provider from domain.domain_availability where domain = $1', [`takencached${tag}.com`]);
      expect(stored.rows).toEqual([{ available: false, definitive: true, provider: 'rdap' }]);

      await checker.check([`cached${tag}.com`], { signal: signal(), fresh: true });
      expect(lookups()[0]).toBe(2);
    });
  });

  it('offline: the same name always gets the same, non-definitive answer', async () => {
    const offline = new OfflineProvider();
    const names = Array.from({ length: 30 }, (_, i) => `name${i}.com`);
    const first = await offline.checkMany(names);
    expect((await offline.checkMany(names)).map((a) => a.available)).toEqual(first.map((a) => a.available));
    expect(first.every((a) => a.definitive === false && a.provider === 'offline' && a.priceMicros === 11_990_000)).toBe(true);
    expect(new Set(first.map((a) => a.available)).size).toBe(2);
  });
});
