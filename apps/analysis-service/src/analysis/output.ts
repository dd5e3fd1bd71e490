import { z } from 'zod';
import { BRAND_VIBES, COLOR_PREFERENCES, ENTITY_TYPES, PRICE_LEVELS, URGENCY_LEVELS, US_STATES, type DreamDnaField } from '@dreamseed/contracts';

/**
 * What an analysis produces, as a zod schema: it is the structured-output format sent to the LLM and the check
 * every provider's answer passes. Every field is present (structured outputs require it) and may be null; each
 * has a confidence and a short quote of the founder's words it rests on.
 */
const finding = <T extends z.ZodType>(value: T) =>
  z.object({
    value: value.nullable(),
    confidence: z.number(),
    evidence: z.string().nullable(),
  });

const text = finding(z.string());

export const analysisOutputSchema = z.object({
  dreamDna: z.object({
    whatProblem: text,
    whoServes: text,
    howDifferent: text,
    primaryService: text,
    brandVibe: finding(z.enum(BRAND_VIBES)),
    colorPreference: finding(z.enum(COLOR_PREFERENCES)),
    priceLevel: finding(z.enum(PRICE_LEVELS)),
  }),
  businessFacts: z.object({
    businessName: text,
    businessType: text,
    entityType: finding(z.enum(ENTITY_TYPES)),
    stateOfOperation: finding(z.enum(US_STATES)),
    urgencyLevel: finding(z.enum(URGENCY_LEVELS)),
    timeline: text,
    packagePreference: text,
  }),
});

export type AnalysisOutput = z.infer<typeof analysisOutputSchema>;
export type DreamDnaFields = { [K in keyof AnalysisOutput['dreamDna']]: AnalysisOutput['dreamDna'][K]['value'] };
export type BusinessFacts = { [K in keyof AnalysisOutput['businessFacts']]: AnalysisOutput['businessFacts'][K]['value'] };
export type Finding<T> = { value: T | null; confidence: number; evidence: string | null };

export const DREAM_DNA_FIELDS = ['whatProblem', 'whoServes', 'howDifferent', 'primaryService', 'brandVibe', 'colorPreference', 'priceLevel'] as const satisfies readonly DreamDnaField[];
export const BUSINESS_FACT_FIELDS = ['businessName', 'businessType', 'entityType', 'stateOfOperation', 'urgencyLevel', 'timeline', 'packagePreference'] as const;
export const ENUM_FIELDS = ['brandVibe', 'colorPreference', 'priceLevel', 'entityType', 'stateOfOperation', 'urgencyLevel'] as const;

const none = { value: null, confidence: 0, evidence: null };

export function emptyOutput(): AnalysisOutput {
  return {
    dreamDna: Object.fromEntries(DREAM_DNA_FIELDS.map((field) => [field, { ...none }])) as AnalysisOutput['dreamDna'],
    businessFacts: Object.fromEntries(BUSINESS_FACT_FIELDS.map((field) => [field, { ...none }])) as AnalysisOutput['businessFacts'],
  };
}

/** Longest stored text per field: enough for a sentence or two in the founder's words. */
export const MAX_TEXT = 500;
