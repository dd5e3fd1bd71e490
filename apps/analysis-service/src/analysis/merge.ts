import { assessmentCatalog, type AssessmentTarget } from '@dreamseed/contracts';
import {
  normalizeBrandVibe,
  normalizeColorPreference,
  normalizeEntityType,
  normalizePriceLevel,
  normalizeState,
  normalizeUrgency,
} from './normalize';
import { BUSINESS_FACT_FIELDS, DREAM_DNA_FIELDS, emptyOutput, MAX_TEXT, type AnalysisOutput, type DreamDnaFields, type Finding } from './output';
import type { AnalysisInput } from './provider';

export type Field = (typeof DREAM_DNA_FIELDS)[number] | (typeof BUSINESS_FACT_FIELDS)[number];

/** What one source (a call, VAPI's structured data, an assessment, a saved fact) says, field by field. */
export interface Source {
  at: number;
  /** Within the same instant, explicit sources (answers, structured data) come after what was inferred. */
  rank: number;
  label: string;
  findings: Partial<Record<Field, Finding<string>>>;
}

const isDreamDnaField = (field: Field): field is (typeof DREAM_DNA_FIELDS)[number] => (DREAM_DNA_FIELDS as readonly string[]).includes(field);

/** Free text or a value for a field, made valid: enums mapped from words, text trimmed to a stored length. */
export function normalizeField(field: Field, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = Array.isArray(value) ? value.map(String).join(', ') : String(value);
  if (!text.trim()) return null;
  switch (field) {
    case 'brandVibe':
      return normalizeBrandVibe(text);
    case 'colorPreference':
      return normalizeColorPreference(text);
    case 'priceLevel':
      return normalizePriceLevel(text);
    case 'entityType':
      return normalizeEntityType(text);
    case 'stateOfOperation':
      return normalizeState(text);
    case 'urgencyLevel':
      return normalizeUrgency(text);
    default:
      return clip(text, TEXT_LIMITS[field] ?? MAX_TEXT);
  }
}

/** Profile fields are shorter than the Dream DNA's texts. */
const TEXT_LIMITS: Partial<Record<Field, number>> = { businessName: 200, businessType: 200, timeline: 200, packagePreference: 100 };

/** Control characters out, whitespace folded, at most MAX_TEXT characters ending at a word. */
export function clip(text: string, max = MAX_TEXT): string | null {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!clean) return null;
  if (clean.length <= max) return clean;
  // The ellipsis counts towards max: a cut at a space leaves room for it, a cut inside a word makes room.
  const cut = clean.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut.slice(0, max - 1)).trim()}…`;
}

/** Keys VAPI's structured data (an assistant's analysis plan) commonly uses for each field. */
const STRUCTURED_KEYS: Record<Field, readonly string[]> = {
  whatProblem: ['whatProblem', 'what_problem', 'problem'],
  whoServes: ['whoServes', 'who_serves', 'audience', 'customers', 'targetCustomers', 'target_customers', 'targetAudience'],
  howDifferent: ['howDifferent', 'how_different', 'difference', 'differentiator', 'usp', 'uniqueValue'],
  primaryService: ['primaryService', 'primary_service', 'service', 'mainService', 'product', 'offering'],
  brandVibe: ['brandVibe', 'brand_vibe', 'vibe', 'tone', 'brandPersonality'],
  colorPreference: ['colorPreference', 'color_preference', 'colors', 'colours', 'palette'],
  priceLevel: ['priceLevel', 'price_level', 'price', 'pricing'],
  businessName: ['businessName', 'business_name', 'companyName', 'company_name'],
  businessType: ['businessType', 'business_type', 'industry'],
  entityType: ['entityType', 'entity_type', 'entity'],
  stateOfOperation: ['stateOfOperation', 'state_of_operation', 'state'],
  urgencyLevel: ['urgencyLevel', 'urgency_level', 'urgency'],
  timeline: ['timeline', 'launchTimeline', 'launch_timeline'],
  packagePreference: ['packagePreference', 'package_preference', 'package'],
};

const FIELDS = [...DREAM_DNA_FIELDS, ...BUSINESS_FACT_FIELDS] as const;

export function structuredDataSource(data: Record<string, unknown>, at: number, label: string): Source {
  const findings: Source['findings'] = {};
  for (const field of FIELDS) {
    const key = STRUCTURED_KEYS[field].find((name) => data[name] !== undefined && data[name] !== null);
    if (!key) continue;
    const value = normalizeField(field, data[key]);
    if (value) findings[field] = { value, confidence: 0.8, evidence: clip(String(data[key]), 200) };
  }
  return { at, rank: 1, label, findings };
}

/** The sources every provider shares: VAPI's structured data per call, assessment answers and saved facts. */
export function explicitSources(input: AnalysisInput): Source[] {
  const sources: Source[] = [];
  for (const call of input.calls) {
    if (call.structuredData && typeof call.structuredData === 'object') {
      sources.push(structuredDataSource(call.structuredData, call.endedAt ? Date.parse(call.endedAt) : 0, `call ${call.vapiCallId} structured data`));
    }
  }
  for (const assessment of input.assessments) {
    const catalog = assessmentCatalog(assessment.catalogVersion);
    const findings: Source['findings'] = {};
    for (const answer of assessment.answers) {
      const target = catalog?.questions.find((q) => q.id === answer.questionId)?.target as AssessmentTarget | undefined;
      if (!target) continue;
      const value = normalizeField(target, answer.value);
      if (value) findings[target] = { value, confidence: 0.95, evidence: clip(String(answer.value), 200) };
    }
    sources.push({ at: assessment.submittedAt.getTime(), rank: 2, label: `assessment ${assessment.id}`, findings });
  }
  for (const fact of input.facts) {
    const field = FIELDS.find((name) => STRUCTURED_KEYS[name].includes(fact.field));
    const value = field && normalizeField(field, fact.value);
    if (field && value) sources.push({ at: fact.createdAt.getTime(), rank: 2, label: `saved fact ${fact.field}`, findings: { [field]: { value, confidence: 0.9, evidence: clip(fact.value, 200) } } });
  }
  return sources;
}

/**
 * Sources in time order, later refining earlier: a later finding replaces an earlier one unless it is a weak
 * guess (under 0.5) against a firmer answer. `base` (an LLM's reading of everything) starts the list.
 */
export function mergeSources(sources: Source[], base: AnalysisOutput = emptyOutput()): AnalysisOutput {
  const output = structuredClone(base);
  const ordered = [...sources].sort((a, b) => a.at - b.at || a.rank - b.rank);
  for (const source of ordered) {
    for (const [field, finding] of Object.entries(source.findings) as [Field, Finding<string>][]) {
      if (!finding.value) continue;
      const group = isDreamDnaField(field) ? output.dreamDna : output.businessFacts;
      const current = (group as Record<Field, Finding<string>>)[field];
      if (!current.value || finding.confidence >= Math.min(0.5, current.confidence)) {
        (group as Record<Field, Finding<string>>)[field] = finding;
      }
    }
  }
  return output;
}

/** Every field valid, whatever the provider answered: enums mapped or dropped, texts clipped. */
export function sanitizeOutput(output: AnalysisOutput): AnalysisOutput {
  const clean = emptyOutput();
  for (const field of FIELDS) {
    const group = isDreamDnaField(field) ? 'dreamDna' : 'businessFacts';
    const finding = (output[group] as Record<Field, Finding<string>>)[field];
    const value = normalizeField(field, finding?.value);
    if (!value) continue;
    (clean[group] as Record<Field, Finding<string>>)[field] = {
      value,
      confidence: Math.max(0, Math.min(1, Number.isFinite(finding.confidence) ? finding.confidence : 0)),
      evidence: finding.evidence ? clip(finding.evidence, 300) : null,
    };
  }
  return clean;
}

/** Fields the model left empty, filled from what the founder stated explicitly. */
export function fillGaps(output: AnalysisOutput, explicit: AnalysisOutput): AnalysisOutput {
  const filled = structuredClone(output);
  for (const group of ['dreamDna', 'businessFacts'] as const) {
    for (const [field, finding] of Object.entries(filled[group]) as [string, { value: unknown }][]) {
      const other = (explicit[group] as Record<string, { value: unknown }>)[field];
      if (finding.value === null && other?.value !== null) (filled[group] as Record<string, unknown>)[field] = other;
    }
  }
  return filled;
}

/** The Dream DNA fields after a run: what the run found, and the current value where it found nothing. */
export function nextDreamDna(current: DreamDnaFields | null, output: AnalysisOutput): DreamDnaFields {
  return Object.fromEntries(
    DREAM_DNA_FIELDS.map((field) => [field, output.dreamDna[field].value ?? current?.[field] ?? null]),
  ) as DreamDnaFields;
}

export function sameDreamDna(a: DreamDnaFields | null, b: DreamDnaFields): boolean {
  if (!a) return DREAM_DNA_FIELDS.every((field) => b[field] === null);
  return DREAM_DNA_FIELDS.every((field) => (a[field] ?? null) === (b[field] ?? null));
}
