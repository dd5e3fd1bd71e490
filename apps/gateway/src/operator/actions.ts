import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Request } from 'express';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { INTERNAL_PATHS, type OperatorBillingView, type OperatorCallsView, type OperatorDreamDnaView } from '@dreamseed/contracts';
import { AppError, badRequest, notFound, summarizeIssues, uuidFrom, type JobProducer } from '@dreamseed/platform';
import type { AuthService } from '../auth/service';
import type { GatewayConfig } from '../config';
import type { GatewayDb } from '../db/client';
import { authUsers, users } from '../db/schema';
import { ownerPath, readFromOwner } from '../http/owners';
import { operatorOf } from '../http/operator-guard';
import { acceptedWithKey, claimAudit, outcomeOf, recordAudit, settleAudit, type AuditRow } from './audit';

/**
 * What an operator may do for a founder (`POST /admin/api/founders/{id}/actions/<name>`). Each is a command to the
 * queue of the service that owns the data (or the gateway's own auth mail flow), never a write to another owner's
 * tables; each checks the state first and refuses with a code when it does not allow it (the owner's handler
 * checks again when it runs); each leaves an audit entry whatever comes of it.
 */

export interface ActionDeps {
  db: GatewayDb;
  producer: JobProducer;
  auth: AuthService;
  config: Pick<GatewayConfig, 'VOICE_SERVICE_URL' | 'ANALYSIS_SERVICE_URL' | 'BILLING_SERVICE_URL' | 'INTERNAL_API_SECRET'>;
}

type Profile = typeof users.$inferSelect;

interface ActionContext {
  deps: ActionDeps;
  /** The operator's request: its token goes to the owners' reads, its address to the auth limits. */
  req: Request;
  profile: Profile;
  reason: string;
  /** The command's id: from the operator, the action and the Idempotency-Key when given, so that a retry is the same command. */
  requestId: string;
}

/** Sends the checked command; answers what the operator is told besides `action`, `status` and `audit_id`. */
type Command = () => Promise<Record<string, unknown>>;

interface ActionDefinition<S extends z.ZodObject = z.ZodObject> {
  /** What the action takes besides `reason`, in the API's snake_case. */
  params: S;
  /** What the action is on beyond the founder, for the audit log. */
  target?: (params: z.output<S>) => string;
  /** Checks the state (throwing the refusal), then gives the command to send. */
  prepare: (context: ActionContext, params: z.output<S>) => Promise<Command>;
}

const define = <S extends z.ZodObject>(definition: ActionDefinition<S>) => definition as unknown as ActionDefinition;

/** A check that does not allow the action: 409 with the code. */
const refuse = (code: string, message: string) => new AppError(409, code, message);

/** How far back `at` may lie, as the founder's own route allows: clocks differ a little. */
const PAST_TOLERANCE_MS = 60_000;

const ownerOptions = (deps: ActionDeps) => ({ internalSecret: deps.config.INTERNAL_API_SECRET });

const callsDone = (profile: Profile) => [profile.call1Completed, profile.call2Completed, profile.call3Completed, profile.call4Completed].some(Boolean);

function stillHere(profile: Profile) {
  if (profile.deletedAt) throw refuse('founder_deleted', 'This founder deleted their account.');
}

function stageToCall(profile: Profile): number {
  stillHere(profile);
  if (profile.currentCallStage > 4) throw refuse('consultation_complete', 'All four consultation calls are done.');
  return profile.currentCallStage;
}

export const OPERATOR_ACTIONS = {
  'rerun-analysis': define({
    params: z.object({}),
    async prepare({ deps, req, profile, requestId }) {
      stillHere(profile);
      // An assessment always starts a run, so a founder with no completed call and no run has nothing to analyse.
      if (!callsDone(profile)) {
        const path = ownerPath(INTERNAL_PATHS.analysis.operatorDreamDna, { userId: profile.id });
        const history = await readFromOwner<OperatorDreamDnaView>(deps.config.ANALYSIS_SERVICE_URL, path, req, ownerOptions(deps));
        if (!history.analyses.length && !history.versions.length) {
          throw refuse('nothing_to_analyse', 'This founder has no completed call and no assessment: there is nothing to analyse yet.');
        }
      }
      return async () => {
        // The founder's own route uses the same job id, so that their GET /v1/me/analyses/{id} shows the run queued.
        await deps.producer.enqueue('analysis', 'rerun-analysis', { v: 1, userId: profile.id, requestId }, { jobId: `rerun-${requestId}`, correlationId: req.correlationId });
        return { request_id: requestId };
      };
    },
  }),

  'reschedule-call': define({
    params: z.object({ at: z.iso.datetime({ offset: true }).transform((at) => new Date(at).toISOString()) }),
    async prepare({ deps, req, profile, requestId }, { at }) {
      if (Date.parse(at) < Date.now() - PAST_TOLERANCE_MS) throw badRequest('invalid_time', 'The time is in the past.');
      const stage = stageToCall(profile);
      return async () => {
        await deps.producer.enqueue(
          'voice',
          'schedule-next-call',
          { v: 1, userId: profile.id, callStage: stage, notBefore: at },
          { jobId: `operator-schedule-${requestId}`, correlationId: req.correlationId },
        );
        return { call_stage: stage, at };
      };
    },
  }),

  'cancel-call': define({
    params: z.object({}),
    async prepare({ deps, req, profile, requestId }) {
      stageToCall(profile);
      // The voice service's own list decides whether anything would change, so that an accepted cancel cancels.
      const path = ownerPath(INTERNAL_PATHS.voice.operatorCalls, { userId: profile.id });
      const { planned } = await readFromOwner<OperatorCallsView>(deps.config.VOICE_SERVICE_URL, path, req, ownerOptions(deps));
      if (!planned.some((call) => call.status === 'scheduled')) throw refuse('no_call_planned', 'No call is planned, so there is none to cancel.');
      return async () => {
        await deps.producer.enqueue('voice', 'cancel-next-call', { v: 1, userId: profile.id, requestId }, { jobId: `operator-cancel-${requestId}`, correlationId: req.correlationId });
        return {};
      };
    },
  }),

  'resend-mail': define({
    params: z.object({ kind: z.enum(['confirmation', 'recovery']) }),
    async prepare({ deps, req, profile }, { kind }) {
      const [account] = profile.authUserId ? await deps.db.select().from(authUsers).where(eq(authUsers.id, profile.authUserId)) : [];
      if (!account || account.deletedAt || profile.deletedAt) throw refuse('founder_deleted', 'This founder deleted their account.');
      if (!account.email) throw refuse('no_email', 'This account has no email address to write to.');
      if (kind === 'confirmation' && account.emailConfirmedAt) throw refuse('already_confirmed', 'This email address is confirmed already.');
      const email = account.email;
      // The founder's own flows (POST /auth/v1/resend and /recover): the same limits, one-time tokens and outbox.
      const client = { ip: req.ip ?? 'unknown', userAgent: req.get('user-agent'), correlationId: req.correlationId };
      return async () => {
        if (kind === 'confirmation') await deps.auth.resend('signup', email, client);
        else await deps.auth.recover(email, client);
        return { kind };
      };
    },
  }),

  refund: define({
    params: z.object({ payment_id: z.uuid().transform((id) => id.toLowerCase()), amount: z.number().int().positive().optional() }),
    target: ({ payment_id }) => payment_id,
    async prepare({ deps, req, profile, reason, requestId }, { payment_id, amount }) {
      const path = ownerPath(INTERNAL_PATHS.billing.operatorBilling, { userId: profile.id });
      const { payments } = await readFromOwner<OperatorBillingView>(deps.config.BILLING_SERVICE_URL, path, req, ownerOptions(deps));
      const payment = payments.find((candidate) => candidate.id === payment_id);
      if (!payment) throw refuse('payment_not_found', "This founder has no such payment.");
      if (payment.status !== 'paid' && payment.status !== 'partially_refunded') throw refuse('payment_not_refundable', `The payment is ${payment.status}: only paid payments are refunded.`);
      const left = payment.amountMinor - (payment.amountRefundedMinor ?? 0);
      if (left <= 0) throw refuse('payment_refunded', 'The payment is wholly refunded already.');
      if (amount !== undefined && amount > left) throw refuse('refund_too_large', `At most ${left} (minor units of ${payment.currency}) is left to refund.`);
      const refunded = amount ?? left;
      return async () => {
        await deps.producer.enqueue(
          'billing',
          'refund-payment',
          { v: 1, userId: profile.id, paymentId: payment.id, amount: refunded, requestId, reason },
          { jobId: `refund-${requestId}`, correlationId: req.correlationId },
        );
        return { payment_id: payment.id, amount: refunded, currency: payment.currency, request_id: requestId };
      };
    },
  }),
} satisfies Record<string, ActionDefinition>;

export type OperatorActionName = keyof typeof OPERATOR_ACTIONS;
export const OPERATOR_ACTION_NAMES = Object.keys(OPERATOR_ACTIONS) as OperatorActionName[];

export const reason = z.string().trim().min(3, 'say why, in at least 3 characters').max(500);

/** An action's whole body: `reason` and its own params. */
export const actionBody = (name: OperatorActionName) => OPERATOR_ACTIONS[name].params.extend({ reason }).strict();

/** The audit log's name of an action (`rerun_analysis`), as the log names reads (`read_file`). */
const auditName = (name: OperatorActionName) => name.replace(/-/g, '_');

/**
 * Runs an action for the founder `userId`, as `POST …/actions/<name>` asks: the answer (202) or the error to throw.
 * The same operator, action and Idempotency-Key answer the first accepted answer again and do nothing: the key is
 * claimed by the audit entry (see `claimAudit`) in the transaction that sends the command, so that a double click
 * waits for the first and then answers what it did. The checks run before, outside it: they ask owners, and a
 * transaction held across those calls would hold a connection for as long; the command itself is a queue add (or
 * the auth mail flow's own short transaction). A refusal or failure lets go of the key, so that the same key may
 * try again once the state allows it.
 */
export async function performAction(deps: ActionDeps, req: Request, name: OperatorActionName, userId: string): Promise<Record<string, unknown>> {
  const operator = operatorOf(req);
  const action = auditName(name);
  const entry = { actor: operator, action, userId };
  const given = (req.body as { reason?: unknown } | undefined)?.reason;
  const refused = async (error: AppError, more: { params?: Record<string, unknown>; target?: string } = {}) => {
    await recordAudit(deps.db, { ...entry, ...more, reason: typeof given === 'string' ? given : null, outcome: 'refused', code: error.code });
    return error;
  };

  const key = req.get('idempotency-key');
  if (key !== undefined && (key.length < 1 || key.length > 200)) {
    throw await refused(badRequest('invalid_idempotency_key', 'Idempotency-Key must be 1 to 200 characters.'));
  }
  const body = actionBody(name).safeParse(req.body ?? {});
  if (!body.success) throw await refused(badRequest('validation_failed', 'The request is not valid.', summarizeIssues(body.error.issues)));
  const { reason: why, ...params } = body.data as { reason: string } & Record<string, unknown>;
  const definition: ActionDefinition = OPERATOR_ACTIONS[name];
  const target = definition.target?.(params);

  const answer = (auditId: string, stored: Record<string, unknown>) => ({ action: name, status: 'accepted', audit_id: auditId, ...stored });
  /** The first accepted answer for this key, if there is one; the same key with other params is the client's mistake. */
  const replay = async (existing: AuditRow | undefined) => {
    if (!existing) return undefined;
    const stored = existing.params as Record<string, unknown>;
    if (!Object.entries(params).every(([field, value]) => isDeepStrictEqual(stored[field], value))) {
      throw await refused(new AppError(422, 'idempotency_key_reused', 'This Idempotency-Key was used for this action with other params; use a new key.'), { params, target });
    }
    return answer(existing.id, stored);
  };
  const earlier = key ? await replay(await acceptedWithKey(deps.db, entry, key)) : undefined;
  if (earlier) return earlier;

  const [profile] = await deps.db.select().from(users).where(eq(users.id, userId));
  if (!profile) throw await refused(notFound('No founder has this id.'), { params, target });
  const requestId = key ? uuidFrom(operator.id, name, key) : randomUUID();
  let command: Command;
  try {
    command = await definition.prepare({ deps, req, profile, reason: why, requestId }, params);
  } catch (error) {
    await recordAudit(deps.db, { ...entry, reason: why, params, target, ...outcomeOf(error) });
    throw error;
  }

  const outcome = await deps.db.transaction(async (tx) => {
    const claim = await claimAudit(tx, { ...entry, reason: why, params, target, outcome: 'accepted', idempotencyKey: key ?? null });
    if (!claim.claimed) return { existing: claim.existing };
    try {
      const stored = { ...params, ...(await command()) };
      await settleAudit(tx, claim.id, 'accepted', { params: stored });
      return { auditId: claim.id, stored };
    } catch (error) {
      const { outcome: result, code } = outcomeOf(error);
      await settleAudit(tx, claim.id, result, { code });
      return { error };
    }
  });
  if ('error' in outcome) throw outcome.error;
  if ('existing' in outcome) return (await replay(outcome.existing)) as Record<string, unknown>;
  return answer(outcome.auditId, outcome.stored);
}
