import { randomUUID } from 'node:crypto';
import type { DreamDnaView } from '@dreamseed/contracts';
import { CONSULTATION_FIXTURES, fixtureInput } from '../analysis/__fixtures__/consultations';
import { DREAM_DNA_FIELDS, emptyOutput, type AnalysisOutput } from '../analysis/output';
import type { AnalysisProvider } from '../analysis/provider';
import { startTestAnalysis, type TestAnalysis } from '../__fixtures__/test-analysis';

/** A provider that answers the outputs given, one per run. */
function scripted(outputs: AnalysisOutput[]): AnalysisProvider {
  return {
    name: 'offline',
    model: null,
    promptVersion: 'scripted',
    analyse: async () => {
      const output = outputs.shift();
      if (!output) throw new Error('no output left');
      return { output, raw: null, model: null, inputTokens: null, outputTokens: null, costUsd: null };
    },
  };
}

/** An output that found these fields, and nothing else. */
function found(findings: Partial<AnalysisOutput['dreamDna']>): AnalysisOutput {
  const output = emptyOutput();
  return { ...output, dreamDna: { ...output.dreamDna, ...findings } };
}

describe("the founder's Dream DNA read (GET /internal/dream-dna, /internal/dream-dna/versions)", () => {
  let analysis: TestAnalysis;
  beforeAll(async () => {
    analysis = await startTestAnalysis();
  });
  afterAll(async () => {
    await analysis.stop();
  });

  /** Runs one analysis for the founder with the provider given, as the job would. */
  const runWith = (provider: AnalysisProvider, userId: string) =>
    analysis.analyser({ provider }).run({ userId, trigger: 'manual', sourceId: randomUUID() }, analysis.jobContext(false, 'founder-read-test'));

  it("gives each field the quote and confidence of the run that made the version, as the run's output holds them", async () => {
    const userId = randomUUID();
    const calls = fixtureInput(CONSULTATION_FIXTURES[0]).calls.map((call) => ({ ...call, transcriptId: randomUUID(), callSessionId: randomUUID() }));
    analysis.setCalls(userId, calls);
    await analysis.run('analysis', 'analyse-founder', { v: 1, userId, trigger: 'call-ended', sourceId: calls[3]?.vapiCallId });

    const { status, body } = await analysis.read('/dream-dna', userId);
    expect(status).toBe(200);
    const dna = body as unknown as DreamDnaView;
    const { rows } = await analysis.pool.query(`select parsed_output from analysis.ai_analysis where id = $1`, [dna.aiAnalysisId]);
    const findings = (rows[0].parsed_output as AnalysisOutput).dreamDna;
    const expected = Object.fromEntries(
      DREAM_DNA_FIELDS.filter((field) => dna[field] !== null && findings[field].evidence).map((field) => [field, { quote: findings[field].evidence, confidence: findings[field].confidence }]),
    );
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(4);
    expect(dna.evidence).toEqual(expected);
    expect(dna.evidence.brandVibe?.quote).toEqual(expect.stringMatching(/\S/));

    const versions = await analysis.read('/dream-dna/versions', userId);
    expect(versions.body).toMatchObject({ versions: [{ version: 1, evidence: expected }], next_cursor: null });
  });

  it('keeps the quote of the run that found a value a later run carried over, and gives none where the run kept none', async () => {
    const userId = randomUUID();
    analysis.setCalls(userId, []);
    const provider = scripted([
      found({
        whatProblem: { value: 'Parents have no time to cook', confidence: 0.7, evidence: 'I never have time to cook for the kids' },
        brandVibe: { value: 'bold', confidence: 0.6, evidence: 'something loud' },
      }),
      // Nothing about the problem this time: the version keeps the first run's value.
      found({
        brandVibe: { value: 'friendly', confidence: 0.95, evidence: 'Friendly' },
        priceLevel: { value: 'premium', confidence: 0.5, evidence: null },
      }),
    ]);
    expect(await runWith(provider, userId)).toMatchObject({ dreamDnaVersion: 1 });
    expect(await runWith(provider, userId)).toMatchObject({ dreamDnaVersion: 2 });

    const current = (await analysis.read('/dream-dna', userId)).body as unknown as DreamDnaView;
    expect(current).toMatchObject({ version: 2, whatProblem: 'Parents have no time to cook', brandVibe: 'friendly', priceLevel: 'premium' });
    expect(current.evidence).toEqual({
      whatProblem: { quote: 'I never have time to cook for the kids', confidence: 0.7 },
      brandVibe: { quote: 'Friendly', confidence: 0.95 },
    });

    const { body } = await analysis.read('/dream-dna/versions?limit=1', userId);
    expect((body.versions as DreamDnaView[])[0]?.evidence).toEqual(current.evidence);
    const older = await analysis.read(`/dream-dna/versions?limit=1&cursor=${String(body.next_cursor)}`, userId);
    expect((older.body.versions as DreamDnaView[])[0]).toMatchObject({
      version: 1,
      evidence: { whatProblem: { quote: 'I never have time to cook for the kids', confidence: 0.7 }, brandVibe: { quote: 'something loud', confidence: 0.6 } },
    });
  });
});
