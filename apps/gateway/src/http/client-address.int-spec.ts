import { randomIp, startTestGateway, uniqueEmail, type TestGateway } from '../__fixtures__/test-gateway';

/** The client address the per-IP limits count by: the socket's peer, unless TRUST_PROXY names the proxies. */
describe('the client address behind TRUST_PROXY', () => {
  const SIGN_INS = 3;
  const gateways: TestGateway[] = [];
  const start = async (trustProxy: string) => {
    const gateway = await startTestGateway({ TRUST_PROXY: trustProxy, RATE_LIMIT_SIGN_IN_PER_5_MIN: String(SIGN_INS) });
    gateways.push(gateway);
    return gateway;
  };
  afterAll(() => Promise.all(gateways.map((gateway) => gateway.stop())));

  /** A password sign-in of an unknown address (so that no account backs off): 400 until the per-IP limit. */
  const signIn = async (gateway: TestGateway, forwardedFor: string) => {
    const response = await fetch(`${gateway.authUrl}/token?grant_type=password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ email: uniqueEmail('nobody'), password: 'not-the-password' }),
    });
    await response.body?.cancel();
    return response.status;
  };

  it('unset, ignores X-Forwarded-For: a loopback client rotating it still hits the per-IP sign-in limit', async () => {
    const gateway = await start('');
    const statuses: number[] = [];
    for (let i = 0; i <= SIGN_INS; i += 1) statuses.push(await signIn(gateway, randomIp()));
    expect(statuses).toEqual([...Array<number>(SIGN_INS).fill(400), 429]);
  });

  it('with a hop count, counts by the address the trusted proxy forwarded, not what the client put before it', async () => {
    const gateway = await start('1');
    const statuses: number[] = [];
    for (let i = 0; i <= SIGN_INS; i += 1) statuses.push(await signIn(gateway, randomIp()));
    expect(statuses).toEqual(Array<number>(SIGN_INS + 1).fill(400));

    const client = randomIp();
    const spoofed: number[] = [];
    for (let i = 0; i <= SIGN_INS; i += 1) spoofed.push(await signIn(gateway, `${randomIp()}, ${client}`));
    expect(spoofed).toEqual([...Array<number>(SIGN_INS).fill(400), 429]);
  });
});
