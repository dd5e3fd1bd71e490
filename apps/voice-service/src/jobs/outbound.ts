import { randomUUID } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { and, eq, gte, inArray, isNull, lt, lte } from 'drizzle-orm';
import type { JobPayloadOf, VoiceJobs } from '@dreamseed/contracts';
import { founderErased, sleep, withOwnerRole, type JobContext, type JobProducer } from '@dreamseed/platform';
import { founderAssistant, variableValuesOf, type Stage } from '../assistants/stages';
import { fetchFounder } from '../gateway-client';
import type { VoiceConfig } from '../config';
import type { VoiceDb, VoiceTx } from '../db/client';
import { callSessions, transcripts, voiceCalls } from '../db/schema';
import { raiseCallFailed } from '../calls/attention';
import { bindCallFounder, queueCallCompleted } from '../calls/founders';
import { nextCallDue } from '../calls/next-call';
import { CallProviderError, type CallProvider } from '../vapi/provider';
import { vapiServer } from '../vapi/server';

type Payload<N extends keyof VoiceJobs & string> = JobPayloadOf<VoiceJobs, N>;

const placeJobId = (voiceCallId: string) => `place-${voiceCallId}`;

/** A place job this much before its row's time (the plan moved later while the job was already running) waits. */
const EARLY_SLACK_MS = 5000;

/** A `dialing` row whose try never sent its request and has not moved for this long was abandoned. */
const ABANDONED_DIALING_MS = 15 * 60 * 1000;

const OUTCOME_UNKNOWN =
  'outcome unknown: the request to VAPI went out but its answer was not recorded, so the call was not dialled again; check VAPI\'s call log';

/**
 * Outbound consultation calls. A planned call is a `voice_calls` row (one open per founder and stage) plus a
 * delayed `place-outbound-call` job whose id derives from the row: planning again moves that job, cancelling
 * removes it, and placing checks the row first, so a job that outlived its plan does nothing.
 *
 * Placing never rings a founder twice: the try claims the row (`dialing`, its own `claim_id`), and marks
 * `request_sent_at` under that claim just before calling VAPI. A try that finds a claimed row whose request never
 * left takes it over (the earlier try stopped: a crash, a shutdown); one that finds the request sent records the
 * outcome as unknown instead of dialling again. Only a refusal VAPI certainly did not act on (429, 5xx, no
 * connection) puts the row back to `scheduled` for the job's next try.
 *
 * A founder erased since (`erase-founder`) is neither planned for nor called, and nothing is reported of them:
 * each transaction that would write their rows asks `founderErased` first, and the job ends `erased`.
 */
export class OutboundCalls {
  constructor(
    private readonly db: VoiceDb,
    private readonly producer: JobProducer,
    private readonly provider: CallProvider,
    private readonly config: VoiceConfig,
  ) {}

  async schedule(p: Payload<'schedule-next-call'>, { log, correlationId }: JobContext) {
    const scheduledFor = nextCallDue(Date.now(), this.config.NEXT_CALL_DELAY_HOURS, p.notBefore);
    const plan = await withOwnerRole(this.db, 'voice', async (tx) => {
      if (await founderErased(tx, 'voice', p.userId)) return 'erased' as const;
      // A plan for an earlier stage is needless once a later one is planned: that stage is done (or skipped).
      const superseded = await tx
        .update(voiceCalls)
        .set({ status: 'cancelled', lastError: `stage ${p.callStage} is planned, so this earlier stage is not called`, updatedAt: new Date() })
        .where(and(eq(voiceCalls.userId, p.userId), eq(voiceCalls.status, 'scheduled'), lt(voiceCalls.callStage, p.callStage)))
        .returning({ id: voiceCalls.id });
      const [open] = await tx
        .select()
        .from(voiceCalls)
        .where(and(eq(voiceCalls.userId, p.userId), eq(voiceCalls.callStage, p.callStage), inArray(voiceCalls.status, ['scheduled', 'dialing'])))
        .for('update');
      const abandoned = open?.status === 'dialing' && !open.requestSentAt && Date.now() - open.updatedAt.getTime() > ABANDONED_DIALING_MS;
      if (open?.status === 'dialing' && !abandoned) return { planned: undefined, superseded };
      if (open) {
        await tx
          .update(voiceCalls)
          .set({ scheduledFor, status: 'scheduled', claimId: null, updatedAt: new Date() })
          .where(eq(voiceCalls.id, open.id));
        return { planned: open.id, superseded };
      }
      const [row] = await tx.insert(voiceCalls).values({ userId: p.userId, callStage: p.callStage, scheduledFor }).returning({ id: voiceCalls.id });
      return { planned: row?.id, superseded };
    });
    if (plan === 'erased') return { outcome: 'erased' };
    const { planned, superseded } = plan;
    // Their place jobs would find the row cancelled and do nothing; removed so that nothing waits for them.
    for (const { id } of superseded) await (await this.producer.queue('voice').getJob(placeJobId(id)))?.remove().catch(() => undefined);
    if (!planned) return { outcome: 'already-dialing' };

    const delay = Math.max(0, scheduledFor.getTime() - Date.now());
    const existing = await this.producer.queue('voice').getJob(placeJobId(planned));
    const state = await existing?.getState();
    if (state === 'delayed') {
      await existing?.changeDelay(delay);
    } else if (state === undefined || state === 'completed' || state === 'failed' || state === 'unknown') {
      // A finished job still holds the id (kept a week, or a month when failed), and adding under a held id does
      // nothing: it goes first, or the plan would never be placed.
      if (existing && state !== 'unknown') await existing.remove();
      await this.producer.enqueue('voice', 'place-outbound-call', { v: 1, userId: p.userId, callStage: p.callStage, voiceCallId: planned }, { jobId: placeJobId(planned), delay, correlationId });
    }
    // Waiting or running: it places the row as it now stands.
    await this.reportPlan(p.userId, p.callStage, planned, scheduledFor, correlationId);
    log.info({ voiceCallId: planned, scheduledFor: scheduledFor.toISOString() }, 'outbound call planned');
    return { outcome: 'scheduled', voiceCallId: planned, scheduledFor: scheduledFor.toISOString() };
  }

  async cancel(p: Payload<'cancel-next-call'>, { log, correlationId }: JobContext) {
    // The rows this request cancels are marked with it, so that a retry (after a failure to remove a job or to
    // report) finds and finishes them, including those an earlier try already cancelled.
    const cancelled = await withOwnerRole(this.db, 'voice', async (tx) => {
      // The erasure cancelled their plans itself: nothing is left to cancel, or to report.
      if (await founderErased(tx, 'voice', p.userId)) return 'erased' as const;
      await tx
        .update(voiceCalls)
        .set({ status: 'cancelled', cancelRequestId: p.requestId, updatedAt: new Date() })
        .where(and(eq(voiceCalls.userId, p.userId), eq(voiceCalls.status, 'scheduled'), p.throughStage ? lte(voiceCalls.callStage, p.throughStage) : undefined));
      return tx
        .select({ id: voiceCalls.id, callStage: voiceCalls.callStage })
        .from(voiceCalls)
        .where(and(eq(voiceCalls.userId, p.userId), eq(voiceCalls.cancelRequestId, p.requestId)));
    });
    if (cancelled === 'erased') return { outcome: 'erased', cancelled: 0 };
    for (const { id, callStage } of cancelled) {
      await (await this.producer.queue('voice').getJob(placeJobId(id)))?.remove().catch(() => undefined);
      await this.reportPlan(p.userId, callStage, id, null, correlationId);
    }
    log.info({ cancelled: cancelled.length }, 'outbound calls cancelled');
    return { cancelled: cancelled.length };
  }

  async place(p: Payload<'place-outbound-call'>, { lastAttempt: lastTry, log, correlationId }: JobContext) {
    const claimId = randomUUID();
    const claim = await withOwnerRole(this.db, 'voice', async (tx) => {
      if (await founderErased(tx, 'voice', p.userId)) {
        await cancelErasedPlan(tx, p.voiceCallId);
        return 'erased' as const;
      }
      const [row] = await tx.select().from(voiceCalls).where(eq(voiceCalls.id, p.voiceCallId)).for('update');
      if (row?.status === 'dialing' && row.requestSentAt) {
        await tx.update(voiceCalls).set({ status: 'failed', claimId: null, lastError: OUTCOME_UNKNOWN, updatedAt: new Date() }).where(eq(voiceCalls.id, row.id));
        return 'unknown' as const;
      }
      if (row?.status === 'failed') return { failedAt: row.updatedAt };
      // `dialing` without a request sent: the try that claimed it stopped before calling VAPI; this one takes over.
      if (!row || (row.status !== 'scheduled' && row.status !== 'dialing')) return 'skipped' as const;
      // The founder finished this stage some other way (they called in): it is never dialled again.
      const [done] = await tx
        .select({ id: transcripts.id })
        .from(transcripts)
        .where(and(eq(transcripts.userId, row.userId), gte(transcripts.callStage, row.callStage)))
        .limit(1);
      if (done) {
        await tx
          .update(voiceCalls)
          .set({ status: 'cancelled', claimId: null, lastError: `stage ${row.callStage} is already done`, updatedAt: new Date() })
          .where(eq(voiceCalls.id, row.id));
        return 'stage-done' as const;
      }
      if (row.status === 'scheduled' && row.scheduledFor.getTime() > Date.now() + EARLY_SLACK_MS) return { early: row.scheduledFor };
      await tx.update(voiceCalls).set({ status: 'dialing', claimId, attempts: row.attempts + 1, updatedAt: new Date() }).where(eq(voiceCalls.id, row.id));
      return 'claimed' as const;
    });
    if (claim === 'unknown') {
      log.warn({ voiceCallId: p.voiceCallId }, 'outbound call left with its request sent and no answer recorded: not dialled again');
      await this.flagFailed(p, 'outcome_unknown', new Date(), correlationId);
      return { outcome: 'unknown' };
    }
    if (claim === 'skipped') return { outcome: 'skipped' };
    if (claim === 'erased') return { outcome: 'erased' };
    if (claim === 'stage-done') {
      await this.reportPlan(p.userId, p.callStage, p.voiceCallId, null, correlationId);
      return { outcome: 'stage-done' };
    }
    if (typeof claim === 'object' && claim.failedAt) {
      // Failed by an earlier try, whose flag for operators may not have reached the gateway's queue (its id makes
      // this a no-op if it did; the plan's last error says why).
      await this.flagFailed(p, undefined, claim.failedAt, correlationId);
      return { outcome: 'skipped' };
    }
    if (typeof claim === 'object') {
      // Planned again for later while this job was already running, so its delay could not be moved: a job of
      // its own waits for the new time (this one's id is still taken), and any job that runs early waits again.
      await this.producer.enqueue('voice', 'place-outbound-call', p, {
        correlationId,
        jobId: `${placeJobId(p.voiceCallId)}-at-${claim.early.getTime()}`,
        delay: claim.early.getTime() - Date.now(),
      });
      return { outcome: 'deferred', until: claim.early.toISOString() };
    }

    const release = async (error: Error, final: boolean) => {
      const released = await withOwnerRole(this.db, 'voice', (tx) =>
        tx
          .update(voiceCalls)
          .set({ status: final ? 'failed' : 'scheduled', claimId: null, requestSentAt: null, lastError: error.message.slice(0, 500), updatedAt: new Date() })
          .where(and(eq(voiceCalls.id, p.voiceCallId), eq(voiceCalls.claimId, claimId)))
          .returning({ updatedAt: voiceCalls.updatedAt }),
      );
      const failedAt = released[0]?.updatedAt;
      if (final && failedAt) await this.flagFailed(p, error instanceof CallProviderError ? error.code : 'preparation_failed', failedAt, correlationId);
    };
    let request: Parameters<CallProvider['place']>[0];
    try {
      const founder = await fetchFounder(this.config, { id: p.userId }, 5000, correlationId);
      if (!founder) throw new CallProviderError('the founder no longer exists', false, false, 'founder_not_found');
      if (!founder.customerPhone) throw new CallProviderError('the founder has no phone number', false, false, 'no_phone_number');
      const server = vapiServer(this.config);
      const metadata = { userId: p.userId, callStage: p.callStage };
      request = {
        assistant: founderAssistant(founder, p.callStage as Stage, this.config, server, metadata),
        server,
        customerNumber: founder.customerPhone,
        variableValues: variableValuesOf(founder),
        metadata,
      };
    } catch (error) {
      const retryable = !(error instanceof CallProviderError) || error.retryable;
      await release(error as Error, !retryable || lastTry);
      if (!retryable) throw new UnrecoverableError((error as Error).message);
      throw error;
    }

    // The point of no return, under this try's claim: from here a lost answer is never dialled again.
    // Erased since the claim (while the founder was looked up): not dialled. An erasure that comes after this
    // commit finds the request sent, and the call is placed but recorded for nobody (below).
    const mine = await withOwnerRole(this.db, 'voice', async (tx) => {
      if (await founderErased(tx, 'voice', p.userId)) {
        await cancelErasedPlan(tx, p.voiceCallId);
        return 'erased' as const;
      }
      return tx
        .update(voiceCalls)
        .set({ requestSentAt: new Date(), updatedAt: new Date() })
        .where(and(eq(voiceCalls.id, p.voiceCallId), eq(voiceCalls.claimId, claimId), eq(voiceCalls.status, 'dialing')))
        .returning({ id: voiceCalls.id });
    });
    if (mine === 'erased') return { outcome: 'erased' };
    if (!mine.length) return { outcome: 'superseded' };

    let vapiCallId: string;
    try {
      ({ vapiCallId } = await this.provider.place(request));
    } catch (error) {
      const known = error instanceof CallProviderError ? error : new CallProviderError((error as Error).message, false, true);
      if (known.outcomeUnknown) {
        const [failed] = await withOwnerRole(this.db, 'voice', (tx) =>
          tx
            .update(voiceCalls)
            .set({ status: 'failed', claimId: null, lastError: known.message.slice(0, 500), updatedAt: new Date() })
            .where(and(eq(voiceCalls.id, p.voiceCallId), isNull(voiceCalls.vapiCallId)))
            .returning({ updatedAt: voiceCalls.updatedAt }),
        );
        if (failed) await this.flagFailed(p, known.code, failed.updatedAt, correlationId);
        throw new UnrecoverableError(known.message);
      }
      await release(known, !known.retryable || lastTry);
      if (!known.retryable) throw new UnrecoverableError(known.message);
      throw known;
    }

    // The call exists now: its record is retried here rather than by the job, whose next try could not tell.
    // VAPI may already have sent the call's first messages: the founder recorded here links what they stored.
    const { completed, erased } = await retried(() =>
      withOwnerRole(this.db, 'voice', async (tx) => {
        // Erased while VAPI dialled: the plan keeps the call's id and time, as the erasure keeps them of every
        // placed call, and the call gets no session or founder record (its messages are then stored as nothing).
        if (await founderErased(tx, 'voice', p.userId)) {
          await this.markPlaced(tx, p.voiceCallId, vapiCallId, undefined);
          return { completed: null, erased: true };
        }
        const [session] = await tx
          .insert(callSessions)
          .values({ vapiCallId, userId: p.userId, callStage: p.callStage, direction: 'outbound', status: 'queued' })
          .onConflictDoUpdate({ target: callSessions.vapiCallId, set: { updatedAt: new Date() } })
          .returning({ id: callSessions.id });
        const bound = await bindCallFounder(tx, { vapiCallId, userId: p.userId, callStage: p.callStage, source: 'outbound' });
        await this.markPlaced(tx, p.voiceCallId, vapiCallId, session?.id);
        return { completed: bound.completed, erased: false };
      }),
    );
    if (completed) await queueCallCompleted(this.producer, completed, correlationId);
    log.info({ voiceCallId: p.voiceCallId, provider: this.provider.name, erased }, 'outbound call placed');
    return { outcome: erased ? 'erased' : 'placed', provider: this.provider.name, vapiCallId };
  }

  /** Placed wins over anything a concurrent try wrote meanwhile (an "outcome unknown" included). */
  private markPlaced(tx: VoiceTx, voiceCallId: string, vapiCallId: string, callSessionId: string | undefined) {
    return tx
      .update(voiceCalls)
      .set({ status: 'placed', vapiCallId, callSessionId, placedAt: new Date(), claimId: null, lastError: null, updatedAt: new Date() })
      .where(eq(voiceCalls.id, voiceCallId));
  }

  /**
   * Tells operators the plan failed for good: `reason` is a code (`CallProviderError.code`), never VAPI's message.
   * Not for a founder erased since the try began: nobody is waiting for that call any more.
   */
  private async flagFailed(p: Payload<'place-outbound-call'>, reason: string | undefined, failedAt: Date, correlationId: string) {
    if (await withOwnerRole(this.db, 'voice', (tx) => founderErased(tx, 'voice', p.userId))) return;
    await raiseCallFailed(this.producer, { userId: p.userId, callStage: p.callStage, voiceCallId: p.voiceCallId, failedAt, reason }, correlationId);
  }

  private async reportPlan(userId: string, callStage: number, voiceCallId: string, at: Date | null, correlationId: string) {
    const occurredAt = new Date();
    await this.producer.enqueue(
      'gateway',
      'profile-next-call-scheduled',
      { v: 1, userId, eventId: `next-call-${voiceCallId}-${occurredAt.getTime()}`, occurredAt: occurredAt.toISOString(), callStage, scheduledAt: at?.toISOString() ?? null },
      { jobId: `next-call-${voiceCallId}-${at?.getTime() ?? 'cancelled'}`, correlationId },
    );
  }
}

/**
 * A plan of a founder erased since it was made, left as the erasure leaves the plans it finds: cancelled. The
 * erasure cancels the plans still scheduled; this one may have been claimed before it, or put back by a try that
 * failed since. A try that holds it then stops before calling VAPI (its claim is gone). One whose request already
 * went is left as it is.
 */
function cancelErasedPlan(tx: VoiceTx, voiceCallId: string) {
  return tx
    .update(voiceCalls)
    .set({ status: 'cancelled', claimId: null, updatedAt: new Date() })
    .where(and(eq(voiceCalls.id, voiceCallId), inArray(voiceCalls.status, ['scheduled', 'dialing']), isNull(voiceCalls.requestSentAt)));
}

/** Runs `write` up to three times, 0.2 s then 1 s apart: for a record that must not be left to the job's retry. */
async function retried<T>(write: () => Promise<T>): Promise<T> {
  for (const pause of [200, 1000]) {
    try {
      return await write();
    } catch {
      await sleep(pause);
    }
  }
  return write();
}
