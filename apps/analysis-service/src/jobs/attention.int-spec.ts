import { randomUUID } from 'node:crypto';
import type { ConsultationCallView } from '@dreamseed/contracts';
import pg from 'pg';
import { uuidFrom } from '@dreamseed/platform';
import { testInfra } from '@dreamseed/testing';
import { CONSULTATION_FIXTURES, fixtureInput } from '../analysis/__fixtures__/consultations';
import { AnalysisProviderError, type AnalysisProvider } from '../analysis/provider';
import { startTestAnalysis, type TestAnalysis } from '../__fixtures__/test-analysis';
import { createAnalysisDb } from '../db/client';

const callsOf = (): ConsultationCallView[] =>
  fixtureInput(CONSULTATION_FIXTURES[0]).calls.map((call) => ({ ...call, transcriptId: randomUUID(), callSessionId: randomUUID() }));

/** A provider that always fails with this error. */
const failing = (error: Error): AnalysisProvider => ({
  name: 'offline',
  model: null,
  promptVersion: 'failing',
  analyse: async () => {
    throw error;
  },
});

/** `analysis_failed` on the gateway's queue: raised by a run that fails for good, cleared by one that succeeds. */
describe('analysis service: a failed analysis flagged for an operator', () => {
  let analysis: TestAnalysis;
  beforeAll(async () => {
    analysis = await startTestAnalysis();
  });
  afterAll(async () => {
    await analysis.stop();
  });

  const analyserFailingWith = (error: Error) =>
    analysis.analyser({ provider: failing(error) });
  const contextOf = (lastAttempt: boolean) => analysis.jobContext(lastAttempt, 'attention-test');
  const flagsOf = async (userId: string) => (await analysis.sent('gateway')).filter((job) => job.name === 'founder-attention' && job.data.userId === userId);
  const runOf = async (userId: string) => (await analysis.pool.query(`select * from analysis.ai_analysis where business_id = $1 order by created_at`, [userId])).rows[0];

  it("flags a run that fails for good with the error's code only, and a retried try not before its last", async () => {
    const userId = randomUUID();
    const calls = callsOf();
    analysis.setCalls(userId, calls);
    const payload = { userId, trigger: 'call-ended' as const, sourceId: calls[3]?.vapiCallId as string };
    const unavailable = analyserFailingWith(new AnalysisProviderError('unavailable', 'provider answered 503', true));
    await expect(unavailable.run(payload, contextOf(false))).rejects.toThrow('provider answered 503');
    expect(await flagsOf(userId)).toEqual([]);

    expect(await unavailable.run(payload, contextOf(true))).toEqual({ status: 'failed' });
    const run = await runOf(userId);
    const [flag] = await flagsOf(userId);
    expect(flag?.data).toMatchObject({
      kind: 'analysis_failed',
      state: 'raised',
      detail: 'The call-ended analysis failed (provider_unavailable).',
      occurredAt: run.completed_at.toISOString(),
    });
  });

  it('flags an answer that will never do at once, without what it said', async () => {
    const userId = randomUUID();
    analysis.setCalls(userId, callsOf());
    const refusal = analyserFailingWith(new AnalysisProviderError('refusal', 'the model refused: "Bakeries waste bread every night"', false));
    expect(await refusal.run({ userId, trigger: 'manual', sourceId: randomUUID() }, contextOf(false))).toEqual({ status: 'failed' });
    const [flag] = await flagsOf(userId);
    expect(flag?.data.detail).toBe('The manual analysis failed (provider_refusal).');
    expect(JSON.stringify(flag?.data)).not.toContain('Bakeries');
  });

  it('flags a job whose last try fails before its run could be recorded (the database away)', async () => {
    const userId = randomUUID();
    const away = new pg.Pool({ connectionString: testInfra().databaseUrl });
    await away.end();
    const analyser = analysis.analyser({ db: createAnalysisDb(away), provider: failing(new Error('never asked')), leaseMs: undefined });
    const request = { userId, trigger: 'manual' as const, sourceId: randomUUID() };
    await expect(analyser.run(request, contextOf(false))).rejects.toThrow();
    expect(await flagsOf(userId)).toEqual([]);
    await expect(analyser.run(request, contextOf(true))).rejects.toThrow();
    const [flag] = await flagsOf(userId);
    expect(flag).toMatchObject({ id: `attention-analysis-failed-${uuidFrom(`${userId}:manual:${request.sourceId}`)}`, data: { kind: 'analysis_failed', state: 'raised' } });
  });

  it("sends the flag again when a retry finds its run failed (the first may not have reached the gateway's queue)", async () => {
    const userId = randomUUID();
    analysis.setCalls(userId, callsOf());
    const payload = { userId, trigger: 'manual' as const, sourceId: randomUUID() };
    const analyser = analyserFailingWith(new AnalysisProviderError('invalid_output', 'schema mismatch', false));
    await analyser.run(payload, contextOf(false));
    const [sent] = await flagsOf(userId);
    await (await analysis.producer.queue('gateway').getJob(sent?.id ?? ''))?.remove();
    expect(await analyser.run(payload, contextOf(false))).toEqual({ status: 'failed', dreamDnaVersion: null });
    const [again] = await flagsOf(userId);
    expect(again).toMatchObject({ id: sent?.id, data: { kind: 'analysis_failed', state: 'raised', occurredAt: sent?.data.occurredAt } });
  });

  it("clears the flag when an operator's re-run then succeeds, with a new version, and again on the next re-run", async () => {
    const userId = randomUUID();
    analysis.setCalls(userId, callsOf());
    await analyserFailingWith(new AnalysisProviderError('invalid_output', 'schema mismatch', false)).run({ userId, trigger: 'call-ended', sourceId: randomUUID() }, contextOf(true));

    const first = randomUUID();
    expect(await analysis.run('analysis', 'rerun-analysis', { v: 1, userId, requestId: first })).toEqual({ status: 'succeeded', dreamDnaVersion: 1 });
    const second = randomUUID();
    expect(await analysis.run('analysis', 'rerun-analysis', { v: 1, userId, requestId: second })).toEqual({ status: 'succeeded', dreamDnaVersion: 2 });

    const flags = await flagsOf(userId);
    const cleared = flags.filter((job) => job.data.state === 'cleared');
    expect(cleared.map((job) => job.id).sort()).toEqual([`attention-cleared-analysis_failed-${first}`, `attention-cleared-analysis_failed-${second}`].sort());
    const raised = flags.find((job) => job.data.state === 'raised');
    // Each clear is as of its run's completion, after the failure it clears.
    for (const clear of cleared) expect(String(clear.data.occurredAt) > String(raised?.data.occurredAt)).toBe(true);
  });
});
