/**
 * A call's session: created by whichever of its messages comes first, then moved on by the others. The rule is
 * stated once, in `sessionsUpsert`, which stores one call's change and a batch's alike.
 */
import { sql } from 'drizzle-orm';
import { CALL_STATUSES } from '@dreamseed/contracts';
import type { VoiceTx } from '../db/client';
import { callFounders, callSessions } from '../db/schema';
import { callOf, directionOf, type VapiMessage } from '../vapi/message';

/** A call's statuses in the order they happen; an older one never overwrites a newer one, and ended is final. */
const STATUS_ORDER: readonly string[] = CALL_STATUSES;
const statusRank = (column: unknown) => sql`coalesce(array_position(${sql.raw(`array[${STATUS_ORDER.map((s) => `'${s}'`).join(',')}]`)}::text[], ${column}), 0)`;
/** The same rank in JS: 0 for no status. */
const rankOf = (status: string | null) => (status === null ? 0 : STATUS_ORDER.indexOf(status) + 1);

/** What one message says about its call's session; `status` null when the message carries none. */
export interface SessionChange {
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

export type CallWithId = ReturnType<typeof callOf> & { id: string };

export function sessionChangeOf(message: VapiMessage, call: CallWithId, at: Date): SessionChange {
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
export function mergeChanges(first: SessionChange, next: SessionChange): SessionChange {
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

/**
 * The sessions of several calls (one change per call: a multi-row upsert must not touch a row twice) in one
 * statement, as two CTEs, `sessions_in` and `upserted`, for a `with` that may hold other writes too:
 * - the founder is the one recorded for the call (`call_founders`) over the one its metadata names, an intake's
 *   (nobody) included: `withRecordedFounder`'s rule;
 * - the status moves forward only, and only for a change that has one (which `excluded` cannot tell, since it
 *   holds 'queued' for the others, so it is read back from the input);
 * - values already stored are kept; the latest event time wins.
 * Rows go in call id order, so concurrent writers lock them in the same order. `returning` makes `upserted`
 * name each session's call, id, founder, stage and status, and the status it had before (`previous_status`,
 * null for a new session: the subquery runs on the statement's snapshot, which does not see its own write).
 */
export function sessionsUpsert(changes: SessionChange[], { returning = false } = {}) {
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
      ${returning ? sql`returning vapi_call_id, id, user_id, call_stage, status, (select o.status from ${callSessions} o where o.id = s.id) as previous_status` : sql``}
    )`;
}

/** A session as stored after an upsert: its id, the founder and stage it now belongs to, and its status before and after. */
export interface StoredSession {
  vapiCallId: string;
  id: string;
  userId: string | null;
  callStage: number | null;
  status: string;
  previousStatus: string | null;
}

/** `upserted`'s rows, as `returning` names them. */
export const UPSERTED_SESSIONS = sql`select vapi_call_id, id, user_id, call_stage, status, previous_status from upserted`;

export type UpsertedRow = { vapi_call_id: string; id: string; user_id: string | null; call_stage: number | null; status: string; previous_status: string | null };

export const storedSessionOf = (row: UpsertedRow): StoredSession => ({
  vapiCallId: row.vapi_call_id,
  id: row.id,
  userId: row.user_id,
  callStage: row.call_stage,
  status: row.status,
  previousStatus: row.previous_status,
});

/** One call's session, by the same statement as a batch's. */
export async function upsertSession(tx: VoiceTx, change: SessionChange): Promise<StoredSession> {
  const { rows } = await tx.execute<UpsertedRow>(sql`with ${sessionsUpsert([change], { returning: true })} ${UPSERTED_SESSIONS}`);
  const [session] = rows;
  if (!session) throw new Error('upsert returned nothing');
  return storedSessionOf(session);
}

/**
 * The founder's `call.updated` event for a change whose status moved the session's on (a message that carries no
 * status, or one older than the status recorded, moves nothing and says nothing); undefined when nothing moved
 * or the call is nobody's.
 */
export function callUpdateOf(change: SessionChange, stored: StoredSession) {
  if (change.status === null || stored.status === stored.previousStatus || !stored.userId) return undefined;
  const status = stored.status as (typeof CALL_STATUSES)[number];
  if (!CALL_STATUSES.includes(status)) return undefined;
  return {
    founderId: stored.userId,
    data: { vapi_call_id: stored.vapiCallId, call_stage: stored.callStage, status, occurred_at: change.lastEventAt.toISOString() },
  };
}
