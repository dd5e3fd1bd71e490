import { Queue } from 'bullmq';
import { createRedis, JobProducer, waitForRedis } from '@dreamseed/platform';
import { freePort, startFakeServer, testInfra, uniquePrefix, waitFor, waitForHttpOk, type FakeServer, type RunningProcess } from '@dreamseed/testing';
import pino from 'pino';
import { startOwner, startTestGateway, uniqueEmail, uniquePhone, type TestGateway } from '../__fixtures__/test-gateway';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}
interface Candidate {
  domain: string;
  available: boolean | null;
  definitive: boolean;
  provider: string;
}

describe('domains through the gateway (/v1/domains) with the domain service and a fake RDAP registry', () => {
  let gateway: TestGateway;
  let domain: RunningProcess;
  let rdap: FakeServer;
  let analysis: FakeServer;
  let token: string;
  let profileId: string;
  const prefix = uniquePrefix('domains');
  const { redisUrl } = testInfra();
  const redis = createRedis(redisUrl, 'producer', { name: 'test' });
  const producer = new JobProducer({ connection: redis, prefix, logger: pino({ level: 'silent' }) });

  const call = (method: string, path: string, body?: unknown, bearer: string | undefined = token) =>
    fetch(`${gateway.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    rdap = await startFakeServer({
      'GET /registry/domain/:name': (request) => {
        const name = request.params.name ?? '';
        if (name.startsWith('taken')) return { body: { objectClassName: 'domain', ldhName: name } };
        // Slower than the service's RDAP deadline (RDAP_TIMEOUT_MS below).
        if (name.includes('slowpoke')) return { delayMs: 2600, status: 404, body: {} };
        return { status: 404, body: { errorCode: 404 } };
      },
    });
    rdap.route('GET /iana/dns.json', { body: { version: '1.0', services: [[['com', 'net', 'org', 'co', 'io', 'us'], [`${rdap.url}/registry/`]]] } });
    // The analysis service is built by another issue: here it has a Dream DNA for the founder.
    analysis = await startFakeServer({
      'GET /internal/dream-dna': (request) =>
        request.headers.authorization === `Bearer ${token}`
          ? { body: { version: 1, primaryService: 'sourdough bread', whoServes: 'local families', brandVibe: 'friendly', priceLevel: 'mid-market' } }
          : { status: 404, body: { error: { code: 'not_found', message: 'No Dream DNA yet.' } } },
    });
    const [domainPort, gatewayPort] = [await freePort(), await freePort()];
    domain = startOwner('domain-service', domainPort, prefix, {
      DOMAIN_PROVIDER: 'rdap',
      RDAP_BOOTSTRAP_URL: `${rdap.url}/iana/dns.json`,
      RDAP_TIMEOUT_MS: '2400',
    });
    gateway = await startTestGateway({
      AUTH_AUTOCONFIRM: 'true',
      DOMAIN_SERVICE_URL: `http://127.0.0.1:${domainPort}`,
      ANALYSIS_SERVICE_URL: analysis.url,
      PORT: String(gatewayPort),
      QUEUE_PREFIX: prefix,
    });
    await waitForHttpOk(`http://127.0.0.1:${domainPort}/health/ready`, 30_000, domain);
    await waitForRedis(redis, 2000);
    // The bootstrap naming the fake registry, as the scheduled refresh would fetch it.
    const { jobId } = await producer.enqueue('domain', 'refresh-rdap-bootstrap', { v: 1 }, { jobId: 'test-refresh' });
    await waitFor(async () => (await producer.queue('domain').getJobState(jobId)) === 'completed', 'the RDAP bootstrap refresh', 20_000);

    const { data, error } = await gateway.client().signUp({ email: uniqueEmail(), password: 'correct horse battery', options: { data: { phone: uniquePhone() } } });
    if (error) throw error;
    token = data.session?.access_token ?? '';
    profileId = String(data.user?.app_metadata.profile_id);
    expect((await call('PATCH', '/v1/me', { business_name: 'Taken Crumb' })).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await gateway.stop();
    domain.kill('SIGTERM');
    await domain.exited;
    await producer.close();
    redis.disconnect();
    await Promise.all([rdap.close(), analysis.close()]);
  });

  it('searches from the profile and the Dream DNA, answers with the results, and keeps them in the history', async () => {
    const response = await call('POST', '/v1/domains/searches', {});
    expect(response.status).toBe(200);
    const search = (await response.json()) as { id: string; status: string; trigger: string; candidates: Candidate[] };
    expect(response.headers.get('location')).toBe(`/v1/domains/searches/${search.id}`);
    expect(search).toMatchObject({ status: 'completed', trigger: 'api' });
    expect(search.candidates.find((c) => c.domain === 'takencrumb.com')).toMatchObject({ available: false, definitive: true, provider: 'rdap' });
    // The friendly vibe and local audience of the Dream DNA shape the names and endings.
    expect(search.candidates.some((c) => /^(hey|my|hello)takencrumb\.|^takencrumb(hub|spot|club|nest)\./.test(c.domain) && c.available === true)).toBe(true);
    expect(search.candidates.some((c) => c.domain.endsWith('.us'))).toBe(true);
    const job = await producer.queue('domain').getJob(search.id);
    expect(job?.data.brief).toMatchObject({ businessName: 'Taken Crumb', primaryService: 'sourdough bread', brandVibe: 'friendly' });

    const one = await call('GET', `/v1/domains/searches/${search.id}`);
    expect(await one.json()).toMatchObject({ id: search.id, status: 'completed' });
    const history = (await (await call('GET', '/v1/domains/searches')).json()) as { searches: { id: string }[] };
    expect(history.searches.map((s) => s.id)).toContain(search.id);
  });

  it('searches with keywords and TLDs, and refuses what the founder got wrong with 4xx', async () => {
    const response = await call('POST', '/v1/domains/searches', { keywords: ['Crumb Lab'], tlds: ['.IO', 'co'] });
    expect(response.status).toBe(200);
    const search = (await response.json()) as { keywords: string[]; tlds: string[]; candidates: Candidate[] };
    expect(search).toMatchObject({ keywords: ['Crumb Lab'], tlds: ['io', 'co'] });
    expect(search.candidates.every((c) => /\.(io|co)$/.test(c.domain))).toBe(true);

    const refused = async (body: unknown, code: string) => {
      const answer = await call('POST', '/v1/domains/searches', body);
      expect({ status: answer.status, code: ((await answer.json()) as ErrorBody).error.code }).toEqual({ status: 400, code });
    };
    await refused({ tlds: ['xyz'] }, 'unsupported_tld');
    await refused({ keywords: ['!!!'] }, 'validation_failed');
    await refused({ keywords: Array.from({ length: 11 }, (_, i) => `k${i}`) }, 'validation_failed');
    await refused({ keywords: 'bakery' }, 'validation_failed');
    await refused({ extra: true }, 'validation_failed');
    await refused('{"keywords":', 'invalid_json');
    expect((await call('POST', '/v1/domains/searches', {}, '')).status).toBe(401);
    expect((await call('GET', '/v1/domains/searches/not-a-search')).status).toBe(404);
  });

  it('refuses keywords holding control characters or lone surrogates with 400, and queues no search for them', async () => {
    const poison = ['bake\u0000ry', 'bake\nry', 'bake\u007fry', 'bake\u009bry', 'bake\ud800ry'];
    for (const keyword of poison) {
      const answer = await call('POST', '/v1/domains/searches', { keywords: ['crumb', keyword] });
      expect({ keyword, status: answer.status, code: ((await answer.json()) as ErrorBody).error.code }).toEqual({ keyword, status: 400, code: 'validation_failed' });
    }
    const queued = await producer.queue('domain').getJobs(['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized']);
    expect(queued.filter((job) => (job.data.keywords ?? []).some((k: string) => poison.includes(k)))).toEqual([]);
  });

  it('answers 202 when the registry is slow, and the search ends with those names unknown, never an error', async () => {
    const response = await call('POST', '/v1/domains/searches', { keywords: ['slowpoke'], tlds: ['com'] });
    expect(response.status).toBe(202);
    const { id, status } = (await response.json()) as { id: string; status: string };
    expect(status).toBe('pending');
    const done = await waitFor(async () => {
      const search = (await (await call('GET', `/v1/domains/searches/${id}`)).json()) as { status: string; candidates: (Candidate & { reason?: string })[] };
      return search.status === 'completed' && search;
    }, 'the slow search to end');
    const slow = done.candidates.filter((c) => c.domain.includes('slowpoke') && !c.domain.startsWith('taken'));
    expect(slow.length).toBeGreaterThan(0);
    expect(slow.every((c) => c.available === null && c.definitive === false && c.reason === 'timeout')).toBe(true);
  });

  it('selects a free domain: the profile moves to domain_selected and the Dream DNA is told', async () => {
    const none = await call('GET', '/v1/domains/selections/current');
    expect(none.status).toBe(404);
    expect(((await none.json()) as ErrorBody).error.code).toBe('no_domain_selected');
    const response = await call('POST', '/v1/domains/selections', { domain: 'HeyTakenCrumb.com' });
    expect(response.status).toBe(200);
    const selection = (await response.json()) as { id: string; status: string; domain: string; search_id: string | null };
    expect(selection).toMatchObject({ status: 'selected', domain: 'heytakencrumb.com', search_id: expect.any(String) });
    await waitFor(async () => ((await (await call('GET', '/v1/me')).json()) as { status: string }).status === 'domain_selected', 'the profile status');
    const recorded = await new Queue('analysis', { connection: redis, prefix }).getJob(`domain-selected-${selection.id}`);
    expect(recorded?.name).toBe('record-selected-domain');
    expect(recorded?.data).toMatchObject({ userId: profileId, domain: 'heytakencrumb.com', searchId: selection.search_id });
    const search = (await (await call('GET', `/v1/domains/searches/${selection.search_id}`)).json()) as { selected_domain: string };
    expect(search.selected_domain).toBe('heytakencrumb.com');
    expect(await (await call('GET', `/v1/domains/selections/${selection.id}`)).json()).toMatchObject({ status: 'selected' });
    expect(await (await call('GET', '/v1/domains/selections/current')).json()).toMatchObject({ id: selection.id, domain: 'heytakencrumb.com', status: 'selected' });
  });

  it('refuses a taken domain with 409 and bad names with 400', async () => {
    const taken = await call('POST', '/v1/domains/selection', { domain: 'takencrumb.com' });
    expect(taken.status).toBe(409);
    const body = (await taken.json()) as ErrorBody;
    expect(body.error).toMatchObject({ code: 'domain_unavailable', message: 'takencrumb.com is already registered; choose another name.' });
    const location = taken.headers.get('location') ?? '';
    expect(await (await call('GET', location)).json()).toMatchObject({ status: 'unavailable', available: false });
    // A refused name leaves the current selection as it was; the earlier path name still takes a selection.
    expect(await (await call('GET', '/v1/domains/selections/current')).json()).toMatchObject({ domain: 'heytakencrumb.com' });

    for (const [domain, problem] of [['-crumb.com', 'hyphen_position'], ['crumb.xyz', 'unsupported_tld'], ['crumb bakery.com', 'bad_characters'], [`${'c'.repeat(64)}.com`, 'label_length'], ['crumb', 'no_tld']]) {
      const answer = await call('POST', '/v1/domains/selection', { domain });
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as ErrorBody).error).toMatchObject({ code: 'invalid_domain', details: { problem } });
    }
  });

  it('searches from the business name alone while there is no Dream DNA', async () => {
    const { data } = await gateway.client().signUp({ email: uniqueEmail(), password: 'correct horse battery', options: { data: { phone: uniquePhone() } } });
    const other = data.session?.access_token ?? '';
    const empty = await call('POST', '/v1/domains/searches', {}, other);
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as ErrorBody).error.code).toBe('nothing_to_search');
    expect((await call('PATCH', '/v1/me', { business_name: 'Lone Oak' }, other)).status).toBe(200);
    const response = await call('POST', '/v1/domains/searches', {}, other);
    expect(response.status).toBe(200);
    const search = (await response.json()) as { id: string; candidates: Candidate[] };
    expect(search.candidates[0]?.domain).toBe('loneoak.com');
    // Another founder's search is not found.
    expect((await call('GET', `/v1/domains/searches/${search.id}`)).status).toBe(404);
  });
});
