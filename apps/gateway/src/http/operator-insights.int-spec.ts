import { randomUUID } from 'node:crypto';
import type { GatewayJobs, JobInputOf } from '@dreamseed/contracts';
import { waitFor } from '@dreamseed/testing';
import { startTestGateway, uniqueEmail, type TestGateway } from '../__fixtures__/test-gateway';
import { OperatorFunnel, OperatorStuckFounders } from './operator-insights';
import { undescribedKeys } from './openapi';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

describe('the operators\' funnel and stuck founders', () => {
  let gateway: TestGateway;
  let operatorToken: string;

  beforeAll(async () => {
    gateway = await startTestGateway({ AUTH_AUTOCONFIRM: 'true' });
    operatorToken = (await newOperator()).token;
  });
  afterAll(() => gateway.stop());

  /** A founder who signed up through the gateway, then given the operator role and signed in again. */
  async function newOperator() {
    const email = uniqueEmail('operator');
    const client = gateway.client();
    const { data } = await client.signUp({ email, password: 'correct horse battery' });
    await gateway.pool.query(`update auth.users set raw_app_meta_data = raw_app_meta_data || '{"role":"operator"}' where id = $1`, [data.user?.id]);
    const signedIn = await client.signInWithPassword({ email, password: 'correct horse battery' });
    if (!signedIn.data.session) throw signedIn.error ?? new Error('no session');
    return { token: signedIn.data.session.access_token, profileId: String(data.user?.app_metadata.profile_id) };
  }

  async function newFounder(name?: string): Promise<string> {
    const { data } = await gateway.client().signUp({ email: uniqueEmail(), password: 'correct horse battery', options: { data: name ? { full_name: name } : undefined } });
    return String(data.user?.app_metadata.profile_id);
  }

  const setProfile = (userId: string, set: string, values: unknown[] = []) => gateway.pool.query(`update core.users set ${set} where id = $1`, [userId, ...values]);

  /** Enqueues a profile report and waits until the gateway has applied it. */
  async function report<N extends keyof GatewayJobs & string>(name: N, payload: Omit<JobInputOf<GatewayJobs, N>, 'v' | 'eventId'>) {
    expect(await gateway.run('gateway', name, { v: 1, eventId: randomUUID(), ...payload } as JobInputOf<GatewayJobs, N>)).toEqual({ outcome: 'applied' });
  }

  const at = (start: Date, hours: number) => new Date(start.getTime() + hours * HOUR_MS).toISOString();
  const callCompleted = (userId: string, callStage: number, occurredAt: string) => report('profile-call-completed', { userId, callStage, callId: randomUUID(), occurredAt });

  const get = (path: string, token: string | null = operatorToken) => fetch(`${gateway.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  async function answer<T>(path: string, schema: { parse(value: unknown): T }): Promise<T> {
    const response = await get(path);
    const body: unknown = await response.json();
    expect({ path, status: response.status, body }).toMatchObject({ status: 200 });
    const parsed = schema.parse(body);
    expect(undescribedKeys(body, parsed)).toEqual([]);
    return parsed;
  }

  it('refuses founders (403 not_operator) and callers without a token (401)', async () => {
    const founder = await gateway.signUp();
    for (const path of ['/admin/api/funnel', '/admin/api/stuck']) {
      const refused = await get(path, founder.token);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({ error: { code: 'not_operator', message: expect.any(String) } });
      expect((await get(path, null)).status).toBe(401);
    }
  });

  it('refuses out-of-range or unknown parameters and a cursor it did not give', async () => {
    for (const path of ['/admin/api/funnel?weeks=0', '/admin/api/funnel?weeks=53', '/admin/api/funnel?until=yesterday', '/admin/api/funnel?week=1', '/admin/api/stuck?idle_days=91', '/admin/api/stuck?limit=101']) {
      const response = await get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    }
    const cursor = await get(`/admin/api/stuck?cursor=${Buffer.from('p1:nope').toString('base64url')}`);
    expect(cursor.status).toBe(400);
    expect(((await cursor.json()) as { error: { code: string } }).error.code).toBe('invalid_cursor');
  });

  describe('the funnel', () => {
    /** Two sign-up weeks of the test's own, far in the past so that no other test's founders fall in them. */
    const firstMonday = new Date(Date.UTC(1990, 0, 1) + Math.floor(Math.random() * 1500) * 7 * DAY_MS); // 1990-01-01 is a Monday
    const secondMonday = new Date(firstMonday.getTime() + 7 * DAY_MS);
    const label = (day: Date) => day.toISOString().slice(0, 10);

    beforeAll(async () => {
      const signUp = at(firstMonday, 24); // Tuesday 00:00 of the first week
      const registeredOnly = await newFounder();
      const twoCalls = await newFounder();
      const whole = await newFounder();
      const deleted = await newFounder();
      const nextWeek = await newFounder();
      const noDomain = await newFounder();
      const operator = await newOperator();
      for (const id of [registeredOnly, twoCalls, whole, deleted]) await setProfile(id, 'created_at = $2', [signUp]);
      // Sunday 23:00 UTC is still the first week; Monday 00:00 starts the next.
      await setProfile(registeredOnly, 'created_at = $2', [at(firstMonday, 6 * 24 + 23)]);
      for (const id of [nextWeek, noDomain, operator.profileId]) await setProfile(id, 'created_at = $2', [at(secondMonday, 0)]);

      const start = new Date(signUp);
      await callCompleted(twoCalls, 1, at(start, 10));
      await callCompleted(twoCalls, 2, at(start, 30));
      await callCompleted(whole, 1, at(start, 2));
      await callCompleted(whole, 2, at(start, 12));
      await callCompleted(whole, 3, at(start, 24));
      // A Dream DNA after the third call is a draft: the step is the first one after the fourth.
      await report('profile-analysis-ready', { userId: whole, dreamDnaVersion: 3, occurredAt: at(start, 25) });
      // The domain chosen before the last Dream DNA: reached when the Dream DNA is, 0 hours after it.
      await report('profile-domain-selected', { userId: whole, domain: 'seedbakery.com', occurredAt: at(start, 30) });
      await callCompleted(whole, 4, at(start, 48));
      await report('profile-analysis-ready', { userId: whole, dreamDnaVersion: 4, occurredAt: at(start, 50) });
      await report('profile-payment-updated', {
        userId: whole,
        occurredAt: at(start, 74),
        paymentStatus: 'paid',
        amountPaid: 49900,
        currency: 'usd',
        paymentDate: at(start, 74),
        subscriptionType: null,
      });
      await callCompleted(deleted, 1, at(start, 1));
      await setProfile(deleted, 'deleted_at = now()');
      await callCompleted(nextWeek, 1, at(secondMonday, 5));
      // Every call and a Dream DNA, no domain: the funnel stops there.
      for (const stage of [1, 2, 3, 4]) await callCompleted(noDomain, stage, at(secondMonday, stage));
      await report('profile-analysis-ready', { userId: noDomain, dreamDnaVersion: 4, occurredAt: at(secondMonday, 6) });
      await callCompleted(operator.profileId, 1, at(secondMonday, 1));
    });

    const figures = (steps: { step: string; count: number; conversion: number | null; median_hours_from_previous: number | null }[]) =>
      steps.map((s) => [s.step, s.count, s.conversion, s.median_hours_from_previous]);

    it('counts each cohort at each step, with conversion and median hours from the step before, and a total', async () => {
      const funnel = await answer(`/admin/api/funnel?weeks=2&until=${label(new Date(secondMonday.getTime() + 6 * DAY_MS))}`, OperatorFunnel);
      expect(funnel).toMatchObject({ weeks: 2, from_week: label(firstMonday), to_week: label(secondMonday) });
      expect(funnel.steps).toEqual(['registered', 'call_1', 'call_2', 'call_3', 'call_4', 'dream_dna', 'domain_selected', 'paid']);
      expect(funnel.cohorts.map((cohort) => cohort.week)).toEqual([label(firstMonday), label(secondMonday)]);
      expect(figures(funnel.cohorts[0]?.steps ?? [])).toEqual([
        ['registered', 3, null, null],
        ['call_1', 2, 0.6667, 6],
        ['call_2', 2, 1, 15],
        ['call_3', 1, 0.5, 12],
        ['call_4', 1, 1, 24],
        ['dream_dna', 1, 1, 2],
        ['domain_selected', 1, 1, 0],
        ['paid', 1, 1, 24],
      ]);
      expect(figures(funnel.cohorts[1]?.steps ?? [])).toEqual([
        ['registered', 2, null, null],
        ['call_1', 2, 1, 3],
        ['call_2', 1, 0.5, 1],
        ['call_3', 1, 1, 1],
        ['call_4', 1, 1, 1],
        ['dream_dna', 1, 1, 2],
        ['domain_selected', 0, 0, null],
        ['paid', 0, null, null],
      ]);
      expect(figures(funnel.total.steps)).toEqual([
        ['registered', 5, null, null],
        ['call_1', 4, 0.8, 3.5],
        ['call_2', 3, 0.75, 10],
        ['call_3', 2, 0.6667, 6.5],
        ['call_4', 2, 1, 12.5],
        ['dream_dna', 2, 1, 2],
        ['domain_selected', 1, 0.5, 0],
        ['paid', 1, 1, 24],
      ]);
    });

    it('shows a week without sign-ups with zeros, and the weeks asked for ending with the week of `until`', async () => {
      const funnel = await answer(`/admin/api/funnel?weeks=3&until=${label(firstMonday)}`, OperatorFunnel);
      expect(funnel.cohorts.map((cohort) => cohort.week)).toEqual([
        label(new Date(firstMonday.getTime() - 14 * DAY_MS)),
        label(new Date(firstMonday.getTime() - 7 * DAY_MS)),
        label(firstMonday),
      ]);
      expect(funnel.cohorts[0]?.steps.every((step) => step.count === 0 && step.conversion === null)).toBe(true);
      expect(funnel.total.steps[0]).toEqual({ step: 'registered', count: 3, conversion: null, median_hours_from_previous: null });
    });

    it('defaults to the last 12 weeks up to this one', async () => {
      const funnel = await answer('/admin/api/funnel', OperatorFunnel);
      expect(funnel.cohorts).toHaveLength(12);
      const monday = new Date(Date.now() - ((new Date().getUTCDay() + 6) % 7) * DAY_MS).toISOString().slice(0, 10);
      expect(funnel.to_week).toBe(monday);
    });
  });

  describe('stuck founders', () => {
    type Stuck = ReturnType<typeof OperatorStuckFounders.parse>;
    /** Every page of the list, followed by its cursors. */
    async function everyStuck(query = 'idle_days=7', limit = 100): Promise<Stuck['founders']> {
      const founders: Stuck['founders'] = [];
      let cursor: string | null = null;
      do {
        const page: Stuck = await answer(`/admin/api/stuck?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, OperatorStuckFounders);
        founders.push(...page.founders);
        cursor = page.next_cursor;
      } while (cursor);
      return founders;
    }

    const longAgo = new Date(Date.now() - 400 * DAY_MS);
    let idle: string;
    let idleAfterCalls: string;
    let missedCall: string;
    let callPlanned: string;
    let paid: string;
    let flagged: string;
    let failing: string;

    beforeAll(async () => {
      [idle, idleAfterCalls, missedCall, callPlanned, paid, flagged, failing] = await Promise.all(
        ['Idle Founder', 'Two Calls', 'Missed Call', 'Call Planned', 'Paid Founder', 'Flagged Founder', 'Failing Founder'].map((name) => newFounder(name)),
      );
      for (const id of [idle, idleAfterCalls, missedCall, callPlanned, paid]) await setProfile(id as string, 'created_at = $2', [longAgo.toISOString()]);
      await callCompleted(idleAfterCalls as string, 1, at(longAgo, 24));
      await callCompleted(idleAfterCalls as string, 2, at(longAgo, 48));
      await report('profile-next-call-scheduled', { userId: missedCall as string, callStage: 1, scheduledAt: at(longAgo, 24), occurredAt: at(longAgo, 1) });
      await report('profile-next-call-scheduled', { userId: callPlanned as string, callStage: 1, scheduledAt: new Date(Date.now() + DAY_MS).toISOString(), occurredAt: at(longAgo, 1) });
      await report('profile-payment-updated', { userId: paid as string, occurredAt: at(longAgo, 1), paymentStatus: 'paid', amountPaid: 100, currency: 'usd', paymentDate: at(longAgo, 1) });
      const flaggedAt = new Date(Date.now() - 2 * DAY_MS);
      await report('founder-attention', { userId: flagged as string, occurredAt: flaggedAt.toISOString(), kind: 'analysis_failed', state: 'raised', detail: 'No usable answer' });
      await report('founder-attention', { userId: flagged as string, occurredAt: at(flaggedAt, 1), kind: 'outbound_call_unanswered', state: 'raised', detail: 'Stage 1 call unanswered' });
      await report('founder-attention', { userId: flagged as string, occurredAt: at(flaggedAt, 2), kind: 'outbound_call_failed', state: 'raised' });
      await report('founder-attention', { userId: flagged as string, occurredAt: at(flaggedAt, 3), kind: 'outbound_call_failed', state: 'cleared' });
      // A job the gateway's worker fails at once and for good (its name is not in the catalog), naming the founder.
      const job = await gateway.producer.queue('gateway').add('not-a-gateway-job', { v: 1, userId: failing }, { attempts: 1 });
      await waitFor(async () => (await job.getState()) === 'failed', 'the job to fail');
    });

    it('lists each stuck founder once with every reason and its since, oldest first', async () => {
      const founders = await everyStuck();
      const byId = new Map(founders.map((founder) => [founder.user_id, founder]));
      expect(byId.size).toBe(founders.length);
      const sinces = founders.map((founder) => founder.since);
      expect([...sinces].sort()).toEqual(sinces);

      expect(byId.get(idle)).toMatchObject({
        name: 'Idle Founder',
        email: expect.stringContaining('@example.com'),
        status: 'registered',
        call_stage: 1,
        next_call_at: null,
        since: longAgo.toISOString(),
        last_step_at: longAgo.toISOString(),
        reasons: [{ code: 'idle', detail: 'No step for 400 days', since: longAgo.toISOString() }],
      });
      expect(byId.get(idleAfterCalls)).toMatchObject({ status: 'in_consultation', call_stage: 3, since: at(longAgo, 48), reasons: [{ code: 'idle', since: at(longAgo, 48) }] });
      expect(byId.get(missedCall)?.reasons).toEqual([expect.objectContaining({ code: 'idle' })]);
      expect(byId.has(callPlanned)).toBe(false);
      expect(byId.has(paid)).toBe(false);

      const flaggedAt = byId.get(flagged);
      expect(flaggedAt?.reasons).toEqual([
        { code: 'analysis_failed', detail: 'No usable answer', since: expect.any(String) },
        { code: 'outbound_call_unanswered', detail: 'Stage 1 call unanswered', since: expect.any(String) },
      ]);
      expect(flaggedAt?.since).toBe(flaggedAt?.reasons[0]?.since);
      expect(Date.parse(flaggedAt?.reasons[1]?.since ?? '') - Date.parse(flaggedAt?.since ?? '')).toBe(HOUR_MS);

      // Signed up just now: a failed job, and not idle.
      expect(byId.get(failing)?.reasons).toEqual([{ code: 'failed_job', detail: expect.stringContaining('gateway/not-a-gateway-job'), since: expect.any(String) }]);
    });

    it('pages with a cursor through the same list a single page gives', async () => {
      const whole = await answer('/admin/api/stuck?limit=7', OperatorStuckFounders);
      const paged = [];
      let cursor: string | null = null;
      for (let page = 0; page < 3; page += 1) {
        const next: Stuck = await answer(`/admin/api/stuck?limit=3${cursor ? `&cursor=${cursor}` : ''}`, OperatorStuckFounders);
        expect(next.total).toBe(whole.total);
        paged.push(...next.founders);
        cursor = next.next_cursor;
      }
      expect(paged.slice(0, 7).map((founder) => founder.user_id)).toEqual(whole.founders.map((founder) => founder.user_id));
      expect(whole.total).toBeGreaterThanOrEqual(6);
    });

    it('lets idle_days decide who is idle', async () => {
      const yearIdle = await everyStuck('idle_days=90');
      expect(yearIdle.some((founder) => founder.user_id === idle)).toBe(true);
      await setProfile(idle, 'created_at = $2', [new Date(Date.now() - 10 * DAY_MS).toISOString()]);
      const week = new Set((await everyStuck('idle_days=7')).map((founder) => founder.user_id));
      const fortnight = new Set((await everyStuck('idle_days=14')).map((founder) => founder.user_id));
      expect([week.has(idle), fortnight.has(idle)]).toEqual([true, false]);
    });
  });
});
