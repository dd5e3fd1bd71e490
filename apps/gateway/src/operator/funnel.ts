import { sql } from 'drizzle-orm';
import type { GatewayDb } from '../db/client';
import { countedFounders, firstApplied, JOURNEY_EVENT, readJourneys, wasCharged } from './journey';

export const FUNNEL_STEPS = ['registered', 'call_1', 'call_2', 'call_3', 'call_4', 'dream_dna', 'domain_selected', 'paid'] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

export const FUNNEL_WEEKS_DEFAULT = 12;
export const FUNNEL_WEEKS_MAX = 52;

export interface FunnelStepFigures {
  step: FunnelStep;
  /** Founders of the cohort who reached the step. */
  count: number;
  /** `count` over the previous step's; null for the first step and when no one reached the previous one. */
  conversion: number | null;
  /** Median hours between the previous step and this one, of those who reached it; null when no one did. */
  median_hours_from_previous: number | null;
}

export interface Funnel {
  weeks: number;
  /** Monday (UTC) of the first and the last cohort week shown. */
  from_week: string;
  to_week: string;
  steps: FunnelStep[];
  /** One cohort per sign-up week, oldest first; a week without sign-ups is there with zeros. */
  cohorts: { week: string; steps: FunnelStepFigures[] }[];
  /** All the weeks shown together. */
  total: { steps: FunnelStepFigures[] };
}

const DAY_MS = 86_400_000;

/** Monday 00:00 UTC of the ISO week holding `day`. */
export function isoWeekStart(day: Date): Date {
  const midnight = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  return new Date(midnight - ((day.getUTCDay() + 6) % 7) * DAY_MS);
}

const dateLabel = (day: Date) => day.toISOString().slice(0, 10);

/** The column of `done` (below) that holds each step's own time. */
const DONE_COLUMN: Record<FunnelStep, string> = {
  registered: 'created_at',
  call_1: 'call_1_completed_at',
  call_2: 'call_2_completed_at',
  call_3: 'call_3_completed_at',
  call_4: 'call_4_completed_at',
  dream_dna: 'dream_dna',
  domain_selected: 'domain_selected',
  paid: 'paid',
};

/** When step `index` was reached: once it and every step before it are done, at the latest of their times. */
const reachedAt = (index: number) => {
  const times = sql.join(FUNNEL_STEPS.slice(0, index + 1).map((step) => sql`d.${sql.identifier(DONE_COLUMN[step])}`), sql`, `);
  return sql`case when num_nulls(${times}) = 0 then greatest(${times}) end`;
};

/**
 * When each founder reached each step, in order: a step counts once every step before it is reached, at the
 * latest of their times (a domain chosen before the last call is reached with the Dream DNA, 0 hours after it).
 * The Dream DNA step is the first analysis after the fourth call (earlier versions are drafts of it); `paid` is
 * the last charge (the profile keeps no first-charge time, so a renewed subscription moves it). `done` holds each
 * founder's own times, read once (materialized: inlined, the planner would repeat its subqueries for every step).
 */
const journeys = (from: Date, to: Date) => sql`
  with f as (${countedFounders} and u.created_at >= ${from.toISOString()}::timestamptz and u.created_at < ${to.toISOString()}::timestamptz),
  done as materialized (
    select date_trunc('week', f.created_at at time zone 'UTC') as week, f.created_at,
           f.call_1_completed_at, f.call_2_completed_at, f.call_3_completed_at, f.call_4_completed_at,
           ${firstApplied(JOURNEY_EVENT.dreamDna, sql`greatest(f.created_at, f.call_1_completed_at, f.call_2_completed_at, f.call_3_completed_at, f.call_4_completed_at)`)} as dream_dna,
           ${firstApplied(JOURNEY_EVENT.domainSelected)} as domain_selected,
           case when ${wasCharged} then f.payment_date end as paid
      from f
  )
  select d.week, s.step, s.at, s.previous
    from done d
    cross join lateral (values
      ${sql.join(
        FUNNEL_STEPS.map((_, index) => sql`(${sql.raw(String(index))}, ${reachedAt(index)}, ${index === 0 ? sql`null::timestamptz` : reachedAt(index - 1)})`),
        sql`, `,
      )}
    ) as s(step, at, previous)`;

/**
 * The funnel by sign-up week (ISO weeks, Monday UTC): for the `weeks` weeks ending with the week of `until`, how
 * many founders of each week's cohort reached each step, the conversion from the step before and the median
 * time it took. One statement: each founder's steps, then counts and medians per week and for all the weeks
 * (grouping sets). Its time on 10,000 founders: docs/performance-notes.md#operator-insights.
 */
export async function funnelOf(db: GatewayDb, options: { weeks: number; until: Date }): Promise<Funnel> {
  const firstWeek = new Date(isoWeekStart(options.until).getTime() - (options.weeks - 1) * 7 * DAY_MS);
  const end = new Date(isoWeekStart(options.until).getTime() + 7 * DAY_MS);
  const query = sql`
    with steps as (${journeys(firstWeek, end)})
    select to_char(week, 'YYYY-MM-DD') as week, step, count(at)::int as count,
           percentile_cont(0.5) within group (order by extract(epoch from at - previous) / 3600) as median_hours
      from steps
     group by grouping sets ((week, step), (step))`;
  const rows = await readJourneys(db, (tx) => tx.execute<{ week: string | null; step: number; count: number; median_hours: number | null }>(query));

  const figures = new Map<string, { count: number; median: number | null }>();
  for (const row of rows.rows) figures.set(`${row.week ?? 'total'}:${row.step}`, { count: row.count, median: row.median_hours });
  const stepsOf = (week: string): FunnelStepFigures[] =>
    FUNNEL_STEPS.map((step, index) => {
      const here = figures.get(`${week}:${index}`);
      const before = index > 0 ? (figures.get(`${week}:${index - 1}`)?.count ?? 0) : 0;
      const count = here?.count ?? 0;
      const median = here?.median ?? null;
      return {
        step,
        count,
        conversion: index > 0 && before > 0 ? round(count / before, 4) : null,
        median_hours_from_previous: median === null ? null : round(Number(median), 2),
      };
    });
  const weeks = Array.from({ length: options.weeks }, (_, index) => dateLabel(new Date(firstWeek.getTime() + index * 7 * DAY_MS)));
  return {
    weeks: options.weeks,
    from_week: weeks[0] as string,
    to_week: weeks[weeks.length - 1] as string,
    steps: [...FUNNEL_STEPS],
    cohorts: weeks.map((week) => ({ week, steps: stepsOf(week) })),
    total: { steps: stepsOf('total') },
  };
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

