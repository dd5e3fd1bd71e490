import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { ConfigError, parseConfig, withFounder } from '@dreamseed/platform';
import { startFakeTwilio, waitFor } from '@dreamseed/testing';
import { startTestGateway, codeIn, randomIp, uniqueEmail, uniquePhone, type TestGateway } from '../__fixtures__/test-gateway';
import { gatewayConfigSchema } from '../config';
import { SmsDeliveryError, createSmsSender } from './sms';

const PASSWORD = 'correct horse battery';
const INTERNAL = { 'content-type': 'application/json', 'x-internal-token': 'internal-secret-for-tests' };
const TWILIO_SID = `AC${'0123456789abcdef'.repeat(2)}`;

interface Founder {
  token: string;
  userId: string;
  profileId: string;
  ip: string;
}

async function signUp(gateway: TestGateway, data: Record<string, unknown> = {}): Promise<Founder> {
  const ip = randomIp();
  const { data: session, error } = await gateway.client(ip).signUp({ email: uniqueEmail(), password: PASSWORD, options: { data } });
  if (error) throw error;
  return {
    token: session.session?.access_token ?? '',
    userId: session.user?.id ?? '',
    profileId: String(session.user?.app_metadata.profile_id),
    ip,
  };
}

const api = (gateway: TestGateway, founder: Founder, method: string, path: string, body?: unknown) =>
  fetch(`${gateway.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${founder.token}`, 'x-forwarded-for': founder.ip },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const lookup = (gateway: TestGateway, phone: string) =>
  fetch(`${gateway.url}/internal/founders/lookup`, { method: 'POST', headers: INTERNAL, body: JSON.stringify({ phone }) });

const byId = async (gateway: TestGateway, profileId: string) =>
  (await (await fetch(`${gateway.url}/internal/founders/${profileId}`, { headers: INTERNAL })).json()) as { customerPhone: string | null };

const profileOf = async (gateway: TestGateway, founder: Founder) =>
  (await (await api(gateway, founder, 'GET', '/v1/me')).json()) as { customer_phone: string | null };

const verify = (gateway: TestGateway, phone: string, token: string) =>
  fetch(`${gateway.authUrl}/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': randomIp() },
    body: JSON.stringify({ type: 'phone_change', phone, token }),
  });

/** The code the gateway texted to a number (the outbox stands in for SMS without Twilio). */
const codeTextedTo = async (gateway: TestGateway, phone: string) => codeIn((await gateway.mailTo(phone, 'phone_change_token')).body);

describe('phone numbers are confirmed by a texted code before they identify a founder', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({ AUTH_AUTOCONFIRM: 'true', RATE_LIMIT_PHONE_CHANGE_PER_HOUR: '3', RATE_LIMIT_SMS_PER_HOUR: '2' });
  });
  afterAll(() => gateway.stop());

  it('says in /settings that phones are not autoconfirmed and no SMS provider is set', async () => {
    const settings = (await (await fetch(`${gateway.authUrl}/settings`)).json()) as Record<string, unknown>;
    expect(settings).toMatchObject({ phone_autoconfirm: false, sms_provider: '' });
  });

  it('keeps a sign-up number pending, unknown to inbound calls, until its code comes back', async () => {
    const phone = uniquePhone();
    const founder = await signUp(gateway, { phone });
    const { data } = await gateway.client().getUser(founder.token);
    expect(data.user).toMatchObject({ phone: '', new_phone: phone });
    expect((await profileOf(gateway, founder)).customer_phone).toBeNull();
    expect((await lookup(gateway, phone)).status).toBe(404);

    const code = await codeTextedTo(gateway, phone);
    const wrong = await verify(gateway, phone, code === '000000' ? '000001' : '000000');
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ code: 'otp_expired' });
    expect((await lookup(gateway, phone)).status).toBe(404);

    const right = await verify(gateway, phone, code);
    expect(right.status).toBe(200);
    const session = (await right.json()) as { access_token: string; user: Record<string, unknown> };
    expect(session.user).toMatchObject({ id: founder.userId, phone });
    expect(session.user.phone_confirmed_at).toEqual(expect.any(String));
    expect(session.user.new_phone).toBeUndefined();
    expect((await profileOf(gateway, founder)).customer_phone).toBe(phone);
    expect(await (await lookup(gateway, phone)).json()).toMatchObject({ id: founder.profileId, customerPhone: phone });
    // A code is good once.
    expect((await verify(gateway, phone, code)).status).toBe(403);
  });

  it('changes the number through PUT /auth/v1/user as auth-js sends it, and refuses a confirmed one of another founder', async () => {
    const founder = await signUp(gateway);
    const phone = uniquePhone();
    const put = await api(gateway, founder, 'PUT', '/auth/v1/user', { phone: phone.slice(1) });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ phone: '', new_phone: phone, phone_change_sent_at: expect.any(String) });
    const { data, error } = await gateway.client().verifyOtp({ type: 'phone_change', phone, token: await codeTextedTo(gateway, phone) });
    expect(error).toBeNull();
    expect(data.user?.phone).toBe(phone);

    const other = await signUp(gateway);
    const taken = await api(gateway, other, 'PUT', '/auth/v1/user', { phone });
    expect(taken.status).toBe(422);
    expect(await taken.json()).toMatchObject({ code: 'phone_exists' });
    const bad = await api(gateway, other, 'PUT', '/auth/v1/user', { phone: '555-0100' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'validation_failed' });
  });

  it('limits number changes per user and per IP, and texts per number, so "taken" is no free oracle', async () => {
    const founder = await signUp(gateway);
    for (let i = 0; i < 3; i += 1) expect((await api(gateway, founder, 'PUT', '/auth/v1/user', { phone: uniquePhone() })).status).toBe(200);
    const fourth = await api(gateway, founder, 'PUT', '/auth/v1/user', { phone: uniquePhone() });
    expect(fourth.status).toBe(429);
    expect(await fourth.json()).toMatchObject({ code: 'over_request_rate_limit' });

    // Another account from the same address is held back too.
    const sameIp = { ...(await signUp(gateway)), ip: founder.ip };
    expect((await api(gateway, sameIp, 'PUT', '/auth/v1/user', { phone: uniquePhone() })).status).toBe(429);

    const target = uniquePhone();
    for (let i = 0; i < 2; i += 1) expect((await api(gateway, await signUp(gateway), 'PUT', '/auth/v1/user', { phone: target })).status).toBe(200);
    const third = await api(gateway, await signUp(gateway), 'PUT', '/auth/v1/user', { phone: target });
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ code: 'over_sms_send_rate_limit' });
  });

  it('no longer lets PATCH /v1/me, nor the founder role in SQL, plant a number', async () => {
    const founder = await signUp(gateway);
    const phone = uniquePhone();
    const patched = await api(gateway, founder, 'PATCH', '/v1/me', { customer_phone: phone });
    expect(patched.status).toBe(422);
    expect(await patched.json()).toMatchObject({ error: { code: 'phone_verification_required', message: expect.stringContaining('PUT /auth/v1/user') } });
    expect((await profileOf(gateway, founder)).customer_phone).toBeNull();

    const db = drizzle(gateway.pool);
    const as = { id: founder.profileId, claims: { sub: founder.userId, role: 'authenticated' } };
    await expect(
      withFounder(db, as, (tx) => tx.execute(sql`update core.users set customer_phone = ${phone} where id = ${founder.profileId}`)),
    ).rejects.toMatchObject({ cause: { code: '42501' } });
    expect((await lookup(gateway, phone)).status).toBe(404);
  });

  it('treats a number written without a code (as before codes existed) as unknown, for inbound and outbound calls', async () => {
    const founder = await signUp(gateway);
    const phone = uniquePhone();
    await gateway.pool.query('update core.users set customer_phone = $1 where id = $2', [phone, founder.profileId]);
    expect((await lookup(gateway, phone)).status).toBe(404);
    expect((await byId(gateway, founder.profileId)).customerPhone).toBeNull();
  });

  it('keeps a number the intake assistant heard as pending: the caller is a stranger until the texted code comes back', async () => {
    const phone = uniquePhone();
    const register = (email: string) =>
      fetch(`${gateway.url}/internal/founders`, { method: 'POST', headers: INTERNAL, body: JSON.stringify({ phone, email, name: 'Cy Caller' }) });
    const created = await register(uniqueEmail());
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await lookup(gateway, phone)).status).toBe(404);
    expect((await byId(gateway, id)).customerPhone).toBeNull();
    expect((await verify(gateway, phone, await codeTextedTo(gateway, phone))).status).toBe(200);
    expect(await (await lookup(gateway, phone)).json()).toMatchObject({ id, customerPhone: phone });
    const again = await register(uniqueEmail());
    expect({ status: again.status, body: await again.json() }).toEqual({ status: 200, body: { id, created: false } });
  });

  it('lets the founder role write only the formation fields the API takes', async () => {
    const founder = await signUp(gateway);
    const put = await api(gateway, founder, 'PUT', '/v1/me/formation', { legal_name: 'Seeds LLC', members: [{ name: 'Founder' }] });
    expect(put.status).toBe(200);
    expect(await (await api(gateway, founder, 'PUT', '/v1/me/formation', { dba_name: 'Seeds' })).json()).toMatchObject({ legal_name: 'Seeds LLC', dba_name: 'Seeds' });

    const db = drizzle(gateway.pool);
    const as = { id: founder.profileId, claims: { sub: founder.userId, role: 'authenticated' } };
    for (const assignment of [
      sql`formation_status = 'approved'`,
      sql`approved_at = now()`,
      sql`ein_status = 'received'`,
      sql`filed_at = now()`,
    ]) {
      await expect(
        withFounder(db, as, (tx) => tx.execute(sql`update core.business_formation_data set ${assignment} where user_id = ${founder.profileId}`)),
      ).rejects.toMatchObject({ cause: { code: '42501' } });
    }
    const other = await signUp(gateway);
    await expect(
      withFounder(db, { id: other.profileId, claims: { sub: other.userId, role: 'authenticated' } }, (tx) =>
        tx.execute(sql`insert into core.business_formation_data (user_id, formation_status) values (${other.profileId}, 'approved')`),
      ),
    ).rejects.toMatchObject({ cause: { code: '42501' } });
    const row = await gateway.pool.query('select formation_status, ein_status from core.business_formation_data where user_id = $1', [founder.profileId]);
    expect(row.rows[0]).toEqual({ formation_status: 'not_started', ein_status: 'not_started' });
  });
});

describe('texting codes through Twilio', () => {
  const token = `token-${randomUUID()}`;
  let twilio: Awaited<ReturnType<typeof startFakeTwilio>>;
  let gateway: TestGateway;

  beforeAll(async () => {
    twilio = await startFakeTwilio(TWILIO_SID, token);
    gateway = await startTestGateway({
      AUTH_AUTOCONFIRM: 'true',
      TWILIO_ACCOUNT_SID: TWILIO_SID,
      TWILIO_AUTH_TOKEN: token,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_URL: twilio.url,
    });
  });
  afterAll(async () => {
    await gateway.stop();
    await twilio.server.close();
  });

  it('posts the code to the Messages API with basic auth, and marks the outbox row sent without its code', async () => {
    const settings = (await (await fetch(`${gateway.authUrl}/settings`)).json()) as Record<string, unknown>;
    expect(settings).toMatchObject({ sms_provider: 'twilio' });
    const phone = uniquePhone();
    const founder = await signUp(gateway);
    expect((await api(gateway, founder, 'PUT', '/auth/v1/user', { phone })).status).toBe(200);
    const sent = await waitFor(async () => {
      const result = await gateway.pool.query(`select status, body from auth.mail_outbox where recipient = $1 and status <> 'pending'`, [phone]);
      return result.rows[0] as { status: string; body: string } | undefined;
    }, 'the text to leave the outbox');
    expect(sent).toEqual({ status: 'sent', body: '[sent]' });
    const message = twilio.messages().find((m) => m.To === phone);
    expect(message).toMatchObject({ From: '+15005550006', Body: expect.stringMatching(/Your code: \d{6}/) });
    expect((await verify(gateway, phone, codeIn(message?.Body ?? ''))).status).toBe(200);
    expect((await lookup(gateway, phone)).status).toBe(200);
  });

  it('reports a refusal with Twilio\'s code and status but not the number', async () => {
    const sender = createSmsSender({ ...gateway.config, TWILIO_AUTH_TOKEN: 'wrong' });
    const failure = sender.send({ to: '+14155550123', text: 'x' });
    await expect(failure).rejects.toBeInstanceOf(SmsDeliveryError);
    await expect(failure).rejects.toThrow('HTTP 401 code 20003');
    await expect(failure).rejects.not.toThrow('4155550123');
    const messaging = createSmsSender({ ...gateway.config, TWILIO_FROM: undefined, TWILIO_MESSAGING_SERVICE_SID: `MG${'0'.repeat(32)}` });
    await messaging.send({ to: '+14155550124', text: 'hello' });
    expect(twilio.messages().at(-1)).toEqual({ To: '+14155550124', MessagingServiceSid: `MG${'0'.repeat(32)}`, Body: 'hello' });
  });
});

describe('AUTH_PHONE_AUTOCONFIRM', () => {
  const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1/db', REDIS_URL: 'redis://127.0.0.1:6379' };

  it('is refused in production, with a message that says why', () => {
    const production = { ...base, NODE_ENV: 'production', JWT_SECRET: randomUUID() + randomUUID(), PAYLOAD_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
    expect(parseConfig('gateway', gatewayConfigSchema, production).AUTH_PHONE_AUTOCONFIRM).toBe(false);
    let refusal: unknown;
    try {
      parseConfig('gateway', gatewayConfigSchema, { ...production, AUTH_PHONE_AUTOCONFIRM: 'true' });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ConfigError);
    expect((refusal as ConfigError).issues).toEqual([{ key: 'AUTH_PHONE_AUTOCONFIRM', message: expect.stringContaining('must be false in production') }]);
    expect(parseConfig('gateway', gatewayConfigSchema, { ...base, NODE_ENV: 'development', AUTH_PHONE_AUTOCONFIRM: 'true' }).AUTH_PHONE_AUTOCONFIRM).toBe(true);
  });

  it('confirms a number at once where it is allowed', async () => {
    const gateway = await startTestGateway({ AUTH_AUTOCONFIRM: 'true', AUTH_PHONE_AUTOCONFIRM: 'true' });
    try {
      const phone = uniquePhone();
      const founder = await signUp(gateway, { phone });
      expect((await profileOf(gateway, founder)).customer_phone).toBe(phone);
      expect((await lookup(gateway, phone)).status).toBe(200);
      expect(((await (await fetch(`${gateway.authUrl}/settings`)).json()) as Record<string, unknown>).phone_autoconfirm).toBe(true);
    } finally {
      await gateway.stop();
    }
  });
});
