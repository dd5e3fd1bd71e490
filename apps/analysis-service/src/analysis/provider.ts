import type { ConsultationCallView } from '@dreamseed/contracts';
import type { AnalysisOutput } from './output';

/** Everything an analysis reads about one founder, oldest first. */
export interface AnalysisInput {
  calls: ConsultationCallView[];
  assessments: { id: string; submittedAt: Date; answers: { questionId: string; value: unknown }[]; catalogVersion: number }[];
  /** Facts the assistant saved during calls (`save_business_fact`). */
  facts: { field: string; value: string; createdAt: Date }[];
}

export interface ProviderResult {
  output: AnalysisOutput;
  /** What the provider answered, as received (the LLM's message, or the extractor's trace). */
  raw: unknown;
  model: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
}

export interface AnalysisProvider {
  readonly name: 'openai' | 'offline';
  readonly model: string | null;
  readonly promptVersion: string;
  analyse(input: AnalysisInput): Promise<ProviderResult>;
}

/**
 * A provider that could not produce a result. `retryable` failures (rate limits, timeouts, server errors) are
 * retried by the queue; the others (a refusal, an answer that breaks the schema, a rejected request) are
 * recorded as failed at once, since asking again would give the same answer.
 */
export class AnalysisProviderError extends Error {
  constructor(
    readonly kind: 'refusal' | 'invalid_output' | 'rate_limited' | 'timeout' | 'unavailable' | 'rejected',
    message: string,
    readonly retryable: boolean,
    /** For a rate limit: how long the provider asked us to wait. */
    readonly retryAfterMs?: number,
    readonly raw?: unknown,
  ) {
    super(message);
    this.name = 'AnalysisProviderError';
  }
}
