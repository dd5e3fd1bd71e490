import { decodeJwt } from 'jose';
import { startTestGateway, type TestGateway } from '../__fixtures__/test-gateway';
import { createTokenSigner, type AccessClaims } from '../auth/tokens';

/**
 * `/v1` answers an unusable token as RFC 6750 says (401 with a Bearer challenge), so that a client's "on 401,
 * refresh and retry" fires; `/auth/v1` keeps GoTrue's 403 `bad_jwt`, which auth-js expects.
 */
describe('bearer tokens on /v1', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ AUTH_AUTOCONFIRM: 'true' });
  });
  afterAll(() => gateway.stop());

  const signUp = () => gateway.signUp();
  const me = (token?: string) => fetch(`${gateway.url}/v1/me`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  const expectInvalidToken = async (response: Response) => {
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="dreamseed", error="invalid_token"');
    expect(await response.json()).toEqual({ error: { code: 'invalid_token', message: expect.stringContaining('refresh') } });
  };

  it('serves a valid token', async () => {
    const { token } = await signUp();
    expect((await me(token)).status).toBe(200);
  });

  it('answers no token with 401 no_authorization and a challenge', async () => {
    const response = await me();
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="dreamseed"');
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('no_authorization');
  });

  it('answers a malformed, tampered or expired token with 401 invalid_token', async () => {
    const { token } = await signUp();
    await expectInvalidToken(await me('x.y.z'));
    const [header, payload, signature = ''] = token.split('.');
    const flipped = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    await expectInvalidToken(await me(flipped));
    const claims = decodeJwt(token) as unknown as AccessClaims;
    const expired = await createTokenSigner({ secret: gateway.config.JWT_SECRET, issuer: claims.iss, expirySeconds: -60 }).sign(claims);
    await expectInvalidToken(await me(expired.token));
  });

  it('answers a token whose session ended (signed out) with 401 invalid_token', async () => {
    const { client, token } = await signUp();
    expect((await me(token)).status).toBe(200);
    await client.signOut();
    await expectInvalidToken(await me(token));
  });

  it('leaves /auth/v1 as GoTrue answers it: 403 bad_jwt', async () => {
    const response = await fetch(`${gateway.authUrl}/user`, { headers: { authorization: 'Bearer x.y.z' } });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { code: string }).code).toBe('bad_jwt');
  });

  it('lets a browser send Idempotency-Key on /v1 and read the challenge', async () => {
    const preflight = await fetch(`${gateway.url}/v1/me/analyses`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    const answer = await fetch(`${gateway.url}/v1/me`, { headers: { origin: 'http://app.example' } });
    expect(answer.headers.get('access-control-expose-headers')).toContain('www-authenticate');
  });
});
