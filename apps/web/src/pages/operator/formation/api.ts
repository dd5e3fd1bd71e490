import type { components } from '@dreamseed/api-client';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import { PAGE, usePages } from '../../../api/queries';

type Schemas = components['schemas'];
export type CaseState = Schemas['FormationCase']['state'];
export type QueueItem = Schemas['FormationQueueItem'];
export type CaseFile = Schemas['FormationCaseFile'];
export type StaffEvent = Schemas['FormationCaseEventForStaff'];
export type SlaFigures = Schemas['FormationSla']['states'][number];
export type CaseDocument = Schemas['FormationDocument'];

/** Under the operator pages' key, so that signing out clears it with the rest. */
const FORMATION = ['operator', 'formation'];

export interface QueueFilter {
  state?: CaseState;
  olderThanDays?: number;
}

export const useCaseQueue = ({ state, olderThanDays }: QueueFilter) =>
  usePages([...FORMATION, 'queue', state ?? '', String(olderThanDays ?? '')], (cursor) =>
    unwrap(api.GET('/admin/api/formation/cases', { params: { query: { state, older_than_days: olderThanDays, limit: PAGE, cursor } } })),
  );

export const useSla = (olderThanDays?: number) =>
  useQuery({ queryKey: [...FORMATION, 'sla', String(olderThanDays ?? '')], queryFn: () => unwrap(api.GET('/admin/api/formation/sla', { params: { query: { older_than_days: olderThanDays } } })) });

export const caseFileKey = (id: string) => [...FORMATION, 'case', id];

/** One case whole. Each read is an audit entry (read_file): read when the page opens and after an action, not on focus. */
export const useCaseFile = (id: string) =>
  useQuery({
    queryKey: caseFileKey(id),
    queryFn: () => unwrap(api.GET('/admin/api/formation/cases/{id}', { params: { path: { id } } })),
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    staleTime: 0,
  });

/** The queue and the figures change with any move: read again when next shown. */
export const formationListsKey = FORMATION;

export const readCaseDocument = (id: string, docId: string) =>
  unwrap(api.GET('/admin/api/formation/cases/{id}/documents/{docId}', { params: { path: { id, docId } }, parseAs: 'blob' }));

export interface CaseActionBodies {
  prepare: Schemas['FormationPrepareRequest'];
  advance: Schemas['FormationAdvanceRequest'];
  ask: Schemas['FormationAskRequest'];
  reject: Schemas['FormationRejectRequest'];
}
export type CaseActionName = keyof CaseActionBodies;
export type CaseActionDone = Schemas['FormationActionDone'];

type Params = { path: { id: string }; header: { 'idempotency-key': string } };
const ACTIONS: { [N in CaseActionName]: (params: Params, body: CaseActionBodies[N]) => Promise<CaseActionDone> } = {
  prepare: (params, body) => unwrap(api.POST('/admin/api/formation/cases/{id}/documents/prepare', { params, body })),
  advance: (params, body) => unwrap(api.POST('/admin/api/formation/cases/{id}/advance', { params, body })),
  ask: (params, body) => unwrap(api.POST('/admin/api/formation/cases/{id}/ask', { params, body })),
  reject: (params, body) => unwrap(api.POST('/admin/api/formation/cases/{id}/reject', { params, body })),
};

/** One move of a case, sent with the key of the operator's intent (the same key is the same request). */
export function sendCaseAction<N extends CaseActionName>(name: N, caseId: string, body: CaseActionBodies[N], idempotencyKey: string): Promise<CaseActionDone> {
  const send = ACTIONS[name] as (params: Params, body: CaseActionBodies[N]) => Promise<CaseActionDone>;
  return send({ path: { id: caseId }, header: { 'idempotency-key': idempotencyKey } }, body);
}

/** The case of a founder, for the link from their file: null when they have none. */
export async function findCaseOf(userId: string): Promise<string | null> {
  const { cases } = await unwrap(api.GET('/admin/api/formation/cases', { params: { query: { user_id: userId, limit: 1 } } }));
  return cases[0]?.case_id ?? null;
}

export const useCaseOf = (userId: string) => useQuery({ queryKey: [...FORMATION, 'of', userId], queryFn: () => findCaseOf(userId) });
