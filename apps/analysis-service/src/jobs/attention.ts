/**
 * What the analysis service flags for an operator (`founder-attention` on the gateway's queue): an analysis that
 * failed for good leaves the founder's Dream DNA behind what they said; a later run that succeeds (a new version,
 * or none needed) clears it. Each report's id (its job id and `eventId`) derives from the run it is about, so a
 * retry or a duplicate delivery of the job sends it once.
 */
import { DatabaseError, uuidFrom, withoutData, type JobProducer } from '@dreamseed/platform';
import { AnalysisProviderError } from '../analysis/provider';

/** What an operator is told of why a run failed: a code or the error's class, never its message (which may quote the input). */
export function failureCodeOf(error: unknown): string {
  if (error instanceof AnalysisProviderError) return `provider_${error.kind}`;
  const safe = withoutData(error);
  if (safe instanceof DatabaseError) return `database_${safe.code ?? 'error'}`;
  return error instanceof Error ? error.name : 'unknown';
}

/** The run a flag is about, by its request: the founder, the trigger and the run's key. */
interface RunOf {
  userId: string;
  trigger: string;
  /** `ai_analysis.run_key`: one per request, so every try of one job raises under the same id. */
  runKey: string;
}

export function raiseAnalysisFailed(
  producer: JobProducer,
  run: RunOf,
  failure: { at: Date; code?: string },
  correlationId: string,
): Promise<unknown> {
  const id = `attention-analysis-failed-${uuidFrom(run.runKey)}`;
  const detail = `The ${run.trigger} analysis failed${failure.code ? ` (${failure.code})` : ''}.`;
  return producer.enqueue(
    'gateway',
    'founder-attention',
    { v: 1, userId: run.userId, eventId: id, occurredAt: failure.at.toISOString(), kind: 'analysis_failed', state: 'raised', detail },
    { jobId: id, correlationId },
  );
}

/** A run that succeeded (`runId`), as of when it completed. */
export function clearAnalysisFailed(producer: JobProducer, userId: string, runId: string, at: Date, correlationId: string): Promise<unknown> {
  const id = `attention-cleared-analysis_failed-${runId}`;
  return producer.enqueue(
    'gateway',
    'founder-attention',
    { v: 1, userId, eventId: id, occurredAt: at.toISOString(), kind: 'analysis_failed', state: 'cleared' },
    { jobId: id, correlationId },
  );
}
