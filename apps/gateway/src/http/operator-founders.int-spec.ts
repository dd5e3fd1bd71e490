// Over 350 lines on purpose: every test shares one setup (a gateway, stand-ins for the four owners, two accounts).
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { INTERNAL_TOKEN_HEADER } from '@dreamseed/platform';
import { startFakeServer, testInfra, type FakeResponse, type FakeServer } from '@dreamseed/testing';
import { callAs, signUpFounder, signUpOperator, type TestAccount } from '../__fixtures__/operators';
import { startTestGateway, type TestGateway } from '../__fixtures__/test-gateway';

type Founder = TestAccount & { profileId: string };
interface AuditRow {
  action: string;
  outcome: string;
  code: string | null;
  reason: string | null;
  target: string | null;
  params: Record<string, unknown>;
  operator_id: string;
}

const iso = (ms = 0) => new Date(Date.now() + ms).toISOString();

/**
 * What the owners answer an operator read, in their contract's shapes (`Operator*View`), per founder: the owners
 * themselves are written and tested in their own apps; here they stand in so that the gateway's part is seen.
 */
class OwnerAnswers {
  calls = new Map<string, unknown[]>();
  planned = new Map<string, unknown[]>();
  analyses = new Map<string, unknown[]>();
  payments = new Map<string, unknown[]>();
  broken = new Set<string>();

  answer(kind: string, userId: string, body: () => Record<string, unknown>): FakeResponse {
    if (this.broken.has(kind)) return { status: 500, body: { error: { code: 'internal_error', message: 'Something went wrong on our side.' } } };
    return { body: { userId, ...body() } };
  }
}

describe('the operators\' founder API (/admin/api/founders, /admin/api/audit)', () => {
  let gateway: TestGateway;
  let owners: FakeServer;
  let redis: Redis;
  const queues: Record<string, Queue> = {};
  let operator: TestAccount;
  let founder: Founder;
  const answers = new OwnerAnswers();
  /** Audit rows of read_transcript that existed when the voice service was asked for a transcript. */
  let auditedBeforeAsked: AuditRow[] = [];

  beforeAll(async () => {
    owners = await startFakeServer({
      'GET /internal/operator/founders/:userId/calls': ({ params }) =>
        answers.answer('calls', params.userId ?? '', () => ({ calls: answers.calls.get(params.userId ?? '') ?? [], planned: answers.planned.get(params.userId ?? '') ?? [] })),
      'GET /internal/operator/founders/:userId/calls/:id/transcript': async ({ params }) => {
        auditedBeforeAsked = await auditOf(params.userId ?? '', 'read_transcript');
        return {
          body: {
            callId: params.id,
            callStage: 1,
            text: 'AI: Hello. User: I bake bread.',
            turns: [{ role: 'assistant', content: 'Hello.', secondsFromStart: 0 }, { role: 'user', content: 'I bake bread.', secondsFromStart: 2.5 }],
            createdAt: iso(),
          },
        };
      },
      'GET /internal/operator/founders/:userId/dream-dna': ({ params }) =>
        answers.answer('dream-dna', params.userId ?? '', () => ({ versions: [], analyses: answers.analyses.get(params.userId ?? '') ?? [] })),
      'GET /internal/operator/founders/:userId/domains': ({ params }) => answers.answer('domains', params.userId ?? '', () => ({ selections: [], searches: [] })),
      'GET /internal/operator/founders/:userId/billing': ({ params }) =>
        answers.answer('billing', params.userId ?? '', () => ({ payments: answers.payments.get(params.userId ?? '') ?? [], subscription: null })),
    });
    gateway = await startTestGateway({
      AUTH_AUTOCONFIRM: 'true',
      VOICE_SERVICE_URL: owners.url,
      ANALYSIS_SERVICE_URL: owners.url,
      DOMAIN_SERVICE_URL: owners.url,
      BILLING_SERVICE_URL: owners.url,
    });
    redis = new Redis(testInfra().redisUrl, { maxRetriesPerRequest: null });
    for (const name of ['analysis', 'voice', 'billing']) queues[name] = new Queue(name, { connection: redis, prefix: gateway.config.QUEUE_PREFIX });
    [operator, founder] = await Promise.all([signUpOperator(gateway), signUpFounder(gateway)]);
  });

  afterAll(async () => {
    await Promise.all(Object.values(queues).map((queue) => queue.close()));
    redis.disconnect();
    await gateway.stop();
    await owners.close();
  });

  async function auditOf(userId: string, action?: string): Promise<AuditRow[]> {
    const { rows } = await gateway.pool.query(
      `select action, outcome, code, reason, target, params, operator_id from core.operator_audit
        where user_id = $1 and ($2::text is null or action = $2) order by created_at`,
      [userId, action ?? null],
    );
    return rows as AuditRow[];
  }

  const asOperator = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => callAs(gateway, operator, method, path, body, headers);
  const act = (who: Founder, name: string, body: unknown, headers?: Record<string, string>) => asOperator('POST', `/admin/api/founders/${who.profileId}/actions/${name}`, body, headers);
  const errorCode = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;
  const jobsOf = async (queue: string, name: string, userId: string) =>
    (await queues[queue]?.getJobs(['waiting', 'delayed', 'prioritized']))?.filter((job) => job.name === name && (job.data as { userId?: string }).userId === userId) ?? [];
  const setProfile = (who: Founder, assignments: string) => gateway.pool.query(`update core.users set ${assignments} where id = $1`, [who.profileId]);

  it('answers a founder 403 on every /admin route of the API document, and on the queue dashboard', async () => {
    const document = (await (await fetch(`${gateway.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/admin'))
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => [method.toUpperCase(), path.replace(/\{queue\}/g, 'gateway').replace(/\{\w+\}/g, randomUUID())] as const));
    expect(routes.length).toBeGreaterThan(15);
    routes.push(['GET', '/admin/queues'], ['GET', '/admin/queues/api/queues']);
    for (const [method, path] of routes) {
      const response = await callAs(gateway, founder, method, path, method === 'GET' || method === 'DELETE' ? undefined : { reason: 'a founder trying' });
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 403 });
      expect(await errorCode(response)).toBe('not_operator');
    }
    const cookie = await fetch(`${gateway.url}/admin/queues`, { headers: { cookie: `dreamseed_operator=${founder.token}` } });
    expect(cookie.status).toBe(403);
    expect(await auditOf(founder.profileId)).toEqual([]);
  });

  it('finds founders by email, name or business name, case-insensitive, a page at a time', async () => {
    // Names of this run's own: the database keeps earlier runs' founders.
    const run = randomUUID().slice(0, 8);
    await setProfile(founder, `customer_name = 'Ada ${run} Baker', business_name = 'Sourdough%Co ${run}'`);
    for (const q of [founder.email.toUpperCase(), `${run} bak`, `DOUGH%co ${run.toUpperCase()}`]) {
      const response = await asOperator('GET', `/admin/api/founders?q=${encodeURIComponent(q)}`);
      expect(response.status).toBe(200);
      const { founders } = (await response.json()) as { founders: { user_id: string; customer_email: string; business_name: string }[] };
      expect({ q, found: founders.map((found) => found.user_id) }).toEqual({ q, found: [founder.profileId] });
      expect(founders[0]).toMatchObject({ customer_email: founder.email, business_name: `Sourdough%Co ${run}`, status: 'registered', current_call_stage: 1 });
    }
    // The wildcard is a character to find, not a pattern.
    expect(((await (await asOperator('GET', `/admin/api/founders?q=Sourdough_Co ${run}`)).json()) as { founders: unknown[] }).founders).toEqual([]);

    const first = (await (await asOperator('GET', '/admin/api/founders?limit=1')).json()) as { founders: { user_id: string }[]; next_cursor: string };
    const second = (await (await asOperator('GET', `/admin/api/founders?limit=1&cursor=${first.next_cursor}`)).json()) as { founders: { user_id: string }[] };
    expect(second.founders[0]?.user_id).not.toBe(first.founders[0]?.user_id);
    expect(await errorCode(await asOperator('GET', `/admin/api/founders?q=${'x'.repeat(101)}`))).toBe('invalid_query');
  });

  it("answers the founder's file, each owner's part read with the operator's token, and records the read", async () => {
    const other = await signUpFounder(gateway);
    answers.calls.set(other.profileId, [
      { id: randomUUID(), vapiCallId: 'call-1', callStage: 1, direction: 'inbound', status: 'ended', startedAt: iso(-600_000), endedAt: iso(-300_000), durationSeconds: 300, summary: 'Bakery' },
    ]);
    answers.planned.set(other.profileId, [{ id: randomUUID(), callStage: 2, status: 'scheduled', scheduledFor: iso(3_600_000), placedAt: null, vapiCallId: null, lastError: null }]);
    await gateway.pool.query(
      `insert into core.founder_attention (user_id, kind, state, detail, raised_at, occurred_at, last_event_id) values ($1, 'outbound_call_unanswered', 'raised', 'No answer twice', now(), now(), 'e1')`,
      [other.profileId],
    );
    answers.broken.add('domains');
    try {
      const asked = owners.requests.length;
      const response = await asOperator('GET', `/admin/api/founders/${other.profileId}`);
      expect(response.status).toBe(200);
      const file = (await response.json()) as Record<string, Record<string, unknown>>;
      expect(file.profile).toMatchObject({ id: other.profileId, customer_email: other.email, current_call_stage: 1 });
      expect(file.account).toMatchObject({ id: other.id, email: other.email, email_confirmed: true, banned: false });
      expect(JSON.stringify(file.account)).not.toMatch(/password|token/i);
      expect(file.attention).toEqual([{ kind: 'outbound_call_unanswered', detail: 'No answer twice', raised_at: expect.any(String), occurred_at: expect.any(String) }]);
      expect(file.calls).toMatchObject({ status: 'ok', calls: [{ vapi_call_id: 'call-1', call_stage: 1, duration_seconds: 300 }], planned: [{ call_stage: 2, status: 'scheduled' }] });
      expect(file.dream_dna).toEqual({ status: 'ok', versions: [], analyses: [] });
      expect(file.billing).toEqual({ status: 'ok', payments: [], subscription: null });
      expect(file.domains).toEqual({ status: 'unavailable', code: 'service_unavailable', message: expect.any(String) });
      expect(file.failed_jobs).toEqual({ status: 'ok', jobs: [] });
      expect(file.audit).toEqual([expect.objectContaining({ action: 'read_file', outcome: 'done', operator_id: operator.id, operator_email: operator.email })]);
      // Each owner was asked with the operator's own token and the internal token.
      const reads = owners.requests.slice(asked);
      expect(reads.map((read) => read.path).sort()).toEqual(['billing', 'calls', 'domains', 'dream-dna'].map((part) => `/internal/operator/founders/${other.profileId}/${part}`));
      for (const read of reads) {
        expect(read.headers.authorization).toBe(`Bearer ${operator.token}`);
        expect(read.headers[INTERNAL_TOKEN_HEADER]).toBe('internal-secret-for-tests');
      }
    } finally {
      answers.broken.delete('domains');
    }
    // The page re-reads an open file while an action runs: one entry per operator and founder in a window.
    expect((await asOperator('GET', `/admin/api/founders/${other.profileId}`)).status).toBe(200);
    const { rows: reads } = await gateway.pool.query(`select 1 from core.operator_audit where user_id = $1 and action = 'read_file'`, [other.profileId]);
    expect(reads).toHaveLength(1);
    expect((await asOperator('GET', `/admin/api/founders/${randomUUID()}`)).status).toBe(404);
    expect((await asOperator('GET', '/admin/api/founders/not-an-id')).status).toBe(404);
  });

  it('records a transcript read with its reason before asking the voice service, and refuses one without a reason', async () => {
    const callId = randomUUID();
    const path = `/admin/api/founders/${founder.profileId}/calls/${callId}/transcript`;
    const asked = owners.requests.length;
    for (const body of [{}, { reason: 'x' }, { reason: 'fine', extra: true }]) {
      const refused = await asOperator('POST', path, body);
      expect(refused.status).toBe(400);
    }
    expect(owners.requests.length).toBe(asked);
    expect(await auditOf(founder.profileId, 'read_transcript')).toEqual([
      expect.objectContaining({ outcome: 'refused', code: 'validation_failed', reason: null, target: callId }),
      expect.objectContaining({ outcome: 'refused', code: 'validation_failed', reason: 'x' }),
      expect.objectContaining({ outcome: 'refused', code: 'validation_failed', reason: 'fine' }),
    ]);

    const response = await asOperator('POST', path, { reason: 'The founder disputes the analysis.' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ call_id: callId, call_stage: 1, turns: [{ role: 'assistant', seconds_from_start: 0 }, { role: 'user', seconds_from_start: 2.5 }] });
    expect(auditedBeforeAsked.at(-1)).toMatchObject({ outcome: 'accepted', reason: 'The founder disputes the analysis.', target: callId, params: { call_id: callId } });
    expect((await auditOf(founder.profileId, 'read_transcript')).at(-1)).toMatchObject({ outcome: 'done', operator_id: operator.id });
  });

  describe('actions', () => {
    it('rerun-analysis: refused with nothing to analyse, then one run however often the same key is sent', async () => {
      const who = await signUpFounder(gateway);
      const refused = await act(who, 'rerun-analysis', { reason: 'The founder asked for a fresh look.' });
      expect(refused.status).toBe(409);
      expect(await errorCode(refused)).toBe('nothing_to_analyse');

      await setProfile(who, 'call_1_completed = true, call_1_completed_at = now(), current_call_stage = 2');
      const key = randomUUID();
      const sent = await Promise.all([1, 2, 3].map(() => act(who, 'rerun-analysis', { reason: 'The founder asked for a fresh look.' }, { 'idempotency-key': key })));
      const bodies = (await Promise.all(sent.map((response) => response.json()))) as { request_id: string; audit_id: string }[];
      expect(sent.map((response) => response.status)).toEqual([202, 202, 202]);
      expect(bodies[0]).toEqual({ action: 'rerun-analysis', status: 'accepted', audit_id: expect.any(String), request_id: expect.any(String) });
      expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(1);
      const jobs = await jobsOf('analysis', 'rerun-analysis', who.profileId);
      expect(jobs.map((job) => [job.id, job.data])).toEqual([[`rerun-${bodies[0]?.request_id}`, expect.objectContaining({ v: 1, userId: who.profileId, requestId: bodies[0]?.request_id })]]);
      expect((await auditOf(who.profileId, 'rerun_analysis')).map((row) => [row.outcome, row.code])).toEqual([
        ['refused', 'nothing_to_analyse'],
        ['accepted', null],
      ]);

      const otherParams = await act(who, 'rerun-analysis', { reason: 'The founder asked for a fresh look.', surprise: 1 }, { 'idempotency-key': key });
      expect(otherParams.status).toBe(400);
      expect((await act(who, 'rerun-analysis', { reason: 'Again, on purpose.' })).status).toBe(202);
      expect(await jobsOf('analysis', 'rerun-analysis', who.profileId)).toHaveLength(2);
    });

    it('reschedule-call: a job planning the stage\'s call at the time; refused in the past and once all calls are done', async () => {
      const who = await signUpFounder(gateway);
      const at = iso(86_400_000);
      const response = await act(who, 'reschedule-call', { reason: 'The founder asked for tomorrow.', at });
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ action: 'reschedule-call', status: 'accepted', audit_id: expect.any(String), at, call_stage: 1 });
      expect((await jobsOf('voice', 'schedule-next-call', who.profileId)).map((job) => job.data)).toEqual([expect.objectContaining({ v: 1, userId: who.profileId, callStage: 1, notBefore: at })]);

      const past = await act(who, 'reschedule-call', { reason: 'A typo in the date.', at: iso(-3_600_000) });
      expect([past.status, await errorCode(past)]).toEqual([400, 'invalid_time']);
      expect([(await act(who, 'reschedule-call', { reason: 'No time given.' })).status]).toEqual([400]);
      await setProfile(who, 'current_call_stage = 5');
      const done = await act(who, 'reschedule-call', { reason: 'The founder asked for tomorrow.', at });
      expect([done.status, await errorCode(done)]).toEqual([409, 'consultation_complete']);
      expect(await jobsOf('voice', 'schedule-next-call', who.profileId)).toHaveLength(1);
      expect((await auditOf(who.profileId, 'reschedule_call')).map((row) => [row.outcome, row.code])).toEqual([
        ['accepted', null],
        ['refused', 'invalid_time'],
        ['refused', 'validation_failed'],
        ['refused', 'consultation_complete'],
      ]);
    });

    it('cancel-call: refused when no call is planned, else a cancel job', async () => {
      const who = await signUpFounder(gateway);
      const none = await act(who, 'cancel-call', { reason: 'The founder is travelling.' });
      expect([none.status, await errorCode(none)]).toEqual([409, 'no_call_planned']);
      answers.planned.set(who.profileId, [{ id: randomUUID(), callStage: 1, status: 'scheduled', scheduledFor: iso(3_600_000), placedAt: null, vapiCallId: null, lastError: null }]);
      const response = await act(who, 'cancel-call', { reason: 'The founder is travelling.' });
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ action: 'cancel-call', status: 'accepted', audit_id: expect.any(String) });
      expect((await jobsOf('voice', 'cancel-next-call', who.profileId)).map((job) => job.data)).toEqual([expect.objectContaining({ v: 1, userId: who.profileId, requestId: expect.any(String) })]);

      answers.broken.add('calls');
      try {
        const down = await act(who, 'cancel-call', { reason: 'The founder is travelling.' });
        expect([down.status, await errorCode(down)]).toEqual([503, 'service_unavailable']);
      } finally {
        answers.broken.delete('calls');
      }
      expect((await auditOf(who.profileId, 'cancel_call')).map((row) => [row.outcome, row.code])).toEqual([
        ['refused', 'no_call_planned'],
        ['accepted', null],
        ['failed', 'service_unavailable'],
      ]);
    });

    it('resend-mail: a recovery mail through the outbox; a confirmation only for an unconfirmed address', async () => {
      const who = await signUpFounder(gateway);
      const confirmed = await act(who, 'resend-mail', { reason: 'The first mail went to spam.', kind: 'confirmation' });
      expect([confirmed.status, await errorCode(confirmed)]).toEqual([409, 'already_confirmed']);

      const recovery = await act(who, 'resend-mail', { reason: 'The founder lost their password.', kind: 'recovery' });
      expect(recovery.status).toBe(202);
      expect(await recovery.json()).toEqual({ action: 'resend-mail', status: 'accepted', audit_id: expect.any(String), kind: 'recovery' });
      expect((await gateway.mailTo(who.email, 'recovery_token')).body).toMatch(/Your code: \d{6}/);

      await gateway.pool.query('update auth.users set email_confirmed_at = null where id = $1', [who.id]);
      const key = randomUUID();
      for (let time = 0; time < 2; time += 1) {
        expect((await act(who, 'resend-mail', { reason: 'The first mail went to spam.', kind: 'confirmation' }, { 'idempotency-key': key })).status).toBe(202);
      }
      expect((await gateway.mailTo(who.email, 'confirmation_token')).subject).toBeTruthy();
      const { rows } = await gateway.pool.query(`select count(*)::int as count from auth.mail_outbox where lower(recipient) = lower($1) and kind = 'confirmation_token'`, [who.email]);
      expect(rows[0].count).toBe(1);
      expect((await auditOf(who.profileId, 'resend_mail')).map((row) => [row.outcome, row.code, row.params.kind])).toEqual([
        ['refused', 'already_confirmed', 'confirmation'],
        ['accepted', null, 'recovery'],
        ['accepted', null, 'confirmation'],
      ]);
    });

    it("refund: checked against the founder's payments first, then a refund job in minor units", async () => {
      const who = await signUpFounder(gateway);
      const paid = { id: randomUUID(), packageId: 'formation-basic', kind: 'one_time', amountMinor: 4900, amountRefundedMinor: 900, currency: 'usd', status: 'partially_refunded', paidAt: iso(-86_400_000) };
      const failed = { ...paid, id: randomUUID(), amountRefundedMinor: 0, status: 'failed', paidAt: null };
      const whole = { ...paid, id: randomUUID(), amountRefundedMinor: 4900, status: 'refunded' };
      answers.payments.set(who.profileId, [paid, failed, whole]);
      const refund = (body: Record<string, unknown>) => act(who, 'refund', { reason: 'Charged twice for one package.', ...body });

      for (const [body, code] of [
        [{ payment_id: randomUUID() }, 'payment_not_found'],
        [{ payment_id: failed.id }, 'payment_not_refundable'],
        [{ payment_id: whole.id }, 'payment_not_refundable'],
        [{ payment_id: paid.id, amount: 4001 }, 'refund_too_large'],
      ] as const) {
        const response = await refund(body);
        expect({ body, status: response.status, code: await errorCode(response) }).toEqual({ body, status: 409, code });
      }
      expect((await refund({ payment_id: paid.id, amount: 0 })).status).toBe(400);

      const response = await refund({ payment_id: paid.id, amount: 1000 });
      expect(response.status).toBe(202);
      const accepted = (await response.json()) as { request_id: string };
      expect(accepted).toEqual({ action: 'refund', status: 'accepted', audit_id: expect.any(String), payment_id: paid.id, amount: 1000, currency: 'usd', request_id: expect.any(String) });
      const whatIsLeft = await refund({ payment_id: paid.id });
      expect(((await whatIsLeft.json()) as { amount: number }).amount).toBe(4000);
      const jobs = await jobsOf('billing', 'refund-payment', who.profileId);
      expect(jobs.map((job) => job.data)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ v: 1, userId: who.profileId, paymentId: paid.id, amount: 1000, requestId: accepted.request_id, reason: 'Charged twice for one package.' }),
          expect.objectContaining({ amount: 4000 }),
        ]),
      );
      const rows = await auditOf(who.profileId, 'refund');
      expect(rows.map((row) => [row.outcome, row.code])).toEqual([
        ['refused', 'payment_not_found'],
        ['refused', 'payment_not_refundable'],
        ['refused', 'payment_not_refundable'],
        ['refused', 'refund_too_large'],
        ['refused', 'validation_failed'],
        ['accepted', null],
        ['accepted', null],
      ]);
      expect(rows[5]).toMatchObject({ target: paid.id, params: { payment_id: paid.id, amount: 1000, currency: 'usd', request_id: accepted.request_id } });
    });

    it('answers 422 for a key used before with other params, and 404 for an unknown founder, each audited', async () => {
      const who = await signUpFounder(gateway);
      const key = randomUUID();
      expect((await act(who, 'reschedule-call', { reason: 'The founder asked.', at: iso(86_400_000) }, { 'idempotency-key': key })).status).toBe(202);
      const reused = await act(who, 'reschedule-call', { reason: 'The founder asked.', at: iso(2 * 86_400_000) }, { 'idempotency-key': key });
      expect([reused.status, await errorCode(reused)]).toEqual([422, 'idempotency_key_reused']);
      expect(await jobsOf('voice', 'schedule-next-call', who.profileId)).toHaveLength(1);

      const nobody = { ...who, profileId: randomUUID() };
      const missing = await act(nobody, 'cancel-call', { reason: 'Nobody to help.' });
      expect([missing.status, await errorCode(missing)]).toEqual([404, 'not_found']);
      expect(await auditOf(nobody.profileId)).toEqual([expect.objectContaining({ action: 'cancel_call', outcome: 'refused', code: 'not_found' })]);
    });
  });

  it('pages the audit log newest first, all of it or one founder\'s', async () => {
    const first = (await (await asOperator('GET', `/admin/api/audit?user_id=${founder.profileId}&limit=2`)).json()) as { entries: { id: string; created_at: string }[]; next_cursor: string | null };
    expect(first.entries).toHaveLength(2);
    expect(first.entries[0]?.created_at >= (first.entries[1]?.created_at ?? '')).toBe(true);
    const rest = (await (await asOperator('GET', `/admin/api/audit?user_id=${founder.profileId}&limit=100&cursor=${first.next_cursor}`)).json()) as { entries: { id: string; user_id: string }[] };
    expect(rest.entries.length + 2).toBe((await auditOf(founder.profileId)).length);
    expect(rest.entries.every((entry) => entry.user_id === founder.profileId)).toBe(true);
    expect(((await (await asOperator('GET', '/admin/api/audit?limit=1')).json()) as { entries: unknown[] }).entries).toHaveLength(1);
    expect(await errorCode(await asOperator('GET', '/admin/api/audit?user_id=nope'))).toBe('invalid_user_id');
  });
});
