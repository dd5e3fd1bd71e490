import { drizzle } from 'drizzle-orm/node-postgres';
import { eq } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import { sleep } from '@dreamseed/testing';
import { randomIp, startTestGateway, uniqueEmail, uniquePhone, type TestGateway } from '../__fixtures__/test-gateway';
import { createTokenSigner, type AccessClaims } from '../auth/tokens';
import { users } from '../db/schema';
import { rowView } from './rows';

const PASSWORD = 'correct horse battery';

/**
 * A session that ends is refused on the very next `/v1` request, on every replica: two gateways share Postgres
 * and Redis here, and the session ends on one while the other is asked at once. `GET /v1/me` checks the session
 * in its own round trip (founder.ts) and the other routes in `requireApiUser`: both are asked. Any cache of
 * sessions or claims that lagged behind Postgres would fail these.
 */
describe('revoked sessions on /v1, across replicas', () => {
  let one: TestGateway;
  let other: TestGateway;
  beforeAll(async () => {
    const env = { AUTH_AUTOCONFIRM: 'true', AUTH_REFRESH_REUSE_INTERVAL_SECONDS: '1' };
    [one, other] = await Promise.all([startTestGateway(env), startTestGateway(env)]);
  });
  afterAll(() => Promise.all([one.stop(), other.stop()]));

  const post = (gateway: TestGateway, path: string, body: unknown, token?: string) =>
    fetch(`${gateway.authUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': randomIp(), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const signUp = async () => {
    const response = await post(one, '/signup', { email: uniqueEmail(), password: PASSWORD });
    expect(response.status).toBe(200);
    return (await response.json()) as { access_token: string; refresh_token: string; user: { id: string } };
  };
  const get = (gateway: TestGateway, path: string, token: string) => fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  /** Both ways a `/v1` request checks a session: GET /v1/me's own read, and the routers' `requireApiUser`. */
  const statuses = async (gateway: TestGateway, token: string) => [(await get(gateway, '/v1/me', token)).status, (await get(gateway, '/v1/me/formation', token)).status];
  const LIVE = [200, 404];
  const expectRefused = async (gateway: TestGateway, token: string) => {
    for (const path of ['/v1/me', '/v1/me/formation']) {
      const response = await get(gateway, path, token);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_token');
    }
  };

  it('refuses a signed-out session on the other replica at once', async () => {
    const session = await signUp();
    // Both replicas have served it, so anything they might keep of it is warm.
    expect(await statuses(one, session.access_token)).toEqual(LIVE);
    expect(await statuses(other, session.access_token)).toEqual(LIVE);
    expect((await post(one, '/logout?scope=local', {}, session.access_token)).status).toBe(204);
    await expectRefused(other, session.access_token);
    await expectRefused(one, session.access_token);
  });

  it('refuses every token of a session whose spent refresh token came back, at once and on both replicas', async () => {
    const session = await signUp();
    const refreshed = (await (await post(one, '/token?grant_type=refresh_token', { refresh_token: session.refresh_token })).json()) as { access_token: string };
    for (const token of [session.access_token, refreshed.access_token]) {
      expect(await statuses(one, token)).toEqual(LIVE);
      expect(await statuses(other, token)).toEqual(LIVE);
    }
    // Past the reuse interval, the spent token again is taken for a theft: the whole session ends.
    await sleep(1100);
    const replay = await post(other, '/token?grant_type=refresh_token', { refresh_token: session.refresh_token });
    expect(replay.status).toBe(400);
    for (const token of [session.access_token, refreshed.access_token]) {
      await expectRefused(one, token);
      await expectRefused(other, token);
    }
  });

  it('refuses a deleted account on the other replica at once', async () => {
    const session = await signUp();
    expect(await statuses(other, session.access_token)).toEqual(LIVE);
    const deleted = await fetch(`${one.url}/v1/me`, { method: 'DELETE', headers: { authorization: `Bearer ${session.access_token}` } });
    expect(deleted.status).toBe(204);
    await expectRefused(other, session.access_token);
  });

  it('answers a ban made in the database with 403 user_banned at once, on both ways', async () => {
    const session = await signUp();
    expect(await statuses(other, session.access_token)).toEqual(LIVE);
    await one.pool.query(`update auth.users set banned_until = now() + interval '1 hour' where id = $1`, [session.user.id]);
    for (const path of ['/v1/me', '/v1/me/formation']) {
      const response = await get(other, path, session.access_token);
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('user_banned');
    }
  });

  it('answers the profile as the plain way reads it, every column filled', async () => {
    const session = await signUp();
    await one.pool.query(
      `update core.users set customer_phone = $2, business_name = 'Ada Bakes', business_type = 'bakery', state_of_operation = 'TX',
              entity_type = 'llc', call_1_completed = true, call_1_completed_at = '2026-12-01T10:00:00.123456Z', current_call_stage = 2,
              next_call_scheduled = now() + interval '1 day', assistant_id = 'asst', individual_assistant_id = 'ind', package_preference = 'basic',
              urgency_level = 'high', timeline = 'soon', subscription_type = 'monthly', amount_paid = 4900, payment_date = now(),
              subscription_expires_at = now() + interval '30 days'
        where auth_user_id = $1`,
      [session.user.id, uniquePhone()],
    );
    const [row] = await drizzle(one.pool).select().from(users).where(eq(users.authUserId, session.user.id));
    const response = await get(other, '/v1/me', session.access_token);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual(rowView(users, row as typeof users.$inferSelect));
    expect(Object.keys(body)).toEqual(Object.keys(rowView(users, row as typeof users.$inferSelect)));
  });

  it('serves a token without the profile id by looking the profile up, and still refuses it once its session ends', async () => {
    const session = await signUp();
    const claims = decodeJwt(session.access_token) as unknown as AccessClaims;
    const { profile_id: _profileId, ...appMetadata } = claims.app_metadata;
    const signer = createTokenSigner({ secret: one.config.JWT_SECRET, issuer: claims.iss, expirySeconds: 600 });
    const { token } = await signer.sign({ ...claims, app_metadata: appMetadata });
    const response = await get(other, '/v1/me', token);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { auth_user_id: string }).auth_user_id).toBe(session.user.id);
    expect((await post(one, '/logout?scope=local', {}, session.access_token)).status).toBe(204);
    await expectRefused(other, token);
  });
});
