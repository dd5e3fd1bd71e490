import fc from 'fast-check';
import { ASSESSMENT_CATALOGS, BUSINESS_FACT_ALIASES } from '@dreamseed/contracts';
import { clip, explicitSources, fillGaps, mergeSources, nextDreamDna, sameDreamDna, sanitizeOutput, structuredDataSource, type Field, type Source } from './merge';
import { analysisOutputSchema, BUSINESS_FACT_FIELDS, DREAM_DNA_FIELDS, emptyOutput, type AnalysisOutput, type DreamDnaFields, type Finding } from './output';

const TEXT_FIELDS = ['whatProblem', 'whoServes', 'howDifferent', 'primaryService', 'businessName', 'timeline'] as const satisfies readonly Field[];
const valueOf = (output: AnalysisOutput, field: Field) =>
  ({ ...output.dreamDna, ...output.businessFacts } as Record<Field, Finding<string>>)[field];

/** Sources at distinct (time, rank) pairs, so that their order is fully decided by the rule, not by the input. */
const sources = fc
  .uniqueArray(
    fc.record({
      at: fc.integer({ min: 0, max: 20 }),
      rank: fc.integer({ min: 0, max: 2 }),
      findings: fc.dictionary(
        fc.constantFrom(...TEXT_FIELDS),
        fc.record({ value: fc.constantFrom('a bakery', 'a studio', 'dog walking', 'next spring'), confidence: fc.double({ min: 0, max: 1, noNaN: true }), evidence: fc.constant(null) }),
      ),
    }),
    { selector: (s) => `${s.at}/${s.rank}`, maxLength: 8 },
  )
  .map((list) => list.map((s, i): Source => ({ ...s, label: `source ${i}`, findings: s.findings as Source['findings'] })));

describe('Dream DNA merge', () => {
  it('gives the same result whatever order the sources arrive in', () => {
    fc.assert(
      fc.property(sources.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length }))), ([list, shuffled]) => {
        expect(mergeSources(shuffled)).toEqual(mergeSources(list));
      }),
    );
  });

  it('keeps the latest firm finding of each field, and invents none', () => {
    fc.assert(
      fc.property(sources, (list) => {
        const output = mergeSources(list);
        const ordered = [...list].sort((a, b) => a.at - b.at || a.rank - b.rank);
        for (const field of TEXT_FIELDS) {
          const said = ordered.map((s) => s.findings[field]).filter((f) => f?.value);
          const merged = valueOf(output, field);
          if (!said.length) expect(merged.value).toBeNull();
          else expect(said).toContainEqual(merged);
          const last = said.at(-1);
          if (last && last.confidence >= 0.5) expect(merged).toEqual(last);
        }
      }),
    );
  });

  it('lets a later finding refine an earlier one, but not a weak guess override a firmer answer', () => {
    const source = (at: number, rank: number, value: string, confidence: number): Source => ({ at, rank, label: value, findings: { whatProblem: { value, confidence, evidence: null } } });
    const merged = (...list: Source[]) => mergeSources(list).dreamDna.whatProblem.value;
    expect(merged(source(1, 0, 'first', 0.9), source(2, 0, 'later', 0.5))).toBe('later');
    expect(merged(source(1, 0, 'firm', 0.9), source(2, 0, 'guess', 0.4))).toBe('firm');
    expect(merged(source(1, 0, 'weak', 0.2), source(2, 0, 'less weak', 0.3))).toBe('less weak');
    expect(merged(source(1, 0, 'weak', 0.3), source(2, 0, 'weaker', 0.2))).toBe('weak');
    // In the same instant, the explicit answer (higher rank) comes after what was inferred.
    expect(merged(source(5, 2, 'answered', 0.95), source(5, 0, 'inferred', 0.6))).toBe('answered');
  });

  it('starts from the base, which it leaves as it was, and files each field in its group', () => {
    const base = emptyOutput();
    base.dreamDna.whoServes = { value: 'dog owners', confidence: 0.7, evidence: null };
    const output = mergeSources([{ at: 1, rank: 1, label: 's', findings: { businessName: { value: 'Paws', confidence: 0.8, evidence: null } } }], base);
    expect(output.dreamDna.whoServes.value).toBe('dog owners');
    expect(output.businessFacts.businessName.value).toBe('Paws');
    expect(base.businessFacts.businessName.value).toBeNull();
  });

  it('fills only the fields the model left empty from what the founder stated', () => {
    const model = emptyOutput();
    model.dreamDna.brandVibe = { value: 'bold', confidence: 0.6, evidence: null };
    const stated = emptyOutput();
    stated.dreamDna.brandVibe = { value: 'elegant', confidence: 0.95, evidence: null };
    stated.businessFacts.stateOfOperation = { value: 'TX', confidence: 0.95, evidence: 'Texas' };
    const filled = fillGaps(model, stated);
    expect(filled.dreamDna.brandVibe.value).toBe('bold');
    expect(filled.businessFacts.stateOfOperation).toEqual({ value: 'TX', confidence: 0.95, evidence: 'Texas' });
    expect(model.businessFacts.stateOfOperation.value).toBeNull();
  });
});

describe('explicit sources', () => {
  it('reads structured data under the keys assistants use, normalised, and skips what it cannot read', () => {
    const source = structuredDataSource({ business_name: '  Paws\nand Claws ', vibe: 'warm and welcoming', state: 'Texas', price: '??', unknown: 'x' }, 7, 'call');
    expect(source).toMatchObject({ at: 7, rank: 1, label: 'call' });
    expect(Object.fromEntries(Object.entries(source.findings).map(([field, f]) => [field, f?.value]))).toEqual({
      businessName: 'Paws and Claws',
      brandVibe: 'friendly',
      stateOfOperation: 'TX',
    });
  });

  it('turns calls, assessment answers and saved facts into sources, answers outranking inference', () => {
    const questions = ASSESSMENT_CATALOGS[0]?.questions ?? [];
    const sources = explicitSources({
      calls: [{ callSessionId: 's', vapiCallId: 'v1', transcriptId: 't', callStage: 1, endedAt: '2026-01-05T15:00:00Z', text: '', turns: [], summary: null, structuredData: { colors: 'navy and teal' } }],
      assessments: [
        {
          id: 'a1',
          submittedAt: new Date('2026-01-06T00:00:00Z'),
          catalogVersion: 1,
          answers: [
            { questionId: questions.find((q) => q.target === 'priceLevel')?.id ?? 'missing', value: 'premium' },
            { questionId: 'not-a-question', value: 'ignored' },
          ],
        },
      ],
      facts: [
        { field: 'entity_type', value: 'an LLC', createdAt: new Date('2026-01-07T00:00:00Z') },
        { field: 'favourite_food', value: 'pizza', createdAt: new Date('2026-01-07T00:00:00Z') },
      ],
    });
    expect(sources.map((s) => [s.label, s.rank, Object.keys(s.findings)])).toEqual([
      ['call v1 structured data', 1, ['colorPreference']],
      ['assessment a1', 2, ['priceLevel']],
      ['saved fact entity_type', 2, ['entityType']],
    ]);
    expect(mergeSources(sources).businessFacts.entityType.value).toBe('llc');
  });
});

describe('saved facts', () => {
  it.each(Object.entries(BUSINESS_FACT_ALIASES))('a fact saved as %s fills %s', (name, field) => {
    const values: Record<string, string> = { businessName: 'Paws', businessType: 'dog walking', entityType: 'LLC', stateOfOperation: 'Texas', urgencyLevel: 'asap', timeline: 'by spring', packagePreference: 'standard' };
    const [source] = explicitSources({ calls: [], assessments: [], facts: [{ field: name, value: values[field] ?? '', createdAt: new Date(0) }] });
    expect(Object.keys(source?.findings ?? {})).toEqual([field]);
  });
});

describe('sanitizing a provider answer', () => {
  const anyFinding = fc.record({
    value: fc.oneof(fc.string(), fc.constant(null), fc.constantFrom('Bold', 'mid range', 'texas', 'LLC', 'x'.repeat(900))),
    confidence: fc.oneof(fc.double(), fc.constant(Number.NaN)),
    evidence: fc.option(fc.string({ maxLength: 400 }), { nil: null }),
  });
  const anyOutput = fc
    .tuple(fc.array(anyFinding, { minLength: 7, maxLength: 7 }), fc.array(anyFinding, { minLength: 7, maxLength: 7 }))
    .map(([dna, facts]) => ({
      dreamDna: Object.fromEntries(DREAM_DNA_FIELDS.map((f, i) => [f, dna[i]])),
      businessFacts: Object.fromEntries(BUSINESS_FACT_FIELDS.map((f, i) => [f, facts[i]])),
    }) as unknown as AnalysisOutput);

  it('always yields an output the schema accepts, with confidences between 0 and 1', () => {
    fc.assert(
      fc.property(anyOutput, (raw) => {
        const clean = sanitizeOutput(raw);
        expect(analysisOutputSchema.safeParse(clean).success).toBe(true);
        for (const finding of [...Object.values(clean.dreamDna), ...Object.values(clean.businessFacts)]) {
          expect(finding.confidence).toBeGreaterThanOrEqual(0);
          expect(finding.confidence).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('maps enum fields from words and drops what maps to nothing', () => {
    const raw = emptyOutput() as unknown as { dreamDna: Record<string, unknown>; businessFacts: Record<string, unknown> };
    raw.dreamDna.priceLevel = { value: 'mid range', confidence: 2, evidence: null };
    raw.dreamDna.brandVibe = { value: 'purple', confidence: 0.9, evidence: null };
    raw.businessFacts.stateOfOperation = { value: 'we will form in Delaware', confidence: -1, evidence: 'Delaware' };
    const clean = sanitizeOutput(raw as unknown as AnalysisOutput);
    expect(clean.dreamDna.priceLevel).toEqual({ value: 'mid-market', confidence: 1, evidence: null });
    expect(clean.dreamDna.brandVibe.value).toBeNull();
    expect(clean.businessFacts.stateOfOperation).toEqual({ value: 'DE', confidence: 0, evidence: 'Delaware' });
  });
});

describe('the next Dream DNA version', () => {
  const fields = (values: Partial<DreamDnaFields>): DreamDnaFields => ({ ...(Object.fromEntries(DREAM_DNA_FIELDS.map((f) => [f, null])) as DreamDnaFields), ...values });

  it('takes what the run found and keeps the current value where it found nothing', () => {
    const output = emptyOutput();
    output.dreamDna.brandVibe = { value: 'bold', confidence: 0.7, evidence: null };
    const next = nextDreamDna(fields({ brandVibe: 'friendly', priceLevel: 'budget' }), output);
    expect(next).toEqual(fields({ brandVibe: 'bold', priceLevel: 'budget' }));
    expect(nextDreamDna(null, emptyOutput())).toEqual(fields({}));
  });

  it('is a new version only when a field changed', () => {
    expect(sameDreamDna(null, fields({}))).toBe(true);
    expect(sameDreamDna(null, fields({ whatProblem: 'x' }))).toBe(false);
    expect(sameDreamDna(fields({ whatProblem: 'x' }), fields({ whatProblem: 'x' }))).toBe(true);
    expect(sameDreamDna(fields({ whatProblem: 'x' }), fields({ whatProblem: 'y' }))).toBe(false);
    expect(sameDreamDna({ ...fields({}), whoServes: undefined } as unknown as DreamDnaFields, fields({}))).toBe(true);
  });
});

describe('clipping a text', () => {
  it('never returns more than the limit, the ellipsis included', () => {
    expect(clip('a'.repeat(250), 200)).toHaveLength(200);
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.integer({ min: 2, max: 300 }), (text, max) => {
        const clipped = clip(text, max);
        expect(clipped === null || clipped.length <= max).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
