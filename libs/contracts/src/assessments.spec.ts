import { ASSESSMENT_CATALOGS, assessmentAnswerIssues, assessmentCatalog, CURRENT_ASSESSMENT_VERSION, type AssessmentTarget } from './assessments';

const TARGETS: AssessmentTarget[] = [
  'whatProblem', 'whoServes', 'howDifferent', 'primaryService', 'brandVibe', 'colorPreference', 'priceLevel',
  'businessName', 'businessType', 'entityType', 'stateOfOperation', 'urgencyLevel', 'timeline', 'packagePreference',
];
const v1 = assessmentCatalog(1) ?? { version: 0, questions: [] };
const question = (id: string) => v1.questions.find((q) => q.id === id) ?? { id, kind: 'text', prompt: '', target: 'timeline', maxLength: 0 };

describe('assessment catalogs', () => {
  it('has unique versions, the current one the highest, each found by its number', () => {
    const versions = ASSESSMENT_CATALOGS.map((c) => c.version);
    expect(new Set(versions).size).toBe(versions.length);
    expect(CURRENT_ASSESSMENT_VERSION).toBe(Math.max(...versions));
    for (const catalog of ASSESSMENT_CATALOGS) expect(assessmentCatalog(catalog.version)).toBe(catalog);
    expect(assessmentCatalog(CURRENT_ASSESSMENT_VERSION + 1)).toBeUndefined();
  });

  it.each(ASSESSMENT_CATALOGS.map((c) => [c.version, c] as const))('version %s asks each field once, under unique ids', (_, catalog) => {
    expect(new Set(catalog.questions.map((q) => q.id)).size).toBe(catalog.questions.length);
    expect(catalog.questions.map((q) => q.target).sort()).toEqual([...TARGETS].sort());
    for (const q of catalog.questions) {
      if (q.kind === 'choice') expect(q.options.length).toBeGreaterThan(1);
      else expect(q.maxLength).toBeGreaterThan(0);
    }
  });
});

describe('checking assessment answers', () => {
  it('accepts a full, valid submission', () => {
    const answers = v1.questions.map((q) => ({ questionId: q.id, value: q.kind === 'choice' ? q.options[0] : 'An answer' }));
    expect(assessmentAnswerIssues(v1, answers)).toEqual([]);
    expect(assessmentAnswerIssues(v1, [])).toEqual([]);
  });

  it('names every problem, each by its question', () => {
    const limit = (question('business_name') as { maxLength: number }).maxLength;
    expect(
      assessmentAnswerIssues(v1, [
        { questionId: 'nope', value: 'x' },
        { questionId: 'brand_vibe', value: 'loud' },
        { questionId: 'price_level', value: 3 },
        { questionId: 'what_problem', value: '   ' },
        { questionId: 'business_name', value: 'x'.repeat(limit + 1) },
        { questionId: 'who_serves', value: ['a list'] },
        { questionId: 'timeline', value: 'soon' },
        { questionId: 'timeline', value: 'later' },
      ]).map((issue) => [issue.questionId, issue.message.split(':')[0]]),
    ).toEqual([
      ['nope', 'is not a question of this assessment'],
      ['brand_vibe', 'must be one of'],
      ['price_level', 'must be one of'],
      ['what_problem', 'must be text of 1 to 2000 characters'],
      ['business_name', `must be text of 1 to ${limit} characters`],
      ['who_serves', 'must be text of 1 to 2000 characters'],
      ['timeline', 'is answered twice'],
    ]);
  });

  it('takes text at exactly its limit', () => {
    const q = question('package_preference') as { id: string; maxLength: number };
    expect(assessmentAnswerIssues(v1, [{ questionId: q.id, value: 'p'.repeat(q.maxLength) }])).toEqual([]);
  });
});
