import { startFakeServer, type FakeServer } from './fake-server';

describe('fake HTTP server', () => {
  let server: FakeServer;

  beforeAll(async () => {
    server = await startFakeServer({
      'GET /domain/:name': (request) => ({ body: { ldhName: request.params.name } }),
      'POST /call': { status: 201, body: { id: 'call-1' } },
      'GET /slow': { delayMs: 300, body: 'late' },
      'GET /broken': { hangUp: true },
    });
  });

  afterAll(() => server.close());

  it('listens on an ephemeral loopback port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it('answers computed and canned routes, and records each request', async () => {
    const lookup = await fetch(`${server.url}/domain/dream%2Dseed.com`);
    expect(await lookup.json()).toEqual({ ldhName: 'dream-seed.com' });

    const created = await fetch(`${server.url}/call?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
      body: JSON.stringify({ assistantId: 'a' }),
    });
    expect(created.status).toBe(201);
    const recorded = server.requests.at(-1);
    expect(recorded).toMatchObject({ method: 'POST', path: '/call', body: { assistantId: 'a' } });
    expect(recorded?.query.get('x')).toBe('1');
    expect(recorded?.headers.authorization).toBe('Bearer k');
  });

  it('can answer late, hang up, or change a route during a test', async () => {
    const started = Date.now();
    expect(await (await fetch(`${server.url}/slow`)).text()).toBe('late');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await expect(fetch(`${server.url}/broken`)).rejects.toThrow();
    server.route('POST /call', { status: 429, headers: { 'retry-after': '2' }, body: { error: 'slow down' } });
    const limited = await fetch(`${server.url}/call`, { method: 'POST' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
  });

  it('answers unknown routes with 404', async () => {
    expect((await fetch(`${server.url}/nowhere`)).status).toBe(404);
  });
});
