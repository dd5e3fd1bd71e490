import type { components } from '@dreamseed/api-client';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { ApiError } from './errors';
import { api, unwrap } from './client';

export type Profile = components['schemas']['Profile'];
export type Call = components['schemas']['Call'];
export type PlannedCall = components['schemas']['PlannedCall'];
export type DreamDna = components['schemas']['DreamDna'];
export type DomainSearch = components['schemas']['DomainSearch'];
export type DomainCandidate = components['schemas']['DomainCandidate'];
export type DomainSelection = components['schemas']['DomainSelection'];
export type BillingPackage = components['schemas']['BillingPackage'];
export type Payment = components['schemas']['Payment'];
export type Subscription = components['schemas']['Subscription'];
export type AssessmentCatalog = components['schemas']['AssessmentCatalog'];
export type Analysis = components['schemas']['Analysis'];
export type FormationDetails = components['schemas']['FormationDetails'];
export type Formation = components['schemas']['Formation'];
export type WebCall = components['schemas']['WebCall'];
export type FormationCase = components['schemas']['FormationCase'];
export type FormationCaseState = FormationCase['state'];
export type FormationCaseEvent = components['schemas']['FormationCaseEvent'];
export type FormationDocument = components['schemas']['FormationDocument'];
export type FormationDomain = NonNullable<FormationCase['domain']>;
export type DomainAgreements = components['schemas']['DomainAgreements'];
export type DomainAgreement = DomainAgreements['agreements'][number];
export type MissingIntakeItem = components['schemas']['MissingIntakeItem'];

/** A 404 with this code means "none yet", which pages show as an empty state, not as an error. */
async function orNone<T>(pending: Promise<T>, code: string): Promise<T | null> {
  try {
    return await pending;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && error.code === code) return null;
    throw error;
  }
}

export const useProfile = () => useQuery({ queryKey: ['me'], queryFn: () => unwrap(api.GET('/v1/me')) });

/**
 * A list the API pages with `next_cursor` (docs/api.md, Lists): the first page, then each "Show more" asks for
 * the page after the last one loaded. Marked stale, every loaded page is read again from the first cursor on.
 */
export function usePages<Page extends { next_cursor: string | null }>(queryKey: string[], read: (cursor: string | undefined) => Promise<Page>) {
  return useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => read(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export const PAGE = 20;

export const useCalls = () => usePages(['calls'], (cursor) => unwrap(api.GET('/v1/me/calls', { params: { query: { limit: PAGE, cursor } } })));

export const useTranscript = (id: string) =>
  useQuery({ queryKey: ['transcript', id], queryFn: () => unwrap(api.GET('/v1/me/calls/{id}/transcript', { params: { path: { id } } })) });

export const useDreamDna = () =>
  useQuery({ queryKey: ['dream-dna'], queryFn: () => orNone(unwrap(api.GET('/v1/me/dream-dna')), 'dream_dna_not_ready') });

export const useDreamDnaVersions = () =>
  usePages(['dream-dna-versions'], (cursor) => unwrap(api.GET('/v1/me/dream-dna/versions', { params: { query: { limit: PAGE, cursor } } })));

export const useAnalyses = () => usePages(['analyses'], (cursor) => unwrap(api.GET('/v1/me/analyses', { params: { query: { limit: PAGE, cursor } } })));

export const useAssessmentCatalog = () =>
  useQuery({ queryKey: ['assessment-catalog'], queryFn: () => unwrap(api.GET('/v1/me/assessments/catalog')), staleTime: 60 * 60_000 });

export const useAssessments = () =>
  useQuery({ queryKey: ['assessments'], queryFn: () => unwrap(api.GET('/v1/me/assessments', { params: { query: { limit: 5 } } })) });

export const useDomainSelection = () =>
  useQuery({ queryKey: ['domain-selection'], queryFn: () => orNone(unwrap(api.GET('/v1/domains/selections/current')), 'no_domain_selected') });

export const usePackages = () =>
  useQuery({ queryKey: ['packages'], queryFn: () => unwrap(api.GET('/v1/billing/packages')), staleTime: 10 * 60_000 });

export const usePayments = () => usePages(['payments'], (cursor) => unwrap(api.GET('/v1/billing/payments', { params: { query: { limit: PAGE, cursor } } })));

export const useSubscription = () => useQuery({ queryKey: ['subscription'], queryFn: () => unwrap(api.GET('/v1/billing/subscription')) });

export const useFormation = () => useQuery({ queryKey: ['formation'], queryFn: () => orNone(unwrap(api.GET('/v1/me/formation')), 'not_found') });

/** The founder's formation case, once a formation package is paid; null before (404 no_formation_case). */
export const useFormationCase = (enabled = true) =>
  useQuery({ queryKey: ['formation-case'], queryFn: () => orNone(unwrap(api.GET('/v1/me/formation/case')), 'no_formation_case'), enabled });

/** Every version of the case's documents, newest first (the case itself holds the current ones). */
export const useFormationDocuments = (enabled: boolean) =>
  useQuery({ queryKey: ['formation-documents'], queryFn: async () => (await unwrap(api.GET('/v1/me/formation/documents'))).documents, enabled });

/** The registrar's agreements for the domain the case registers, and when the founder agreed to them as they stand. */
export const useDomainAgreements = () =>
  useQuery({ queryKey: ['formation-domain-agreements'], queryFn: () => unwrap(api.GET('/v1/me/formation/domain/agreements')) });

/** One of the case's documents, as the PDF's bytes (a link cannot carry the founder's token). */
export const readFormationDocument = (id: string) => unwrap(api.GET('/v1/me/formation/documents/{id}', { params: { path: { id } }, parseAs: 'blob' }));
