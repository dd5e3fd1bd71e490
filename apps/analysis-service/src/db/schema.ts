import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, numeric, pgSchema, text, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { ANALYSIS_TRIGGERS, BRAND_VIBES, COLOR_PREFERENCES, PRICE_LEVELS } from '@dreamseed/contracts';
import { createdAt, erasedFoundersTable, founderReads, founderReadsThroughParent, oneOf, ownerAll, timestampTz, updatedAt } from '@dreamseed/platform/schema';

/**
 * The analysis service's tables. `business_id` is the founder's profile id (`core.users.id`), held without a
 * foreign key because it belongs to the gateway.
 */
export const analysis = pgSchema('analysis');

/** One row per analysis run: what went in, what came out, and what it cost. */
export const aiAnalysis = analysis.table(
  'ai_analysis',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    businessId: uuid('business_id').notNull(),
    /** trigger + source id: a job delivered twice runs once. */
    runKey: text('run_key').notNull(),
    trigger: text('trigger').notNull(),
    provider: text('provider').notNull(),
    model: text('model'),
    promptVersion: text('prompt_version').notNull(),
    transcriptIds: uuid('transcript_ids').array().notNull().default(sql`'{}'::uuid[]`),
    assessmentIds: uuid('assessment_ids').array().notNull().default(sql`'{}'::uuid[]`),
    rawOutput: jsonb('raw_output'),
    parsedOutput: jsonb('parsed_output'),
    inputTokens: integer('input_tokens'),
    outputTokens: integer('output_tokens'),
    costUsd: numeric('cost_usd', { precision: 12, scale: 6 }),
    latencyMs: integer('latency_ms'),
    status: text('status').notNull().default('pending'),
    error: text('error'),
    dreamDnaVersion: integer('dream_dna_version'),
    /**
     * The copy of the job now asking the provider, and until when: a second copy (a stalled job taken over while
     * the first still runs) waits instead of paying for the same answer twice.
     */
    leaseHolder: uuid('lease_holder'),
    leaseUntil: timestampTz('lease_until'),
    createdAt: createdAt(),
    completedAt: timestampTz('completed_at'),
  },
  (t) => [
    ownerAll('ai_analysis', 'analysis'),
    uniqueIndex('ai_analysis_run_key_key').on(t.runKey),
    index('ai_analysis_business_id_idx').on(t.businessId, t.createdAt),
    oneOf('ai_analysis_trigger', 'trigger', ANALYSIS_TRIGGERS),
    oneOf('ai_analysis_status', 'status', ['pending', 'succeeded', 'failed', 'unchanged']),
    founderReads('ai_analysis', 'business_id'),
  ],
);

/** The Dream DNA: the seed's 12 columns plus the selected domain and the run it came from. */
export const dreamDna = analysis.table(
  'dream_dna',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    businessId: uuid('business_id').notNull(),
    whatProblem: text('what_problem'),
    whoServes: text('who_serves'),
    howDifferent: text('how_different'),
    primaryService: text('primary_service'),
    brandVibe: text('brand_vibe'),
    colorPreference: text('color_preference'),
    priceLevel: text('price_level'),
    version: integer('version').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    selectedDomain: text('selected_domain'),
    aiAnalysisId: uuid('ai_analysis_id').references((): AnyPgColumn => aiAnalysis.id, { onDelete: 'set null' }),
  },
  (t) => [
    ownerAll('dream_dna', 'analysis'),
    // The highest version is current; this index also serves "current version of a founder".
    uniqueIndex('dream_dna_business_version_key').on(t.businessId, t.version),
    check('dream_dna_version_positive', sql`${t.version} >= 1`),
    oneOf('dream_dna_brand_vibe', 'brand_vibe', BRAND_VIBES),
    oneOf('dream_dna_color_preference', 'color_preference', COLOR_PREFERENCES),
    oneOf('dream_dna_price_level', 'price_level', PRICE_LEVELS),
    founderReads('dream_dna', 'business_id'),
  ],
);

/** A submitted assessment: the id comes from the gateway so that a retried submission is stored once. */
export const businessAssessment = analysis.table(
  'business_assessment',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id').notNull(),
    catalogVersion: integer('catalog_version').notNull(),
    status: text('status').notNull().default('submitted'),
    submittedAt: timestampTz('submitted_at').notNull().defaultNow(),
    analysedAt: timestampTz('analysed_at'),
    createdAt: createdAt(),
  },
  (t) => [
    ownerAll('business_assessment', 'analysis'),
    index('business_assessment_business_id_idx').on(t.businessId, t.submittedAt),
    oneOf('business_assessment_status', 'status', ['submitted', 'analysed']),
    founderReads('business_assessment', 'business_id'),
  ],
);

export const assessmentResponses = analysis.table(
  'assessment_responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => businessAssessment.id, { onDelete: 'cascade' }),
    questionId: text('question_id').notNull(),
    answer: jsonb('answer').notNull(),
    createdAt: createdAt(),
  },
  (t) => [ownerAll('assessment_responses', 'analysis'), uniqueIndex('assessment_responses_assessment_question_key').on(t.assessmentId, t.questionId),
    founderReadsThroughParent('assessment_responses', { schema: 'analysis', table: 'business_assessment', founderColumn: 'business_id' }, 'assessment_id'),
  ],
);

/** Facts the assistant saved during calls (`save_business_fact`), read by the next analysis. */
export const businessFacts = analysis.table(
  'business_facts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    businessId: uuid('business_id').notNull(),
    field: text('field').notNull(),
    value: text('value').notNull(),
    vapiCallId: text('vapi_call_id').notNull(),
    toolCallId: text('tool_call_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [ownerAll('business_facts', 'analysis'), uniqueIndex('business_facts_tool_call_key').on(t.toolCallId), index('business_facts_business_id_idx').on(t.businessId), founderReads('business_facts', 'business_id')],
);

/** The founders erased here (`erase-founder`): work on one of them that starts later writes nothing. */
export const erasedFounders = erasedFoundersTable(analysis, 'analysis');
