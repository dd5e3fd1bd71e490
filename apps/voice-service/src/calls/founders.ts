import { and, eq, isNull, sql } from 'drizzle-orm';
import { jobIdFrom, uuidFrom, type JobProducer } from '@dreamseed/platform';
import type { VoiceTx } from '../db/client';
import { clearCallAttention } from './attention';
import { callFounders, callSessions, conversations, transcripts, webhookLogs, type CallFounderSource } from '../db/schema';
import { nextStage } from './next-call';

/**
 * Which founder a VAPI call belongs to. The platform records it itself when it answers a call's assistant-request
 * or places a call, so a call keeps its founder whatever VAPI echoes of our metadata; metadata and the caller's
 * number are the fallbacks (`withRecordedFounder`; the voice worker's `apply`).
 */
export interface CallFounder {
  vapiCallId: string;
  /** Null only for an intake call (`source` 'intake'): answered for nobody, and nobody's for good. */
  userId: string | null;
  callStage: number | null;
  source: CallFounderSource;
}

/**
 * A call's founder and stage as the platform's record of the call decides, an intake call's (nobody's) included;
 * without a record, as the call's metadata gave them. The tools' rule; the voice worker's session statement
 * (`sessionsUpsert` in sessions.ts) states the same in SQL.
 */
export function withRecordedFounder<C extends { userId: string | null; callStage: number | null }>(
  call: C,
  recorded: Pick<CallFounder, 'userId' | 'callStage'> | undefined,
): C {
  if (!recorded) return call;
  return { ...call, userId: recorded.userId, callStage: recorded.userId ? (recorded.callStage ?? call.callStage) : null };
}

/** A call whose end-of-call report was stored before its founder was known: its follow-ups are still owed. */
export interface CompletedCall {
  userId: string;
  callStage: number;
  vapiCallId: string;
  endedAt: string;
}

/**
 * Records the call's founder (the first record wins: a later one for the same call changes nothing) and links
 * the call's rows stored before it: its session, transcript, conversation and logged messages. Returns the call
 * when its end-of-call report was already applied without a founder, so the caller queues its follow-ups
 * (`queueCallCompleted`), which the report could not.
 */
export async function bindCallFounder(tx: VoiceTx, binding: CallFounder): Promise<{ founder: CallFounder; completed: CompletedCall | null }> {
  await tx
    .insert(callFounders)
    .values({ vapiCallId: binding.vapiCallId, userId: binding.userId, callStage: binding.callStage, source: binding.source })
    .onConflictDoNothing();
  const [bound] = await tx.select().from(callFounders).where(eq(callFounders.vapiCallId, binding.vapiCallId));
  const founder: CallFounder = bound ? { ...bound, source: bound.source as CallFounderSource } : binding;
  if (!founder.userId) return { founder, completed: null };
  const userId = founder.userId;

  const linked = await tx
    .update(callSessions)
    .set({ userId, callStage: sql`coalesce(${callSessions.callStage}, ${founder.callStage}::smallint)`, updatedAt: new Date() })
    .where(and(eq(callSessions.vapiCallId, founder.vapiCallId), isNull(callSessions.userId)))
    .returning({ id: callSessions.id, callStage: callSessions.callStage, endedAt: callSessions.endedAt });
  await tx.update(webhookLogs).set({ userId }).where(and(eq(webhookLogs.vapiCallId, founder.vapiCallId), isNull(webhookLogs.userId)));
  const session = linked[0];
  if (!session) return { founder, completed: null };

  const ownedBySession = { userId, callStage: session.callStage };
  const [transcript] = await tx
    .update(transcripts)
    .set(ownedBySession)
    .where(and(eq(transcripts.callSessionId, session.id), isNull(transcripts.userId)))
    .returning({ id: transcripts.id });
  await tx.update(conversations).set(ownedBySession).where(and(eq(conversations.callSessionId, session.id), isNull(conversations.userId)));
  // A transcript exists only once the end-of-call report was applied.
  const completed =
    transcript && session.callStage
      ? { userId, callStage: session.callStage, vapiCallId: founder.vapiCallId, endedAt: (session.endedAt ?? new Date()).toISOString() }
      : null;
  return { founder, completed };
}

/**
 * The jobs that follow a completed consultation: the profile's progress (and the end of any failed or unanswered
 * outbound call's flag for operators), the analysis and, before the last stage, the next call's plan. Their ids derive from the call, so a second report, a retry or a late binding
 * never sends one twice.
 */
export async function queueCallCompleted(producer: JobProducer, done: CompletedCall, correlationId: string | undefined): Promise<void> {
  const key = jobIdFrom(done.vapiCallId);
  await producer.enqueue(
    'gateway',
    'profile-call-completed',
    { v: 1, userId: done.userId, eventId: `call-completed-${key}`, occurredAt: done.endedAt, callStage: done.callStage, callId: done.vapiCallId },
    { jobId: `call-completed-${key}`, correlationId },
  );
  await clearCallAttention(producer, done, correlationId);
  await producer.enqueue('analysis', 'analyse-founder', { v: 1, userId: done.userId, trigger: 'call-ended', sourceId: done.vapiCallId }, { jobId: `analyse-call-${key}`, correlationId });
  const next = nextStage(done.callStage);
  if (next) {
    // Planning the next stage also cancels whatever was still planned for this one (a call the founder made in).
    await producer.enqueue('voice', 'schedule-next-call', { v: 1, userId: done.userId, callStage: next }, { jobId: `next-call-${key}`, correlationId });
    return;
  }
  // The last stage: nothing is planned after it, and nothing still planned is needed.
  await producer.enqueue(
    'voice',
    'cancel-next-call',
    { v: 1, userId: done.userId, requestId: uuidFrom('consultation-done', done.vapiCallId), throughStage: done.callStage },
    { jobId: `consultation-done-${key}`, correlationId },
  );
  await producer.enqueue(
    'gateway',
    'profile-next-call-scheduled',
    { v: 1, userId: done.userId, eventId: `consultation-done-${key}`, occurredAt: done.endedAt, callStage: done.callStage, scheduledAt: null },
    { jobId: `consultation-done-${key}`, correlationId },
  );
}
