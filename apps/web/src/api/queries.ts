import type { components } from '@dreamseed/api-client';
import { useQuery } from '@tanstack/react-query';
import { ApiError } from './errors';
import { api, pathWithId, unwrap } from './client';

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

export const useCalls = () => useQuery({ queryKey: ['calls'], queryFn: () => unwrap(api.GET('/v1/me/calls', { params: { query: { limit: 20 } } })) });

export const useTranscript = (id: string) =>
  useQuery({ queryKey: ['transcript', id], queryFn: () => unwrap(api.GET(pathWithId('/v1/me/calls/{id}/transcript', id))) });

export const useDreamDna = () =>
  useQuery({ queryKey: ['dream-dna'], queryFn: () => orNone(unwrap(api.GET('/v1/me/dream-dna')), 'dream_dna_not_ready') });

export const useDreamDnaVersions = () =>
  useQuery({ queryKey: ['dream-dna-versions'], queryFn: () => unwrap(api.GET('/v1/me/dream-dna/versions', { params: { query: { limit: 20 } } })) });

export const useAssessmentCatalog = () =>
  useQuery({ queryKey: ['assessment-catalog'], queryFn: () => unwrap(api.GET('/v1/me/assessments/catalog')), staleTime: 60 * 60_000 });

export const useAssessments = () =>
  useQuery({ queryKey: ['assessments'], queryFn: () => unwrap(api.GET('/v1/me/assessments', { params: { query: { limit: 5 } } })) });

export const useDomainSelection = () =>
  useQuery({ queryKey: ['domain-selection'], queryFn: () => orNone(unwrap(api.GET('/v1/domains/selections/current')), 'no_domain_selected') });

export const usePackages = () =>
  useQuery({ queryKey: ['packages'], queryFn: () => unwrap(api.GET('/v1/billing/packages')), staleTime: 10 * 60_000 });

export const usePayments = () =>
  useQuery({ queryKey: ['payments'], queryFn: () => unwrap(api.GET('/v1/billing/payments', { params: { query: { limit: 20 } } })) });

export const useSubscription = () => useQuery({ queryKey: ['subscription'], queryFn: () => unwrap(api.GET('/v1/billing/subscription')) });
