/**
 * The voice service's rows as its internal API shows them, to the founder (calls.ts) and to an operator
 * (operator.ts) alike.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { CallView, PlannedCallView, TranscriptView } from '@dreamseed/contracts';
import type { VoiceTx } from '../db/client';
import { callSessions, conversationTurns, conversations, transcripts, voiceCalls } from '../db/schema';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function callView(row: typeof callSessions.$inferSelect): CallView {
  return {
    id: row.id,
    vapiCallId: row.vapiCallId,
    callStage: row.callStage ?? 0,
    direction: row.direction === 'outbound' || row.direction === 'web' ? row.direction : 'inbound',
    status: row.status,
    startedAt: row.startedAt?.toISOString() ?? null,
    endedAt: row.endedAt?.toISOString() ?? null,
    durationSeconds: row.durationSeconds,
    summary: row.summary,
  };
}

/** An outbound call as planned: a failure to place one is the founder's to see. */
export function plannedView(plan: typeof voiceCalls.$inferSelect): PlannedCallView {
  return {
    id: plan.id,
    callStage: plan.callStage,
    status: plan.status,
    scheduledFor: plan.scheduledFor.toISOString(),
    placedAt: plan.placedAt?.toISOString() ?? null,
    vapiCallId: plan.vapiCallId,
    lastError: plan.lastError,
  };
}

/**
 * The transcript of call session `callId`, turn by turn; undefined when the call has none. `userId` limits it to
 * that founder's call, for a reader that is not under the founder's row-level security (an operator's).
 */
export async function readTranscript(tx: VoiceTx, callId: string, userId?: string): Promise<TranscriptView | undefined> {
  const [transcript] = await tx
    .select()
    .from(transcripts)
    .where(and(eq(transcripts.callSessionId, callId), userId ? eq(transcripts.userId, userId) : undefined));
  if (!transcript) return undefined;
  const turns = await tx
    .select({ role: conversationTurns.role, content: conversationTurns.content, secondsFromStart: conversationTurns.secondsFromStart })
    .from(conversationTurns)
    .innerJoin(conversations, eq(conversations.id, conversationTurns.conversationId))
    .where(eq(conversations.callSessionId, callId))
    .orderBy(asc(conversationTurns.seq));
  return {
    callId,
    callStage: transcript.callStage,
    text: transcript.text,
    turns: turns.map((t) => ({ ...t, secondsFromStart: t.secondsFromStart === null ? null : Number(t.secondsFromStart) })),
    createdAt: transcript.createdAt.toISOString(),
  };
}
