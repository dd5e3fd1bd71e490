import { UnrecoverableError } from 'bullmq';
import { eq, sql } from 'drizzle-orm';
import type { JobPayloadOf, VoiceJobs } from '@dreamseed/contracts';
import {
  Batcher,
  SealedPayloadError,
  withOwnerRole,
  fitForPostgres,
  type FounderEventPublisher,
  type JobContext,
  type JobProducer,
  type Logger,
  type PayloadSealer,
} from '@dreamseed/platform';
import type { VoiceDb, VoiceTx } from '../db/client';
import { callFounders, callSessions, webhookLogs } from '../db/schema';
import { raiseCallUnanswered, type UnansweredCall } from '../calls/attention';
import { callsOfErasedFounders } from '../calls/erased';
import { bindCallFounder, queueCallCompleted, type CallFounder, type CompletedCall } from '../calls/founders';
import { storeCallReport } from '../calls/report';
import {
  callUpdateOf,
  mergeChanges,
  sessionChangeOf,
  sessionsUpsert,
  storedSessionOf,
  upsertSession,
  UPSERTED_SESSIONS,
  type CallWithId,
  type SessionChange,
  type StoredSession,
  type UpsertedRow,
} from '../calls/sessions';
import { callOf, redact, speaksOfLiveCall, type VapiMessage } from '../vapi/message';
import type { WebCallTickets } from '../vapi/web-call-ticket';
import { insertAndLockLogs, markLogs, type LogRow } from './webhook-log';

type VapiEventPayload = JobPayloadOf<VoiceJobs, 'vapi-event'>;
/** A `vapi-event` job's payload with its message opened. */
type VapiEvent = Omit<VapiEventPayload, 'sealedBody' | 'message'> & { message: Record<string, unknown>; lastAttempt?: boolean };
/** `erased`: the message is about a call of a founder erased since (`erase-founder`), so nothing of it is stored. */
export type VapiEventOutcome = 'stored' | 'duplicate' | 'ignored' | 'erased';

const isEndOfCallReport = (event: VapiEvent) =>
  event.messageType === 'end-of-call-report' || (event.message as VapiMessage).type === 'end-of-call-report';

interface FollowUps {
  /** The founder and stage of a call whose end-of-call report was stored, or whose founder became known after it. */
  callCompleted?: CompletedCall;
  /** An outbound call of a founder that nobody answered: an operator is told. */
  callUnanswered?: UnansweredCall;
}

const owesFollowUps = (followUps: FollowUps) => Boolean(followUps.callCompleted ?? followUps.callUnanswered);

/**
 * The founder calling from a number, as the gateway knows them (null: nobody): the last way to find the founder
 * of a call that neither our records nor VAPI's metadata name.
 */
export type FounderByNumber = (phone: string, correlationId: string | undefined) => Promise<{ id: string; currentCallStage: number } | null>;

export interface VapiEventProcessorOptions {
  /** Events written in one transaction at most (default 200). */
  maxBatchSize?: number;
  /** Batch transactions at once at most, each on one pool connection (default 2). */
  maxBatchesInFlight?: number;
  /** Where a failed batch is reported (its events are then stored one by one). */
  logger?: Logger;
  /** Opens the sealed bodies the gateway queues (`PAYLOAD_ENCRYPTION_KEY`). */
  sealer?: PayloadSealer;
  /** Finds the founder of an end-of-call report that names none, by the caller's number. */
  founderByNumber?: FounderByNumber;
  /** Tells the founder's app when a call's recorded status moves on (after the commit). */
  events?: Pick<FounderEventPublisher, 'publish'>;
  /** Checks the tickets that name a web call's founder; without it, no web call has one. */
  webTickets?: WebCallTickets;
}

/**
 * Stores one VAPI message: always in `webhook_logs` (redacted), and by type into the call's records. Safe to
 * run again: every write is an upsert on the call's or event's natural key, and a message already processed
 * is skipped. Follow-up jobs (the profile change and the analysis) carry ids derived from the call, so a
 * retry or a second report never makes a second one. A message about a call of an erased founder stores nothing
 * at all (`callsOfErasedFounders`, first in each transaction): it came too late, and the job is done.
 *
 * End-of-call reports are stored one per transaction, with their follow-ups. Every other message only logs
 * and updates the call's session, so those are group-committed: the messages of the jobs running at the same
 * moment are written in one transaction (the platform's `Batcher`, and `storeBatch`).
 */
export class VapiEventProcessor {
  private readonly batcher: Batcher<VapiEvent, VapiEventOutcome>;
  private readonly sealer?: PayloadSealer;
  private readonly founderByNumber?: FounderByNumber;
  private readonly logger?: Logger;
  private readonly events?: Pick<FounderEventPublisher, 'publish'>;
  private readonly webTickets?: WebCallTickets;

  constructor(
    private readonly db: VoiceDb,
    private readonly producer: JobProducer,
    options: VapiEventProcessorOptions = {},
  ) {
    this.sealer = options.sealer;
    this.founderByNumber = options.founderByNumber;
    this.logger = options.logger;
    this.events = options.events;
    this.webTickets = options.webTickets;
    this.batcher = new Batcher({
      maxSize: options.maxBatchSize ?? 200,
      maxInFlight: options.maxBatchesInFlight ?? 2,
      writeBatch: (events) => this.storeBatch(events),
      writeOne: async (event) => this.storeOne(event),
      onBatchError: (error, size) => {
        // The error's class and SQLSTATE only: its message can quote the values refused, and drizzle adds
        // the statement's parameters (the batch's payloads).
        const root = ((error as { cause?: unknown }).cause ?? error) as { code?: string; constructor?: { name?: string } };
        options.logger?.warn({ size, err: { class: root.constructor?.name, code: root.code } }, 'vapi event batch failed; storing its events one by one');
      },
    });
  }

  async handle(received: VapiEventPayload, { log, correlationId, lastAttempt }: JobContext) {
    const { sealedBody, message, ...fields } = received;
    const opened = fitForPostgres(sealedBody === undefined ? (message ?? {}) : await this.open(sealedBody));
    const event: VapiEvent = { ...fields, correlationId, lastAttempt, message: opened };
    const outcome = isEndOfCallReport(event) ? await this.storeOne(event) : await this.batcher.submit(event);
    log.info({ type: event.messageType, outcome }, 'vapi event handled');
    return { outcome };
  }

  /**
   * The message of a sealed body. A body that will not open (another key, a changed ciphertext) fails the try
   * and is retried, since a replica with the right key, or a corrected configuration, can still open it.
   */
  private async open(sealedBody: string): Promise<Record<string, unknown>> {
    if (!this.sealer) throw new SealedPayloadError('This processor holds no payload key (PAYLOAD_ENCRYPTION_KEY).');
    const plaintext = await this.sealer.open(sealedBody);
    let body: { message?: unknown } | null;
    try {
      body = JSON.parse(Buffer.from(plaintext).toString('utf8')) as { message?: unknown } | null;
    } catch {
      body = null;
    }
    if (!body || typeof body.message !== 'object' || body.message === null || Array.isArray(body.message)) {
      throw new UnrecoverableError('The sealed body opened but holds no VAPI message object.');
    }
    return body.message as Record<string, unknown>;
  }

  /** One event in a transaction of its own: the end-of-call reports, and the fallback of a failed batch. */
  private async storeOne(event: VapiEvent): Promise<VapiEventOutcome> {
    const message = event.message as VapiMessage;
    const call = callOf(message, this.webTickets);
    const live = Boolean(call.id) && speaksOfLiveCall(message.type);
    const byNumber = live && message.type === 'end-of-call-report' ? await this.founderOfUnnamedCall(call, event) : null;
    const result = await withOwnerRole(this.db, 'voice', async (tx) => {
      const named = { eventKey: event.eventKey, vapiCallId: call.id, userId: call.userId ?? byNumber?.userId ?? null };
      if ((await callsOfErasedFounders(tx, [named])).size) return { outcome: 'erased' as const, settled: true };
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
      // The founder the call is recorded for, over what its metadata says (as `insertAndLockLogs` does for a batch).
      if (call.id) {
        await tx.execute(sql`
          update ${webhookLogs} l set user_id = f.user_id from ${callFounders} f
           where l.event_key = ${event.eventKey} and f.vapi_call_id = l.vapi_call_id and l.user_id is distinct from f.user_id`);
      }
      const [logged] = await tx.select({ status: webhookLogs.status }).from(webhookLogs).where(eq(webhookLogs.eventKey, event.eventKey)).for('update');
      if (logged?.status === 'processed' || logged?.status === 'ignored') return { outcome: 'duplicate' as const, settled: true };
      const markDone = (status: 'processed' | 'ignored', error: string | null = null) =>
        tx.update(webhookLogs).set({ status, error, processedAt: new Date() }).where(eq(webhookLogs.eventKey, event.eventKey));
      if (!live || !call.id) {
        await markDone('ignored');
        return { outcome: 'ignored' as const, settled: true };
      }
      const { followUps, refused, change } = await this.apply(tx, message, { ...call, id: call.id }, new Date(event.receivedAt), byNumber);
      // What could not be stored is said on the log row; the rest of the event was applied.
      const note = refused.length ? `not stored: ${refused.join('; ')}` : null;
      // Without follow-ups the event is done in this same transaction; with them it stays `received` until they
      // are queued, so a retry after a crash in between sends them again.
      if (!owesFollowUps(followUps)) await markDone('processed', note);
      else if (note) await tx.update(webhookLogs).set({ error: note }).where(eq(webhookLogs.eventKey, event.eventKey));
      return { outcome: 'stored' as const, followUps, change, settled: !owesFollowUps(followUps) };
    });

    if (result.outcome === 'stored') {
      await this.announce([result.change]);
      const { callCompleted, callUnanswered } = result.followUps;
      if (callCompleted) await queueCallCompleted(this.producer, callCompleted, event.correlationId);
      if (callUnanswered) await raiseCallUnanswered(this.producer, callUnanswered, event.correlationId);
    }
    if (!result.settled) {
      await withOwnerRole(this.db, 'voice', (tx) =>
        tx.update(webhookLogs).set({ status: 'processed', processedAt: new Date() }).where(eq(webhookLogs.eventKey, event.eventKey)),
      );
    }
    return result.outcome;
  }

  /**
   * The founder of a call nothing names (no record of ours, no metadata, no founder on its session), by the
   * caller's number; null when the call is named, is an intake, or the number is nobody's. Asked outside the
   * transaction: it is a call to the gateway. When the gateway cannot say, the job tries again later; its last
   * try stores the report without a founder rather than lose it.
   */
  private async founderOfUnnamedCall(call: ReturnType<typeof callOf>, { correlationId, lastAttempt }: VapiEvent): Promise<CallFounder | null> {
    if (!this.founderByNumber || !call.id || call.userId || call.intake || !call.customerNumber) return null;
    const vapiCallId = call.id;
    const named = await withOwnerRole(this.db, 'voice', async (tx) => {
      const [recorded] = await tx.select({ source: callFounders.source }).from(callFounders).where(eq(callFounders.vapiCallId, vapiCallId));
      const [session] = await tx.select({ userId: callSessions.userId }).from(callSessions).where(eq(callSessions.vapiCallId, vapiCallId));
      return Boolean(recorded ?? session?.userId);
    });
    if (named) return null;
    let founder: Awaited<ReturnType<FounderByNumber>>;
    try {
      founder = await this.founderByNumber(call.customerNumber, correlationId);
    } catch (error) {
      if (!lastAttempt) throw error;
      this.logger?.warn({ err: { message: (error as Error).message } }, 'founder lookup by number failed on the last try: report stored without a founder');
      return null;
    }
    if (!founder) return null;
    const stage = Math.min(Math.max(Math.trunc(founder.currentCallStage), 1), 4);
    return { vapiCallId, userId: founder.id, callStage: stage, source: 'caller-number' };
  }

  /**
   * Events other than end-of-call reports, in one transaction, with the outcome each would have had on its own
   * in this order. Four round trips inside the transaction at most, whatever the batch's size:
   * 1. the founders of the calls, locked against their erasure, and which of them were erased
   *    (`callsOfErasedFounders`, two statements, the second only when a call has a founder): their messages are
   *    left out of what follows;
   * 2. one multi-row insert of the log rows and one lock of the rows that were there before (`insertAndLockLogs`);
   * 3. one multi-row upsert of the calls' sessions (one row per call, merged here) and one update marking the
   *    log rows processed or ignored.
   * Rows are written and locked in key order (log rows by event key, sessions by call id), so concurrent
   * batches take their locks in the same order. Throws if anything fails; the batcher then stores the events
   * one by one.
   */
  private async storeBatch(events: VapiEvent[]): Promise<VapiEventOutcome[]> {
    const entries = events.map((event) => {
      const message = event.message as VapiMessage;
      return { event, message, call: callOf(message, this.webTickets) };
    });
    // The first copy of an event counts; later copies in the same batch are duplicates of it.
    const firstOfKey = new Map<string, (typeof entries)[number]>();
    for (const entry of entries) if (!firstOfKey.has(entry.event.eventKey)) firstOfKey.set(entry.event.eventKey, entry);
    // New rows go in already marked done: the session change is in the same transaction, so a row can only
    // be seen processed together with its effect.
    const now = new Date().toISOString();
    const logRows = [...firstOfKey.values()].map(({ event, message, call }): LogRow => ({
      event_key: event.eventKey,
      message_type: event.messageType,
      vapi_call_id: call.id,
      user_id: call.userId,
      payload: redact(message),
      received_at: event.receivedAt,
      status: call.id && speaksOfLiveCall(message.type) ? 'processed' : 'ignored',
      processed_at: now,
    }));

    const { outcomes, changed } = await withOwnerRole(this.db, 'voice', async (tx) => {
      const erased = await callsOfErasedFounders(
        tx,
        logRows.map((row) => ({ eventKey: row.event_key, vapiCallId: row.vapi_call_id, userId: row.user_id })),
      );
      const kept = logRows.filter((row) => !erased.has(row.event_key));
      const statusOf = kept.length ? await insertAndLockLogs(tx, kept) : new Map<string, string | null>();
      const outcomes = entries.map((entry): VapiEventOutcome => {
        if (erased.has(entry.event.eventKey)) return 'erased';
        const status = statusOf.get(entry.event.eventKey);
        if (firstOfKey.get(entry.event.eventKey) !== entry || status === 'processed' || status === 'ignored') return 'duplicate';
        return entry.call.id && speaksOfLiveCall(entry.message.type) ? 'stored' : 'ignored';
      });
      // One change per call: a multi-row upsert must not touch the same row twice.
      const changes = new Map<string, SessionChange>();
      entries.forEach(({ event, message, call }, i) => {
        if (outcomes[i] !== 'stored' || !call.id) return;
        const change = sessionChangeOf(message, { ...call, id: call.id }, new Date(event.receivedAt));
        const earlier = changes.get(call.id);
        changes.set(call.id, earlier ? mergeChanges(earlier, change) : change);
      });
      // Rows inserted above are already done; only rows an earlier try left behind need marking.
      const marks = entries.flatMap(({ event }, i) =>
        outcomes[i] === 'duplicate' || outcomes[i] === 'erased' || statusOf.get(event.eventKey) === 'new'
          ? []
          : [{ event_key: event.eventKey, status: outcomes[i] === 'ignored' ? ('ignored' as const) : ('processed' as const) }],
      );
      const writes = [...(changes.size ? [sessionsUpsert([...changes.values()], { returning: true })] : []), ...(marks.length ? [markLogs(marks)] : [])];
      if (!writes.length) return { outcomes, changed: [] };
      const { rows } = await tx.execute<UpsertedRow>(sql`with ${sql.join(writes, sql`, `)} ${changes.size ? UPSERTED_SESSIONS : sql`select 1`}`);
      const stored = changes.size ? rows.map(storedSessionOf) : [];
      return { outcomes, changed: stored.map((session) => ({ change: changes.get(session.vapiCallId) as SessionChange, stored: session })) };
    });
    await this.announce(changed);
    return outcomes;
  }

  /** After the commit: each call whose recorded status moved on, to its founder's app (a failure is only logged). */
  private async announce(changed: { change: SessionChange; stored: StoredSession }[]) {
    if (!this.events) return;
    for (const { change, stored } of changed) {
      const update = callUpdateOf(change, stored);
      if (update) await this.events.publish(update.founderId, 'call.updated', update.data);
    }
  }

  /**
   * Applies a live call's message to its session and, for an end-of-call report, its records. The founder is the
   * one recorded for the call, else the one its metadata names (recorded now), else the one its caller's number
   * names (`byNumber`); a record made now also links the call's earlier rows. The session statement reads the
   * record itself (`sessionsUpsert`).
   */
  private async apply(
    tx: VoiceTx,
    message: VapiMessage,
    call: CallWithId,
    at: Date,
    byNumber: CallFounder | null,
  ): Promise<{ followUps: FollowUps; refused: string[]; change: { change: SessionChange; stored: StoredSession } }> {
    const learnt: CallFounder | null = call.userId ? { vapiCallId: call.id, userId: call.userId, callStage: call.callStage, source: 'metadata' } : byNumber;
    const bound = learnt ? await bindCallFounder(tx, learnt) : null;
    const change = sessionChangeOf(message, call, at);
    const session = await upsertSession(tx, change);
    const changed = { change, stored: session };
    if (message.type !== 'end-of-call-report') return { followUps: bound?.completed ? { callCompleted: bound.completed } : {}, refused: [], change: changed };
    const { completed, unanswered, refused } = await storeCallReport(tx, message, call, session, at);
    return { followUps: { ...(completed && { callCompleted: completed }), ...(unanswered && { callUnanswered: unanswered }) }, refused, change: changed };
  }
}
