/**
 * The auth admin API (/auth/v1/admin/*, /auth/v1/invite) driven by `@supabase/auth-js`'s `GoTrueAdminApi`,
 * unchanged, against a gateway of the test's own; then auth-js's own admin cases (`__fixtures__/auth-js-admin-cases.ts`).
 *
 * auth-js's GoTrueApi.test.ts `describe('GoTrueAdminApi')`, against this gateway:
 * - pass (27): createUser (new user; user metadata; app metadata; both; invalid email), listUsers (registered
 *   users; invalid page), getUser by access token, getUserById (found; unknown id), updateUserById (email; user
 *   metadata; app metadata; email_confirm; unknown id), deleteUser (existing; unknown id), generateLink (signup;
 *   email_change_current; invalid email), inviteUserByEmail (invited_at set; invalid email), signOut (valid token; bad
 *   token; bad scope), mfa.listFactors and mfa.deleteFactor for an unknown user.
 * - not applicable (11): verifyOtp with type 'sms' (2; signing in by phone is not offered), MFA factor
 *   management (1; no MFA enrolment), OAuth Admin (8; no OAuth 2.1 server). 38 cases in all.
 */
import { randomBytes } from 'node:crypto';
import { GoTrueAdminApi, GoTrueClient } from '@supabase/auth-js';
import pino from 'pino';
import { codeIn, randomIp, startTestGateway, uniqueEmail, uniquePhone, type TestGateway } from '../__fixtures__/test-gateway';
import { DEVELOPMENT_JWT_SECRET } from '../config';
import { describeAuthJsAdminCases } from './__fixtures__/auth-js-admin-cases';
import { signServiceRoleKey } from './tokens';

const PASSWORD = 'correct horse battery';
/** GoTrue's 403 session_not_found, as auth-js reports it. */
const SESSION_ENDED = { name: 'AuthSessionMissingError' };

class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem = async (key: string) => this.items.get(key) ?? null;
  setItem = async (key: string, value: string) => void this.items.set(key, value);
  removeItem = async (key: string) => void this.items.delete(key);
}

/** Every log line the gateway writes, so that a test can say what never reaches them. */
const logLines: string[] = [];
/** Addresses and passwords the tests sent: none may appear in a log line. */
const secretsSent = new Set<string>();

let gateway: TestGateway;
let serviceKey: string;
beforeAll(async () => {
  serviceKey = await signServiceRoleKey(DEVELOPMENT_JWT_SECRET);
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  gateway = await startTestGateway({ AUTH_AUTOCONFIRM: 'true', SERVICE_ROLE_KEY: serviceKey }, logger);
});
afterAll(() => gateway.stop());

/** `GoTrueAdminApi` as Supabase's server code builds it: the service-role key as apikey and bearer. */
const adminApi = (key = serviceKey) =>
  new GoTrueAdminApi({ url: gateway.authUrl, headers: { apikey: key, Authorization: `Bearer ${key}`, 'X-Forwarded-For': randomIp() } });
const sessionClient = () =>
  new GoTrueClient({
    url: gateway.authUrl,
    headers: { apikey: 'anon-key', 'X-Forwarded-For': randomIp() },
    autoRefreshToken: false,
    persistSession: true,
    storage: new MemoryStorage(),
  });
const newEmail = (label = 'admin') => {
  const email = uniqueEmail(label);
  secretsSent.add(email);
  return email;
};
const newPassword = () => {
  const password = `pw-${randomBytes(9).toString('base64url')}`;
  secretsSent.add(password);
  return password;
};
const raw = (path: string, init: RequestInit & { token?: string } = {}) =>
  fetch(`${gateway.authUrl}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', 'x-forwarded-for': randomIp(), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
  });
/** A value auth-js answered with, present: else the test fails here. */
function must<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('expected a value in the answer');
  return value;
}
const profileOf = async (authUserId: string) =>
  (await gateway.pool.query('select * from core.users where auth_user_id = $1', [authUserId])).rows[0] as Record<string, unknown> | undefined;

describe('who may use the admin API', () => {
  it('answers 401 no_authorization without a bearer token, as GoTrue does', async () => {
    const response = await raw('/admin/users');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'no_authorization' });
    const { error } = await new GoTrueAdminApi({ url: gateway.authUrl, headers: {} }).listUsers();
    expect(error).toMatchObject({ status: 401, code: 'no_authorization' });
  });

  it("refuses a founder's own token with 403 not_admin, and a token signed with another secret with 403 bad_jwt", async () => {
    const { token } = await gateway.signUp();
    const founder = await adminApi(token).listUsers();
    expect(founder.error).toMatchObject({ status: 403, code: 'not_admin', message: 'User not allowed' });
    const forged = await adminApi(await signServiceRoleKey('another secret of at least thirty-two characters')).createUser({ email: newEmail() });
    expect(forged.error).toMatchObject({ status: 403, code: 'bad_jwt' });
    const invite = await raw('/invite', { method: 'POST', token, body: JSON.stringify({ email: newEmail() }) });
    expect(invite.status).toBe(403);
  });

  it('stays off without SERVICE_ROLE_KEY: even a valid service-role token is 403', async () => {
    const off = await startTestGateway({ AUTH_AUTOCONFIRM: 'true' });
    try {
      const response = await fetch(`${off.authUrl}/admin/users`, { headers: { authorization: `Bearer ${serviceKey}` } });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ code: 'not_admin' });
    } finally {
      await off.stop();
    }
  });
});

describe('users', () => {
  it('lists live accounts a page at a time, with GoTrue\'s X-Total-Count and Link headers', async () => {
    for (let i = 0; i < 3; i += 1) expect((await adminApi().createUser({ email: newEmail() })).error).toBeNull();
    const { data, error } = await adminApi().listUsers({ page: 1, perPage: 2 });
    expect(error).toBeNull();
    expect(data.users).toHaveLength(2);
    expect(data).toMatchObject({ aud: 'authenticated', nextPage: 2, total: expect.any(Number) });
    expect((data as { total: number }).total).toBeGreaterThanOrEqual(3);
    const response = await raw('/admin/users?page=2&per_page=2', { token: serviceKey });
    const total = Number(response.headers.get('x-total-count'));
    const last = Math.ceil(total / 2);
    expect(response.headers.get('link')).toBe(
      [...(last > 2 ? ['</auth/v1/admin/users?page=3&per_page=2>; rel="next"'] : []), `</auth/v1/admin/users?page=${last}&per_page=2>; rel="last"`].join(', '),
    );
    for (const query of ['page=0', 'page=-1', 'per_page=abc', 'per_page=5000']) {
      const bad = await raw(`/admin/users?${query}`, { token: serviceKey });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ code: 'validation_failed' });
    }
  });

  it('creates an account with its founder profile, as sign-up does, and one that can sign in when confirmed', async () => {
    const email = newEmail();
    const password = newPassword();
    const { data, error } = await adminApi().createUser({ email, password, email_confirm: true, user_metadata: { full_name: 'Ada Admin' }, app_metadata: { plan: 'pilot' } });
    expect(error).toBeNull();
    const user = must(data.user);
    const profile = await profileOf(user.id);
    expect(profile).toMatchObject({ customer_email: email, customer_name: 'Ada Admin', status: 'registered', current_call_stage: 1, email_confirmed: true });
    expect(user.app_metadata).toEqual({ provider: 'email', providers: ['email'], profile_id: profile?.id, plan: 'pilot' });
    expect(user.user_metadata).toEqual({ full_name: 'Ada Admin', email_verified: true });
    expect(user.email_confirmed_at).toBeTruthy();
    expect((await gateway.client().signInWithPassword({ email, password })).error).toBeNull();
    // Unconfirmed and without a password: no way in until a link is used.
    const quiet = await adminApi().createUser({ email: newEmail() });
    expect(quiet.data.user?.email_confirmed_at).toBeUndefined();
    expect((await adminApi().createUser({ email: email.toUpperCase() })).error).toMatchObject({ status: 422, code: 'email_exists' });
  });

  it('refuses what it cannot keep: no email, a phone alone, a chosen id or hash, another role, a weak password', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{}, 400, 'validation_failed'],
      [{ phone: '+14155550123' }, 400, 'validation_failed'],
      [{ email: newEmail(), id: '83fd9e20-7a80-46e4-bf29-a86e3d6bbf66' }, 400, 'validation_failed'],
      [{ email: newEmail(), password_hash: '$2a$10$abcdefghijklmnopqrstuv' }, 400, 'validation_failed'],
      [{ email: newEmail(), role: 'service_role' }, 400, 'validation_failed'],
      [{ email: newEmail(), password: 'short' }, 422, 'weak_password'],
      [{ email: newEmail(), user_metadata: 'not an object' }, 400, 'validation_failed'],
      [{ email: newEmail(), ban_duration: '3 days' }, 400, 'validation_failed'],
      [{ email: newEmail(), app_metadata: { provider: 'github' } }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const response = await raw('/admin/users', { method: 'POST', token: serviceKey, body: JSON.stringify(body) });
      expect({ body, status: response.status, code: ((await response.json()) as { code: string }).code }).toEqual({ body, status, code });
    }
    const deep = { a: { b: { c: { d: { e: 1 } } } } };
    const requests: [string, string, unknown][] = [
      ['POST', '/admin/users', '{"email":'],
      ['POST', '/admin/users', '"just a string"'],
      ['POST', '/admin/users', []],
      ['POST', '/admin/users', { email: 5 }],
      ['POST', '/admin/users', { email: newEmail(), ban_duration: 24 }],
      ['POST', '/admin/users', { email: newEmail(), user_metadata: deep }],
      ['POST', '/admin/users', { email: newEmail(), app_metadata: { big: 'x'.repeat(5000) } }],
      ['PUT', '/admin/users/83fd9e20-7a80-46e4-bf29-a86e3d6bbf66', { email_confirm: 'yes' }],
      ['DELETE', '/admin/users/83fd9e20-7a80-46e4-bf29-a86e3d6bbf66', { should_soft_delete: 'yes' }],
      ['POST', '/admin/generate_link', { type: 'recovery' }],
      ['POST', '/admin/generate_link', { email: newEmail() }],
      ['POST', '/invite', { email: newEmail(), data: 'not an object' }],
    ];
    for (const [method, path, body] of requests) {
      const response = await raw(path, { method, token: serviceKey, body: typeof body === 'string' ? body : JSON.stringify(body) });
      const answer = (await response.json()) as { code: string };
      expect({ path, body, status: response.status, code: answer.code }).toEqual({ path, body, status: 400, code: expect.stringMatching(/^(validation_failed|bad_json)$/) });
    }
  });

  it('answers 404 for the admin endpoints it does not serve (OAuth clients, SSO providers)', async () => {
    for (const path of ['/admin/oauth/clients', '/admin/sso/providers']) {
      const response = await raw(path, { token: serviceKey });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'not_found' });
    }
    expect((await raw('/admin/oauth/clients')).status).toBe(401);
  });

  it('reads an account by id: 404 user_not_found when unknown, 404 validation_failed for a malformed id', async () => {
    const { data } = await adminApi().createUser({ email: newEmail() });
    expect((await adminApi().getUserById(must(data.user).id)).data.user?.id).toBe(must(data.user).id);
    expect((await adminApi().getUserById('83fd9e20-7a80-46e4-bf29-a86e3d6bbf66')).error).toMatchObject({ status: 404, code: 'user_not_found' });
    const malformed = await raw('/admin/users/not-a-uuid', { token: serviceKey });
    expect(malformed.status).toBe(404);
    expect(await malformed.json()).toMatchObject({ code: 'validation_failed' });
  });

  it('merges app_metadata as GoTrue does, keeps the server\'s keys, and ends the sessions when the role changes', async () => {
    const { client, token } = await gateway.signUp();
    const { data: me } = await client.getUser(token);
    const id = must(me.user).id;
    const first = await adminApi().updateUserById(id, { app_metadata: { a: 1, b: 2 } });
    expect(first.error).toBeNull();
    const second = await adminApi().updateUserById(id, { app_metadata: { b: null, c: 3, provider: 'email' } });
    expect(second.data.user?.app_metadata).toEqual({ provider: 'email', providers: ['email'], profile_id: must(me.user).app_metadata.profile_id, a: 1, c: 3 });
    // The founder is still signed in: metadata alone changes no session.
    expect((await client.getUser(token)).error).toBeNull();
    for (const key of ['provider', 'providers', 'profile_id']) {
      const refused = await adminApi().updateUserById(id, { app_metadata: { [key]: null } });
      expect(refused.error).toMatchObject({ status: 400, code: 'validation_failed' });
    }
    const operator = await adminApi().updateUserById(id, { app_metadata: { role: 'operator' } });
    expect(operator.data.user?.app_metadata.role).toBe('operator');
    expect((await client.getUser(token)).error).toMatchObject(SESSION_ENDED);
  });

  it('merges user_metadata (a null removes a key) and the name follows onto the profile', async () => {
    const { data } = await adminApi().createUser({ email: newEmail(), user_metadata: { full_name: 'Old Name', keep: true, drop: 1 } });
    const { data: updated } = await adminApi().updateUserById(must(data.user).id, { user_metadata: { full_name: 'New Name', drop: null } });
    expect(updated.user?.user_metadata).toEqual({ full_name: 'New Name', keep: true });
    expect(await profileOf(must(data.user).id)).toMatchObject({ customer_name: 'New Name' });
  });

  it('bans for a Go duration (sign-in and the tokens refused at once) and lifts the ban with none', async () => {
    const email = newEmail();
    const { data } = await adminApi().createUser({ email, password: PASSWORD, email_confirm: true });
    const id = must(data.user).id;
    const signedIn = gateway.client();
    const { data: session } = await signedIn.signInWithPassword({ email, password: PASSWORD });
    const banned = await adminApi().updateUserById(id, { ban_duration: '24h' });
    const until = Date.parse(must(must(banned.data.user).banned_until));
    expect(Math.abs(until - (Date.now() + 24 * 3600_000))).toBeLessThan(60_000);
    expect((await gateway.client().signInWithPassword({ email, password: PASSWORD })).error).toMatchObject({ status: 400, code: 'user_banned' });
    expect((await signedIn.getUser(must(session.session).access_token)).error).toMatchObject({ status: 403, code: 'user_banned' });
    expect((await adminApi().updateUserById(id, { ban_duration: '1h30m' })).data.user?.banned_until).toBeTruthy();
    const lifted = await adminApi().updateUserById(id, { ban_duration: 'none' });
    expect(lifted.data.user?.banned_until).toBeUndefined();
    expect((await gateway.client().signInWithPassword({ email, password: PASSWORD })).error).toBeNull();
    expect((await adminApi().updateUserById(id, { ban_duration: '2 weeks' })).error).toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('changes the email at once (on the profile too), and a password, which ends every session', async () => {
    const email = newEmail();
    const { data } = await adminApi().createUser({ email, password: PASSWORD, email_confirm: true });
    const id = must(data.user).id;
    const client = gateway.client();
    const { data: signedIn } = await client.signInWithPassword({ email, password: PASSWORD });
    const moved = newEmail('moved');
    expect((await adminApi().updateUserById(id, { email: moved })).data.user?.email).toBe(moved);
    expect(await profileOf(id)).toMatchObject({ customer_email: moved });
    const taken = await adminApi().createUser({ email: newEmail() });
    expect((await adminApi().updateUserById(must(taken.data.user).id, { email: moved })).error).toMatchObject({ status: 422, code: 'email_exists' });
    const password = newPassword();
    expect((await adminApi().updateUserById(id, { password })).error).toBeNull();
    expect((await client.getUser(must(signedIn.session).access_token)).error).toMatchObject(SESSION_ENDED);
    expect((await gateway.client().signInWithPassword({ email: moved, password })).error).toBeNull();
  });

  it('confirms a phone number only with phone_confirm; without it the number waits, as one the user asked for', async () => {
    const { data } = await adminApi().createUser({ email: newEmail() });
    const id = must(data.user).id;
    const phone = uniquePhone();
    const pending = await adminApi().updateUserById(id, { phone });
    expect(pending.data.user).toMatchObject({ phone: '', new_phone: phone });
    expect(await profileOf(id)).toMatchObject({ customer_phone: null });
    const confirmed = await adminApi().updateUserById(id, { phone_confirm: true });
    expect(confirmed.data.user).toMatchObject({ phone });
    expect(confirmed.data.user?.phone_confirmed_at).toBeTruthy();
    expect(await profileOf(id)).toMatchObject({ customer_phone: phone });
  });

  it('deletes as the founder deletes (profile marked, sessions ended); hard deletion removes the account row', async () => {
    const { client, token } = await gateway.signUp();
    const { data: me } = await client.getUser(token);
    const id = must(me.user).id;
    expect((await adminApi().deleteUser(id, true)).error).toBeNull();
    expect((await client.getUser(token)).error?.status).toBe(403);
    const soft = await adminApi().getUserById(id);
    expect(soft.data.user).toHaveProperty('deleted_at');
    expect(await profileOf(id)).toMatchObject({ deleted_at: expect.any(Date) });
    const { data: listed } = await adminApi().listUsers({ page: 1, perPage: 1000 });
    expect(listed.users.map((user) => user.id)).not.toContain(id);
    expect((await adminApi().updateUserById(id, { user_metadata: { a: 1 } })).error).toMatchObject({ status: 404, code: 'user_not_found' });
    expect((await adminApi().deleteUser(id)).error).toBeNull();
    expect((await adminApi().getUserById(id)).error).toMatchObject({ status: 404, code: 'user_not_found' });
    const orphan = await gateway.pool.query('select deleted_at from core.users where id = $1', [must(me.user).app_metadata.profile_id]);
    expect(orphan.rows[0]?.deleted_at).toBeInstanceOf(Date);
  });

  it('has no MFA factors: an empty list, and 404 for any factor', async () => {
    const { data } = await adminApi().createUser({ email: newEmail() });
    const factors = await adminApi().mfa.listFactors({ userId: must(data.user).id });
    expect(factors).toEqual({ data: { factors: [] }, error: null });
    const deleted = await adminApi().mfa.deleteFactor({ userId: must(data.user).id, id: '83fd9e20-7a80-46e4-bf29-a86e3d6bbf66' });
    expect(deleted.error).toMatchObject({ status: 404, code: 'mfa_factor_not_found' });
  });

  it('signs a user out with their own token (admin.signOut), for one scope or all', async () => {
    const email = newEmail();
    await adminApi().createUser({ email, password: PASSWORD, email_confirm: true });
    const [one, two] = [gateway.client(), gateway.client()];
    const first = must((await one.signInWithPassword({ email, password: PASSWORD })).data.session).access_token;
    const second = must((await two.signInWithPassword({ email, password: PASSWORD })).data.session).access_token;
    expect((await adminApi().signOut(first, 'others')).error).toBeNull();
    expect((await one.getUser(first)).error).toBeNull();
    expect((await two.getUser(second)).error).toMatchObject(SESSION_ENDED);
    expect((await adminApi().signOut(first)).error).toBeNull();
    expect((await one.getUser(first)).error).toMatchObject(SESSION_ENDED);
  });
});

describe('invitations and links', () => {
  it('invites by mail: an account without a password and its profile, whose invite code signs in to choose one', async () => {
    const email = newEmail('invited');
    const { data, error } = await adminApi().inviteUserByEmail(email, { data: { full_name: 'Ivy Invited' }, redirectTo: 'http://127.0.0.1/welcome' });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ email, user_metadata: { full_name: 'Ivy Invited' } });
    expect(data.user?.email_confirmed_at).toBeUndefined();
    expect(await profileOf(must(data.user).id)).toMatchObject({ customer_name: 'Ivy Invited', email_confirmed: false });
    const mail = await gateway.mailTo(email, 'invite');
    expect(mail.subject).toBe('You are invited to DreamSeed');
    expect(mail.body).toMatch(/type=invite/);
    const invitee = gateway.client();
    const verified = await invitee.verifyOtp({ email, token: codeIn(mail.body), type: 'invite' });
    expect(verified.error).toBeNull();
    expect(verified.data.user?.email_confirmed_at).toBeTruthy();
    const password = newPassword();
    const session = sessionClient();
    await session.setSession({ access_token: must(verified.data.session).access_token, refresh_token: must(verified.data.session).refresh_token });
    expect((await session.updateUser({ password })).error).toBeNull();
    expect((await gateway.client().signInWithPassword({ email, password })).error).toBeNull();
    expect((await adminApi().inviteUserByEmail(email)).error).toMatchObject({ status: 422, code: 'email_exists' });
  });

  it('generates each type of link without sending it, and each is redeemed by /verify', async () => {
    const admin = adminApi();
    const existing = newEmail('links');
    await admin.createUser({ email: existing, password: PASSWORD, email_confirm: true });

    // signup: a new unconfirmed account with its password; the code confirms it.
    const signupEmail = newEmail('signup');
    const signup = await admin.generateLink({ type: 'signup', email: signupEmail, password: PASSWORD, options: { data: { full_name: 'Sid Signup' } } });
    expect(signup.error).toBeNull();
    expect(signup.data.properties).toMatchObject({ verification_type: 'signup', email_otp: expect.stringMatching(/^\d{6}$/) });
    expect(await profileOf(must(signup.data.user).id)).toMatchObject({ customer_name: 'Sid Signup' });
    expect((await gateway.client().verifyOtp({ email: signupEmail, token: must(signup.data.properties).email_otp, type: 'signup' })).error).toBeNull();
    expect((await gateway.client().signInWithPassword({ email: signupEmail, password: PASSWORD })).error).toBeNull();
    expect((await admin.generateLink({ type: 'signup', email: newEmail(), password: '' })).error).toMatchObject({ status: 422 });

    // invite: redeemed by its hash, as the link carries it.
    const inviteEmail = newEmail('invite-link');
    const invite = await admin.generateLink({ type: 'invite', email: inviteEmail });
    expect(invite.data.properties?.action_link).toMatch(/type=invite/);
    expect((await gateway.client().verifyOtp({ token_hash: must(invite.data.properties).hashed_token, type: 'invite' })).error).toBeNull();
    expect((await admin.generateLink({ type: 'invite', email: inviteEmail })).error).toMatchObject({ status: 422, code: 'email_exists' });

    // magiclink: opened as a mail link (GET /verify) it lands on redirect_to with a session in the fragment.
    const magic = await admin.generateLink({ type: 'magiclink', email: existing });
    expect(magic.data.properties).toMatchObject({ verification_type: 'magiclink', redirect_to: 'http://127.0.0.1' });
    // The link names PUBLIC_URL, which has no port here: it is opened on the test's gateway.
    const link = new URL(must(magic.data.properties).action_link);
    const landed = await fetch(`${gateway.url}${link.pathname}${link.search}`, { redirect: 'manual' });
    expect(landed.status).toBe(303);
    expect(landed.headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1\/?#access_token=.+&type=magiclink$/);
    // For an unknown address, a magic link is a signup link (GoTrue's rule).
    const unknownMagic = await admin.generateLink({ type: 'magiclink', email: newEmail('magic-new') });
    expect(unknownMagic.data.properties?.verification_type).toBe('signup');

    // recovery: the code with type recovery.
    const recovery = await admin.generateLink({ type: 'recovery', email: existing });
    expect((await gateway.client().verifyOtp({ email: existing, token: must(recovery.data.properties).email_otp, type: 'recovery' })).error).toBeNull();
    expect((await admin.generateLink({ type: 'recovery', email: newEmail('nobody') })).error).toMatchObject({ status: 404, code: 'user_not_found' });

    // email_change_current: the current address's code applies the new address.
    const changed = newEmail('changed');
    const current = await admin.generateLink({ type: 'email_change_current', email: existing, newEmail: changed });
    expect(current.data.user?.new_email).toBe(changed);
    const applied = await gateway.client().verifyOtp({ email: existing, token: must(current.data.properties).email_otp, type: 'email_change' });
    expect(applied.data.user?.email).toBe(changed);

    // email_change_new: the new address's link (its hash) applies it.
    const changedAgain = newEmail('changed-again');
    const next = await admin.generateLink({ type: 'email_change_new', email: changed, newEmail: changedAgain });
    expect((await gateway.client().verifyOtp({ token_hash: must(next.data.properties).hashed_token, type: 'email_change' })).data.user?.email).toBe(changedAgain);
    expect(await profileOf(must(next.data.user).id)).toMatchObject({ customer_email: changedAgain });

    expect((await admin.generateLink({ type: 'sms' as never, email: changedAgain })).error).toMatchObject({ status: 400, code: 'validation_failed' });
    // Nothing was mailed: generate_link hands the link to its caller.
    const mailed = await gateway.pool.query('select count(*)::int as n from auth.mail_outbox where lower(recipient) = any($1)', [
      [signupEmail, inviteEmail, existing, changed, changedAgain],
    ]);
    expect(mailed.rows[0].n).toBe(0);
  });
});

/** Their `authClientWithSession`: one client for the whole suite, keeping its session between calls. */
let authJsSession: GoTrueClient;
describeAuthJsAdminCases(() => ({ serviceRoleApiClient: adminApi(), authClientWithSession: (authJsSession ??= sessionClient()) }));

// Last, so that it reads the lines of every case above.
describe('logs', () => {
  it('never hold an address or a password the admin API was sent, nor the key', () => {
    const text = logLines.join('');
    expect(logLines.length).toBeGreaterThan(0);
    for (const sent of secretsSent) expect(text.includes(sent) ? sent : 'absent').toBe('absent');
    expect(text.includes(serviceKey)).toBe(false);
  });
});
