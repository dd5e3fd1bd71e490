import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestGateway, uniqueEmail, type TestGateway } from '../__fixtures__/test-gateway';

/**
 * An owner's internal API as the platform's services answer a path they do not serve (`No route for GET
 * /internal/...`), recording every request it gets. Every owner of the gateway points here.
 */
async function startOwner() {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    const path = new URL(req.url ?? '/', 'http://owner').pathname;
    const missed = { error: { code: 'not_found', message: `No route for ${req.method} ${path}.` } };
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify(missed));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A request with its path sent byte for byte: fetch and URL would resolve `..` and `%2e%2e` before sending,
 * and an attacker's client does not.
 */
function send(url: string, method: string, path: string, token: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method, path, headers: { authorization: `Bearer ${token}`, 'content-length': '0' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Every gateway route that puts a value from its path into an owner's internal URL. */
const ROUTES: [method: string, path: string][] = [
  ['GET', '/v1/me/calls/{id}/transcript'],
  ['GET', '/v1/domains/searches/{id}'],
  ['GET', '/v1/domains/selections/{id}'],
  ['GET', '/v1/me/analyses/{id}'],
  ['POST', '/v1/billing/checkout/{id}/confirm'],
];

/** How the owners' paths begin (`INTERNAL_PATHS`): none may show in an answer. */
const INTERNAL_PATH = /\/internal\b/i;

/** Dot segments and slashes, plain and encoded in each way a server may decode them. */
const ATTACKS = ['%2e%2e', '%2E%2E', '..', '.', '.%2e', '%2F', 'a%2Fb', '%2e%2e%2F%2e%2e%2Fpayments', '..%2F..%2Finternal%2Fpayments', '%252e%252e', '%5C..', 'x%00', '%20'];

describe('ids in paths that the gateway sends on to an owner', () => {
  let gateway: TestGateway;
  let owner: Awaited<ReturnType<typeof startOwner>>;
  let token: string;

  beforeAll(async () => {
    owner = await startOwner();
    gateway = await startTestGateway({
      AUTH_AUTOCONFIRM: 'true',
      VOICE_SERVICE_URL: owner.url,
      DOMAIN_SERVICE_URL: owner.url,
      BILLING_SERVICE_URL: owner.url,
      ANALYSIS_SERVICE_URL: owner.url,
    });
    const { data, error } = await gateway.client().signUp({ email: uniqueEmail('ids'), password: 'correct horse battery' });
    if (error) throw error;
    token = data.session?.access_token ?? '';
  }, 30_000);
  afterAll(async () => {
    await gateway.stop();
    await owner.close();
  });

  it.each(ROUTES)('%s %s refuses dot segments and slashes with a 4xx naming no internal path, before asking the owner', async (method, path) => {
    const asked = owner.seen.length;
    const wrong: unknown[] = [];
    for (const attack of ATTACKS) {
      const answer = await send(gateway.url, method, path.replace('{id}', attack), token);
      const body = JSON.parse(answer.text) as { error?: { code?: unknown; message?: unknown } };
      const shaped = typeof body.error?.code === 'string' && typeof body.error.message === 'string';
      // Express may find no route at all for some (a 404 of its own), which is as good.
      if (![400, 404].includes(answer.status) || !shaped || INTERNAL_PATH.test(answer.text)) wrong.push({ attack, ...answer });
    }
    expect(wrong).toEqual([]);
    expect(owner.seen.slice(asked)).toEqual([]);
  });

  it("does not pass on an owner's answer that names one of its internal paths", async () => {
    const asked = owner.seen.length;
    const answer = await send(gateway.url, 'GET', `/v1/me/calls/${randomUUID()}/transcript`, token);
    expect(owner.seen.slice(asked)).toHaveLength(1);
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.text)).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    expect(answer.text).not.toMatch(INTERNAL_PATH);
    expect(answer.text).not.toMatch(/route/i);
  });
});
