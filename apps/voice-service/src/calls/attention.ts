/**
 * What the voice service flags for an operator (`founder-attention` on the gateway's queue): an outbound call that
 * could not be placed, or that nobody answered, leaves the founder waiting for a call that will not come; a
 * consultation call that completes clears both. Each report's id (its job id and `eventId`) derives from the plan
 * or call it is about, so a retry or a second delivery sends it once.
 */
import type { Vapi } from '@vapi-ai/server-sdk';
import type { FounderAttentionKind } from '@dreamseed/contracts';
import { jobIdFrom, type JobProducer } from '@dreamseed/platform';
import type { CompletedCall } from './founders';

/**
 * VAPI's `endedReason`s (its `CallEndedReason` enum) for a call that never reached the founder: nobody picked up,
 * the line was busy, the carrier refused the call, or a voicemail box answered. Such a call is no consultation.
 */
const UNANSWERED: readonly Vapi.CallEndedReason[] = ['customer-did-not-answer', 'customer-busy', 'vonage-rejected', 'voicemail'];

export const endedUnanswered = (endedReason: string | null): boolean => endedReason !== null && (UNANSWERED as readonly string[]).includes(endedReason);

/** An outbound call of a founder's consultation that ended without reaching them. */
export interface UnansweredCall {
  userId: string;
  callStage: number;
  vapiCallId: string;
  endedAt: string;
  /** VAPI's `endedReason`, one of `UNANSWERED`. */
  endedReason: string;
}

/** A planned call that ended `failed`, and why, as a code (never VAPI's message, which may quote the number). */
export interface FailedPlan {
  userId: string;
  callStage: number;
  voiceCallId: string;
  failedAt: Date;
  /** Unknown to a later try that finds the plan already failed. */
  reason?: string;
}

type Report = { userId: string; kind: FounderAttentionKind; state: 'raised' | 'cleared'; occurredAt: string; detail?: string };

async function report(producer: JobProducer, id: string, { userId, kind, state, occurredAt, detail }: Report, correlationId: string | undefined) {
  await producer.enqueue('gateway', 'founder-attention', { v: 1, userId, eventId: id, occurredAt, kind, state, detail }, { jobId: id, correlationId });
}

export function raiseCallUnanswered(producer: JobProducer, call: UnansweredCall, correlationId: string | undefined): Promise<void> {
  return report(
    producer,
    `attention-unanswered-${jobIdFrom(call.vapiCallId)}`,
    {
      userId: call.userId,
      kind: 'outbound_call_unanswered',
      state: 'raised',
      occurredAt: call.endedAt,
      detail: `The stage ${call.callStage} call went unanswered (${call.endedReason}).`,
    },
    correlationId,
  );
}

export function raiseCallFailed(producer: JobProducer, plan: FailedPlan, correlationId: string | undefined): Promise<void> {
  return report(
    producer,
    `attention-call-failed-${plan.voiceCallId}`,
    {
      userId: plan.userId,
      kind: 'outbound_call_failed',
      state: 'raised',
      occurredAt: plan.failedAt.toISOString(),
      detail: `The stage ${plan.callStage} call could not be placed${plan.reason ? ` (${plan.reason})` : ''}.`,
    },
    correlationId,
  );
}

/** A completed consultation call: whatever kept the founder waiting for a call is over. */
export async function clearCallAttention(producer: JobProducer, done: CompletedCall, correlationId: string | undefined): Promise<void> {
  const key = jobIdFrom(done.vapiCallId);
  for (const kind of ['outbound_call_failed', 'outbound_call_unanswered'] as const) {
    await report(producer, `attention-cleared-${kind}-${key}`, { userId: done.userId, kind, state: 'cleared', occurredAt: done.endedAt }, correlationId);
  }
}
