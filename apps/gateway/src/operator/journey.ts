/**
 * The founder's journey as the gateway's own tables record it, for the operators' views (funnel, stuck founders,
 * business metrics): who counts as a founder, and where each step's time is read. Only `core` and `auth` are
 * read: the other owners' facts arrive here as the profile reports that `jobs/profile.ts` applies.
 */
import { sql, type SQL } from 'drizzle-orm';
import { OPERATOR_ROLE, withOwnerRole } from '@dreamseed/platform';
import type { GatewayDb, GatewayTx } from '../db/client';

/** The `core.profile_events` kinds under which `jobs/profile.ts` records the reports the journey moves on. */
export const JOURNEY_EVENT = {
  dreamDna: 'analysis-ready',
  domainSelected: 'domain-selected',
  payment: 'payment',
} as const;

/**
 * Payment states that follow a charge, with `payment_date` (when money was last taken): paid, a subscription
 * whose renewal is failing, and refunded. A refund takes the money back, not the conversion.
 */
export const CHARGED_STATUSES = ['paid', 'failed', 'refunded'] as const;

/** Where the journey is over for the operators: nothing more to push the founder towards. */
export const FINISHED_STATUSES = ['paid', 'formed', 'archived'] as const;

const inList = (values: readonly string[]) => sql.raw(values.map((value) => `'${value}'`).join(', '));

/**
 * `founders`: every profile that counts, as a CTE body over `core.users` (alias `u`): not deleted, and not an
 * operator's own account (operators sign up like founders, then get the role).
 */
export const countedFounders = sql`
  select u.*
    from core.users u
    left join auth.users a on a.id = u.auth_user_id
   where u.deleted_at is null
     and coalesce(a.raw_app_meta_data ->> 'role', '') <> ${sql.raw(`'${OPERATOR_ROLE}'`)}`;

/** The first applied report of `kind` for the founder `f`, at or after `after` when given (none while `after` is null). */
export const firstApplied = (kind: string, after?: SQL) => sql`(
  select min(e.occurred_at) from core.profile_events e
   where e.user_id = f.id and e.kind = ${kind} and e.outcome = 'applied'${after ? sql` and e.occurred_at >= ${after}` : sql``})`;

/** The founder `f` was charged (see `CHARGED_STATUSES`). */
export const wasCharged = sql`(f.payment_date is not null and f.payment_status in (${inList(CHARGED_STATUSES)}))`;

/** The founder `f`'s journey is over (paid, formed or archived). */
export const journeyFinished = sql`(f.status in (${inList(FINISHED_STATUSES)}) or f.payment_status = 'paid')`;

/** When the founder `f` last moved: sign-up, a call, a Dream DNA, a domain or a payment report. */
export const lastStepAt = sql`greatest(
  f.created_at, f.call_1_completed_at, f.call_2_completed_at, f.call_3_completed_at, f.call_4_completed_at,
  (select max(e.occurred_at) from core.profile_events e
    where e.user_id = f.id and e.outcome = 'applied'
      and e.kind in (${inList(Object.values(JOURNEY_EVENT))})))`;

/**
 * A read over every founder, as the gateway, without Postgres's JIT compilation: these statements cost enough for
 * the planner to compile them, and compiling took longer than it saved (30–40 ms of 65–150 on 10,000
 * founders: docs/performance-notes.md#operator-insights). A change to these reads re-measures with JIT on.
 */
export function readJourneys<T>(db: GatewayDb, read: (tx: GatewayTx) => Promise<T>): Promise<T> {
  return withOwnerRole(db, 'gateway', async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return read(tx);
  });
}
