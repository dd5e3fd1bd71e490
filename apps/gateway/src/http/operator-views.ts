/**
 * The answers of the operators' founder routes (`operator-founders.ts`) as the API document describes them, in
 * zod, in the public dialect. The owners' parts reuse the founders' own schemas (responses.ts): an operator sees a
 * founder's calls, Dream DNA, domains and payments as the founder does.
 */
import { z } from 'zod';
import { FOUNDER_ATTENTION_KINDS, QUEUE_NAMES } from '@dreamseed/contracts';
import { businessFormationData, users } from '../db/schema';
import { OPERATOR_ACTIONS, actionBody, type OperatorActionName } from '../operator/actions';
import { Analysis, Call, DomainSearch, DomainSelection, DreamDna, Payment, PlannedCall, Subscription } from './responses';
import { rowSchema } from './rows';

const isoTime = z.iso.datetime({ offset: true });
const uuid = z.uuid();
const nextCursor = z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last' });

export const FounderListItem = z
  .object({
    user_id: uuid,
    customer_name: z.string().nullable(),
    customer_email: z.string().nullable(),
    customer_phone: z.string().nullable(),
    business_name: z.string().nullable(),
    status: z.string(),
    current_call_stage: z.number().int(),
    payment_status: z.string(),
    created_at: isoTime,
    deleted_at: isoTime.nullable(),
  })
  .openapi('FounderListItem');
export const foundersAnswer = z.object({ founders: z.array(FounderListItem), next_cursor: nextCursor });

export const AuditEntry = z
  .object({
    id: uuid,
    operator_id: uuid.openapi({ description: 'The operator (auth user id); the nil UUID for the Basic admin credentials' }),
    operator_email: z.string().nullable(),
    action: z.string().openapi({ description: 'read_file, read_transcript, rerun_analysis, reschedule_call, cancel_call, resend_mail, refund, retry_job, discard_job, retry_failed_jobs' }),
    user_id: uuid.nullable(),
    target: z.string().nullable().openapi({ description: 'What it was on beyond the founder: a call id, a payment id, queue/job' }),
    reason: z.string().nullable(),
    params: z.record(z.string(), z.unknown()).openapi({ description: "The action's params and what it answered" }),
    outcome: z.enum(['done', 'accepted', 'refused', 'failed']),
    code: z.string().nullable().openapi({ description: "A refusal's or failure's code" }),
    created_at: isoTime,
  })
  .openapi('AuditEntry');
export const auditAnswer = z.object({ entries: z.array(AuditEntry), next_cursor: nextCursor });

const unavailable = z
  .object({ status: z.literal('unavailable'), code: z.string(), message: z.string() })
  .openapi('UnavailableSection', { description: 'This part could not be read now (its service is down, late or refused); the rest of the file stands' });
const section = <T extends z.ZodRawShape>(name: string, shape: T) =>
  z.discriminatedUnion('status', [z.object({ status: z.literal('ok'), ...shape }), unavailable]).openapi(name);

export const FounderFile = z
  .object({
    user_id: uuid,
    profile: rowSchema(users).openapi({ description: 'The profile (core.users), as GET /v1/me shows it' }),
    formation: rowSchema(businessFormationData).nullable(),
    account: z
      .object({
        id: uuid,
        email: z.string().nullable(),
        phone: z.string().nullable(),
        email_confirmed: z.boolean(),
        email_confirmed_at: isoTime.nullable(),
        last_sign_in_at: isoTime.nullable(),
        banned: z.boolean(),
        banned_until: isoTime.nullable(),
        created_at: isoTime,
        deleted_at: isoTime.nullable(),
      })
      .nullable()
      .openapi({ description: 'The sign-in account (never its password hash or tokens)' }),
    attention: z.array(z.object({ kind: z.enum(FOUNDER_ATTENTION_KINDS), detail: z.string().nullable(), raised_at: isoTime.nullable(), occurred_at: isoTime })).openapi({
      description: 'What the services flagged for an operator and have not cleared',
    }),
    failed_jobs: section('FounderFailedJobs', {
      jobs: z.array(
        z.object({ queue: z.enum(QUEUE_NAMES), id: z.string(), name: z.string(), failed_reason: z.string(), attempts_made: z.number().int(), failed_at: isoTime.nullable() }),
      ),
    }),
    calls: section('FounderCalls', { calls: z.array(Call), planned: z.array(PlannedCall) }),
    dream_dna: section('FounderDreamDna', { versions: z.array(DreamDna), analyses: z.array(Analysis) }),
    domains: section('FounderDomains', { selections: z.array(DomainSelection), searches: z.array(DomainSearch) }),
    billing: section('FounderBilling', { payments: z.array(Payment), subscription: Subscription.nullable() }),
    audit: z.array(AuditEntry).openapi({ description: 'The newest audit entries about this founder (this read among them); more in GET /admin/api/audit?user_id=' }),
  })
  .openapi('FounderFile');

export const transcriptRequest = z
  .object({ reason: z.string().trim().min(3, 'say why, in at least 3 characters').max(500) })
  .strict()
  .openapi('TranscriptRequest', { example: { reason: 'The founder says the analysis misheard their business name.' } });

const EXAMPLES: Record<OperatorActionName, Record<string, unknown>> = {
  'rerun-analysis': { reason: 'The provider failed yesterday; the founder asked for a fresh analysis.' },
  'reschedule-call': { reason: 'The founder asked by mail for a later call.', at: '2030-06-01T15:00:00.000Z' },
  'cancel-call': { reason: 'The founder is travelling and asked us to hold the calls.' },
  'resend-mail': { reason: 'The first confirmation mail went to spam.', kind: 'confirmation' },
  refund: { reason: 'Charged twice for the same package.', payment_id: '1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b', amount: 4900 },
};

/** An action's body, named for the document. */
export const actionRequest = (name: OperatorActionName) =>
  actionBody(name).openapi(`${pascal(name)}Request`, { example: EXAMPLES[name] });

/** What each action answers besides its params, when accepted. */
const ANSWERS: Record<OperatorActionName, z.ZodRawShape> = {
  'rerun-analysis': { request_id: uuid.openapi({ description: 'The run: it shows among the analyses with this id' }) },
  'reschedule-call': { call_stage: z.number().int(), at: isoTime },
  'cancel-call': {},
  'resend-mail': { kind: z.enum(['confirmation', 'recovery']) },
  refund: { payment_id: uuid, amount: z.number().int().openapi({ description: 'Minor units of `currency`' }), currency: z.string().regex(/^[a-z]{3}$/), request_id: uuid },
};

/** The 202 of an action: the command is on its owner's queue (or, for a mail, in the outbox). */
export const actionAccepted = (name: OperatorActionName) =>
  OPERATOR_ACTIONS[name].params
    .extend({ action: z.literal(name), status: z.literal('accepted'), audit_id: uuid, ...ANSWERS[name] })
    .openapi(`${pascal(name)}Accepted`);

const pascal = (name: string) => name.replace(/(^|-)(\w)/g, (_part, _dash, letter: string) => letter.toUpperCase());
