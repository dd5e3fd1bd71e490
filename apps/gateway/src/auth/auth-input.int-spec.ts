import { SignJWT } from 'jose';
import { DEVELOPMENT_JWT_SECRET } from '../config';
import { codeIn, randomIp, startTestGateway, uniqueEmail, type TestGateway } from '../__fixtures__/test-gateway';

const PASSWORD = 'correct horse battery';

describe('auth against bad input', () => {
  let gateway: TestGateway;
  let accessToken: string;
  let userId: string;
  let sessionId: string;

  beforeAll(async () => {
    gateway = await startTestGateway({ AUTH_AUTOCONFIRM: 'true' });
    const { data } = await gateway.client().signUp({ email: uniqueEmail(), password: PASSWORD });
    accessToken = data.session?.access_token ?? '';
    userId = data.user?.id ?? '';
    sessionId = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString()).session_id;
  });
  afterAll(() => gateway.stop());

  const post = (path: string, body: string, contentType = 'application/json') =>
    fetch(`${gateway.authUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-forwarded-for': randomIp(), 'x-supabase-api-version': '2024-01-01' },
      body,
    });
  const getUser = (token: string) => fetch(`${gateway.authUrl}/user`, { headers: { authorization: `Bearer ${token}` } });

  async function expectError(response: Response, status: number, code: string) {
    expect(response.status).toBe(status);
    expect(response.headers.get('x-supabase-api-version')).toBe('2024-01-01');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ code, error_code: code });
    expect(typeof body.msg).toBe('string');
    return body;
  }

  it('answers malformed JSON with 400 bad_json', async () => {
    await expectError(await post('/signup', '{"email": "a@b.co", "password":'), 400, 'bad_json');
  });

  it('answers a body that is not JSON with 400 validation_failed', async () => {
    await expectError(await post('/signup', 'email=a@b.co&password=x', 'application/x-www-form-urlencoded'), 400, 'validation_failed');
    await expectError(await post('/token?grant_type=password', 'hello', 'text/plain'), 400, 'validation_failed');
  });

  it('answers wrongly typed fields and an invalid email with 400 validation_failed', async () => {
    await expectError(await post('/signup', JSON.stringify({ email: 42, password: PASSWORD })), 400, 'validation_failed');
    await expectError(await post('/signup', JSON.stringify({ email: 'not-an-email', password: PASSWORD })), 400, 'validation_failed');
    await expectError(await post('/signup', JSON.stringify({ email: uniqueEmail(), password: PASSWORD, data: 'x' })), 400, 'validation_failed');
  });

  it('answers a weak password with 422 weak_password and its reasons, a 73-character one with 400', async () => {
    const weak = await expectError(await post('/signup', JSON.stringify({ email: uniqueEmail(), password: 'short' })), 422, 'weak_password');
    expect(weak.weak_password).toEqual({ reasons: ['length'] });
    await expectError(await post('/signup', JSON.stringify({ email: uniqueEmail(), password: 'x'.repeat(73) })), 400, 'validation_failed');
  });

  it('answers an oversized body with 413', async () => {
    const response = await post('/signup', JSON.stringify({ email: uniqueEmail(), password: PASSWORD, data: { blob: 'x'.repeat(100_000) } }));
    expect(response.status).toBe(413);
  });

  it('ignores unknown and null fields, as auth-js sends them', async () => {
    const response = await post(
      '/signup',
      JSON.stringify({ email: uniqueEmail(), password: PASSWORD, data: null, gotrue_meta_security: {}, code_challenge: null, code_challenge_method: null, extra: [1] }),
    );
    expect(response.status).toBe(200);
  });

  it('stores SQL-looking text verbatim', async () => {
    const text = "Robert'); DROP TABLE core.users;--";
    const { data } = await gateway.client().signUp({ email: uniqueEmail(), password: PASSWORD, options: { data: { full_name: text } } });
    const row = await gateway.pool.query('select customer_name from core.users where auth_user_id = $1', [data.user?.id]);
    expect(row.rows[0].customer_name).toBe(text);
  });

  it('answers a missing bearer with 401, and tampered, expired or wrong-audience tokens with 403 bad_jwt', async () => {
    await expectError(await fetch(`${gateway.authUrl}/user`), 401, 'no_authorization');
    const [header, payload, signature] = accessToken.split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ sub: userId, role: 'service_role' })).toString('base64url')}.${signature}`;
    await expectError(await getUser(tampered), 403, 'bad_jwt');
    await expectError(await getUser(`${header}.${payload}.${'A'.repeat(43)}`), 403, 'bad_jwt');
    await expectError(await getUser('not.a.jwt'), 403, 'bad_jwt');

    const key = new TextEncoder().encode(DEVELOPMENT_JWT_SECRET);
    const mint = (audience: string, expiresAt: number) =>
      new SignJWT({ role: 'authenticated', session_id: sessionId })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('http://127.0.0.1/auth/v1')
        .setSubject(userId)
        .setAudience(audience)
        .setIssuedAt(expiresAt - 3600)
        .setExpirationTime(expiresAt)
        .sign(key);
    const now = Math.floor(Date.now() / 1000);
    await expectError(await getUser(await mint('authenticated', now - 10)), 403, 'bad_jwt');
    await expectError(await getUser(await mint('somebody-else', now + 600)), 403, 'bad_jwt');
    expect((await getUser(await mint('authenticated', now + 600))).status).toBe(200);
  });

  it('answers an unknown grant with 400, a bad logout scope with 400 and a short refresh token with 400', async () => {
    await expectError(await post('/token?grant_type=magic', '{}'), 400, 'invalid_credentials');
    const logout = await fetch(`${gateway.authUrl}/logout?scope=everyone`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } });
    await expectError(logout, 400, 'validation_failed');
    await expectError(await post('/token?grant_type=refresh_token', JSON.stringify({ refresh_token: 'short' })), 400, 'validation_failed');
    await expectError(await post('/token?grant_type=refresh_token', JSON.stringify({ refresh_token: 'x'.repeat(43) })), 400, 'refresh_token_not_found');
  });

  it('answers a wrong one-time token with 403 otp_expired and both token forms at once with 400', async () => {
    await expectError(await post('/verify', JSON.stringify({ type: 'signup', token_hash: 'f'.repeat(56) })), 403, 'otp_expired');
    await expectError(await post('/verify', JSON.stringify({ type: 'signup', token_hash: 'f'.repeat(56), email: 'a@b.co' })), 400, 'validation_failed');
    await expectError(await post('/verify', JSON.stringify({ type: 'teleport', token_hash: 'f' })), 400, 'validation_failed');
  });

  it('answers CORS preflights and exposes the API version header', async () => {
    const response = await fetch(`${gateway.authUrl}/token?grant_type=password`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'apikey,content-type,x-client-info' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-headers')).toContain('apikey');
    const actual = await fetch(`${gateway.authUrl}/settings`, { headers: { origin: 'http://app.example' } });
    expect(actual.headers.get('access-control-expose-headers')).toContain('X-Supabase-Api-Version');
    expect(await actual.json()).toMatchObject({ mailer_autoconfirm: true, disable_signup: false });
  });
});

describe('mail links', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ AUTH_AUTOCONFIRM: 'false', AUTH_SITE_URL: 'http://app.example' });
  });
  afterAll(() => gateway.stop());

  it('confirm through GET /verify and redirect with the session in the fragment; a spent link redirects with the error', async () => {
    const email = uniqueEmail();
    await gateway.client().signUp({ email, password: PASSWORD });
    const mail = await gateway.mailTo(email, 'confirmation_token');
    expect(codeIn(mail.body)).toMatch(/^\d{6}$/);
    const link = /(http\S+\/auth\/v1\/verify\S+)/.exec(mail.body)?.[1] ?? '';
    const url = new URL(link);
    url.host = new URL(gateway.url).host;
    url.searchParams.set('redirect_to', 'https://evil.example/steal');
    const first = await fetch(url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    const location = new URL(first.headers.get('location') ?? '');
    expect(location.origin).toBe('http://app.example');
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get('access_token')).toBeTruthy();
    expect(fragment.get('type')).toBe('signup');

    const again = await fetch(url, { redirect: 'manual' });
    const failed = new URLSearchParams(new URL(again.headers.get('location') ?? '').hash.slice(1));
    expect(failed.get('error_code')).toBe('otp_expired');
  });
});
