import type { components } from '@dreamseed/api-client';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { PAGE, usePages } from '../../api/queries';

type Schemas = components['schemas'];
export type FounderFile = Schemas['FounderFile'];
export type FounderListItem = Schemas['FounderListItem'];
export type AuditEntry = Schemas['AuditEntry'];
export type OperatorFunnel = Schemas['OperatorFunnel'];
export type FunnelStepFigures = Schemas['OperatorFunnelStep'];
export type StuckFounder = Schemas['OperatorStuckFounder'];
export type QueueCounts = Schemas['QueueCounts'];
export type QueueName = QueueCounts['name'];
export type Transcript = Schemas['Transcript'];

/** A part of the file another service answers: its rows, or why it cannot be read now. */
export type Unavailable = Schemas['UnavailableSection'];
export type OwnerSection<K extends 'failed_jobs' | 'calls' | 'dream_dna' | 'domains' | 'billing'> = FounderFile[K];
export type Ready<S> = Exclude<S, Unavailable>;
export type FileFailedJob = Ready<FounderFile['failed_jobs']>['jobs'][number];

/** Every key under this one is the staff side's, so that signing out clears it with the rest. */
const OPERATOR = 'operator';

export const useFunnel = (weeks: number) =>
  useQuery({ queryKey: [OPERATOR, 'funnel', weeks], queryFn: () => unwrap(api.GET('/admin/api/funnel', { params: { query: { weeks } } })) });

export const useStuck = (idleDays: number) =>
  usePages([OPERATOR, 'stuck', String(idleDays)], (cursor) =>
    unwrap(api.GET('/admin/api/stuck', { params: { query: { idle_days: idleDays, limit: PAGE, cursor } } })),
  );

export const useFounderSearch = (q: string) =>
  usePages([OPERATOR, 'founders', q], (cursor) => unwrap(api.GET('/admin/api/founders', { params: { query: { q: q || undefined, limit: PAGE, cursor } } })));

export const founderFileKey = (id: string) => [OPERATOR, 'founder', id];

/**
 * The founder's file. Every read of it is an audit entry (read_file), so it is read each time the page opens, after
 * a job command, and every few seconds while an action's result is awaited (`pollMs`), never on a mere change of
 * focus or connection.
 */
export const useFounderFile = (id: string, pollMs: number | false) =>
  useQuery({
    queryKey: founderFileKey(id),
    queryFn: () => unwrap(api.GET('/admin/api/founders/{id}', { params: { path: { id } } })),
    refetchInterval: pollMs,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    staleTime: 0,
  });

export const useAudit = (userId?: string) =>
  usePages([OPERATOR, 'audit', userId ?? ''], (cursor) => unwrap(api.GET('/admin/api/audit', { params: { query: { user_id: userId, limit: PAGE, cursor } } })));

export const useQueues = () => useQuery({ queryKey: [OPERATOR, 'queues'], queryFn: () => unwrap(api.GET('/admin/api/queues')) });

/** A queue's failed jobs, newest first; this list pages by offset, "Show more" asking for the rows after those shown. */
export const useFailedJobs = (queue: QueueName) =>
  useInfiniteQuery({
    queryKey: [OPERATOR, 'failed', queue],
    queryFn: ({ pageParam }) => unwrap(api.GET('/admin/api/queues/{queue}/failed', { params: { path: { queue }, query: { limit: PAGE, offset: pageParam } } })),
    initialPageParam: 0,
    getNextPageParam: (last) => (last.offset + last.jobs.length < last.total ? last.offset + last.jobs.length : undefined),
  });

export const readTranscript = (founderId: string, callId: string, reason: string) =>
  unwrap(api.POST('/admin/api/founders/{id}/calls/{callId}/transcript', { params: { path: { id: founderId, callId } }, body: { reason } }));

export type JobCommand = 'retry' | 'discard';

export function commandJob(queue: QueueName, jobId: string, command: JobCommand, reason?: string): Promise<{ audit_id: string }> {
  const options = { params: { path: { queue, id: jobId } }, body: reason ? { reason } : {} };
  return command === 'retry'
    ? unwrap(api.POST('/admin/api/queues/{queue}/jobs/{id}/retry', options))
    : unwrap(api.POST('/admin/api/queues/{queue}/jobs/{id}/discard', options));
}

/**
 * Sets the cookie that opens the queue dashboard (/admin/queues) in this browser, for as long as the current access
 * token lives; posted again when the token is refreshed (see `keepDashboardOpen`).
 */
export const openDashboardSession = () => unwrap(api.POST('/admin/api/session'));

/** What each action on a founder takes besides the founder, and what its 202 says. */
export interface ActionBodies {
  'rerun-analysis': Schemas['RerunAnalysisRequest'];
  'reschedule-call': Schemas['RescheduleCallRequest'];
  'cancel-call': Schemas['CancelCallRequest'];
  'resend-mail': Schemas['ResendMailRequest'];
  refund: Schemas['RefundRequest'];
}
export interface ActionAnswers {
  'rerun-analysis': Schemas['RerunAnalysisAccepted'];
  'reschedule-call': Schemas['RescheduleCallAccepted'];
  'cancel-call': Schemas['CancelCallAccepted'];
  'resend-mail': Schemas['ResendMailAccepted'];
  refund: Schemas['RefundAccepted'];
}
export type ActionName = keyof ActionBodies;

type Params = { path: { id: string }; header: { 'idempotency-key': string } };
const ACTIONS: { [N in ActionName]: (params: Params, body: ActionBodies[N]) => Promise<ActionAnswers[N]> } = {
  'rerun-analysis': (params, body) => unwrap(api.POST('/admin/api/founders/{id}/actions/rerun-analysis', { params, body })),
  'reschedule-call': (params, body) => unwrap(api.POST('/admin/api/founders/{id}/actions/reschedule-call', { params, body })),
  'cancel-call': (params, body) => unwrap(api.POST('/admin/api/founders/{id}/actions/cancel-call', { params, body })),
  'resend-mail': (params, body) => unwrap(api.POST('/admin/api/founders/{id}/actions/resend-mail', { params, body })),
  refund: (params, body) => unwrap(api.POST('/admin/api/founders/{id}/actions/refund', { params, body })),
};

/** One action for a founder, sent with the key of the operator's intent (the same key is the same request). */
export function sendAction<N extends ActionName>(name: N, founderId: string, body: ActionBodies[N], idempotencyKey: string): Promise<ActionAnswers[N]> {
  const send = ACTIONS[name] as (params: Params, body: ActionBodies[N]) => Promise<ActionAnswers[N]>;
  return send({ path: { id: founderId }, header: { 'idempotency-key': idempotencyKey } }, body);
}
