/**
 * VAPI's messages about an erased founder's calls: a late end-of-call report, a retried event, a status update of a
 * call placed as the founder was erased. Each would write the founder's rows again (the call's session, its log
 * rows, transcript and conversation), so each is stored as nothing.
 */
import { inArray, sql } from 'drizzle-orm';
import { erasureLockKey } from '@dreamseed/platform';
import type { VoiceTx } from '../db/client';
import { callFounders, callSessions, erasedFounders } from '../db/schema';

/** A message about to be stored, by its event key: its call, and the founder it names (metadata, caller's number). */
export interface NamedCall {
  eventKey: string;
  vapiCallId: string | null;
  userId: string | null;
}

/**
 * The event keys of the messages whose call is an erased founder's, in the transaction about to store them and
 * before it writes: the batch form of the platform's `founderErased`, two statements for the whole batch. A call is
 * the founder's the writes would give it: the one recorded for the call over the one the message names (the log
 * row's), and the one its session already holds (the session's).
 *
 * The first statement finds those founders and takes the erasure's shared lock on each, in id order, so that
 * concurrent batches lock alike (Postgres runs a volatile output expression after the sort); the second, after the
 * locks, reads the marks, so it sees an erasure that committed while it waited. The lock is the one `founderErased`
 * takes, by the platform's `erasureLockKey`; erased-founder.int-spec proves that an erasure in progress holds these messages back. No founder, no statement.
 */
export async function callsOfErasedFounders(tx: VoiceTx, calls: NamedCall[]): Promise<Set<string>> {
  const named = calls.filter((call) => call.vapiCallId !== null || call.userId !== null);
  if (!named.length) return new Set();
  const rows = JSON.stringify(named.map((call) => ({ event_key: call.eventKey, vapi_call_id: call.vapiCallId, user_id: call.userId })));
  const { rows: founders } = await tx.execute<{ event_key: string; user_id: string }>(sql`
    with named as (
      select * from json_to_recordset(${rows}::json) as t(event_key text, vapi_call_id text, user_id uuid)
    ), founders as (
      select n.event_key, v.user_id
        from named n
        left join ${callFounders} f on f.vapi_call_id = n.vapi_call_id
        left join ${callSessions} s on s.vapi_call_id = n.vapi_call_id
        cross join lateral (values (case when f.vapi_call_id is null then n.user_id else f.user_id end), (s.user_id)) as v(user_id)
       where v.user_id is not null
    )
    select event_key, user_id, pg_advisory_xact_lock_shared(${erasureLockKey('voice', sql`user_id`)})
      from founders order by user_id`);
  if (!founders.length) return new Set();
  const marked = await tx
    .select({ userId: erasedFounders.userId })
    .from(erasedFounders)
    .where(inArray(erasedFounders.userId, [...new Set(founders.map((row) => row.user_id))]));
  const erased = new Set(marked.map((row) => row.userId));
  return new Set(founders.filter((row) => erased.has(row.user_id)).map((row) => row.event_key));
}
