import { CONSULTATION_FIXTURES, ENUM_EXPECTATIONS, fixtureInput } from './__fixtures__/consultations';
import { normalizeBrandVibe, normalizeColorPreference, normalizePriceLevel, normalizeState } from './normalize';
import { OfflineExtractor } from './offline';
import type { AnalysisOutput } from './output';

const valueOf = (output: AnalysisOutput, field: string): string | null =>
  ((output.dreamDna as Record<string, { value: string | null }>)[field] ?? (output.businessFacts as Record<string, { value: string | null }>)[field])?.value ?? null;

describe('offline extractor', () => {
  const extractor = new OfflineExtractor();

  it('gets at least 80% of the enum fields of the fixture consultations right', async () => {
    let right = 0;
    let total = 0;
    const misses: string[] = [];
    for (const fixture of CONSULTATION_FIXTURES) {
      const { output } = await extractor.analyse(fixtureInput(fixture));
      for (const field of ENUM_EXPECTATIONS) {
        total += 1;
        if (valueOf(output, field) === fixture.expected[field]) right += 1;
        else misses.push(`${fixture.name}: ${field} = ${valueOf(output, field)} (expected ${fixture.expected[field]})`);
      }
    }
    expect(CONSULTATION_FIXTURES.length).toBeGreaterThanOrEqual(8);
    expect({ accuracy: right / total, misses }).toEqual({ accuracy: expect.any(Number), misses: expect.any(Array) });
    expect(right / total).toBeGreaterThanOrEqual(0.8);
  });

  it("takes the problem, audience, difference and main service from the founder's own words", async () => {
    let right = 0;
    let total = 0;
    for (const fixture of CONSULTATION_FIXTURES) {
      const { output } = await extractor.analyse(fixtureInput(fixture));
      for (const field of ['whatProblem', 'whoServes', 'howDifferent', 'primaryService'] as const) {
        total += 1;
        if ((output.dreamDna[field].value ?? '').toLowerCase().includes(fixture.expected[field].toLowerCase())) right += 1;
      }
    }
    expect(right / total).toBeGreaterThanOrEqual(0.8);
  });

  it('gives the same result for the same input, and cites its evidence', async () => {
    const input = fixtureInput(CONSULTATION_FIXTURES[0]);
    const first = await extractor.analyse(input);
    const second = await extractor.analyse(input);
    expect(second.output).toEqual(first.output);
    expect(first.output.dreamDna.brandVibe.evidence).toContain('energetic');
  });

  it('finds nothing in empty, short or non-English talk, and never an invalid value', async () => {
    const call = (turns: [string, string][]) => ({
      calls: [{ callSessionId: 'c', vapiCallId: 'v', transcriptId: 't', callStage: 1, endedAt: new Date().toISOString(), text: '', summary: null, structuredData: null, turns: turns.map(([role, content]) => ({ role, content })) }],
      assessments: [],
      facts: [],
    });
    const empty = await extractor.analyse(call([]));
    expect(Object.values(empty.output.dreamDna).every((f) => f.value === null)).toBe(true);
    const short = await extractor.analyse(call([['assistant', 'What problem do you solve?'], ['user', 'Hmm.']]));
    expect(short.output.dreamDna.brandVibe.value).toBeNull();
    const spanish = await extractor.analyse(call([['assistant', '¿Cómo debe sentirse la marca?'], ['user', 'Cálida, cercana y un poco divertida, con colores suaves.']]));
    expect(spanish.output.dreamDna.brandVibe.value).toBeNull();
  });

  it('maps free text to enum values', () => {
    expect(normalizePriceLevel('mid-range')).toBe('mid-market');
    expect(normalizeBrandVibe('calm, warm, a little playful')).toBe('friendly');
    expect(normalizeColorPreference('Soft greens and cream, nothing loud')).toBe('minimal');
    expect(normalizeBrandVibe('nothing corporate, we are loud and proud')).toBe('bold');
    expect(normalizeState('Texas')).toBe('TX');
    expect(normalizeState('tx')).toBe('TX');
    expect(normalizeState('west virginia')).toBe('WV');
    expect(normalizeBrandVibe('🙂')).toBeNull();
  });
});
