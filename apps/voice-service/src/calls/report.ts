import { eq } from 'drizzle-orm';
import type { VoiceTx } from '../db/client';
import { callSessions, conversationTurns, conversations, transcripts, vapiCalls } from '../db/schema';
import { endOfCallReport, redact, type VapiMessage } from '../vapi/message';
import { storableReport } from '../vapi/storable';
import { endedUnanswered, type UnansweredCall } from './attention';
import type { CompletedCall } from './founders';
import type { CallWithId, StoredSession } from './sessions';

/**
 * Stores what an end-of-call report says of its call, beside the session it ended: the session's outcome, VAPI's
 * call object, the transcript and the conversation turn by turn. Every write is an upsert on the call's or
 * session's key, so a report applied again changes nothing twice. Returns what could not be stored (`refused`)
 * and, when the session has a founder and stage, the call whose follow-ups are now owed: a completed one, or an
 * outbound one nobody answered.
 */
export async function storeCallReport(
  tx: VoiceTx,
  message: VapiMessage,
  call: CallWithId,
  session: StoredSession,
  at: Date,
): Promise<{ completed: CompletedCall | null; unanswered: UnansweredCall | null; refused: string[] }> {
  const { report, refused } = storableReport(endOfCallReport(message));
  const [ended] = await tx
    .update(callSessions)
    .set({
      endedReason: report.endedReason,
      startedAt: report.startedAt ?? undefined,
      endedAt: report.endedAt ?? at,
      durationSeconds: report.durationSeconds,
      costUsd: report.costUsd === null ? null : String(report.costUsd),
      recordingUrl: report.recordingUrl,
      stereoRecordingUrl: report.stereoRecordingUrl,
      summary: report.summary,
      structuredData: report.structuredData,
      successEvaluation: report.successEvaluation,
      updatedAt: new Date(),
    })
    .where(eq(callSessions.id, session.id))
    .returning({ direction: callSessions.direction });
  // The session above keeps the summary and extracted data the product shows and the analysis reads; VAPI's
  // copy beside it is for debugging, so it keeps only the verdict.
  const analysis = report.analysis && (redact(report.analysis) as object);
  await tx
    .insert(vapiCalls)
    .values({
      vapiCallId: call.id,
      callSessionId: session.id,
      type: call.type,
      orgId: call.orgId,
      costBreakdown: report.costBreakdown as object | null,
      analysis,
      raw: redact(call.raw) as object,
    })
    .onConflictDoUpdate({
      target: vapiCalls.vapiCallId,
      set: { costBreakdown: report.costBreakdown as object | null, analysis, raw: redact(call.raw) as object, updatedAt: new Date() },
    });

  const endedAt = (report.endedAt ?? at).toISOString();
  // A call that never reached the founder holds no consultation (a voicemail greeting at most): without a
  // transcript its stage is not done, the analysis reads nothing of it, and no follow-up of a completed call
  // goes out. An outbound one leaves the founder without the call they were promised: an operator is told.
  if (endedUnanswered(report.endedReason)) {
    const unanswered =
      ended?.direction === 'outbound' && session.userId && session.callStage && report.endedReason
        ? { userId: session.userId, callStage: session.callStage, vapiCallId: call.id, endedAt, endedReason: report.endedReason }
        : null;
    return { completed: null, unanswered, refused };
  }

  await tx
    .insert(transcripts)
    .values({
      callSessionId: session.id,
      userId: session.userId,
      callStage: session.callStage,
      text: report.transcript,
      wordCount: report.transcript.split(/\s+/).filter(Boolean).length,
    })
    .onConflictDoNothing();
  const [conversation] = await tx
    .insert(conversations)
    .values({
      callSessionId: session.id,
      userId: session.userId,
      callStage: session.callStage,
      turnCount: report.turns.length,
      startedAt: report.startedAt,
      endedAt: report.endedAt ?? at,
    })
    .onConflictDoUpdate({ target: conversations.callSessionId, set: { updatedAt: new Date() } })
    .returning({ id: conversations.id });
  if (conversation && report.turns.length) {
    await tx
      .insert(conversationTurns)
      .values(
        report.turns.map((turn, seq) => ({
          conversationId: conversation.id,
          seq,
          role: turn.role,
          content: turn.content,
          secondsFromStart: turn.secondsFromStart === null ? null : String(turn.secondsFromStart),
          durationSeconds: turn.durationSeconds === null ? null : String(turn.durationSeconds),
        })),
      )
      .onConflictDoNothing();
  }
  // The founder moves on each time the report is applied: the first time, or again when an earlier try
  // committed but stopped before queueing the follow-ups (the log row is then still `received`). A report
  // already processed never gets here, and the follow-ups' ids derive from the call, so none goes out twice.
  if (!session.userId || !session.callStage) return { completed: null, unanswered: null, refused };
  return { completed: { userId: session.userId, callStage: session.callStage, vapiCallId: call.id, endedAt }, unanswered: null, refused };
}
