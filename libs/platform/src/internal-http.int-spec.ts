import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, startFakeServer, type FakeServer } from '@dreamseed/testing';
import { callInternal } from './internal-http';

describe('callInternal', () => {
  let server: FakeServer;

  beforeAll(async () => {
    server = await startFakeServer({
      'POST /echo': (request) => ({ status: 201, body: { got: request.body, type: request.headers['content-type'], token: request.headers['x-token'] } }),
      'GET /page': { status: 502, body: '<html>bad gateway</html>' },
      'GET /slow': { delayMs: 1500, body: { late: true } },
      'GET /cut': { hangUp: true },
    });
  });
  afterAll(() => server.close());

  it('sends JSON with its content type and headers, and reads the answer', async () => {
    const response = await callInternal(`${server.url}/echo`, { headers: { 'x-token': 't' }, json: { phone: '+14155550100' }, timeoutMs: 2000 });
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.json()).toEqual({ got: { phone: '+14155550100' }, type: 'application/json', token: 't' });
  });

  it('reuses its connections rather than opening one a call', async () => {
    const clientPorts: number[] = [];
    const keepAlive = createServer((req, res) => {
      clientPorts.push(req.socket.remotePort ?? 0);
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    });
    await new Promise<void>((resolve) => keepAlive.listen(0, '127.0.0.1', resolve));
    const { port } = keepAlive.address() as AddressInfo;
    try {
      for (let i = 0; i < 20; i += 1) await callInternal(`http://127.0.0.1:${port}/`, { json: { i }, timeoutMs: 2000 });
      expect(clientPorts).toHaveLength(20);
      // A call that follows at once may find the first connection still finishing its answer, and take a second.
      expect(new Set(clientPorts).size).toBeLessThanOrEqual(2);
    } finally {
      keepAlive.closeAllConnections();
      await new Promise((resolve) => keepAlive.close(resolve));
    }
  });

  it('gives the text of an answer that is not JSON, and no JSON for it', async () => {
    const response = await callInternal(`${server.url}/page`, { timeoutMs: 2000 });
    expect(response.ok).toBe(false);
    expect(response.status).toBe(502);
    expect(response.text).toContain('bad gateway');
    expect(response.jsonIfAny()).toBeUndefined();
    expect(() => response.json()).toThrow();
  });

  it('gives up at the deadline', async () => {
    const started = Date.now();
    await expect(callInternal(`${server.url}/slow`, { timeoutMs: 200 })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('job cancelled')), 100);
    await expect(callInternal(`${server.url}/slow`, { timeoutMs: 5000, signal: controller.signal })).rejects.toThrow();
  });

  it('throws when the service is down or hangs up', async () => {
    await expect(callInternal(`http://127.0.0.1:${await freePort()}/echo`, { json: {}, timeoutMs: 2000 })).rejects.toThrow();
    await expect(callInternal(`${server.url}/cut`, { timeoutMs: 2000 })).rejects.toThrow();
  });
});
