import { z } from 'zod';
import { FORMATION_CASE_STATES, FORMATION_DOMAIN_STATUSES } from '@dreamseed/contracts';
import type { DocumentInfo } from './documents-store';
import type { MissingItem } from './documents';
import { PREPARING_STATES, SLA_DAYS } from './machine';
import type { CaseEventRow, CaseRow } from './store';

/**
 * The formation case as the APIs show it, in the public dialect: the zod schemas the API document describes and
 * the functions that make them from rows. Founders and operators see the same case; operators also see who moved
 * it, their reasons, and the whole intake.
 */

const isoTime = z.iso.datetime({ offset: true });
const state = z.enum(FORMATION_CASE_STATES);
const DOCUMENT_KINDS = ['articles_of_organization', 'articles_of_incorporation', 'operating_agreement', 'bylaws'] as const;

export const MissingIntakeItem = z
  .object({
    field: z.string().openapi({ description: "The formation details' field, as PUT /v1/me/formation names it (`registered_agent.address.state`, `members.0.ownership_percent`)" }),
    message: z.string(),
  })
  .openapi('MissingIntakeItem');

export const FormationCaseEvent = z
  .object({
    id: z.uuid(),
    kind: z.enum(['opened', 'moved', 'package', 'documents', 'domain']),
    from_state: state.nullable(),
    to_state: state,
    actor_type: z.enum(['operator', 'founder', 'system']),
    at: isoTime,
    evidence: z.record(z.string(), z.unknown()).openapi({
      description: 'What the change rests on: filing_number, filed_at, approved_at, ein_last4, question, answer, state_reason, package_id, documents_version, domain, domain_status',
    }),
  })
  .openapi('FormationCaseEvent');

export const FormationCaseEventForStaff = FormationCaseEvent.extend({
  actor_id: z.uuid().nullable(),
  actor_email: z.string().nullable(),
  reason: z.string().nullable().openapi({ description: "The operator's reason (staff only)" }),
}).openapi('FormationCaseEventForStaff');

export const FormationDocument = z
  .object({
    id: z.uuid(),
    kind: z.enum(DOCUMENT_KINDS),
    version: z.number().int(),
    filename: z.string(),
    content_type: z.literal('application/pdf'),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    size_bytes: z.number().int(),
    created_at: isoTime,
    superseded_at: isoTime.nullable().openapi({ description: 'Set once a newer version replaced it; the current set has none' }),
  })
  .openapi('FormationDocument');

export const FormationDomain = z
  .object({
    domain: z.string().nullable(),
    status: z.enum(FORMATION_DOMAIN_STATUSES),
    expires_at: isoTime.nullable(),
    order_id: z.string().nullable(),
    reason: z.string().nullable().openapi({ description: "The registrar's reason when it failed" }),
  })
  .openapi('FormationDomain');

const caseFields = {
  id: z.uuid(),
  user_id: z.uuid(),
  state,
  package_id: z.string(),
  includes_domain: z.boolean(),
  entity_type: z.string().nullable(),
  state_of_formation: z.string().nullable(),
  filing_number: z.string().nullable(),
  state_reason: z.string().nullable().openapi({ description: "The state's reason, when it rejected the filing" }),
  ein: z.string().nullable().openapi({ description: 'The EIN, nine digits, once received' }),
  opened_at: isoTime,
  state_entered_at: isoTime,
  updated_at: isoTime,
  version: z.number().int().openapi({ description: 'Grows with every change of the case' }),
  todo: z
    .object({
      question: z.string().nullable().openapi({ description: 'The open question to the founder (answer with POST /v1/me/formation/case/answer)' }),
      asked_at: isoTime.nullable(),
      missing: z.array(MissingIntakeItem).openapi({ description: 'What the filing still needs in the formation details (PUT /v1/me/formation)' }),
    })
    .openapi({ description: 'What the founder must do' }),
  domain: FormationDomain.nullable().openapi({ description: "The package's domain and its registration; null when the package includes none" }),
};

export const FormationCase = z
  .object({ ...caseFields, events: z.array(FormationCaseEvent), documents: z.array(FormationDocument).openapi({ description: 'The current documents' }) })
  .openapi('FormationCase', {
    example: {
      id: '2f8b8a84-61f8-4a5e-9a39-0f1f0b1a5c21',
      user_id: '6f1c1f0e-2b1a-4c43-9d49-3c1f3f7f9a10',
      state: 'filed',
      package_id: 'formation_premium',
      includes_domain: true,
      entity_type: 'llc',
      state_of_formation: 'TX',
      filing_number: '805123456',
      state_reason: null,
      ein: null,
      opened_at: '2026-12-01T10:00:00.000Z',
      state_entered_at: '2026-12-03T15:20:00.000Z',
      updated_at: '2026-12-03T15:20:00.000Z',
      version: 6,
      todo: { question: null, asked_at: null, missing: [] },
      domain: { domain: 'adabakes.com', status: 'registered', expires_at: '2027-12-01T10:05:00.000Z', order_id: '1234567', reason: null },
      events: [],
      documents: [],
    },
  });

export const FormationDocuments = z.object({ documents: z.array(FormationDocument).openapi({ description: 'Every version, newest first' }) }).openapi('FormationDocuments');

export function eventView(row: CaseEventRow) {
  return {
    id: row.id,
    kind: row.kind as z.output<typeof FormationCaseEvent>['kind'],
    from_state: row.fromState as z.output<typeof state> | null,
    to_state: row.toState as z.output<typeof state>,
    actor_type: row.actorType as z.output<typeof FormationCaseEvent>['actor_type'],
    at: row.at.toISOString(),
    evidence: (row.evidence ?? {}) as Record<string, unknown>,
  };
}

export const staffEventView = (row: CaseEventRow) => ({ ...eventView(row), actor_id: row.actorId, actor_email: row.actorEmail, reason: row.reason });

export function documentView(row: DocumentInfo) {
  return {
    id: row.id,
    kind: row.kind as (typeof DOCUMENT_KINDS)[number],
    version: row.version,
    filename: row.filename,
    content_type: 'application/pdf' as const,
    sha256: row.sha256,
    size_bytes: row.sizeBytes,
    created_at: row.createdAt.toISOString(),
    superseded_at: row.supersededAt?.toISOString() ?? null,
  };
}

function domainView(row: CaseRow) {
  if (!row.includesDomain || !row.domainStatus) return null;
  return {
    domain: row.domain,
    status: row.domainStatus as (typeof FORMATION_DOMAIN_STATUSES)[number],
    expires_at: row.domainExpiresAt?.toISOString() ?? null,
    order_id: row.domainOrderId,
    reason: row.domainReason,
  };
}

/** The state a case works in: while a question is open, the one it returns to. */
const waitingIn = (row: CaseRow) => (row.state === 'needs_founder' ? (row.stateBeforeQuestion ?? 'intake_complete') : row.state) as z.output<typeof state>;

/** The case's own fields and what the founder must do. */
export function caseView(row: CaseRow, missing: MissingItem[]) {
  return {
    id: row.id,
    user_id: row.userId,
    state: row.state as z.output<typeof state>,
    package_id: row.packageId,
    includes_domain: row.includesDomain,
    entity_type: row.entityType,
    state_of_formation: row.stateOfFormation,
    filing_number: row.filingNumber,
    state_reason: row.stateReason,
    ein: row.ein,
    opened_at: row.openedAt.toISOString(),
    state_entered_at: row.stateEnteredAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    version: row.version,
    todo: {
      question: row.question,
      asked_at: row.questionAskedAt?.toISOString() ?? null,
      // Only the states before the filing wait on the intake; afterwards it is what was filed.
      missing: PREPARING_STATES.includes(waitingIn(row)) ? missing : [],
    },
    domain: domainView(row),
  };
}

/** How long the case has been in its state, against the state's target (`SLA_DAYS`, or the operator's `olderThanDays`). */
export function ageOf(row: Pick<CaseRow, 'state' | 'stateEnteredAt'>, now: Date, olderThanDays?: number) {
  const days = (now.getTime() - row.stateEnteredAt.getTime()) / 86_400_000;
  const limit = olderThanDays ?? SLA_DAYS[row.state as z.output<typeof state>];
  return { days_in_state: Math.floor(days * 10) / 10, sla_days: limit, overdue: row.state !== 'formed' && days > limit };
}

export const CaseAge = {
  days_in_state: z.number().openapi({ description: 'Days since the case entered its state (one decimal)' }),
  sla_days: z.number().openapi({ description: "The state's target in days (or older_than_days when given)" }),
  overdue: z.boolean().openapi({ description: 'In its state longer than sla_days' }),
};
