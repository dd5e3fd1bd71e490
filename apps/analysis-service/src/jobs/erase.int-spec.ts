import { randomUUID } from 'node:crypto';
import type { ConsultationCallView } from '@dreamseed/contracts';
import { waitFor } from '@dreamseed/testing';
import { CONSULTATION_FIXTURES, fixtureInput } from '../analysis/__fixtures__/consultations';
import { OfflineExtractor } from '../analysis/offline';
import type { AnalysisProvider } from '../analysis/provider';
import { startTestAnalysis, type TestAnalysis } from '../__fixtures__/test-analysis';

const callsOf = (): ConsultationCallView[] => fixtureInput(CONSULTATION_FIXTURES[0]).calls.map((call) => ({ ...call, transcriptId: randomUUID(), callSessionId: randomUUID() }));

const TABLES = ['dream_dna', 'ai_analysis', 'business_assessment', 'business_facts'] as const;

/** `erase-founder`: a founder who deleted their account leaves nothing in analysis.*, and no one else loses anything. */
describe('analysis service: erasing a founder', () => {
  let analysis: TestAnalysis;
  beforeAll(async () => {
    analysis = await startTestAnalysis();
  });
  afterAll(async () => {
    await analysis.stop();
  });

  const count = async (table: string, userId: string) => (await analysis.pool.query(`select count(*)::int as n from analysis.${table} where business_id = $1`, [userId])).rows[0].n as number;
  const countsOf = async (userId: string) => Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, await count(table, userId)])));
  const answersOf = async (assessmentId: string) => (await analysis.pool.query(`select count(*)::int as n from analysis.assessment_responses where assessment_id = $1`, [assessmentId])).rows[0].n as number;

  /** An Analyser as the service builds it, driven by hand (one try of a job). */
  const analyserWith = (provider: AnalysisProvider) => analysis.analyser({ provider });
  const contextOf = (lastAttempt: boolean) => analysis.jobContext(lastAttempt, 'erase-test');

  /** A founder with two versions (the calls, then an assessment), their runs, the assessment's answers and a saved fact. */
  async function founderWithEverything() {
    const userId = randomUUID();
    const calls = callsOf();
    analysis.setCalls(userId, calls);
    await analysis.run('analysis', 'analyse-founder', { v: 1, userId, trigger: 'call-ended', sourceId: calls[3]?.vapiCallId });
    const assessmentId = randomUUID();
    await analysis.run('analysis', 'submit-assessment', { v: 1, userId, assessmentId, catalogVersion: 1, answers: [{ questionId: 'brand_vibe', value: 'professional' }] });
    await analysis.run('analysis', 'record-business-fact', { v: 1, userId, vapiCallId: calls[0]?.vapiCallId, toolCallId: randomUUID(), field: 'business_name', value: 'Green Lots' });
    // The assessment queues an analysis of its own: erase after it wrote, as a founder would.
    await waitFor(async () => (await count('dream_dna', userId)) === 2, 'the assessment analysed');
    return { userId, assessmentId };
  }

  it("erases the founder's versions, runs, assessments with their answers and facts, and no one else's; again is a no-op", async () => {
    const founder = await founderWithEverything();
    const other = await founderWithEverything();
    const otherBefore = await countsOf(other.userId);
    expect(await countsOf(founder.userId)).toEqual({ dream_dna: 2, ai_analysis: 2, business_assessment: 1, business_facts: 1 });

    expect(await analysis.run('analysis', 'erase-founder', { v: 1, userId: founder.userId })).toEqual({ versions: 2, runs: 2, assessments: 1, facts: 1 });
    expect(await countsOf(founder.userId)).toEqual({ dream_dna: 0, ai_analysis: 0, business_assessment: 0, business_facts: 0 });
    expect(await answersOf(founder.assessmentId)).toBe(0);
    expect(await countsOf(other.userId)).toEqual(otherBefore);
    expect(await answersOf(other.assessmentId)).toBe(1);

    // A retried job, or one for a founder with nothing here, succeeds and deletes nothing.
    expect(await analysis.run('analysis', 'erase-founder', { v: 1, userId: founder.userId }, `erase-again-${founder.userId}`)).toEqual({ versions: 0, runs: 0, assessments: 0, facts: 0 });
    expect(await analysis.run('analysis', 'erase-founder', { v: 1, userId: randomUUID() })).toEqual({ versions: 0, runs: 0, assessments: 0, facts: 0 });
    expect(await countsOf(other.userId)).toEqual(otherBefore);
  });

  it('leaves no version behind from a run that was asking the provider when the founder was erased', async () => {
    const userId = randomUUID();
    const calls = callsOf();
    analysis.setCalls(userId, calls);
    let release = () => undefined as void;
    let asked = () => undefined as void;
    const askedProvider = new Promise<void>((resolve) => (asked = resolve));
    const offline = new OfflineExtractor();
    // The offline provider, held until the erasure is done.
    const held: AnalysisProvider = {
      name: offline.name,
      model: offline.model,
      promptVersion: offline.promptVersion,
      analyse: async (input) => {
        asked();
        await new Promise<void>((resolve) => (release = resolve));
        return offline.analyse(input);
      },
    };
    const running = analyserWith(held).run({ userId, trigger: 'call-ended', sourceId: calls[3]?.vapiCallId as string }, contextOf(false));
    await askedProvider;
    expect(await analysis.run('analysis', 'erase-founder', { v: 1, userId })).toMatchObject({ runs: 1 });
    release();

    expect(await running).toEqual({ status: 'erased' });
    expect(await countsOf(userId)).toEqual({ dream_dna: 0, ai_analysis: 0, business_assessment: 0, business_facts: 0 });
  });

  describe('work queued before the erasure that starts after it (a retry, a delayed job)', () => {
    const NOTHING = { dream_dna: 0, ai_analysis: 0, business_assessment: 0, business_facts: 0 };
    /** The ids of the jobs sent to the gateway about this founder (the profile, operators' flags). */
    const toGateway = async (userId: string) => (await analysis.sent('gateway')).filter((job) => job.data.userId === userId).map((job) => job.id);
    const marks = async (userId: string) => (await analysis.pool.query(`select count(*)::int as n from analysis.erased_founders where user_id = $1`, [userId])).rows[0].n as number;

    it('runs no analysis: no run, no Dream DNA, nothing sent on, and the job completes as erased', async () => {
      const userId = randomUUID();
      const calls = callsOf();
      analysis.setCalls(userId, calls);
      const call = { v: 1 as const, userId, trigger: 'call-ended' as const, sourceId: calls[3]?.vapiCallId };
      await analysis.run('analysis', 'analyse-founder', call);
      await analysis.run('analysis', 'erase-founder', { v: 1, userId });
      const sentBefore = await toGateway(userId);

      // The same analysis again (its run row was erased, so it would claim a new one), and a re-run asked for.
      expect(await analysis.run('analysis', 'analyse-founder', call, `analyse-retried-${userId}`)).toEqual({ status: 'erased' });
      expect(await analysis.run('analysis', 'rerun-analysis', { v: 1, userId, requestId: randomUUID() })).toEqual({ status: 'erased' });
      expect(await countsOf(userId)).toEqual(NOTHING);
      expect(await toGateway(userId)).toEqual(sentBefore);
    });

    it('raises no flag for operators on the last try of a run for an erased founder', async () => {
      const userId = randomUUID();
      const calls = callsOf();
      analysis.setCalls(userId, calls);
      await analysis.run('analysis', 'erase-founder', { v: 1, userId });
      const lastTry = contextOf(true);
      expect(await analyserWith(new OfflineExtractor()).run({ userId, trigger: 'call-ended', sourceId: calls[3]?.vapiCallId as string }, lastTry)).toEqual({ status: 'erased' });
      expect(await countsOf(userId)).toEqual(NOTHING);
      expect(await toGateway(userId)).toEqual([]);
    });

    it('stores no assessment, fact or selected domain, and queues no analysis', async () => {
      const userId = randomUUID();
      const calls = callsOf();
      analysis.setCalls(userId, calls);
      await analysis.run('analysis', 'erase-founder', { v: 1, userId });

      const assessmentId = randomUUID();
      expect(await analysis.run('analysis', 'submit-assessment', { v: 1, userId, assessmentId, catalogVersion: 1, answers: [{ questionId: 'brand_vibe', value: 'professional' }] })).toEqual({
        status: 'erased',
      });
      expect(await answersOf(assessmentId)).toBe(0);
      expect(await analysis.producer.queue('analysis').getJob(`analyse-assessment-${assessmentId}`)).toBeUndefined();
      expect(
        await analysis.run('analysis', 'record-business-fact', { v: 1, userId, vapiCallId: calls[0]?.vapiCallId as string, toolCallId: randomUUID(), field: 'business_name', value: 'Green Lots' }),
      ).toEqual({ status: 'erased' });
      expect(await analysis.run('analysis', 'record-selected-domain', { v: 1, userId, domain: 'greenlots.com' })).toEqual({ status: 'erased' });
      expect(await countsOf(userId)).toEqual(NOTHING);
      expect(await toGateway(userId)).toEqual([]);
    });

    it('keeps one mark through a second erasure, which still succeeds', async () => {
      const { userId } = await founderWithEverything();
      await analysis.run('analysis', 'erase-founder', { v: 1, userId });
      expect(await analysis.run('analysis', 'erase-founder', { v: 1, userId }, `erase-twice-${userId}`)).toEqual({ versions: 0, runs: 0, assessments: 0, facts: 0 });
      expect(await marks(userId)).toBe(1);
      expect(await analysis.run('analysis', 'record-selected-domain', { v: 1, userId, domain: 'greenlots.com' })).toEqual({ status: 'erased' });
      expect(await countsOf(userId)).toEqual(NOTHING);
    });

    it('leaves a founder who was not erased as before', async () => {
      const erased = randomUUID();
      await analysis.run('analysis', 'erase-founder', { v: 1, userId: erased });
      const { userId } = await founderWithEverything();
      expect(await marks(userId)).toBe(0);
      expect(await countsOf(userId)).toEqual({ dream_dna: 2, ai_analysis: 2, business_assessment: 1, business_facts: 1 });
      expect(await analysis.run('analysis', 'record-selected-domain', { v: 1, userId, domain: 'greenlots.com' })).toEqual({ version: 'current' });
    });
  });
});
