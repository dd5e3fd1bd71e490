/**
 * The batch path's writes to `webhook_logs`, the log of every VAPI message (redacted): each a single statement
 * for the whole batch, whatever its size.
 */
import { sql } from 'drizzle-orm';
import type { VoiceTx } from '../db/client';
import { callFounders, webhookLogs } from '../db/schema';

/** A message's log row as the batch inserts it. */
export interface LogRow {
  event_key: string;
  message_type: string;
  vapi_call_id: string | null;
  user_id: string | null;
  payload: unknown;
  received_at: string;
  status: 'processed' | 'ignored';
  processed_at: string;
}

/** Code-unit order, the same in every process (the database's collation may differ, but only consistency matters). */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Inserts the rows that are new (`on conflict do nothing`), each carrying the founder recorded for its call over
 * the one its metadata names, and locks the rows that were there before (duplicates, or events a failed try left
 * `received`). Returns each key's status: 'new' for a row inserted here, else the status it was found with. Rows
 * are written and locked in key order, so concurrent batches take their locks in the same order.
 */
export async function insertAndLockLogs(tx: VoiceTx, rows: LogRow[]): Promise<Map<string, string | null>> {
  // The inserted rows are new (and locked by this insert); the locked ones were there before. The select does not
  // see this statement's own inserts: the two sets never overlap.
  const found = await tx.execute<{ event_key: string; status: string | null }>(sql`
    with incoming as (
      select * from json_to_recordset(${JSON.stringify(rows)}::json)
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
  // A row another transaction inserted while this statement ran is in neither set (it was not yet committed when
  // the statement's snapshot was taken): read and lock those now.
  const unseen = rows.map((row) => row.event_key).filter((key) => !statusOf.has(key)).sort(compareText);
  if (unseen.length) {
    const late = await tx.execute<{ event_key: string; status: string }>(sql`
      select event_key, status from ${webhookLogs} where event_key = any(${sql.param(unseen)}::text[]) order by event_key for update
    `);
    for (const row of late.rows) statusOf.set(row.event_key, row.status);
  }
  return statusOf;
}

/** The update marking log rows done, each with its own status (rows this transaction already holds), as a CTE. */
export function markLogs(marks: { event_key: string; status: 'processed' | 'ignored' }[]) {
  return sql`
    marked as (
      update ${webhookLogs} l set status = m.status, processed_at = ${new Date().toISOString()}::timestamptz
        from json_to_recordset(${JSON.stringify(marks)}::json) as m(event_key text, status text)
       where l.event_key = m.event_key
    )`;
}
