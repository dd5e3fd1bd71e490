import express, { type Router } from 'express';
import { z } from 'zod';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '@dreamseed/platform';
import { FUNNEL_STEPS, FUNNEL_WEEKS_DEFAULT, FUNNEL_WEEKS_MAX, funnelOf, type Funnel } from '../operator/funnel';
import { IDLE_DAYS_DEFAULT, IDLE_DAYS_MAX, STUCK_REASONS, stuckFounders, type StuckPage } from '../operator/stuck';
import type { OperatorDeps } from './operator';
import { describeRoutes } from './openapi';

const isoTime = z.iso.datetime({ offset: true });
const weekLabel = z.iso.date().openapi({ description: 'The Monday (UTC) that starts an ISO week', example: '2026-11-30' });

const funnelQuery = z
  .object({
    weeks: z.coerce.number().int().min(1).max(FUNNEL_WEEKS_MAX).default(FUNNEL_WEEKS_DEFAULT).openapi({ description: `Sign-up weeks shown (default ${FUNNEL_WEEKS_DEFAULT})` }),
    until: z.iso.date().optional().openapi({ description: 'A day of the last week shown (default today, UTC)' }),
  })
  .strict();

const stuckQuery = z
  .object({
    idle_days: z.coerce.number().int().min(1).max(IDLE_DAYS_MAX).default(IDLE_DAYS_DEFAULT).openapi({ description: `Days without a step that make a founder idle (default ${IDLE_DAYS_DEFAULT})` }),
    limit: z.coerce.number().int().min(1).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT).openapi({ description: `Founders on the page (default ${PAGE_LIMIT_DEFAULT})` }),
    cursor: z.string().max(200).optional().openapi({ description: "The page before's next_cursor; opaque" }),
  })
  .strict();

const FunnelStepFigures = z
  .object({
    step: z.enum(FUNNEL_STEPS),
    count: z.number().int().openapi({ description: 'Founders of the cohort who reached the step' }),
    conversion: z.number().min(0).max(1).nullable().openapi({ description: 'count over the previous step\'s count; null for the first step or when the previous is 0' }),
    median_hours_from_previous: z.number().nullable().openapi({ description: 'Median hours from the previous step, of those who reached this one; null when no one did' }),
  })
  .openapi('OperatorFunnelStep');

export const OperatorFunnel = z
  .object({
    weeks: z.number().int(),
    from_week: weekLabel,
    to_week: weekLabel,
    steps: z.array(z.enum(FUNNEL_STEPS)),
    cohorts: z.array(z.object({ week: weekLabel, steps: z.array(FunnelStepFigures) })).openapi({ description: 'One per sign-up week, oldest first' }),
    total: z.object({ steps: z.array(FunnelStepFigures) }).openapi({ description: 'All the weeks shown together' }),
  })
  .openapi('OperatorFunnel');

const StuckReason = z
  .object({ code: z.enum(STUCK_REASONS), detail: z.string().nullable(), since: isoTime })
  .openapi('OperatorStuckReason');

export const OperatorStuckFounders = z
  .object({
    idle_days: z.number().int(),
    total: z.number().int().openapi({ description: 'Founders who need an operator, all pages together' }),
    founders: z.array(
      z
        .object({
          user_id: z.uuid(),
          email: z.string().nullable(),
          name: z.string().nullable(),
          business_name: z.string().nullable(),
          status: z.string(),
          call_stage: z.number().int().openapi({ description: "The next call's stage (1-4), 5 when all four are done" }),
          next_call_at: isoTime.nullable(),
          last_step_at: isoTime,
          since: isoTime.openapi({ description: 'The oldest reason\'s since' }),
          reasons: z.array(StuckReason),
        })
        .openapi('OperatorStuckFounder'),
    ),
    next_cursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last' }),
  })
  .openapi('OperatorStuckFounders');

/** Compiles only when every answer the module builds is one its schema accepts. */
type Describes<Schema extends z.ZodType, Answer extends z.input<Schema>> = [Schema, Answer];
// A field renamed or retyped on either side fails here, before any test runs.
export type AnswersDescribed = [Describes<typeof OperatorFunnel, Funnel>, Describes<typeof OperatorStuckFounders, StuckPage>];

describeRoutes(
  'operators',
  [
    [
      'get',
      '/admin/api/funnel',
      'The funnel by sign-up week: founders of each cohort at each step (registered, calls 1-4, Dream DNA, domain, paid), conversion and median hours from the step before',
      undefined,
      {
        query: funnelQuery,
        responses: { 200: OperatorFunnel },
        description:
          'Steps count in order: a step is reached once the one before it is, at its own time or the previous step\'s if done earlier. The Dream DNA step is the first analysis after the fourth call; paid is a charge (payment_date; for a renewed subscription the latest one). Deleted profiles and operators are left out.',
      },
    ],
    [
      'get',
      '/admin/api/stuck',
      'Founders who need an operator, oldest first, each once with its reasons: idle, analysis_failed, outbound_call_failed, outbound_call_unanswered, failed_job',
      undefined,
      {
        query: stuckQuery,
        responses: { 200: OperatorStuckFounders },
        description:
          'Idle: no step (sign-up, call, Dream DNA, domain, payment) for idle_days, the journey not over (not paid, formed or archived) and no call planned ahead. The others are what an owner flagged and has not cleared, and failed jobs that name the founder.',
      },
    ],
  ],
  { bearer: true, responses: { 403: 'Not an operator (not_operator)', 503: 'Postgres or Redis could not answer (Retry-After)' } },
);

/** The operators' view of the whole platform: the funnel and the founders who need someone. */
export function operatorInsightsRouter({ db, producer }: OperatorDeps): Router {
  const router = express.Router();

  router.get('/funnel', async (req, res) => {
    const query = funnelQuery.parse(req.query);
    res.json(await funnelOf(db, { weeks: query.weeks, until: query.until ? new Date(`${query.until}T00:00:00Z`) : new Date() }));
  });

  router.get('/stuck', async (req, res) => {
    const query = stuckQuery.parse(req.query);
    res.json(await stuckFounders(db, producer, { idleDays: query.idle_days, limit: query.limit, cursor: query.cursor }));
  });

  return router;
}
