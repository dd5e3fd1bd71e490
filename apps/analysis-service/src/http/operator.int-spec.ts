import { randomUUID } from 'node:crypto';
import { INTERNAL_PATHS, OPERATOR_READ_LIMIT, type ConsultationCallView, type OperatorDreamDnaView } from '@dreamseed/contracts';
import { founderAccessToken } from '@dreamseed/platform/testing';
import { CONSULTATION_FIXTURES, fixtureInput } from '../analysis/__fixtures__/consultations';
import { operatorAccessToken } from '@dreamseed/platform/testing';
import { startTestAnalysis, type TestAnalysis } from '../__fixtures__/test-analysis';

const TOKEN = 'internal-secret-for-tests';

/** The fixture's calls as the voice service would list them after `count` calls. */
const callsOf = (index: number, count = 4): ConsultationCallView[] =>
  fixtureInput(CONSULTATION_FIXTURES[index]).calls.slice(0, count).map((call) => ({ ...call, transcriptId: randomUUID(), callSessionId: randomUUID() }));

describe("analysis service: an operator's read of one founder's Dream DNA", () => {
  let analysis: TestAnalysis;
  beforeAll(async () => {
    analysis = await startTestAnalysis({ INTERNAL_API_SECRET: TOKEN });
  });
  afterAll(async () => {
    await analysis.stop();
  });

  const pathOf = (userId: string) => INTERNAL_PATHS.analysis.operatorDreamDna.replace(':userId', userId);
  const read = async (userId: string, { internal = TOKEN, bearer }: { internal?: string | null; bearer?: string }) => {
    const headers: Record<string, string> = {};
    if (internal) headers['x-internal-token'] = internal;
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    const response = await fetch(`${analysis.url}${pathOf(userId)}`, { headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  /** Two calls analysed, then all four: two versions and two runs. */
  async function historyOf(userId: string, fixture: number) {
    const all = callsOf(fixture);
    analysis.setCalls(userId, all.slice(0, 2));
    await analysis.run('analysis', 'analyse-founder', { v: 1, userId, trigger: 'call-ended', sourceId: all[1]?.vapiCallId ?? '' });
    analysis.setCalls(userId, all);
    await analysis.run('analysis', 'analyse-founder', { v: 1, userId, trigger: 'call-ended', sourceId: all[3]?.vapiCallId ?? '' });
  }

  it("answers an operator with every version, with its evidence as the founder sees it, and every run, newest first", async () => {
    const founder = randomUUID();
    await historyOf(founder, 0);
    // Another founder's history beside it, with the same version numbers: none of it shows, evidence included.
    await historyOf(randomUUID(), 1);
    await analysis.run('analysis', 'rerun-analysis', { v: 1, userId: founder, requestId: randomUUID() });

    const { status, body } = await read(founder, { bearer: await operatorAccessToken(analysis.config.JWT_ISSUER) });
    expect(status).toBe(200);
    const view = body as unknown as OperatorDreamDnaView;
    expect(view.userId).toBe(founder);
    const seenByFounder = (await analysis.read('/dream-dna/versions', founder)).body.versions;
    expect(view.versions).toEqual(seenByFounder);
    expect(view.versions.map((version) => version.version)).toEqual([3, 2, 1]);
    expect(Object.keys(view.versions[0]?.evidence ?? {}).length).toBeGreaterThan(0);
    expect(view.analyses.map((run) => [run.trigger, run.status, run.dreamDnaVersion])).toEqual([
      ['manual', 'succeeded', 3],
      ['call-ended', 'succeeded', 2],
      ['call-ended', 'succeeded', 1],
    ]);
  });

  it('answers for a founder without a Dream DNA with no versions, at most OPERATOR_READ_LIMIT runs, and empty lists for nobody', async () => {
    const founder = randomUUID();
    await analysis.pool.query(
      `insert into analysis.ai_analysis (business_id, run_key, trigger, provider, prompt_version, status, created_at)
       select $1::uuid, $1::text || ':manual:' || n, 'manual', 'offline', 'offline-rules-1', 'failed', now() - n * interval '1 minute'
         from generate_series(1, $2::int) n`,
      [founder, OPERATOR_READ_LIMIT + 3],
    );
    const operator = await operatorAccessToken(analysis.config.JWT_ISSUER);
    const view = (await read(founder, { bearer: operator })).body as unknown as OperatorDreamDnaView;
    expect(view.versions).toEqual([]);
    expect(view.analyses).toHaveLength(OPERATOR_READ_LIMIT);
    expect(view.analyses[0]?.createdAt > (view.analyses[1]?.createdAt ?? '')).toBe(true);
    expect((await read(randomUUID(), { bearer: operator })).body).toEqual({ userId: expect.any(String), versions: [], analyses: [] });
    expect((await read('founder-42', { bearer: operator })).status).toBe(404);
  });

  it("refuses a founder's token, a missing token, and a read without the platform's internal token", async () => {
    const founder = randomUUID();
    expect(await read(founder, { bearer: await founderAccessToken(founder, analysis.config.JWT_ISSUER) })).toMatchObject({
      status: 403,
      body: { error: { code: 'not_operator' } },
    });
    expect((await read(founder, {})).status).toBe(401);
    const operator = await operatorAccessToken(analysis.config.JWT_ISSUER);
    expect((await read(founder, { internal: null, bearer: operator })).status).toBe(401);
    expect((await read(founder, { internal: 'wrong-token', bearer: operator })).status).toBe(401);
  });
});
