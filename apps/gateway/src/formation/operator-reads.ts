import { asc, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { FORMATION_CASE_STATES, type FormationCaseState } from '@dreamseed/contracts';
import { badRequest, pageOf, pageRequest } from '@dreamseed/platform';
import type { GatewayDb } from '../db/client';
import { businessFormationData, formationCaseEvents, formationCases, users } from '../db/schema';
import { rowView } from '../http/rows';
import { documentsOf } from './documents-store';
import { draftOf, missingIntake } from './intake';
import { CLOSED_STATES, SLA_DAYS } from './machine';
import { ageOf, CaseAge, caseView, documentView, FormationCase, FormationCaseEventForStaff, FormationDocument, staffEventView } from './views';

/**
 * What operators read about formation cases: the queue (by state and age, oldest first, flagged past the state's
 * target), one case whole, and the SLA figures (median days per state, cases older than the target).
 */

const founderShape = {
  user_id: z.uuid(),
  customer_name: z.string().nullable(),
  customer_email: z.string().nullable(),
  business_name: z.string().nullable(),
};

export const FormationQueueItem = z
  .object({
    case_id: z.uuid(),
    ...founderShape,
    state: z.enum(FORMATION_CASE_STATES),
    package_id: z.string(),
    domain_status: z.string().nullable(),
    question_open: z.boolean(),
    opened_at: z.iso.datetime({ offset: true }),
    state_entered_at: z.iso.datetime({ offset: true }),
    ...CaseAge,
  })
  .openapi('FormationQueueItem');
export const formationQueueAnswer = z.object({ cases: z.array(FormationQueueItem), next_cursor: z.string().nullable() });

export const queueQuery = z.object({
  state: z.enum(FORMATION_CASE_STATES).optional().openapi({ description: 'Only cases in this state (formed cases show only when asked for)' }),
  user_id: z.uuid().optional().openapi({ description: "Only this founder's case, whatever its state (a founder has at most one)" }),
  older_than_days: z.number().min(0).max(365).optional().openapi({ description: 'Only cases in their state longer than this, which is also the flag (overdue); else each state\'s target' }),
  limit: z.number().int().min(1).max(100).optional(),
  cursor: z.string().max(100).optional(),
});

export const FormationCaseFile = z
  .object({
    case: FormationCase.omit({ events: true, documents: true }).extend({
      state_before_question: z.enum(FORMATION_CASE_STATES).nullable(),
      question_by: z.enum(['system', 'operator']).nullable(),
      ...CaseAge,
    }),
    founder: z.object(founderShape),
    intake: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'The formation details (core.business_formation_data), as GET /v1/me/formation shows them' }),
    events: z.array(FormationCaseEventForStaff),
    documents: z.array(FormationDocument).openapi({ description: 'Every version, newest first' }),
  })
  .openapi('FormationCaseFile');

export const FormationSla = z
  .object({
    states: z.array(
      z.object({
        state: z.enum(FORMATION_CASE_STATES),
        median_days: z.number().nullable().openapi({ description: 'Median days a case stayed in the state, over the stays that ended; null without any' }),
        closed_stays: z.number().int(),
        open: z.number().int().openapi({ description: 'Cases in the state now' }),
        overdue: z.number().int().openapi({ description: 'Of those, in the state longer than sla_days' }),
        sla_days: z.number(),
      }),
    ),
  })
  .openapi('FormationSla');

/** `older_than_days` from a query string, or 400. */
export function olderThanDays(query: Record<string, unknown>): number | undefined {
  if (query.older_than_days === undefined) return undefined;
  const value = typeof query.older_than_days === 'string' && /^\d{1,3}(\.\d+)?$/.test(query.older_than_days) ? Number(query.older_than_days) : NaN;
  if (!(value >= 0 && value <= 365)) throw badRequest('invalid_older_than_days', 'older_than_days must be a number of days from 0 to 365.');
  return value;
}

/** The founder asked for (`user_id`), or undefined; anything but a UUID names no founder. */
function founderFilter(query: Record<string, unknown>): string | undefined {
  if (query.user_id === undefined) return undefined;
  const parsed = z.uuid().safeParse(query.user_id);
  if (!parsed.success) throw badRequest('invalid_user_id', 'user_id must be a founder id (a UUID).');
  return parsed.data.toLowerCase();
}

function stateFilter(query: Record<string, unknown>): FormationCaseState | undefined {
  if (query.state === undefined) return undefined;
  const parsed = z.enum(FORMATION_CASE_STATES).safeParse(query.state);
  if (!parsed.success) throw badRequest('invalid_state', `state must be one of ${FORMATION_CASE_STATES.join(', ')}.`);
  return parsed.data;
}

/** Each state's target in days, as SQL: the operator's figure when given, else the state's own. */
function slaDaysSql(overrideDays: number | undefined): SQL {
  if (overrideDays !== undefined) return sql`${overrideDays}::numeric`;
  const cases = FORMATION_CASE_STATES.map((state) => sql`when ${state} then ${SLA_DAYS[state]}::numeric`);
  return sql`case ${formationCases.state} ${sql.join(cases, sql` `)} end`;
}

export async function formationQueue(db: GatewayDb, query: Record<string, unknown>) {
  const state = stateFilter(query);
  const founder = founderFilter(query);
  const days = olderThanDays(query);
  const page = pageRequest(query);
  const now = new Date();
  const filters = [
    founder ? sql`${formationCases.userId} = ${founder}` : undefined,
    // A founder's case shows whatever its state; the queue leaves closed cases out unless their state is asked for.
    state ? sql`${formationCases.state} = ${state}` : founder ? undefined : sql`${formationCases.state} not in (${sql.join(CLOSED_STATES.map((closed) => sql`${closed}`), sql`, `)})`,
    days !== undefined ? sql`${formationCases.stateEnteredAt} < now() - make_interval(secs => ${days * 86_400})` : undefined,
    // Oldest first: the rows after the cursor's row in (state_entered_at, id) order.
    page.after ? sql`(${formationCases.stateEnteredAt}, ${formationCases.id}) > (select state_entered_at, id from core.formation_cases where id = ${page.after})` : undefined,
  ].filter((filter): filter is SQL => filter !== undefined);
  const rows = await db
    .select({ row: formationCases, customerName: users.customerName, customerEmail: users.customerEmail, businessName: users.businessName })
    .from(formationCases)
    .innerJoin(users, eq(users.id, formationCases.userId))
    .where(sql.join(filters, sql` and `))
    .orderBy(asc(formationCases.stateEnteredAt), asc(formationCases.id))
    .limit(page.limit + 1);
  const { items, next_cursor } = pageOf(rows, page, ({ row }) => row.id);
  return {
    cases: items.map(({ row, customerName, customerEmail, businessName }) => ({
      case_id: row.id,
      user_id: row.userId,
      customer_name: customerName,
      customer_email: customerEmail,
      business_name: businessName,
      state: row.state as FormationCaseState,
      package_id: row.packageId,
      domain_status: row.domainStatus,
      question_open: row.question !== null,
      opened_at: row.openedAt.toISOString(),
      state_entered_at: row.stateEnteredAt.toISOString(),
      ...ageOf(row, now, days),
    })),
    next_cursor,
  };
}

/** The founder of the case `caseId`, or undefined when no case has the id. */
export async function caseFounder(db: GatewayDb, caseId: string): Promise<string | undefined> {
  const [row] = await db.select({ userId: formationCases.userId }).from(formationCases).where(eq(formationCases.id, caseId));
  return row?.userId;
}

/** One case whole, for an operator; undefined when no case has the id. */
export async function formationCaseFile(db: GatewayDb, caseId: string) {
  const [found] = await db.select({ row: formationCases, profile: users }).from(formationCases).innerJoin(users, eq(users.id, formationCases.userId)).where(eq(formationCases.id, caseId));
  if (!found) return undefined;
  const { row, profile } = found;
  const [formation] = await db.select().from(businessFormationData).where(eq(businessFormationData.userId, row.userId));
  const events = await db.select().from(formationCaseEvents).where(eq(formationCaseEvents.caseId, row.id)).orderBy(asc(formationCaseEvents.at));
  const documents = await documentsOf(db, row.id);
  return {
    case: {
      ...caseView(row, missingIntake(draftOf(profile, formation))),
      state_before_question: row.stateBeforeQuestion as FormationCaseState | null,
      question_by: row.questionBy as 'system' | 'operator' | null,
      ...ageOf(row, new Date()),
    },
    founder: { user_id: profile.id, customer_name: profile.customerName, customer_email: profile.customerEmail, business_name: profile.businessName },
    intake: formation ? rowView(businessFormationData, formation) : null,
    events: events.map(staffEventView),
    documents: documents.map(documentView),
  };
}

/**
 * The SLA figures: how long cases stayed in each state (the median over stays that ended: from the move into it to
 * the move out, read from the events), and how many open cases are in each state and past the target.
 */
export async function formationSla(db: GatewayDb, query: Record<string, unknown>) {
  const days = olderThanDays(query);
  const stays = await db.execute<{ state: string; median_days: string | null; closed_stays: string }>(sql`
    with stays as (
      select to_state as state, at as entered, lead(at) over (partition by case_id order by at) as left_at
        from core.formation_case_events where kind in ('opened', 'moved'))
    select state, percentile_cont(0.5) within group (order by extract(epoch from left_at - entered)) / 86400 as median_days, count(*) as closed_stays
      from stays where left_at is not null group by state`);
  const open = await db.execute<{ state: string; open: string; overdue: string }>(sql`
    select ${formationCases.state} as state, count(*) as open,
           count(*) filter (where ${formationCases.stateEnteredAt} < now() - make_interval(secs => (${slaDaysSql(days)} * 86400)::double precision)) as overdue
      from ${formationCases} group by ${formationCases.state}`);
  const stayOf = new Map(stays.rows.map((row) => [row.state, row]));
  const openOf = new Map(open.rows.map((row) => [row.state, row]));
  return {
    states: FORMATION_CASE_STATES.map((state) => {
      const stay = stayOf.get(state);
      const now = openOf.get(state);
      return {
        state,
        median_days: stay?.median_days == null ? null : Math.round(Number(stay.median_days) * 10) / 10,
        closed_stays: Number(stay?.closed_stays ?? 0),
        open: Number(now?.open ?? 0),
        overdue: CLOSED_STATES.includes(state) ? 0 : Number(now?.overdue ?? 0),
        sla_days: days ?? SLA_DAYS[state],
      };
    }),
  };
}
