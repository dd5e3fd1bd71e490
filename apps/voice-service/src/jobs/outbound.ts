import { UnrecoverableError } from 'bullmq';
import { and, eq, inArray } from 'drizzle-orm';
import type { JobPayloadOf, VoiceJobs } from '@dreamseed/contracts';
import { withOwnerRole, type JobContext, type JobProducer } from '@dreamseed/platform';
import { stageAssistant, type Stage } from '../assistants/stages';
import { fetchFounder } from '../gateway-client';
import type { VoiceConfig } from '../config';
import type { VoiceDb } from '../db/client';
import { callSessions, voiceCalls } from '../db/schema';
import { CallProviderError, type CallProvider } from '../vapi/provider';

type Payload<N extends keyof VoiceJobs & string> = JobPayloadOf<VoiceJobs, N>;

const placeJobId = (voiceCallId: string) => `place-${voiceCallId}`;

/**
 * Outbound consultation calls. A planned call is a `voice_calls` row (one open per founder and stage) plus a
 * delayed `place-outbound-call` job whose id derives from the row: planning again moves that job, cancelling
 * removes it, and placing checks the row first, so a job that outlived its plan does nothing.
 */
export class OutboundCalls {
  constructor(
    private readonly db: VoiceDb,
    private readonly producer: JobProducer,
    private readonly provider: CallProvider,
    private readonly config: VoiceConfig,
  ) {}

  async schedule(p: Payload<'schedule-next-call'>, { log }: JobContext) {
    const scheduledFor = p.notBefore ? new Date(p.notBefore) : new Date(Date.now() + this.config.NEXT_CALL_DELAY_HOURS * 3600 * 1000);
    const planned = await withOwnerRole(this.db, 'voice', async (tx) => {
      const [open] = await tx
        .select()
        .from(voiceCalls)
        .where(and(eq(voiceCalls.userId, p.userId), eq(voiceCalls.callStage, p.callStage), inArray(voiceCalls.status, ['scheduled', 'dialing'])))
        .for('update');
      if (open?.status === 'dialing') return undefined;
      if (open) {
        await tx.update(voiceCalls).set({ scheduledFor, updatedAt: new Date() }).where(eq(voiceCalls.id, open.id));
        return open.id;
      }
      const [row] = await tx.insert(voiceCalls).values({ userId: p.userId, callStage: p.callStage, scheduledFor }).returning({ id: voiceCalls.id });
      return row?.id;
    });
    if (!planned) return { outcome: 'already-dialing' };

    const delay = Math.max(0, scheduledFor.getTime() - Date.now());
    const existing = await this.producer.queue('voice').getJob(placeJobId(planned));
    if (existing && (await existing.isDelayed())) await existing.changeDelay(delay);
    else await this.producer.enqueue('voice', 'place-outbound-call', { v: 1, userId: p.userId, callStage: p.callStage, voiceCallId: planned }, { jobId: placeJobId(planned), delay });
    await this.reportPlan(p.userId, p.callStage, planned, scheduledFor);
    log.info({ voiceCallId: planned, scheduledFor: scheduledFor.toISOString() }, 'outbound call planned');
    return { outcome: 'scheduled', voiceCallId: planned, scheduledFor: scheduledFor.toISOString() };
  }

  async cancel(p: Payload<'cancel-next-call'>, { log }: JobContext) {
    const cancelled = await withOwnerRole(this.db, 'voice', (tx) =>
      tx
        .update(voiceCalls)
        .set({ status: 'cancelled', updatedAt: new Date() })
        .where(and(eq(voiceCalls.userId, p.userId), eq(voiceCalls.status, 'scheduled')))
        .returning({ id: voiceCalls.id, callStage: voiceCalls.callStage }),
    );
    for (const { id, callStage } of cancelled) {
      await (await this.producer.queue('voice').getJob(placeJobId(id)))?.remove().catch(() => undefined);
      await this.reportPlan(p.userId, callStage, id, null);
    }
    log.info({ cancelled: cancelled.length }, 'outbound calls cancelled');
    return { cancelled: cancelled.length };
  }

  async place(p: Payload<'place-outbound-call'>, { job, attempt, log }: JobContext) {
    const claimed = await withOwnerRole(this.db, 'voice', async (tx) => {
      const [row] = await tx.select().from(voiceCalls).where(eq(voiceCalls.id, p.voiceCallId)).for('update');
      if (!row || row.status !== 'scheduled') return undefined;
      await tx.update(voiceCalls).set({ status: 'dialing', attempts: row.attempts + 1, updatedAt: new Date() }).where(eq(voiceCalls.id, row.id));
      return row;
    });
    if (!claimed) return { outcome: 'skipped' };

    const lastTry = attempt >= (job.opts.attempts ?? 1);
    try {
      const founder = await fetchFounder(this.config, { id: p.userId }, 5000);
      if (!founder) throw new CallProviderError('the founder no longer exists', false);
      if (!founder.customerPhone) throw new CallProviderError('the founder has no phone number', false);
      const stage = p.callStage as Stage;
      const shared = this.config[`VAPI_ASSISTANT_ID_STAGE_${stage}` as const];
      const assistant =
        founder.assistantType === 'individual' && founder.individualAssistantId
          ? { assistantId: founder.individualAssistantId }
          : shared
            ? { assistantId: shared }
            : { assistant: stageAssistant(stage, this.config.VAPI_SERVER_URL) };
      const metadata = { userId: p.userId, callStage: p.callStage };
      const { vapiCallId } = await this.provider.place({
        assistant,
        customerNumber: founder.customerPhone,
        variableValues: { founderName: founder.customerName ?? 'there', businessName: founder.businessName ?? 'your business', whatWeFound: founder.businessType ? `a ${founder.businessType} business` : 'your idea' },
        metadata,
      });
      await withOwnerRole(this.db, 'voice', async (tx) => {
        const [session] = await tx
          .insert(callSessions)
          .values({ vapiCallId, userId: p.userId, callStage: p.callStage, direction: 'outbound', status: 'queued' })
          .onConflictDoUpdate({ target: callSessions.vapiCallId, set: { updatedAt: new Date() } })
          .returning({ id: callSessions.id });
        await tx
          .update(voiceCalls)
          .set({ status: 'placed', vapiCallId, callSessionId: session?.id, placedAt: new Date(), lastError: null, updatedAt: new Date() })
          .where(eq(voiceCalls.id, p.voiceCallId));
      });
      log.info({ voiceCallId: p.voiceCallId, provider: this.provider.name }, 'outbound call placed');
      return { outcome: 'placed', provider: this.provider.name, vapiCallId };
    } catch (error) {
      const retryable = !(error instanceof CallProviderError) || error.retryable;
      const final = !retryable || lastTry;
      await withOwnerRole(this.db, 'voice', (tx) =>
        tx
          .update(voiceCalls)
          .set({ status: final ? 'failed' : 'scheduled', lastError: (error as Error).message.slice(0, 500), updatedAt: new Date() })
          .where(eq(voiceCalls.id, p.voiceCallId)),
      );
      if (!retryable) throw new UnrecoverableError((error as Error).message);
      throw error;
    }
  }

  private async reportPlan(userId: string, callStage: number, voiceCallId: string, at: Date | null) {
    const occurredAt = new Date();
    await this.producer.enqueue(
      'gateway',
      'profile-next-call-scheduled',
      { v: 1, userId, eventId: `next-call-${voiceCallId}-${occurredAt.getTime()}`, occurredAt: occurredAt.toISOString(), callStage, scheduledAt: at?.toISOString() ?? null },
      { jobId: `next-call-${voiceCallId}-${at?.getTime() ?? 'cancelled'}` },
    );
  }
}
