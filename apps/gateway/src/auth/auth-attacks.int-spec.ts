import { drizzle } from 'drizzle-orm/node-postgres';
import pino from 'pino';
import type { JobProducer } from '@dreamseed/platform';
import { sleep } from '@dreamseed/testing';
import { codeIn, randomIp, startTestGateway, uniqueEmail, type TestGateway } from '../__fixtures__/test-gateway';
import * as schema from '../db/schema';
import type { AuthLimits } from './limits';
import { AuthService } from './service';
import { createTokenSigner } from './tokens';

// Attacks from the security review (issue 23) on the Supabase-compatible auth, each refused.

const PASSWORD = 'correct horse battery';
const SITE = 'http://localhost:3000';
/** The per-IP limits stay out of the way: what is under test here holds per address, whatever the client IP. */
const GENEROUS_IP_LIMITS = { RATE_LIMIT_SIGN_IN_PER_5_MIN: '10000', RATE_LIMIT_VERIFY_PER_5_MIN: '10000', RATE_LIMIT_EMAIL_PER_HOUR: '100' };

async function post(gateway: TestGateway, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${gateway.authUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: 'anon-key', 'x-forwarded-for': randomIp(), ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

async function confirmedAccount(gateway: TestGateway, email = uniqueEmail()) {
  await gateway.client().signUp({ email, password: PASSWORD });
  const verified = await gateway.client().verifyOtp({ email, token: codeIn((await gateway.mailTo(email)).body), type: 'signup' });
  expect(verified.error).toBeNull();
  return email;
}

describe('auth attacks with confirmation on', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ AUTH_AUTOCONFIRM: 'false', AUTH_SITE_URL: SITE, ...GENEROUS_IP_LIMITS });
  });
  afterAll(() => gateway.stop());

  describe('mail-link redirects', () => {
    it.each([
      ['a host that starts like the site', 'http://localhost:3000.evil.example/steal'],
      ['userinfo that looks like the site', 'http://localhost:3000@evil.example/'],
    ])('a verify link with %s redirects to the site, not to the attacker', async (_label, attack) => {
      const email = uniqueEmail();
      await gateway.client().signUp({ email, password: PASSWORD });
      const link = new URL(/(http\S+\/auth\/v1\/verify\S+)/.exec((await gateway.mailTo(email)).body)?.[1] ?? '');
      const verify = new URL(`${gateway.authUrl}/verify`);
      verify.searchParams.set('token', link.searchParams.get('token') ?? '');
      verify.searchParams.set('type', 'signup');
      verify.searchParams.set('redirect_to', attack);
      const response = await fetch(verify, { redirect: 'manual' });
      expect(response.status).toBe(303);
      const location = new URL(response.headers.get('location') ?? '');
      expect(location.origin).toBe(SITE);
      expect(new URLSearchParams(location.hash.slice(1)).get('access_token')).toBeTruthy();
    });

    it('writes the site, not the attacker, into the mailed link', async () => {
      const email = uniqueEmail();
      const attack = 'http://localhost:3000.evil.example/steal';
      expect((await post(gateway, `/signup?redirect_to=${encodeURIComponent(attack)}`, { email, password: PASSWORD })).status).toBe(200);
      const link = new URL(/(http\S+\/auth\/v1\/verify\S+)/.exec((await gateway.mailTo(email)).body)?.[1] ?? '');
      expect(link.searchParams.get('redirect_to')).toBe(SITE);
    });
  });

  describe('guessing six-digit codes', () => {
    it('voids the codes of an address after five wrong ones, even from different IPs; a fresh code works', async () => {
      const email = uniqueEmail();
      await gateway.client().signUp({ email, password: PASSWORD });
      const mail = await gateway.mailTo(email, 'confirmation_token');
      const right = codeIn(mail.body);
      const wrong = right === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i += 1) {
        const guess = await post(gateway, '/verify', { type: 'signup', email, token: wrong });
        expect({ status: guess.status, code: guess.body.code }).toEqual({ status: 403, code: 'otp_expired' });
      }
      const late = await post(gateway, '/verify', { type: 'signup', email, token: right });
      expect({ status: late.status, code: late.body.code }).toEqual({ status: 403, code: 'otp_expired' });
      const left = await gateway.pool.query('select 1 from auth.one_time_tokens where relates_to = $1', [email]);
      expect(left.rowCount).toBe(0);

      await gateway.pool.query(`update auth.mail_outbox set status = 'sent' where recipient = $1`, [email]);
      expect((await gateway.client().resend({ type: 'signup', email })).error).toBeNull();
      const fresh = codeIn((await gateway.mailTo(email, 'confirmation_token')).body);
      const verified = await post(gateway, '/verify', { type: 'signup', email, token: fresh });
      expect(verified.status).toBe(200);
      expect(verified.body.access_token).toBeTruthy();
    });

    it('mails codes that live an hour by default, and says so', async () => {
      const email = uniqueEmail();
      await gateway.client().signUp({ email, password: PASSWORD });
      expect((await gateway.mailTo(email, 'confirmation_token')).body).toContain('The code expires in 1 hour.');
      const token = await gateway.pool.query(
        `select extract(epoch from expires_at - created_at)::int as lifetime from auth.one_time_tokens where relates_to = $1`,
        [email],
      );
      expect(token.rows[0].lifetime).toBeGreaterThan(3590);
      expect(token.rows[0].lifetime).toBeLessThanOrEqual(3600);
    });

    it('lets a founder who mistyped a few times in, and starts the count again', async () => {
      const email = uniqueEmail();
      await gateway.client().signUp({ email, password: PASSWORD });
      const right = codeIn((await gateway.mailTo(email, 'confirmation_token')).body);
      const wrong = right === '000000' ? '111111' : '000000';
      for (let i = 0; i < 4; i += 1) await post(gateway, '/verify', { type: 'signup', email, token: wrong });
      expect((await post(gateway, '/verify', { type: 'signup', email, token: right })).status).toBe(200);

      expect((await gateway.client().resetPasswordForEmail(email)).error).toBeNull();
      const recovery = codeIn((await gateway.mailTo(email, 'recovery_token')).body);
      for (let i = 0; i < 4; i += 1) await post(gateway, '/verify', { type: 'recovery', email, token: wrong });
      expect((await post(gateway, '/verify', { type: 'recovery', email, token: recovery })).status).toBe(200);
    });
  });

  describe('which addresses exist', () => {
    /** Keys and value types, recursively: what a client could tell two answers apart by, values aside. */
    const shapeOf = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(shapeOf)
        : value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shapeOf(inner)]))
          : typeof value;
    const VARYING_HEADERS = new Set(['date', 'etag', 'x-correlation-id', 'content-length', 'x-request-id']);
    const headersOf = (headers: Headers) => [...headers].filter(([name]) => !VARYING_HEADERS.has(name));

    it('answers a sign-up of a confirmed address exactly as one of a new address, and mails only the new one', async () => {
      const known = await confirmedAccount(gateway);
      const fresh = uniqueEmail();
      const data = { full_name: 'Ada Founder' };
      const forKnown = await post(gateway, '/signup', { email: known, password: 'another password', data });
      const forNew = await post(gateway, '/signup', { email: fresh, password: 'another password', data });
      expect(forKnown.status).toBe(200);
      expect(forNew.status).toBe(200);
      expect(shapeOf(forKnown.body)).toEqual(shapeOf(forNew.body));
      expect(headersOf(forKnown.headers)).toEqual(headersOf(forNew.headers));
      expect(forKnown.body).toMatchObject({ email: known, role: 'authenticated', user_metadata: data });
      expect((forKnown.body.identities as unknown[]).length).toBe(1);
      await gateway.mailTo(fresh, 'confirmation_token');
      const toKnown = await gateway.pool.query(`select 1 from auth.mail_outbox where recipient = $1 and kind = 'confirmation_token'`, [known]);
      expect(toKnown.rowCount).toBe(1);
      const standIns = await gateway.pool.query(`select 1 from auth.users where id = $1`, [forKnown.body.id]);
      expect(standIns.rowCount).toBe(0);
    });

    it('answers recovery for a registered and an unknown address alike', async () => {
      const known = await confirmedAccount(gateway);
      const forKnown = await post(gateway, '/recover', { email: known });
      const forUnknown = await post(gateway, '/recover', { email: uniqueEmail() });
      expect([forKnown.status, forKnown.body]).toEqual([200, {}]);
      expect([forUnknown.status, forUnknown.body]).toEqual([200, {}]);
      expect(headersOf(forKnown.headers)).toEqual(headersOf(forUnknown.headers));
    });

    it('takes as long to answer recovery for a registered address as for an unknown one', async () => {
      const known = await confirmedAccount(gateway);
      const timed = async (email: string) => {
        // Spaced out, so that one request's work after its answer (the queue hand-off, the mail) is not timed as
        // part of the next.
        await sleep(40);
        const start = performance.now();
        await post(gateway, '/recover', { email });
        return performance.now() - start;
      };
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[12] ?? 0;
      // A ratio of medians, so that a loaded machine slows both sides alike; each pair in turn order, so that
      // neither side always runs right after the other's leftover work.
      const ratioOfMedians = async () => {
        const forKnown: number[] = [];
        const forUnknown: number[] = [];
        for (let pair = 0; pair < 25; pair += 1) {
          if (pair % 2) forUnknown.push(await timed(uniqueEmail()));
          forKnown.push(await timed(known));
          if (!(pair % 2)) forUnknown.push(await timed(uniqueEmail()));
        }
        return median(forKnown) / median(forUnknown);
      };
      // The leak made registered addresses far slower than the band allows, in every measurement; a busy shared
      // machine can push one measurement out of the band now and then, so up to three are taken.
      const ratios: number[] = [];
      while (ratios.length < 3 && !ratios.some((ratio) => ratio > 0.5 && ratio < 1.5)) ratios.push(await ratioOfMedians());
      expect(ratios.some((ratio) => ratio > 0.5 && ratio < 1.5)).toBe(true);
    }, 60_000);
  });

  describe('user metadata', () => {
    it('refuses 20 KB of metadata at sign-up with validation_failed', async () => {
      const answer = await post(gateway, '/signup', { email: uniqueEmail(), password: PASSWORD, data: { bio: 'x'.repeat(20_000) } });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'validation_failed', error_code: 'validation_failed' });
    });

    it('refuses metadata nested deeper than four levels', async () => {
      const answer = await post(gateway, '/signup', { email: uniqueEmail(), password: PASSWORD, data: { a: { b: { c: { d: { e: 1 } } } } } });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('validation_failed');
      expect(answer.body.message).toMatch(/4 levels/);
    });
  });
});

describe('auth attacks with confirmation off', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ AUTH_AUTOCONFIRM: 'true', ...GENEROUS_IP_LIMITS });
  });
  afterAll(() => gateway.stop());

  const userAt = (gatewayUrl: string, token: string) => fetch(`${gatewayUrl}/user`, { headers: { authorization: `Bearer ${token}` } });

  it('keeps a maximal-metadata account usable: its access token stays small and GET /user works', async () => {
    const limit = gateway.config.AUTH_USER_METADATA_MAX_BYTES;
    const data = { full_name: 'Ada Founder', notes: '' };
    data.notes = 'x'.repeat(limit - Buffer.byteLength(JSON.stringify(data)));
    const signUp = await post(gateway, '/signup', { email: uniqueEmail(), password: PASSWORD, data });
    expect(signUp.status).toBe(200);
    const token = String(signUp.body.access_token);
    expect(`Authorization: Bearer ${token}`.length).toBeLessThan(5 * 1024);
    const user = await userAt(gateway.authUrl, token);
    expect(user.status).toBe(200);
    expect(((await user.json()) as { user_metadata: unknown }).user_metadata).toEqual(data);
  });

  it('counts the merged result on PUT /user', async () => {
    const auth = gateway.client();
    await auth.signUp({ email: uniqueEmail(), password: PASSWORD, options: { data: { a: 'x'.repeat(1500) } } });
    const grown = await auth.updateUser({ data: { b: 'y'.repeat(1500) } });
    expect(grown.error).toMatchObject({ status: 400, code: 'validation_failed' });
    const replaced = await auth.updateUser({ data: { a: null, b: 'y'.repeat(1500) } });
    expect(replaced.error).toBeNull();
    expect(replaced.data.user?.user_metadata).toEqual({ b: 'y'.repeat(1500) });
  });

  it('lets an account bricked before the limit sign in with a small token and shrink its metadata', async () => {
    const email = uniqueEmail();
    const { data } = await gateway.client().signUp({ email, password: PASSWORD });
    await gateway.pool.query(`update auth.users set raw_user_meta_data = $2 where id = $1`, [data.user?.id, { bio: 'x'.repeat(20_000) }]);
    const auth = gateway.client();
    const signIn = await auth.signInWithPassword({ email, password: PASSWORD });
    expect(signIn.error).toBeNull();
    expect(signIn.data.session?.access_token.length).toBeLessThan(2048);
    expect((await auth.updateUser({ data: { bio: null } })).error).toBeNull();
  });
});

describe('the work done for registered and unknown addresses', () => {
  /**
   * Timing on a shared machine is too noisy to prove a sub-millisecond symmetry, so this proves it structurally:
   * the statements each path sends to Postgres, the limits it spends, and that no queue round trip happens before
   * the answer.
   */
  let gateway: TestGateway;
  const statements: string[] = [];
  const limitCalls: string[] = [];
  const enqueued: string[] = [];
  let service: AuthService;

  beforeAll(async () => {
    gateway = await startTestGateway({ AUTH_AUTOCONFIRM: 'false', ...GENEROUS_IP_LIMITS });
    const db = drizzle(gateway.pool, { schema, logger: { logQuery: (query) => statements.push(query) } });
    const recordingLimits = new Proxy({} as AuthLimits, {
      get: (_target, name) => async () => {
        limitCalls.push(String(name));
        return true;
      },
    });
    const producer = { enqueue: async (_queue: string, name: string) => void enqueued.push(name) } as unknown as JobProducer;
    const signer = createTokenSigner({ secret: gateway.config.JWT_SECRET, issuer: 'test', expirySeconds: 3600 });
    service = new AuthService(db, gateway.config, signer, recordingLimits, producer, pino({ level: 'silent' }));
  });
  afterAll(() => gateway.stop());

  async function record(run: () => Promise<unknown>) {
    statements.length = 0;
    limitCalls.length = 0;
    enqueued.length = 0;
    await run();
    const answered = { statements: [...statements], limits: [...limitCalls], enqueuedBeforeAnswer: enqueued.length };
    await new Promise((resolve) => setImmediate(resolve));
    return { ...answered, enqueuedAfterAnswer: enqueued.length };
  }

  // Which savepoint end a path takes is the one difference allowed: both are a single statement.
  const normalized = (sql: string[]) => sql.map((statement) => statement.replace(/^(release|rollback to) savepoint/, 'end savepoint'));
  const client = { ip: '10.0.0.1', userAgent: 'test' };

  it('sign-up runs the same statements and spends the same limits for a confirmed address as for a new one', async () => {
    const known = await confirmedAccount(gateway);
    const forKnown = await record(() => service.signUp({ email: known, password: PASSWORD, data: { full_name: 'A' } }, client));
    const forNew = await record(() => service.signUp({ email: uniqueEmail(), password: PASSWORD, data: { full_name: 'A' } }, client));
    expect(forKnown.statements.length).toBeGreaterThan(8);
    expect(normalized(forKnown.statements)).toEqual(normalized(forNew.statements));
    expect(forKnown.limits).toEqual(forNew.limits);
    expect([forNew.enqueuedBeforeAnswer, forNew.enqueuedAfterAnswer]).toEqual([0, 1]);
    expect([forKnown.enqueuedBeforeAnswer, forKnown.enqueuedAfterAnswer]).toEqual([0, 0]);
  });

  it('recovery runs as many statements for an unknown address, the stand-in account in place of replacing a token', async () => {
    const known = await confirmedAccount(gateway);
    const forKnown = await record(() => service.recover(known, client));
    const forUnknown = await record(() => service.recover(uniqueEmail(), client));
    const kinds = (statements: string[]) =>
      normalized(statements).map((statement) => statement.replace(/^insert into "auth"."users".*|^delete from "auth"."one_time_tokens".*/, 'make room for the token'));
    expect(forKnown.statements.length).toBeGreaterThan(5);
    expect(kinds(forUnknown.statements)).toEqual(kinds(forKnown.statements));
    expect(forKnown.limits).toEqual(forUnknown.limits);
    expect([forKnown.enqueuedBeforeAnswer, forKnown.enqueuedAfterAnswer]).toEqual([0, 1]);
    expect(forUnknown.enqueuedAfterAnswer).toBe(0);
  });
});
