import { sql } from 'drizzle-orm';
import { FOUNDER_ATTENTION_KINDS } from '@dreamseed/contracts';
import { badRequest, QueueUnavailableError, type JobProducer } from '@dreamseed/platform';
import type { GatewayDb } from '../db/client';
import { failedJobsOfFounders } from './failed-jobs';
import { countedFounders, journeyFinished, lastStepAt, readJourneys } from './journey';

/** Why a founder needs an operator: no step for a while, what an owner flagged (`founder-attention`), or a failed job. */
export const STUCK_REASONS = ['idle', ...FOUNDER_ATTENTION_KINDS, 'failed_job'] as const;
export type StuckReason = (typeof STUCK_REASONS)[number];

export const IDLE_DAYS_DEFAULT = 7;
export const IDLE_DAYS_MAX = 90;
const DETAIL_LENGTH = 300;

/** The failed jobs of one founder, as one reason: since the oldest failure, told by the newest. */
interface FailedJobsReason {
  user_id: string;
  since: string;
  detail: string;
}

export interface StuckFounder {
  user_id: string;
  email: string | null;
  name: string | null;
  business_name: string | null;
  status: string;
  /** The next call's stage (1–4), or 5 when all four are done. */
  call_stage: number;
  next_call_at: string | null;
  last_step_at: string;
  /** The oldest of the reasons' `since`. */
  since: string;
  reasons: { code: StuckReason; detail: string | null; since: string }[];
}

export interface StuckPage {
  idle_days: number;
  /** Founders who need an operator now, all pages together. */
  total: number;
  founders: StuckFounder[];
  next_cursor: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The failed jobs that name a founder, one reason per founder (Redis; ids that are not profile ids are left out). */
async function failedJobReasons(producer: JobProducer): Promise<FailedJobsReason[]> {
  const byFounder = new Map<string, Awaited<ReturnType<typeof failedJobsOfFounders>>>();
  for (const job of await failedJobsOfFounders(producer)) {
    if (UUID.test(job.userId)) byFounder.set(job.userId, [...(byFounder.get(job.userId) ?? []), job]);
  }
  return [...byFounder].map(([userId, jobs]) => {
    const [newest] = jobs; // newest first
    const times = jobs.map((job) => job.failedAt).filter((at): at is string => at !== null).sort();
    const count = jobs.length === 1 ? 'A job' : `${jobs.length} jobs`;
    return {
      user_id: userId,
      since: times[0] ?? new Date().toISOString(),
      detail: `${count} failed for good; the newest ${newest?.queue}/${newest?.name}: ${newest?.failedReason}`.slice(0, DETAIL_LENGTH),
    };
  });
}

/**
 * `f` (the founders who count) and `reasons`: one row per founder and reason, with its `since`. Idle: no step for
 * `idleDays`, the journey not over, and no call planned ahead (a founder waiting for a booked call is not stuck).
 */
function stuckReasons(idleDays: number, failed: FailedJobsReason[]) {
  return sql`
    f as (${countedFounders}),
    failed as (select * from jsonb_to_recordset(${JSON.stringify(failed)}::jsonb) as x(user_id uuid, since timestamptz, detail text)),
    reasons as (
      select f.id as user_id, 'idle'::text as code,
             format('No step for %s days', floor(extract(epoch from now() - last.at) / 86400)) as detail, last.at as since
        from f cross join lateral (select ${lastStepAt} as at) last
       where not ${journeyFinished}
         and (f.next_call_scheduled is null or f.next_call_scheduled < now())
         and last.at < now() - make_interval(days => ${idleDays}::int)
      union all
      select a.user_id, a.kind, a.detail, coalesce(a.raised_at, a.occurred_at)
        from core.founder_attention a join f on f.id = a.user_id
       where a.state = 'raised'
      union all
      select x.user_id, 'failed_job', x.detail, x.since from failed x join f on f.id = x.user_id
    )`;
}

const CURSOR_PREFIX = 's1:';
const encodeCursor = (since: string, userId: string) => Buffer.from(`${CURSOR_PREFIX}${since}|${userId}`).toString('base64url');

/** The founder after whom a page starts: the `since` (as Postgres wrote it, microseconds kept) and the id. */
export function decodeStuckCursor(cursor: string | undefined): { since: string; userId: string } | null {
  if (cursor === undefined) return null;
  const decoded = cursor.length <= 200 ? Buffer.from(cursor, 'base64url').toString() : '';
  const [since = '', userId = ''] = decoded.startsWith(CURSOR_PREFIX) ? decoded.slice(CURSOR_PREFIX.length).split('|') : [];
  if (!UUID.test(userId) || Number.isNaN(Date.parse(since))) throw badRequest('invalid_cursor', 'The cursor is not one this API gave; start again without it.');
  return { since, userId };
}

const iso = (value: string | Date) => new Date(value).toISOString();

/**
 * The founders who need an operator, each once with all their reasons, oldest `since` first, a page at a time
 * (keyset on `since, id`). Failed jobs are read from Redis first and joined in the same statement.
 */
export async function stuckFounders(db: GatewayDb, producer: JobProducer, page: { idleDays: number; limit: number; cursor?: string }): Promise<StuckPage> {
  const after = decodeStuckCursor(page.cursor);
  const failed = await failedJobReasons(producer).catch((error: unknown) => {
    throw new QueueUnavailableError(error);
  });
  type Row = {
    user_id: string | null;
    since_key: string;
    since: string;
    reasons: { code: StuckReason; detail: string | null; since: string }[];
    customer_email: string | null;
    customer_name: string | null;
    business_name: string | null;
    status: string;
    current_call_stage: number;
    next_call_scheduled: string | null;
    last_step_at: string;
    total: number;
  };
  const rows = await readJourneys(db, (tx) =>
    tx.execute<Row>(sql`
      with ${stuckReasons(page.idleDays, failed)},
      stuck as (
        select user_id, min(since) as since,
               jsonb_agg(jsonb_build_object('code', code, 'detail', detail, 'since', since) order by since, code) as reasons
          from reasons group by user_id
      )
      -- The total rides on every row, and on a lone row of nulls when the page is empty.
      select t.total, p.*
        from (select count(*)::int as total from stuck) t
        left join lateral (
          select s.user_id, to_json(s.since) #>> '{}' as since_key, s.since, s.reasons,
                 f.customer_email, f.customer_name, f.business_name, f.status, f.current_call_stage, f.next_call_scheduled,
                 last.at as last_step_at
            from stuck s join f on f.id = s.user_id
            cross join lateral (select ${lastStepAt} as at) last
           where ${after ? sql`(s.since, s.user_id) > (${after.since}::timestamptz, ${after.userId}::uuid)` : sql`true`}
           order by s.since, s.user_id
           limit ${page.limit + 1}
        ) p on true
       order by p.since, p.user_id`),
  );
  const found = rows.rows.filter((row): row is Row & { user_id: string } => row.user_id !== null);
  const founders = found.slice(0, page.limit);
  const last = founders[founders.length - 1];
  return {
    idle_days: page.idleDays,
    total: rows.rows[0]?.total ?? 0,
    founders: founders.map((row) => ({
      user_id: row.user_id,
      email: row.customer_email,
      name: row.customer_name,
      business_name: row.business_name,
      status: row.status,
      call_stage: row.current_call_stage,
      next_call_at: row.next_call_scheduled ? iso(row.next_call_scheduled) : null,
      last_step_at: iso(row.last_step_at),
      since: iso(row.since),
      reasons: row.reasons.map((reason) => ({ code: reason.code, detail: reason.detail, since: iso(reason.since) })),
    })),
    next_cursor: found.length > page.limit && last ? encodeCursor(last.since_key, last.user_id) : null,
  };
}

/** How many founders need an operator for each reason (a founder with two reasons counts under both). */
export async function stuckCounts(db: GatewayDb, producer: JobProducer, idleDays = IDLE_DAYS_DEFAULT): Promise<Record<StuckReason, number>> {
  const failed = await failedJobReasons(producer);
  const rows = await readJourneys(db, (tx) =>
    tx.execute<{ code: StuckReason; founders: number }>(
      sql`with ${stuckReasons(idleDays, failed)} select code, count(distinct user_id)::int as founders from reasons group by code`,
    ),
  );
  const counts = Object.fromEntries(STUCK_REASONS.map((reason) => [reason, 0])) as Record<StuckReason, number>;
  for (const row of rows.rows) if (row.code in counts) counts[row.code] = row.founders;
  return counts;
}
