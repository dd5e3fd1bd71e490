import { randomUUID } from 'node:crypto';
import type { Vapi } from '@vapi-ai/server-sdk';
import { SAMPLE_CONSULTATION, type SampleConsultationCall } from '@dreamseed/contracts';
import { platformKey, sleep, type Logger, type RedisConnection } from '@dreamseed/platform';

/** What `sampleCallDeliveries` needs: the call's id, whose call it is, and the script for its stage. */
export interface SampleCallPlan {
  vapiCallId: string;
  userId: string;
  script: SampleConsultationCall;
  startedAt: Date;
}

type SampleDelivery = { message: Vapi.ServerMessageStatusUpdate | Vapi.ServerMessageEndOfCallReport };

/** How long a line takes to say, about 15 characters a second, so the call's times read like a real one's. */
const spoken = (text: string) => Math.round((0.8 + text.length / 15) * 1000) / 1000;

/** How long the sample call of a script lasts by its own times: its lines spoken, the pauses, and the goodbye. */
export function sampleCallSeconds(script: SampleConsultationCall): number {
  const at = script.lines.reduce((sum, [, text]) => sum + spoken(text) + 0.7, 0.96);
  return Math.round((at + 2.5) * 1000) / 1000;
}

/**
 * An outbound call of the sample consultation as VAPI reports one it placed: ringing, in progress, ended, then
 * the end-of-call report with the transcript and VAPI's analysis. The call carries the metadata the voice
 * service gives an outbound call (`{ userId, callStage }`) where VAPI echoes it, in the overrides.
 */
export function sampleCallDeliveries(plan: SampleCallPlan): SampleDelivery[] {
  const startMs = plan.startedAt.getTime();
  let at = 0.96;
  const messages = plan.script.lines.map(([speaker, text]) => {
    const length = spoken(text);
    const message = {
      role: speaker === 'AI' ? 'bot' : 'user',
      message: text,
      time: Math.round(startMs + at * 1000),
      endTime: Math.round(startMs + (at + length) * 1000),
      secondsFromStart: Math.round(at * 1000) / 1000,
      duration: Math.round(length * 1000),
    };
    at += length + 0.7;
    return message;
  });
  const durationSeconds = sampleCallSeconds(plan.script);
  const endedAt = new Date(startMs + durationSeconds * 1000).toISOString();
  const metadata = { userId: plan.userId, callStage: plan.script.stage };
  const call = (status: Vapi.CallStatus): Vapi.Call => ({
    id: plan.vapiCallId,
    orgId: 'dreamseed-sample',
    type: 'outboundPhoneCall',
    status,
    createdAt: new Date(startMs - 14_820).toISOString(),
    updatedAt: new Date().toISOString(),
    assistantOverrides: { metadata },
    ...(status === 'in-progress' || status === 'ended' ? { startedAt: plan.startedAt.toISOString() } : {}),
    ...(status === 'ended' ? { endedAt, endedReason: 'customer-ended-call' } : {}),
  });
  const status = (value: Vapi.ServerMessageStatusUpdateStatus): SampleDelivery => ({
    message: { type: 'status-update', status: value, timestamp: Date.now(), call: call(value), ...(value === 'ended' ? { endedReason: 'customer-ended-call' } : {}) },
  });
  const transcript = `${plan.script.lines.map(([speaker, text]) => `${speaker}: ${text}`).join('\n')}\n`;
  const report: Vapi.ServerMessageEndOfCallReport = {
    type: 'end-of-call-report',
    timestamp: Date.now(),
    call: call('ended'),
    endedReason: 'customer-ended-call',
    startedAt: plan.startedAt.toISOString(),
    endedAt,
    artifact: { messages: messages as Vapi.Artifact['messages'], transcript },
    analysis: { summary: plan.script.summary, structuredData: plan.script.structuredData, successEvaluation: 'true' },
  };
  return [status('ringing'), status('in-progress'), status('ended'), { message: Object.assign(report, { durationSeconds }) }];
}

/** Where the sample's deliveries go: the VAPI webhook's own path past its credentials. */
export type DeliveryTaker = (raw: Buffer, correlationId: string) => Promise<unknown>;

/**
 * Sample consultation calls, outside production (`SAMPLE_CALLS`): a founder without a VAPI account hears nothing,
 * but sees a call of their current stage ring, run and end, and its transcript, summary and Dream DNA arrive, as
 * if VAPI had placed it. The deliveries go through the webhook's path from the envelope on, so the voice
 * service, the analysis and the profile do exactly what they do for a real call. One sample plays at a time per
 * founder (a double click plays one); one that a restart cut short can be played again after `lockSeconds`.
 */
export class SampleCalls {
  private readonly playing = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly options: {
      enabled: boolean;
      redis: RedisConnection;
      prefix: string;
      take: DeliveryTaker;
      logger: Logger;
      /** The pause between deliveries, so that a watching founder sees the call's states go by. */
      paceMs: number;
      lockSeconds?: number;
    },
  ) {}

  get enabled(): boolean {
    return this.options.enabled;
  }

  private lockKey(userId: string): string {
    return platformKey(this.options.prefix, 'sample-call', userId);
  }

  /** Whether a sample is playing for the founder now. */
  async isPlaying(userId: string): Promise<boolean> {
    return (await this.options.redis.exists(this.lockKey(userId))) === 1;
  }

  /**
   * Starts the sample call of `stage` for the founder, or returns null when one is already playing. The call
   * plays on after this returns; its id is VAPI's call id, as the founder's call list will show it.
   */
  async start(userId: string, stage: number, correlationId: string): Promise<{ vapiCallId: string } | null> {
    const script = SAMPLE_CONSULTATION.find((call) => call.stage === stage);
    if (!script) throw new RangeError(`no sample call for stage ${stage}`);
    const vapiCallId = `sample-${randomUUID()}`;
    const locked = await this.options.redis.set(this.lockKey(userId), vapiCallId, 'EX', this.options.lockSeconds ?? 120, 'NX');
    if (locked !== 'OK') return null;
    // Played back as a call that has just ended: its times end now, not minutes ahead of the clock (the funnel
    // orders a founder's steps by them, and an analysis must not look older than the call it read).
    const startedAt = new Date(Date.now() - sampleCallSeconds(script) * 1000);
    const play = this.play({ vapiCallId, userId, script, startedAt }, correlationId)
      .catch((error: unknown) => this.options.logger.warn({ err: error, correlationId }, 'sample call stopped'))
      .finally(async () => {
        this.playing.delete(play);
        await this.options.redis.del(this.lockKey(userId)).catch(() => undefined);
      });
    this.playing.add(play);
    return { vapiCallId };
  }

  private async play(plan: SampleCallPlan, correlationId: string): Promise<void> {
    for (const delivery of sampleCallDeliveries(plan)) {
      if (this.closed) return;
      await sleep(this.options.paceMs);
      await this.options.take(Buffer.from(JSON.stringify(delivery)), correlationId);
    }
  }

  /** Stops between deliveries and waits for the plays under way (the gateway is shutting down). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.playing]);
  }
}
