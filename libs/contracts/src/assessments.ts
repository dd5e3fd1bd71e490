import { BRAND_VIBES, COLOR_PREFERENCES, ENTITY_TYPES, PRICE_LEVELS, URGENCY_LEVELS, US_STATES } from './common';

/** Where an answer goes: a Dream DNA field or a business fact of the profile. */
export type AssessmentTarget =
  | 'whatProblem'
  | 'whoServes'
  | 'howDifferent'
  | 'primaryService'
  | 'brandVibe'
  | 'colorPreference'
  | 'priceLevel'
  | 'businessName'
  | 'businessType'
  | 'entityType'
  | 'stateOfOperation'
  | 'urgencyLevel'
  | 'timeline'
  | 'packagePreference';

export type AssessmentQuestion =
  | { id: string; kind: 'text'; prompt: string; target: AssessmentTarget; maxLength: number }
  | { id: string; kind: 'choice'; prompt: string; target: AssessmentTarget; options: readonly string[] };

export interface AssessmentCatalog {
  version: number;
  questions: readonly AssessmentQuestion[];
}

const text = (id: string, target: AssessmentTarget, prompt: string, maxLength = 2000): AssessmentQuestion => ({ id, kind: 'text', prompt, target, maxLength });
const choice = (id: string, target: AssessmentTarget, prompt: string, options: readonly string[]): AssessmentQuestion => ({ id, kind: 'choice', prompt, target, options });

/**
 * The assessment founders fill in beside their calls. A catalog version never changes once published: a new
 * question or wording is a new version, and stored answers keep the version they were given against.
 */
export const ASSESSMENT_CATALOGS: readonly AssessmentCatalog[] = [
  {
    version: 1,
    questions: [
      text('what_problem', 'whatProblem', 'What problem does your business solve?'),
      text('who_serves', 'whoServes', 'Who are your customers?'),
      text('how_different', 'howDifferent', 'What makes you different from the alternatives?'),
      text('primary_service', 'primaryService', 'What is the main thing you sell?'),
      choice('brand_vibe', 'brandVibe', 'Which feel suits your brand best?', BRAND_VIBES),
      choice('color_preference', 'colorPreference', 'Which colours suit it?', COLOR_PREFERENCES),
      choice('price_level', 'priceLevel', 'Where do your prices sit?', PRICE_LEVELS),
      text('business_name', 'businessName', 'What is (or might be) the business called?', 200),
      text('business_type', 'businessType', 'What kind of business is it (bakery, design studio, ...)?', 200),
      choice('entity_type', 'entityType', 'Which legal form do you want?', ENTITY_TYPES),
      choice('state_of_operation', 'stateOfOperation', 'In which state will you form it?', US_STATES),
      choice('urgency_level', 'urgencyLevel', 'How urgent is forming it?', URGENCY_LEVELS),
      text('timeline', 'timeline', 'When do you want to be open for business?', 200),
      text('package_preference', 'packagePreference', 'Which formation package interests you?', 100),
    ],
  },
];

export const CURRENT_ASSESSMENT_VERSION = Math.max(...ASSESSMENT_CATALOGS.map((catalog) => catalog.version));

export function assessmentCatalog(version: number): AssessmentCatalog | undefined {
  return ASSESSMENT_CATALOGS.find((catalog) => catalog.version === version);
}

export interface AssessmentAnswerIssue {
  questionId: string;
  message: string;
}

/** What is wrong with a submission against its catalog version: unknown questions, repeats, bad values. */
export function assessmentAnswerIssues(catalog: AssessmentCatalog, answers: readonly { questionId: string; value: unknown }[]): AssessmentAnswerIssue[] {
  const issues: AssessmentAnswerIssue[] = [];
  const seen = new Set<string>();
  for (const answer of answers) {
    const question = catalog.questions.find((q) => q.id === answer.questionId);
    if (!question) {
      issues.push({ questionId: answer.questionId, message: 'is not a question of this assessment' });
      continue;
    }
    if (seen.has(question.id)) issues.push({ questionId: question.id, message: 'is answered twice' });
    seen.add(question.id);
    if (question.kind === 'choice') {
      if (typeof answer.value !== 'string' || !question.options.includes(answer.value)) {
        issues.push({ questionId: question.id, message: `must be one of: ${question.options.join(', ')}` });
      }
    } else if (typeof answer.value !== 'string' || !answer.value.trim() || answer.value.length > question.maxLength) {
      issues.push({ questionId: question.id, message: `must be text of 1 to ${question.maxLength} characters` });
    }
  }
  return issues;
}
