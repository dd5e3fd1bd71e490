// Over 350 lines on purpose: every test shares one costly setup (four owner services as their own processes).
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { withFounder } from '@dreamseed/platform';
import { freePort, testInfra, uniquePrefix, waitFor, waitForHttpOk, type RunningProcess } from '@dreamseed/testing';
import { SAMPLE_CONSULTATION } from '@dreamseed/contracts';
import { codeIn, startOwner, startTestGateway, uniqueEmail, uniquePhone, type OwnerApp, type TestGateway } from '../__fixtures__/test-gateway';
import { sampleCallDeliveries } from './sample-call';

const PASSWORD = 'correct horse battery';
const WEBHOOK_SECRET = 'vapi-webhook-secret-for-tests';

interface ErrorBody {
  error: { code: string };
}

interface Account {
  token: string;
  userId: string;
  profileId: string;
  email: string;
}

describe('the founder API (/v1/me) under row-level security', () => {
  let gateway: TestGateway;
  let a: Account;
  let b: Account;

  async function signUp(): Promise<Account> {
    const email = uniqueEmail();
    const phone = uniquePhone();
    const { data, error } = await gateway.client().signUp({ email, password: PASSWORD, options: { data: { full_name: 'Founder', phone } } });
    if (error) throw error;
    // The number identifies the founder on calls only once the code texted to it comes back.
    const confirmed = await gateway.client().verifyOtp({ type: 'phone_change', phone, token: codeIn((await gateway.mailTo(phone, 'phone_change_token')).body) });
    if (confirmed.error) throw confirmed.error;
    return {
      token: data.session?.access_token ?? '',
      userId: data.user?.id ?? '',
      profileId: String(data.user?.app_metadata.profile_id),
      email,
    };
  }

  const call = (account: Account | undefined, method: string, path: string, body?: unknown) =>
    fetch(`${gateway.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(account ? { authorization: `Bearer ${account.token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  let voice: RunningProcess;
  let analysis: RunningProcess;
  let domain: RunningProcess;
  let billing: RunningProcess;

  beforeAll(async () => {
    // The owner services run as their own processes (apps do not import each other), reading with forwarded
    // tokens.
    const [voicePort, analysisPort, domainPort, billingPort, gatewayPort] = await Promise.all([1, 2, 3, 4, 5].map(() => freePort()));
    const prefix = uniquePrefix('me');
    const owner = (app: OwnerApp, port: number, env: Record<string, string> = {}) => startOwner(app, port, prefix, env);
    voice = owner('voice-service', voicePort, { GATEWAY_URL: `http://127.0.0.1:${gatewayPort}`, VAPI_PUBLIC_KEY: 'public-key-for-tests', VAPI_SERVER_CREDENTIAL_ID: 'credential-for-tests' });
    analysis = owner('analysis-service', analysisPort, { VOICE_SERVICE_URL: `http://127.0.0.1:${voicePort}` });
    domain = owner('domain-service', domainPort, { DOMAIN_PROVIDER: 'offline' });
    billing = owner('billing-service', billingPort, { PUBLIC_URL: `http://127.0.0.1:${gatewayPort}` });
    gateway = await startTestGateway({
      AUTH_AUTOCONFIRM: 'true',
      VOICE_SERVICE_URL: `http://127.0.0.1:${voicePort}`,
      ANALYSIS_SERVICE_URL: `http://127.0.0.1:${analysisPort}`,
      DOMAIN_SERVICE_URL: `http://127.0.0.1:${domainPort}`,
      BILLING_SERVICE_URL: `http://127.0.0.1:${billingPort}`,
      PORT: String(gatewayPort),
      QUEUE_PREFIX: prefix,
      SAMPLE_CALLS: 'true',
      SAMPLE_CALL_PACE_MS: '20',
      VAPI_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    await waitForHttpOk(`http://127.0.0.1:${voicePort}/health/ready`, 30_000, voice);
    await waitForHttpOk(`http://127.0.0.1:${analysisPort}/health/ready`, 30_000, analysis);
    await waitForHttpOk(`http://127.0.0.1:${domainPort}/health/ready`, 30_000, domain);
    await waitForHttpOk(`http://127.0.0.1:${billingPort}/health/ready`, 30_000, billing);
    [a, b] = [await signUp(), await signUp()];
  });
  afterAll(async () => {
    await gateway.stop();
    for (const app of [voice, analysis, domain, billing]) app.kill('SIGTERM');
    await Promise.all([voice.exited, analysis.exited, domain.exited, billing.exited]);
  });

  it('returns the profile with the table column names', async () => {
    const response = await call(a, 'GET', '/v1/me');
    expect(response.status).toBe(200);
    const profile = (await response.json()) as Record<string, unknown>;
    expect(profile).toMatchObject({ id: a.profileId, auth_user_id: a.userId, customer_email: a.email, status: 'registered', current_call_stage: 1, amount_paid: 0, currency: 'usd' });
    expect(Object.keys(profile)).toHaveLength(37);
  });

  it('changes the founder-editable fields, verbatim', async () => {
    const sqlish = "Seeds'); DELETE FROM core.users;--";
    const response = await call(a, 'PATCH', '/v1/me', { business_name: sqlish, state_of_operation: 'CA', entity_type: 'llc', urgency_level: 'high' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ business_name: sqlish, state_of_operation: 'CA', entity_type: 'llc', urgency_level: 'high' });
  });

  it('refuses fields a founder may not write, bad values and an empty patch with 400', async () => {
    for (const body of [{ call_1_completed: true }, { payment_status: 'paid' }, { status: 'formed' }, { state_of_operation: 'XX' }, {}, 'text']) {
      const response = await call(a, 'PATCH', '/v1/me', body);
      expect(response.status).toBe(400);
      expect(['validation_failed', 'invalid_json']).toContain(((await response.json()) as ErrorBody).error.code);
    }
    const broken = await fetch(`${gateway.url}/v1/me`, { method: 'PATCH', headers: { 'content-type': 'application/json', authorization: `Bearer ${a.token}` }, body: '{"x":' });
    expect(broken.status).toBe(400);
  });

  it('leaves the phone number to PUT /auth/v1/user, where a texted code confirms it', async () => {
    const theirs = ((await (await call(b, 'GET', '/v1/me')).json()) as { customer_phone: string }).customer_phone;
    const response = await call(a, 'PATCH', '/v1/me', { customer_phone: theirs });
    expect(response.status).toBe(422);
    expect(((await response.json()) as ErrorBody).error.code).toBe('phone_verification_required');
  });

  it('keeps formation details per founder', async () => {
    expect((await call(b, 'GET', '/v1/me/formation')).status).toBe(404);
    const put = await call(a, 'PUT', '/v1/me/formation', {
      legal_name: 'Seeds LLC',
      entity_type: 'llc',
      state_of_formation: 'DE',
      business_address: { line1: '1 Main St', city: 'Dover', state: 'DE', postal_code: '19901' },
      members: [{ name: 'Founder', ownership_percent: 100 }],
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ user_id: a.profileId, legal_name: 'Seeds LLC', members: [{ name: 'Founder', ownership_percent: 100 }] });
    const again = await call(a, 'PUT', '/v1/me/formation', { dba_name: 'Seeds' });
    expect(await again.json()).toMatchObject({ legal_name: 'Seeds LLC', dba_name: 'Seeds' });
    expect((await call(b, 'GET', '/v1/me/formation')).status).toBe(404);
    expect((await call(a, 'PUT', '/v1/me/formation', { members: 'everyone' })).status).toBe(400);
  });

  it('is described in the API document', async () => {
    const document = (await (await fetch(`${gateway.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/me', '/v1/me/formation', '/auth/v1/signup', '/auth/v1/user']));
  });

  it('tells the other services who calls from a number, and nobody else', async () => {
    const phone = ((await (await call(a, 'GET', '/v1/me')).json()) as { customer_phone: string }).customer_phone;
    const lookup = (token?: string, number: unknown = phone) =>
      fetch(`${gateway.url}/internal/founders/lookup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { 'x-internal-token': token } : {}) },
        body: JSON.stringify({ phone: number }),
      });
    expect((await lookup()).status).toBe(401);
    expect((await lookup('guess')).status).toBe(401);
    const found = await lookup('internal-secret-for-tests');
    expect(found.status).toBe(200);
    const founder = (await found.json()) as Record<string, unknown>;
    expect(founder).toMatchObject({ id: a.profileId, currentCallStage: 1, assistantType: 'shared' });
    expect(Object.keys(founder).sort()).toEqual(
      ['assistantType', 'businessName', 'businessType', 'currentCallStage', 'customerName', 'customerPhone', 'id', 'individualAssistantId', 'status'],
    );
    // By profile id (an outbound call's metadata), the same founder.
    const byId = await fetch(`${gateway.url}/internal/founders/${a.profileId}`, { headers: { 'x-internal-token': 'internal-secret-for-tests' } });
    expect(await byId.json()).toEqual(founder);
    expect((await fetch(`${gateway.url}/internal/founders/${randomUUID()}`, { headers: { 'x-internal-token': 'internal-secret-for-tests' } })).status).toBe(404);
    expect((await lookup('internal-secret-for-tests', '+19995550000')).status).toBe(404);
    for (const bad of ['555', 42, null]) expect((await lookup('internal-secret-for-tests', bad)).status).toBe(400);
  });

  it('registers a caller the intake assistant met, once per confirmed number, and mails the confirmation', async () => {
    const phone = uniquePhone();
    const email = uniqueEmail();
    const register = (body: unknown, token = 'internal-secret-for-tests') =>
      fetch(`${gateway.url}/internal/founders`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-internal-token': token }, body: JSON.stringify(body) });
    expect((await register({ phone, email }, 'guess')).status).toBe(401);
    for (const bad of [{ phone: '555', email }, { phone, email: 'nope' }, { phone }, { phone, email, role: 'admin' }]) expect((await register(bad)).status).toBe(400);
    const created = await register({ phone, email, name: 'Cy Caller' });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    // Caller ID proves nothing: the number counts once the code texted to it comes back.
    const confirmed = await gateway.client().verifyOtp({ type: 'phone_change', phone, token: codeIn((await gateway.mailTo(phone, 'phone_change_token')).body) });
    expect(confirmed.error).toBeNull();
    const again = await register({ phone, email: uniqueEmail() });
    expect({ status: again.status, body: await again.json() }).toEqual({ status: 200, body: { id, created: false } });
    const taken = await register({ phone: uniquePhone(), email: a.email });
    expect(taken.status).toBe(409);
    expect(((await taken.json()) as ErrorBody).error.code).toBe('email_exists');

    const found = await fetch(`${gateway.url}/internal/founders/lookup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-internal-token': 'internal-secret-for-tests' },
      body: JSON.stringify({ phone }),
    });
    expect(await found.json()).toMatchObject({ id, customerName: 'Cy Caller', currentCallStage: 1 });
    expect((await gateway.mailTo(email, 'confirmation_token')).subject).toBeTruthy();
  });

  it('requires a valid token', async () => {
    expect((await call(undefined, 'GET', '/v1/me')).status).toBe(401);
    expect((await call({ ...a, token: 'x.y.z' }, 'GET', '/v1/me')).status).toBe(401);
  });

  it("lists the founder's calls and transcripts from the voice service, and none of another founder's", async () => {
    const session = await gateway.pool.query(
      `insert into voice.call_sessions (user_id, vapi_call_id, call_stage, direction, status, summary) values ($1, $2, 1, 'outbound', 'ended', 'Discovery done') returning id`,
      [a.profileId, `me-${randomUUID()}`],
    );
    const callId = session.rows[0].id as string;
    await gateway.pool.query(`insert into voice.transcripts (call_session_id, user_id, call_stage, text) values ($1, $2, 1, 'AI: Hello')`, [callId, a.profileId]);

    const mine = (await (await call(a, 'GET', '/v1/me/calls')).json()) as { calls: { id: string; summary: string }[] };
    expect(mine.calls).toEqual([expect.objectContaining({ id: callId, summary: 'Discovery done', status: 'ended', call_stage: 1 })]);
    expect(((await (await call(b, 'GET', '/v1/me/calls')).json()) as { calls: unknown[] }).calls).toEqual([]);

    const transcript = await call(a, 'GET', `/v1/me/calls/${callId}/transcript`);
    expect(transcript.status).toBe(200);
    expect(await transcript.json()).toMatchObject({ call_id: callId, text: 'AI: Hello' });
    expect((await call(b, 'GET', `/v1/me/calls/${callId}/transcript`)).status).toBe(404);
    expect((await call(a, 'GET', '/v1/me/calls/not-a-uuid/transcript')).status).toBe(404);
  });

  it('plans the next call through the voice service (the local provider places it) and cancels a later one', async () => {
    // A founder of their own: the calls listed above gave `a` a finished first stage, which is never dialled again.
    const fresh = await signUp();
    expect((await call(fresh, 'POST', '/v1/me/calls', { at: 'tomorrow' })).status).toBe(400);
    expect((await call(fresh, 'POST', '/v1/me/calls', { at: '2020-01-01T00:00:00Z' })).status).toBe(400);
    const now = await call(fresh, 'POST', '/v1/me/calls', {});
    expect(now.status).toBe(202);
    expect(await now.json()).toMatchObject({ call_stage: 1 });
    const placed = await waitFor(async () => {
      const rows = await gateway.pool.query(`select status, vapi_call_id from voice.voice_calls where user_id = $1 and status = 'placed'`, [fresh.profileId]);
      return rows.rows[0] as { vapi_call_id: string } | undefined;
    }, 'the call to be placed', 15_000);
    expect(placed.vapi_call_id).toMatch(/^simulated-/);
    const { planned } = (await (await call(fresh, 'GET', '/v1/me/calls')).json()) as { planned: { status: string; vapi_call_id: string; call_stage: number }[] };
    expect(planned).toEqual([expect.objectContaining({ status: 'placed', vapi_call_id: placed.vapi_call_id, call_stage: 1, last_error: null })]);

    // Nothing planned: nothing to cancel, and no job that would change nothing.
    const nothing = await call(b, 'DELETE', '/v1/me/calls/next');
    expect(nothing.status).toBe(404);
    expect(((await nothing.json()) as ErrorBody).error.code).toBe('no_call_planned');

    const later = new Date(Date.now() + 3600_000).toISOString();
    expect((await call(b, 'POST', '/v1/me/calls', { at: later })).status).toBe(202);
    await waitFor(async () => (await gateway.pool.query(`select 1 from voice.voice_calls where user_id = $1 and status = 'scheduled'`, [b.profileId])).rowCount === 1, 'the plan');
    expect((await call(b, 'DELETE', '/v1/me/calls/next')).status).toBe(202);
    await waitFor(async () => (await gateway.pool.query(`select 1 from voice.voice_calls where user_id = $1 and status = 'cancelled'`, [b.profileId])).rowCount === 1, 'the cancellation');
    expect((await call(b, 'DELETE', '/v1/me/calls/next')).status).toBe(404);
    // Each founder sees their own plans only.
    const theirs = (await (await call(b, 'GET', '/v1/me/calls')).json()) as { planned: { status: string; scheduled_for: string }[] };
    expect(theirs.planned).toEqual([expect.objectContaining({ status: 'cancelled', scheduled_for: later })]);
  });

  it('plays the sample consultation, one call at a time, through the whole journey to the Dream DNA', async () => {
    const founder = await signUp();
    expect(await (await call(founder, 'GET', '/v1/me/calls/sample')).json()).toEqual({ available: true, playing: false });
    for (const stage of [1, 2, 3, 4]) {
      const played = await call(founder, 'POST', '/v1/me/calls/sample');
      expect(played.status).toBe(202);
      const { vapi_call_id: vapiCallId } = (await played.json()) as { vapi_call_id: string; call_stage: number };
      // A double click plays one call.
      const again = await call(founder, 'POST', '/v1/me/calls/sample');
      expect([again.status, ((await again.json()) as ErrorBody).error.code]).toEqual([409, 'sample_call_playing']);
      await waitFor(async () => ((await (await call(founder, 'GET', '/v1/me')).json()) as Record<string, unknown>)[`call_${stage}_completed`] === true, `sample call ${stage}`, 30_000);
      const { calls } = (await (await call(founder, 'GET', '/v1/me/calls')).json()) as { calls: { id: string; vapi_call_id: string; call_stage: number; summary: string }[] };
      const made = calls.find((c) => c.vapi_call_id === vapiCallId);
      expect(made).toMatchObject({ call_stage: stage, direction: 'outbound', status: 'ended' });
      const transcript = (await (await call(founder, 'GET', `/v1/me/calls/${made?.id}/transcript`)).json()) as { turns: { content: string }[] };
      expect(transcript.turns.length).toBeGreaterThan(0);
      await waitFor(async () => !((await (await call(founder, 'GET', '/v1/me/calls/sample')).json()) as { playing: boolean }).playing, 'the sample to end');
    }
    const done = await call(founder, 'POST', '/v1/me/calls/sample');
    expect([done.status, ((await done.json()) as ErrorBody).error.code]).toEqual([409, 'consultation_complete']);
    const dna = await waitFor(async () => {
      const response = await call(founder, 'GET', '/v1/me/dream-dna');
      return response.status === 200 ? ((await response.json()) as Record<string, unknown>) : undefined;
    }, 'the Dream DNA', 30_000);
    expect(dna).toMatchObject({ user_id: founder.profileId, what_problem: expect.stringMatching(/bread|bakeries/i) });
  });

  it('starts a web call with a ticket naming the founder, and believes no web call without one', async () => {
    const founder = await signUp();
    const started = await call(founder, 'POST', '/v1/me/calls/web');
    expect(started.status).toBe(201);
    const web = (await started.json()) as { assistant: object | null; assistant_overrides: { metadata: { ticket: string; callStage: number } } };
    expect(web).toMatchObject({ public_key: 'public-key-for-tests', call_stage: 1, assistant_overrides: { metadata: { ticket: expect.any(String), callStage: 1 }, variableValues: expect.any(Object) } });
    // The browser gets the assistant's server by its VAPI credential, never the webhook secret.
    expect(JSON.stringify(web)).toContain('credential-for-tests');
    expect(JSON.stringify(web)).not.toContain(WEBHOOK_SECRET);

    const deliver = async (vapiCallId: string, metadata: object) => {
      for (const delivery of sampleCallDeliveries({ vapiCallId, userId: founder.profileId, script: SAMPLE_CONSULTATION[0], startedAt: new Date() })) {
        Object.assign(delivery.message.call ?? {}, { type: 'webCall', assistantOverrides: { metadata } });
        const sent = await fetch(`${gateway.url}/webhooks/vapi`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-vapi-secret': WEBHOOK_SECRET }, body: JSON.stringify(delivery) });
        expect(sent.status).toBe(200);
      }
    };
    const forged = `web-forged-${randomUUID()}`;
    const ticketed = `web-ticketed-${randomUUID()}`;
    // What any page holding VAPI's public key could send: the founder's id in the metadata, no ticket.
    await deliver(forged, { userId: founder.profileId, callStage: 1 });
    await deliver(ticketed, web.assistant_overrides.metadata);
    await waitFor(async () => ((await (await call(founder, 'GET', '/v1/me')).json()) as { call_1_completed: boolean }).call_1_completed, 'the web call on the profile', 30_000);
    const { calls } = (await (await call(founder, 'GET', '/v1/me/calls')).json()) as { calls: { vapi_call_id: string; direction: string }[] };
    expect(calls.map((c) => [c.vapi_call_id, c.direction])).toEqual([[ticketed, 'web']]);
    expect((await gateway.pool.query(`select user_id from voice.call_sessions where vapi_call_id = $1`, [forged])).rows).toEqual([{ user_id: null }]);
  });

  it('pages every planned call, newest first, beyond the 20 the calls list carries', async () => {
    const founder = await signUp();
    const times = [1, 2, 3].map((days) => new Date(Date.parse('2026-01-01T15:00:00Z') + days * 86_400_000).toISOString());
    for (const [index, at] of times.entries()) {
      await gateway.pool.query(`insert into voice.voice_calls (user_id, call_stage, scheduled_for, status) values ($1, $2, $3, 'cancelled')`, [founder.profileId, index + 1, at]);
    }
    type Planned = { planned: { call_stage: number; scheduled_for: string }[]; next_cursor: string | null };
    const first = (await (await call(founder, 'GET', '/v1/me/calls/planned?limit=2')).json()) as Planned;
    expect(first.planned.map((plan) => plan.scheduled_for)).toEqual([times[2], times[1]]);
    const second = (await (await call(founder, 'GET', `/v1/me/calls/planned?limit=2&cursor=${first.next_cursor}`)).json()) as Planned;
    expect(second).toEqual({ planned: [expect.objectContaining({ call_stage: 1, scheduled_for: times[0] })], next_cursor: null });
    // Another founder's cursor names no row of theirs: the list simply ends.
    expect(((await (await call(b, 'GET', `/v1/me/calls/planned?cursor=${first.next_cursor}`)).json()) as Planned).planned).toEqual([]);
  });

  it('exports what it holds on the founder', async () => {
    const response = await call(a, 'GET', '/v1/me/export');
    const exported = (await response.json()) as {
      profile: { id: string };
      account: { email: string };
      formation: { legal_name: string };
      sessions: unknown[];
      calls: unknown[];
      dream_dna_versions: unknown[];
      domain_searches: unknown[];
      subscription: unknown;
      payments: unknown[];
    };
    expect(exported.profile.id).toBe(a.profileId);
    expect(exported.account.email).toBe(a.email);
    expect(exported.formation.legal_name).toBe('Seeds LLC');
    expect(exported.sessions.length).toBeGreaterThanOrEqual(1);
    expect(exported.calls.length).toBeGreaterThanOrEqual(1);
    expect(exported).toMatchObject({ planned_calls: expect.any(Array), dream_dna_versions: expect.any(Array), domain_searches: expect.any(Array), payments: expect.any(Array), subscription: null });
    expect(exported).not.toHaveProperty('pending_sources');
    expect(JSON.stringify(exported)).not.toContain(b.email);
  });

  it('exports every row of a list longer than one page', async () => {
    const many = await signUp();
    await gateway.pool.query(
      `insert into voice.call_sessions (user_id, vapi_call_id, call_stage, direction, status)
         select $1::uuid, 'many-' || $1::text || '-' || n, 1, 'inbound', 'ended' from generate_series(1, 130) n`,
      [many.profileId],
    );
    const exported = (await (await call(many, 'GET', '/v1/me/export')).json()) as { calls: unknown[] };
    expect(exported.calls).toHaveLength(130);
    const page = (await (await call(many, 'GET', '/v1/me/calls')).json()) as { calls: unknown[]; next_cursor: string | null };
    expect(page.calls).toHaveLength(20);
    expect(page.next_cursor).toEqual(expect.any(String));
  });

  it("hides every other founder's rows at the SQL level, in every owner's schema", async () => {
    // Rows for both founders, written as the owners would write them.
    for (const founder of [a, b]) {
      await gateway.pool.query(`insert into analysis.dream_dna (business_id, version, what_problem) values ($1, 1, 'x')`, [founder.profileId]);
      await gateway.pool.query(`insert into domain.domain_searches (id, business_id, trigger) values ($1, $2, 'api')`, [randomUUID(), founder.profileId]);
      await gateway.pool.query(`insert into billing.payments (business_id, provider, package_id, kind, amount_minor, currency, status) values ($1, 'local', 'llc-basic', 'one_time', 100, 'usd', 'paid')`, [founder.profileId]);
      const call = await gateway.pool.query(`insert into voice.call_sessions (user_id, vapi_call_id, direction) values ($1, $2, 'inbound') returning id`, [founder.profileId, randomUUID()]);
      await gateway.pool.query(`insert into voice.transcripts (call_session_id, user_id, text) values ($1, $2, 'hello')`, [call.rows[0].id, founder.profileId]);
    }
    const db = drizzle(gateway.pool);
    const claims = { sub: a.userId, role: 'authenticated' };
    const seen = await withFounder(db, { id: a.profileId, claims }, async (tx) => {
      const owners = async (query: string) => (await tx.execute(sql.raw(query))).rows.map((row) => Object.values(row)[0]);
      return {
        users: await owners('select id from core.users'),
        dreamDna: await owners('select business_id from analysis.dream_dna'),
        searches: await owners('select business_id from domain.domain_searches'),
        payments: await owners('select business_id from billing.payments'),
        calls: await owners('select user_id from voice.call_sessions'),
        transcripts: await owners('select user_id from voice.transcripts'),
        authUsers: await owners('select count(*) from auth.users').catch(() => 'denied'),
      };
    });
    expect(seen.users).toEqual([a.profileId]);
    for (const rows of [seen.dreamDna, seen.searches, seen.payments, seen.calls, seen.transcripts]) {
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows)).toEqual(new Set([a.profileId]));
    }
    expect(seen.authUsers).toBe('denied');

    // Writes: B's row is out of reach, and fields outside the founder's grant are refused outright.
    const changed = await withFounder(db, { id: a.profileId, claims }, (tx) =>
      tx.execute(sql`update core.users set customer_name = 'hijacked' where id = ${b.profileId}`),
    );
    expect(changed.rowCount).toBe(0);
    await expect(
      withFounder(db, { id: a.profileId, claims }, (tx) => tx.execute(sql`update core.users set payment_status = 'paid' where id = ${a.profileId}`)),
    ).rejects.toMatchObject({ cause: { code: '42501' } });
  });

  it('takes assessment answers as a job and shows the Dream DNA they make, with its history and runs', async () => {
    const founder = await signUp();
    const notYet = await call(founder, 'GET', '/v1/me/dream-dna');
    expect(notYet.status).toBe(404);
    expect(((await notYet.json()) as ErrorBody).error.code).toBe('dream_dna_not_ready');

    const catalog = (await (await call(founder, 'GET', '/v1/me/assessments/catalog')).json()) as { version: number; questions: { id: string }[] };
    expect(catalog.version).toBe(1);
    expect(catalog.questions.map((q) => q.id)).toEqual(expect.arrayContaining(['brand_vibe', 'what_problem', 'entity_type']));

    const bad: [unknown, string][] = [
      [{ answers: [] }, 'validation_failed'],
      [{ answers: [{ question_id: 'favourite_colour', value: 'red' }] }, 'invalid_answers'],
      [{ answers: [{ question_id: 'brand_vibe', value: 'sparkly' }] }, 'invalid_answers'],
      [{ answers: [{ question_id: 'what_problem', value: 'a' }, { question_id: 'what_problem', value: 'b' }] }, 'invalid_answers'],
      [{ catalog_version: 99, answers: [{ question_id: 'brand_vibe', value: 'bold' }] }, 'unknown_catalog_version'],
      [{ answers: [{ question_id: 'brand_vibe', value: 7 }] }, 'validation_failed'],
      ['text', 'invalid_json'],
    ];
    for (const [body, code] of bad) {
      const response = await call(founder, 'POST', '/v1/me/assessments', body);
      expect({ status: response.status, code: ((await response.json()) as ErrorBody).error.code }).toEqual({ status: 400, code });
    }

    const submit = () =>
      fetch(`${gateway.url}/v1/me/assessments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${founder.token}`, 'idempotency-key': 'first-assessment' },
        body: JSON.stringify({
          answers: [
            { question_id: 'what_problem', value: 'Bakeries throw away bread every night.' },
            { question_id: 'brand_vibe', value: 'friendly' },
            { question_id: 'price_level', value: 'mid-market' },
            { question_id: 'entity_type', value: 'llc' },
          ],
        }),
      });
    const first = await submit();
    expect(first.status).toBe(202);
    const { id } = (await first.json()) as { id: string };
    expect(((await (await submit()).json()) as { id: string }).id).toBe(id);
    // The job as Redis stores it holds the answers sealed only (the analysis service, with the same key, opens them).
    const redis = new Redis(testInfra().redisUrl);
    try {
      const stored = await redis.hgetall(`${gateway.config.QUEUE_PREFIX}:analysis:assessment-${id}`);
      expect(Object.keys(JSON.parse(stored.data ?? '{}')).sort()).toEqual(['assessmentId', 'catalogVersion', 'correlationId', 'sealedAnswers', 'userId', 'v']);
      for (const answer of ['Bakeries throw away bread', 'friendly', 'mid-market']) expect(JSON.stringify(stored)).not.toContain(answer);
    } finally {
      redis.disconnect();
    }

    const dna = await waitFor(async () => {
      const response = await call(founder, 'GET', '/v1/me/dream-dna');
      return response.status === 200 ? ((await response.json()) as Record<string, unknown>) : undefined;
    }, 'the Dream DNA', 15_000);
    expect(dna).toMatchObject({ version: 1, user_id: founder.profileId, brand_vibe: 'friendly', price_level: 'mid-market', what_problem: 'Bakeries throw away bread every night.', selected_domain: null });
    // Each field with what it rests on: here the founder's answers, under the public field names.
    const answered = (quote: string) => ({ quote, confidence: expect.any(Number) });
    expect(dna.evidence).toEqual({ what_problem: answered('Bakeries throw away bread every night.'), brand_vibe: answered('friendly'), price_level: answered('mid-market') });
    const assessments = (await (await call(founder, 'GET', '/v1/me/assessments')).json()) as { assessments: { id: string; answers: unknown[] }[] };
    expect(assessments.assessments).toEqual([expect.objectContaining({ id, answers: expect.arrayContaining([{ question_id: 'brand_vibe', value: 'friendly' }]) })]);
    await waitFor(async () => ((await (await call(founder, 'GET', '/v1/me')).json()) as { entity_type: string }).entity_type === 'llc', 'the profile to hear the entity');

    const rerun = await call(founder, 'POST', '/v1/me/analyses');
    expect(rerun.status).toBe(202);
    const { id: runId } = (await rerun.json()) as { id: string };
    // The id answered reads the run back: queued, pending, then done; and only for its founder.
    const run = await waitFor(async () => {
      const body = (await (await call(founder, 'GET', `/v1/me/analyses/${runId}`)).json()) as { id: string; status: string; trigger: string };
      // A re-run asked for writes a version of its own, even with nothing new to read.
      return body.status === 'succeeded' && body;
    }, 'the run to be read back as done');
    expect(run).toMatchObject({ id: runId, trigger: 'manual', provider: 'offline' });
    expect((await call(b, 'GET', `/v1/me/analyses/${runId}`)).status).toBe(404);
    expect((await call(founder, 'GET', `/v1/me/analyses/${randomUUID()}`)).status).toBe(404);
    expect((await call(founder, 'GET', '/v1/me/analyses/not-a-uuid')).status).toBe(404);
    // A request still waiting in Redis (held back here by a delay) reads as queued.
    const held = randomUUID();
    const queue = new Queue('analysis', { connection: { url: testInfra().redisUrl }, prefix: gateway.config.QUEUE_PREFIX });
    try {
      await queue.add('rerun-analysis', { v: 1, userId: founder.profileId, requestId: held }, { jobId: `rerun-${held}`, delay: 600_000 });
      expect(await (await call(founder, 'GET', `/v1/me/analyses/${held}`)).json()).toMatchObject({ id: held, status: 'queued', trigger: 'manual' });
      expect((await call(b, 'GET', `/v1/me/analyses/${held}`)).status).toBe(404);
      await (await queue.getJob(`rerun-${held}`))?.remove();
    } finally {
      await queue.close();
    }
    const runs = await waitFor(async () => {
      const body = (await (await call(founder, 'GET', '/v1/me/analyses')).json()) as { analyses: { status: string; trigger: string; provider: string }[] };
      return body.analyses.length === 2 && body.analyses.every((run) => run.status !== 'pending') ? body.analyses : undefined;
    }, 'the second run');
    expect(runs.map((run) => [run.trigger, run.status, run.provider])).toEqual([
      ['manual', 'succeeded', 'offline'],
      ['assessment', 'succeeded', 'offline'],
    ]);
    // The list pages: one at a time, each page naming the next, the last naming none.
    type AnalysesPage = { analyses: { id: string }[]; next_cursor: string | null };
    const firstPage = (await (await call(founder, 'GET', '/v1/me/analyses?limit=1')).json()) as AnalysesPage;
    expect(firstPage.analyses).toHaveLength(1);
    expect(firstPage.next_cursor).toEqual(expect.any(String));
    const secondPage = (await (await call(founder, 'GET', `/v1/me/analyses?limit=1&cursor=${firstPage.next_cursor}`)).json()) as AnalysesPage;
    expect(secondPage.analyses).toHaveLength(1);
    expect(secondPage.analyses[0]?.id).not.toBe(firstPage.analyses[0]?.id);
    expect(secondPage.next_cursor).toBeNull();
    for (const [query, code] of [['limit=0', 'invalid_limit'], ['limit=101', 'invalid_limit'], ['cursor=not-ours', 'invalid_cursor']]) {
      const refused = await call(founder, 'GET', `/v1/me/analyses?${query}`);
      expect([refused.status, ((await refused.json()) as ErrorBody).error.code]).toEqual([400, code]);
    }
    // Another founder's cursor names a row they cannot see: their list simply ends.
    expect(await (await call(b, 'GET', `/v1/me/analyses?cursor=${firstPage.next_cursor}`)).json()).toEqual({ analyses: [], next_cursor: null });
    const versions = (await (await call(founder, 'GET', '/v1/me/dream-dna/versions')).json()) as { versions: { evidence: unknown }[]; next_cursor: string | null };
    // The answers' version, and the re-run's with the same fields and evidence.
    expect(versions.versions).toHaveLength(2);
    for (const version of versions.versions) expect(version.evidence).toEqual(dna.evidence);
    expect(versions.next_cursor).toBeNull();
    // Another founder sees none of it.
    const other = await signUp();
    expect((await call(other, 'GET', '/v1/me/dream-dna')).status).toBe(404);
    expect(((await (await call(other, 'GET', '/v1/me/assessments')).json()) as { assessments: unknown[] }).assessments).toEqual([]);
    expect((await call(undefined, 'GET', '/v1/me/dream-dna')).status).toBe(401);
  });

  it('deletes the account softly and ends every session', async () => {
    const victim = await signUp();
    const response = await call(victim, 'DELETE', '/v1/me');
    expect(response.status).toBe(204);
    expect((await call(victim, 'GET', '/v1/me')).status).toBe(401);
    const { error } = await gateway.client().signInWithPassword({ email: victim.email, password: PASSWORD });
    expect(error?.code).toBe('invalid_credentials');
    const row = await gateway.pool.query('select deleted_at from core.users where id = $1', [victim.profileId]);
    expect(row.rows[0].deleted_at).not.toBeNull();
  });
});
