import { UnrecoverableError } from 'bullmq';
import { eq, sql } from 'drizzle-orm';
import type { JobPayloadOf, VoiceJobs } from '@dreamseed/contracts';
import {
  Batcher,
  SealedPayloadError,
  withOwnerRole,
  fitForPostgres,
  type JobContext,
  type JobProducer,
  type Logger,
  type PayloadSealer,
} from '@dreamseed/platform';
import type { VoiceDb, VoiceTx } from '../db/client';
import { callFounders, callSessions, conversationTurns, conversations, transcripts, vapiCalls, webhookLogs } from '../db/schema';
import { bindCallFounder, queueCallCompleted, withRecordedFounder, type CallFounder, type CompletedCall } from '../calls/founders';
import { callOf, directionOf, endOfCallReport, redact, speaksOfLiveCall, type VapiMessage } from '../vapi/message';
import { storableReport } from '../vapi/storable';

type VapiEventPayload = JobPayloadOf<VoiceJobs, 'vapi-event'>;
/** A `vapi-event` job's payload with its message opened. */
type VapiEvent = Omit<VapiEventPayload, 'sealedBody' | 'message'> & { message: Record<string, unknown>; lastAttempt?: boolean };
export type VapiEventOutcome = 'stored' | 'duplicate' | 'ignored';

/** A call's statuses in the order they happen; an older one never overwrites a newer one, and ended is final. */
const STATUS_ORDER = ['scheduled', 'queued', 'ringing', 'in-progress', 'forwarding', 'ended'];
const statusRank = (column: unknown) => sql`coalesce(array_position(${sql.raw(`array[${STATUS_ORDER.map((s) => `'${s}'`).join(',')}]`)}::text[], ${column}), 0)`;
/** The same rank in JS: 0 for no status. */
const rankOf = (status: string | null) => (status === null ? 0 : STATUS_ORDER.indexOf(status) + 1);

/** What one message says about its call's session; `status` null when the message carries none. */
interface SessionChange {
  vapiCallId: string;
  userId: string | null;
  callStage: number | null;
  callType: string | null;
  status: string | null;
  assistantId: string | null;
  phoneNumberId: string | null;
  customerNumber: string | null;
  endedReason: string | null;
  lastEventAt: Date;
}

type CallWithId = ReturnType<typeof callOf> & { id: string };

function sessionChangeOf(message: VapiMessage, call: CallWithId, at: Date): SessionChange {
  const said = message.type === 'status-update' ? String(message.status ?? '') : message.type === 'end-of-call-report' ? 'ended' : null;
  const status = said && STATUS_ORDER.includes(said) ? said : null;
  return {
    vapiCallId: call.id,
    userId: call.userId,
    callStage: call.callStage,
    callType: call.type,
    status,
    assistantId: call.assistantId,
    phoneNumberId: call.phoneNumberId,
    customerNumber: call.customerNumber,
    endedReason: message.type === 'status-update' && status === 'ended' ? ((message.endedReason as string | undefined) ?? null) : null,
    lastEventAt: at,
  };
}

/**
 * Several messages of one call as one change, as if applied one after the other in this order: the
 * highest-ranked status, the first value given of each field, the latest event time.
 */
function mergeChanges(first: SessionChange, next: SessionChange): SessionChange {
  return {
    vapiCallId: first.vapiCallId,
    userId: first.userId ?? next.userId,
    callStage: first.callStage ?? next.callStage,
    callType: first.callType ?? next.callType,
    status: rankOf(next.status) > rankOf(first.status) ? next.status : first.status,
    assistantId: first.assistantId ?? next.assistantId,
    phoneNumberId: first.phoneNumberId ?? next.phoneNumberId,
    customerNumber: first.customerNumber ?? next.customerNumber,
    endedReason: first.endedReason ?? next.endedReason,
    lastEventAt: next.lastEventAt > first.lastEventAt ? next.lastEventAt : first.lastEventAt,
  };
}

/** Code-unit order, the same in every process (the database's collation may differ, but only consistency matters). */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const isEndOfCallReport = (event: VapiEvent) =>
  event.messageType === 'end-of-call-report' || (event.message as VapiMessage).type === 'end-of-call-report';

/**
 * `upsertSession` for many calls in one statement (a CTE named `upserted`), with the same conflict rules and the
 * founder recorded for each call (`call_founders`) before the one its metadata names:
 * the status moves forward only, and only for a change that has one (which `excluded` cannot tell, since it
 * holds 'queued' for the others, so it is read back from the input); existing values are kept; the latest
 * event time wins. Rows go in call id order.
 */
function sessionsUpsert(changes: SessionChange[]) {
  const rows = changes.map((change) => ({
    vapi_call_id: change.vapiCallId,
    user_id: change.userId,
    call_stage: change.callStage,
    direction: directionOf(change.callType),
    status: change.status,
    assistant_id: change.assistantId,
    phone_number_id: change.phoneNumberId,
    customer_number: change.customerNumber,
    ended_reason: change.endedReason,
    last_event_at: change.lastEventAt,
  }));
  return sql`
    sessions_in as (
      -- withRecordedFounder's rule: the call's record decides, an intake's (no founder) included.
      select t.vapi_call_id,
             case when f.vapi_call_id is null then t.user_id else f.user_id end as user_id,
             case when f.vapi_call_id is null then t.call_stage when f.user_id is null then null else coalesce(f.call_stage, t.call_stage) end as call_stage,
             t.direction, t.status, t.assistant_id, t.phone_number_id, t.customer_number, t.ended_reason, t.last_event_at
        from json_to_recordset(${JSON.stringify(rows)}::json)
          as t(vapi_call_id text, user_id uuid, call_stage smallint, direction text, status text, assistant_id text,
               phone_number_id text, customer_number text, ended_reason text, last_event_at timestamptz)
        left join ${callFounders} f on f.vapi_call_id = t.vapi_call_id
    ), upserted as (
      insert into ${callSessions} as s
        (vapi_call_id, user_id, call_stage, direction, status, assistant_id, phone_number_id, customer_number, ended_reason, last_event_at)
      select vapi_call_id, user_id, call_stage, direction, coalesce(status, 'queued'), assistant_id, phone_number_id, customer_number,
             ended_reason, last_event_at
        from sessions_in order by vapi_call_id
      on conflict (vapi_call_id) do update set
        status = case
          when (select i.status from sessions_in i where i.vapi_call_id = excluded.vapi_call_id) is not null
           and ${statusRank(sql`excluded.status`)} > ${statusRank(sql`s.status`)} then excluded.status
          else s.status end,
        user_id = coalesce(s.user_id, excluded.user_id),
        call_stage = coalesce(s.call_stage, excluded.call_stage),
        assistant_id = coalesce(s.assistant_id, excluded.assistant_id),
        ended_reason = coalesce(s.ended_reason, excluded.ended_reason),
        last_event_at = greatest(s.last_event_at, excluded.last_event_at),
        updated_at = ${new Date().toISOString()}::timestamptz
    )`;
}

/** The update marking log rows done, each with its own status (rows this transaction already holds). */
function markLogs(marks: { event_key: string; status: 'processed' | 'ignored' }[]) {
  return sql`
    update ${webhookLogs} l set status = m.status, processed_at = ${new Date().toISOString()}::timestamptz
      from json_to_recordset(${JSON.stringify(marks)}::json) as m(event_key text, status text)
     where l.event_key = m.event_key`;
}

interface FollowUps {
  /** The founder and stage of a call whose end-of-call report was stored, or whose founder became known after it. */
  callCompleted?: CompletedCall;
}

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
}

/**
 * Stores one VAPI message: always in `webhook_logs` (redacted), and by type into the call's records. Safe to
 * run again: every write is an upsert on the call's or event's natural key, and a message already processed
 * is skipped. Follow-up jobs (the profile change and the analysis) carry ids derived from the call, so a
 * retry or a second report never makes a second one.
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

  constructor(
    private readonly db: VoiceDb,
    private readonly producer: JobProducer,
    options: VapiEventProcessorOptions = {},
  ) {
    this.sealer = options.sealer;
    this.founderByNumber = options.founderByNumber;
    this.logger = options.logger;
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
    const call = callOf(message);
    const live = Boolean(call.id) && speaksOfLiveCall(message.type);
    const byNumber = live && message.type === 'end-of-call-report' ? await this.founderOfUnnamedCall(call, event) : null;
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
      // The founder the call is recorded for, over what its metadata says (the batch's insert does the same).
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
      const { followUps, refused } = await this.apply(tx, message, { ...call, id: call.id }, new Date(event.receivedAt), byNumber);
      // What could not be stored is said on the log row; the rest of the event was applied.
      const note = refused.length ? `not stored: ${refused.join('; ')}` : null;
      // Without follow-ups the event is done in this same transaction; with them it stays `received` until they
      // are queued, so a retry after a crash in between sends them again.
      if (!followUps.callCompleted) await markDone('processed', note);
      else if (note) await tx.update(webhookLogs).set({ error: note }).where(eq(webhookLogs.eventKey, event.eventKey));
      return { outcome: 'stored' as const, followUps, settled: !followUps.callCompleted };
    });

    if (result.outcome === 'stored' && result.followUps.callCompleted) await queueCallCompleted(this.producer, result.followUps.callCompleted, event.correlationId);
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
   * in this order. Two round trips inside the transaction, whatever the batch's size:
   * 1. one multi-row insert of the log rows (`on conflict do nothing`) and one `select … for update` of the
   *    rows that were there before (duplicates, or events a failed try left `received`);
   * 2. one multi-row upsert of the calls' sessions (one row per call, merged here) and one update marking the
   *    log rows processed or ignored.
   * Rows are written and locked in key order (log rows by event key, sessions by call id), so concurrent
   * batches take their locks in the same order. Throws if anything fails; the batcher then stores the events
   * one by one.
   */
  private async storeBatch(events: VapiEvent[]): Promise<VapiEventOutcome[]> {
    const entries = events.map((event) => {
      const message = event.message as VapiMessage;
      return { event, message, call: callOf(message) };
    });
    // The first copy of an event counts; later copies in the same batch are duplicates of it.
    const firstOfKey = new Map<string, (typeof entries)[number]>();
    for (const entry of entries) if (!firstOfKey.has(entry.event.eventKey)) firstOfKey.set(entry.event.eventKey, entry);
    // New rows go in already marked done: the session change is in the same transaction, so a row can only
    // be seen processed together with its effect.
    const now = new Date().toISOString();
    const logRows = [...firstOfKey.values()].map(({ event, message, call }) => ({
      event_key: event.eventKey,
      message_type: event.messageType,
      vapi_call_id: call.id,
      user_id: call.userId,
      payload: redact(message),
      received_at: event.receivedAt,
      status: call.id && speaksOfLiveCall(message.type) ? 'processed' : 'ignored',
      processed_at: now,
    }));

    return withOwnerRole(this.db, 'voice', async (tx) => {
      // The inserted rows are new (and locked by this insert); the locked ones were there before. The select
      // does not see this statement's own inserts: the two sets never overlap.
      const found = await tx.execute<{ event_key: string; status: string | null }>(sql`
        with incoming as (
          select * from json_to_recordset(${JSON.stringify(logRows)}::json)
            as t(event_key text, message_type text, vapi_call_id text, user_id uuid, payload jsonb, received_at timestamptz,
                 status text, processed_at timestamptz)
        ), inserted as (
          insert into ${webhookLogs} (event_key, message_type, vapi_call_id, user_id, payload, received_at, status, processed_at)
          select i.event_key, i.message_type, i.vapi_call_id, case when f.vapi_call_id is null then i.user_id else f.user_id end,
                 i.payload, i.received_at, i.status, i.processed_at
            from incoming i left join ${callFounders} f on f.vapi_call_id = i.vapi_call_id
           order by i.event_key
          on conflict (event_key) do nothing
          returning event_key
        ), existing as (
          select l.event_key, l.status from ${webhookLogs} l
           where l.event_key in (select event_key from incoming)
           order by l.event_key
           for update
        )
        select event_key, 'new' as status from inserted
        union all
        select event_key, status from existing
      `);
      const statusOf = new Map(found.rows.map((row) => [row.event_key, row.status]));
      // A row another transaction inserted while this statement ran is in neither set (it was not yet
      // committed when the statement's snapshot was taken): read and lock those now.
      const unseen = [...firstOfKey.keys()].filter((key) => !statusOf.has(key)).sort(compareText);
      if (unseen.length) {
        const late = await tx.execute<{ event_key: string; status: string }>(sql`
          select event_key, status from ${webhookLogs} where event_key = any(${sql.param(unseen)}::text[]) order by event_key for update
        `);
        for (const row of late.rows) statusOf.set(row.event_key, row.status);
      }

      const outcomes = entries.map((entry): VapiEventOutcome => {
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
        outcomes[i] === 'duplicate' || statusOf.get(event.eventKey) === 'new'
          ? []
          : [{ event_key: event.eventKey, status: outcomes[i] === 'ignored' ? ('ignored' as const) : ('processed' as const) }],
      );
      const writes = [
        ...(changes.size ? [sql`${sessionsUpsert([...changes.values()])}`] : []),
        ...(marks.length ? [sql`marked as (${markLogs(marks)})`] : []),
      ];
      if (writes.length) await tx.execute(sql`with ${sql.join(writes, sql`, `)} select 1`);
      return outcomes;
    });
  }

  /**
   * Applies a live call's message to its session and, for an end-of-call report, its records. The founder is the
   * one recorded for the call, else the one its metadata names (recorded now), else the one its caller's number
   * names (`byNumber`); a record made now also links the call's earlier rows.
   */
  private async apply(tx: VoiceTx, message: VapiMessage, call: CallWithId, at: Date, byNumber: CallFounder | null): Promise<{ followUps: FollowUps; refused: string[] }> {
    const learnt: CallFounder | null = call.userId ? { vapiCallId: call.id, userId: call.userId, callStage: call.callStage, source: 'metadata' } : byNumber;
    const bound = learnt ? await bindCallFounder(tx, learnt) : null;
    const [recorded] = bound ? [bound.founder] : await tx.select().from(callFounders).where(eq(callFounders.vapiCallId, call.id));
    const session = await this.upsertSession(tx, sessionChangeOf(message, withRecordedFounder(call, recorded), at));
    if (message.type !== 'end-of-call-report') return { followUps: bound?.completed ? { callCompleted: bound.completed } : {}, refused: [] };

    const { report, refused } = storableReport(endOfCallReport(message));
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
    if (!session.userId || !session.callStage) return { followUps: {}, refused };
    return {
      followUps: {
        callCompleted: { userId: session.userId, callStage: session.callStage, vapiCallId: call.id, endedAt: (report.endedAt ?? at).toISOString() },
      },
      refused,
    };
  }

  /** The call's session, created by whichever message comes first, its status moved forward only. */
  private async upsertSession(tx: VoiceTx, change: SessionChange) {
    const [session] = await tx
      .insert(callSessions)
      .values({
        vapiCallId: change.vapiCallId,
        userId: change.userId,
        callStage: change.callStage,
        direction: directionOf(change.callType),
        status: change.status ?? 'queued',
        assistantId: change.assistantId,
        phoneNumberId: change.phoneNumberId,
        customerNumber: change.customerNumber,
        lastEventAt: change.lastEventAt,
        endedReason: change.endedReason,
      })
      .onConflictDoUpdate({
        target: callSessions.vapiCallId,
        set: {
          // The same rules as the batch's upsert in storeBatch.
          status: change.status
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
}
