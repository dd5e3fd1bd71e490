import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestGateway, type TestGateway } from '../__fixtures__/test-gateway';
import { WEB_APP_CSP, webAppCsp } from './web-app';

const INDEX = '<!doctype html><title>DreamSeed</title><div id="root"></div>';
const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('the web app served by the gateway', () => {
  let gateway: TestGateway;
  let dir: string;
  const get = (p: string, headers: Record<string, string> = HTML, method = 'GET') => fetch(`${gateway.url}${p}`, { method, headers, redirect: 'manual' });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'web-app-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), INDEX);
    writeFileSync(path.join(dir, 'assets', 'index-Abc123.js'), 'console.log("app")');
    writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    gateway = await startTestGateway({ WEB_APP_DIR: dir, ADMIN_PASSWORD: 'a-long-admin-password' });
  });

  afterAll(async () => {
    await gateway.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers / with index.html, revalidated every time, under the app CSP', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toBe(WEB_APP_CSP);
    expect(WEB_APP_CSP).toContain("connect-src 'self'");
    expect(await response.text()).toBe(INDEX);
  });

  it('lets the pages reach VAPI and Daily only where calls from the browser are on', () => {
    for (const host of ['api.vapi.ai', 'daily.co']) expect(WEB_APP_CSP).not.toContain(host);
    expect(webAppCsp(true)).toContain("connect-src 'self' https://api.vapi.ai");
    expect(webAppCsp(true)).toContain("script-src 'self' https://c.daily.co");
    expect(webAppCsp(true)).not.toContain('unsafe-eval');
  });

  it.each(['/calls', '/calls/2b1f0a4e-3b7e-4d0e-9d0a-5f9a3c1e2d4b', '/billing/success?session_id=cs_test_1', '/reset-password', '/v1beta'])(
    'answers the deep link %s with index.html',
    async (link) => {
      const response = await get(link);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(INDEX);
    },
  );

  it('serves hashed assets for good and other files revalidated', async () => {
    const asset = await get('/assets/index-Abc123.js', { accept: '*/*' });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toBe('console.log("app")');
    const icon = await get('/favicon.svg', { accept: 'image/*' });
    expect(icon.status).toBe(200);
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers a missing asset with 404, not the page', async () => {
    const response = await get('/assets/index-Gone99.js');
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('<div id="root">');
  });

  it.each([
    '/v1',
    '/v1/no-such-thing',
    '/v1/me',
    '/auth/v1/nothing-here',
    '/auth/v1/user',
    '/webhooks/nothing',
    '/health/nothing',
    '/metrics',
    '/admin/nothing',
    '/admin/api/queues',
    '/internal/nothing',
  ])('never answers the API path %s with the page, even to a browser', async (apiPath) => {
    const response = await get(apiPath);
    expect(response.status).not.toBe(200);
    expect(response.headers.get('content-type')).toMatch(/json/);
    expect(await response.text()).not.toContain('<div id="root">');
  });

  it('leaves the API document, its Swagger UI and the health checks to the gateway', async () => {
    const docs = await get('/docs/');
    expect(await docs.text()).toMatch(/swagger/i);
    const document = await get('/openapi.json');
    expect(document.headers.get('content-type')).toMatch(/json/);
    expect(((await document.json()) as { openapi: string }).openapi).toMatch(/^3\./);
    const health = await get('/health/live');
    expect(await health.json()).toEqual({ status: 'live' });
  });

  it('falls back only for GET and HEAD requests that accept HTML', async () => {
    expect((await get('/calls', { accept: 'application/json' })).status).toBe(404);
    expect((await get('/calls', HTML, 'POST')).status).toBe(404);
    const head = await get('/calls', HTML, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toMatch(/^text\/html/);
  });
});
