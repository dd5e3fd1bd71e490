import { eq, sql } from 'drizzle-orm';
import type { JobPayloadOf, VoiceJobs } from '@dreamseed/contracts';
import { jobIdFrom, withOwnerRole, type JobContext, type JobProducer } from '@dreamseed/platform';
import type { VoiceDb, VoiceTx } from '../db/client';
import { callSessions, conversationTurns, conversations, transcripts, vapiCalls, webhookLogs } from '../db/schema';
import { callOf, directionOf, endOfCallReport, redact, type VapiMessage } from '../vapi/message';

type VapiEvent = JobPayloadOf<VoiceJobs, 'vapi-event'>;

/** A call's statuses in the order they happen; an older one never overwrites a newer one, and ended is final. */
const STATUS_ORDER = ['scheduled', 'queued', 'ringing', 'in-progress', 'forwarding', 'ended'];
const statusRank = (column: unknown) => sql`coalesce(array_position(${sql.raw(`array[${STATUS_ORDER.map((s) => `'${s}'`).join(',')}]`)}::text[], ${column}), 0)`;

interface FollowUps {
  /** The founder and stage of a call whose end-of-call report was stored for the first time. */
  callCompleted?: { userId: string; callStage: number; vapiCallId: string; endedAt: string };
}

/**
 * Stores one VAPI message: always in `webhook_logs` (redacted), and by type into the call's records. Safe to
 * run again: every write is an upsert on the call's or event's natural key, and a message already processed
 * is skipped. Follow-up jobs (the profile change and the analysis) carry ids derived from the call, so a
 * retry or a second report never makes a second one.
 */
export class VapiEventProcessor {
  constructor(
    private readonly db: VoiceDb,
    private readonly producer: JobProducer,
  ) {}

  async handle(event: VapiEvent, { log }: JobContext) {
    const message = event.message as VapiMessage;
    const call = callOf(message);
    const result = await withOwnerRole(this.db, 'voice', async (tx) => {
      await tx
        .insert(webhookLogs)
        .values({
          eventKey: event.eventKey,
          messageType: event.messageType,
          vapiCallId: call.id,
          userId: call.userId,
          payload: redact(message) as object,
          receivedAt: new Date(event.receivedAt),
        })
        .onConflictDoNothing();
      const [logged] = await tx.select({ status: webhookLogs.status }).from(webhookLogs).where(eq(webhookLogs.eventKey, event.eventKey)).for('update');
      if (logged?.status === 'processed' || logged?.status === 'ignored') return { outcome: 'duplicate' as const, settled: true };
      const markDone = (status: 'processed' | 'ignored') =>
        tx.update(webhookLogs).set({ status, processedAt: new Date() }).where(eq(webhookLogs.eventKey, event.eventKey));
      if (!call.id) {
        await markDone('ignored');
        return { outcome: 'ignored' as const, settled: true };
      }
      const followUps = await this.apply(tx, message, call, new Date(event.receivedAt));
      // Without follow-ups the event is done in this same transaction; with them it stays `received` until they
      // are queued, so a retry after a crash in between sends them again.
      if (!followUps.callCompleted) await markDone('processed');
      return { outcome: 'stored' as const, followUps, settled: !followUps.callCompleted };
    });

    if (result.outcome === 'stored' && result.followUps.callCompleted) await this.sendFollowUps(result.followUps.callCompleted);
    if (!result.settled) {
      await withOwnerRole(this.db, 'voice', (tx) =>
        tx.update(webhookLogs).set({ status: 'processed', processedAt: new Date() }).where(eq(webhookLogs.eventKey, event.eventKey)),
      );
    }
    log.info({ type: event.messageType, outcome: result.outcome }, 'vapi event handled');
    return { outcome: result.outcome };
  }

  private async apply(tx: VoiceTx, message: VapiMessage, call: ReturnType<typeof callOf>, at: Date): Promise<FollowUps> {
    const status = message.type === 'status-update' ? String(message.status ?? '') : message.type === 'end-of-call-report' ? 'ended' : null;
    const session = await this.upsertSession(tx, call, status && STATUS_ORDER.includes(status) ? status : null, at, message);
    if (message.type !== 'end-of-call-report') return {};

    const report = endOfCallReport(message);
    await tx
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
      .where(eq(callSessions.id, session.id));
    await tx
      .insert(vapiCalls)
      .values({
        vapiCallId: call.id as string,
        callSessionId: session.id,
        type: call.type,
        orgId: call.orgId,
        costBreakdown: report.costBreakdown as object | null,
        analysis: report.analysis,
        raw: redact(call.raw) as object,
      })
      .onConflictDoUpdate({
        target: vapiCalls.vapiCallId,
        set: { costBreakdown: report.costBreakdown as object | null, analysis: report.analysis, raw: redact(call.raw) as object, updatedAt: new Date() },
      });

    const stored = await tx
      .insert(transcripts)
      .values({
        callSessionId: session.id,
        userId: session.userId,
        callStage: session.callStage,
        text: report.transcript,
        wordCount: report.transcript.split(/\s+/).filter(Boolean).length,
      })
      .onConflictDoNothing()
      .returning({ id: transcripts.id });
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
    // Only the report that first stored the transcript moves the founder on; a second report changes nothing.
    if (!stored.length || !session.userId || !session.callStage) return {};
    return {
      callCompleted: {
        userId: session.userId,
        callStage: session.callStage,
        vapiCallId: call.id as string,
        endedAt: (report.endedAt ?? at).toISOString(),
      },
    };
  }

  /** The call's session, created by whichever message comes first, its status moved forward only. */
  private async upsertSession(tx: VoiceTx, call: ReturnType<typeof callOf>, status: string | null, at: Date, message: VapiMessage) {
    const [session] = await tx
      .insert(callSessions)
      .values({
        vapiCallId: call.id as string,
        userId: call.userId,
        callStage: call.callStage,
        direction: directionOf(call.type),
        status: status ?? 'queued',
        assistantId: call.assistantId,
        phoneNumberId: call.phoneNumberId,
        customerNumber: call.customerNumber,
        lastEventAt: at,
        endedReason: message.type === 'status-update' && status === 'ended' ? (message.endedReason as string | undefined) ?? null : null,
      })
      .onConflictDoUpdate({
        target: callSessions.vapiCallId,
        set: {
          status: status
            ? sql`case when ${statusRank(sql`excluded.status`)} > ${statusRank(callSessions.status)} then excluded.status else ${callSessions.status} end`
            : sql`${callSessions.status}`,
          userId: sql`coalesce(${callSessions.userId}, excluded.user_id)`,
          callStage: sql`coalesce(${callSessions.callStage}, excluded.call_stage)`,
          assistantId: sql`coalesce(${callSessions.assistantId}, excluded.assistant_id)`,
          endedReason: sql`coalesce(${callSessions.endedReason}, excluded.ended_reason)`,
          lastEventAt: sql`greatest(${callSessions.lastEventAt}, excluded.last_event_at)`,
          updatedAt: new Date(),
        },
      })
      .returning();
    if (!session) throw new Error('upsert returned nothing');
    return session;
  }

  private async sendFollowUps(done: NonNullable<FollowUps['callCompleted']>) {
    const key = jobIdFrom(done.vapiCallId);
    await this.producer.enqueue(
      'gateway',
      'profile-call-completed',
      { v: 1, userId: done.userId, eventId: `call-completed-${key}`, occurredAt: done.endedAt, callStage: done.callStage, callId: done.vapiCallId },
      { jobId: `call-completed-${key}` },
    );
    await this.producer.enqueue(
      'analysis',
      'analyse-founder',
      { v: 1, userId: done.userId, trigger: 'call-ended', sourceId: done.vapiCallId },
      { jobId: `analyse-call-${key}` },
    );
    if (done.callStage < 4) {
      await this.producer.enqueue('voice', 'schedule-next-call', { v: 1, userId: done.userId, callStage: done.callStage + 1 }, { jobId: `next-call-${key}` });
    }
  }
}
