import { z } from 'zod';
import { ENTITY_TYPES, US_STATES } from '@dreamseed/contracts';
import type { businessFormationData, users } from '../db/schema';
import { missingForDocuments, type Address, type FormationDocumentInput, type FormationMember, type MissingItem } from './documents';

/**
 * The intake: what a filing needs that the calls did not give (registered agent, principal address, members and
 * ownership, management), kept in the founder's formation details (`core.business_formation_data`, written with
 * PUT /v1/me/formation). The body is checked field by field and for what contradicts itself; whether the whole is
 * enough to file is `missingIntake`, which asks the documents' own rules (`missingForDocuments`: per entity type and
 * per state), so that the list the founder sees is the list the documents need.
 */

const text = (max: number) => z.string().trim().min(1).max(max);

export const intakeAddress = z
  .object({
    line1: text(200),
    line2: text(200).optional(),
    city: text(100),
    state: z.enum(US_STATES),
    postal_code: z.string().regex(/^\d{5}(-\d{4})?$/, 'must be a US ZIP code'),
    country: z.literal('US').default('US'),
    /** The county, which some states' forms ask of the principal office. */
    county: text(100).optional(),
  })
  .strict();

export const registeredAgent = z
  .object({
    name: text(200),
    address: intakeAddress,
    /** A commercial registered agent (a company that acts as agent), rather than a person. */
    commercial: z.boolean().optional(),
  })
  .strict();

export const intakeMember = z
  .object({
    name: text(200),
    /** Free text: "member", "manager", "director", "shareholder and director". A corporation's directors are the people whose role names "director". */
    role: text(100).optional(),
    ownership_percent: z.number().min(0).max(100).optional(),
    address: intakeAddress.optional(),
  })
  .strict();

export const authorizedShares = z
  .object({
    /** How many shares the articles let the corporation issue. */
    count: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    /** In US dollars per share; null for shares without par value. */
    par_value: z.number().min(0).max(1_000_000).nullable(),
  })
  .strict();

export const MANAGEMENT_STRUCTURES = ['member_managed', 'manager_managed', 'board'] as const;

/** What PUT /v1/me/formation takes: each field optional (the founder fills the intake over several visits). */
export const intakeFields = {
  legal_name: text(200).nullable(),
  dba_name: text(200).nullable(),
  entity_type: z.enum(ENTITY_TYPES).nullable(),
  state_of_formation: z.enum(US_STATES).nullable(),
  business_address: intakeAddress.nullable(),
  mailing_address: intakeAddress.nullable(),
  registered_agent: registeredAgent.nullable(),
  members: z.array(intakeMember).max(50),
  management_structure: z.enum(MANAGEMENT_STRUCTURES).nullable(),
  business_purpose: text(2000).nullable(),
  naics_code: z.string().regex(/^\d{2,6}$/, 'must be a NAICS code of 2 to 6 digits').nullable(),
  /** A corporation's; the drafts use `DEFAULT_AUTHORIZED_SHARES`, and say so, while it is null. */
  authorized_shares: authorizedShares.nullable(),
};

type IntakeBody = Partial<{ [K in keyof typeof intakeFields]: z.output<(typeof intakeFields)[K]> }>;

/**
 * What a body says against itself, whatever else is stored: these can never be filed. What is merely missing (or
 * contradicts a field saved earlier, which the founder may be about to change) is listed by `missingIntake` instead.
 */
export function intakeContradictions(body: IntakeBody, ctx: z.RefinementCtx): void {
  const { entity_type: entity, management_structure: management, members } = body;
  if (entity === 'llc' && management === 'board') {
    ctx.addIssue({ code: 'custom', path: ['management_structure'], message: 'an LLC is member_managed or manager_managed, not run by a board' });
  }
  if (entity === 'corporation' && management && management !== 'board') {
    ctx.addIssue({ code: 'custom', path: ['management_structure'], message: 'a corporation is run by its board: board' });
  }
  if (entity === 'llc' && body.authorized_shares) {
    ctx.addIssue({ code: 'custom', path: ['authorized_shares'], message: 'an LLC has no shares: authorized_shares is for a corporation' });
  }
  const total = (members ?? []).reduce((sum, member) => sum + (member.ownership_percent ?? 0), 0);
  if (total > 100.01) ctx.addIssue({ code: 'custom', path: ['members'], message: `the ownership shares add up to ${+total.toFixed(2)}%, more than 100%` });
}

type FormationRow = typeof businessFormationData.$inferSelect;
type ProfileRow = typeof users.$inferSelect;

/** The Dream DNA's words a draft may use (the business purpose, when the founder gave none). */
export type DreamDnaWords = NonNullable<FormationDocumentInput['dreamDna']>;

interface StoredMember {
  name?: string;
  role?: string;
  ownership_percent?: number;
  address?: Address;
}

const memberOf = (member: StoredMember): FormationMember => ({
  name: member.name ?? '',
  role: member.role ?? null,
  ownershipPercent: member.ownership_percent ?? null,
  address: member.address ?? null,
});

/**
 * The documents' input as far as the founder has given it: the formation details first, the profile's facts from
 * the calls where the details are silent (legal name, entity type, state), the founder as organizer.
 */
export function draftOf(profile: ProfileRow, formation: FormationRow | undefined, dreamDna?: DreamDnaWords | null) {
  const members = ((formation?.members as StoredMember[] | null) ?? []).map(memberOf);
  const principal = (formation?.businessAddress as (Address & { county?: string }) | null) ?? null;
  const agent = formation?.registeredAgent as { name: string; address: Address; commercial?: boolean } | null | undefined;
  const shares = formation?.authorizedShares as { count: number; par_value: number | null } | null | undefined;
  // The organizer signs the articles: the founder, by the name on their profile (else the first person named).
  const organizerName = profile.customerName ?? members[0]?.name ?? null;
  const organizerAddress = members.find((member) => member.name === organizerName)?.address ?? null;
  return {
    entityType: formation?.entityType ?? profile.entityType,
    stateOfFormation: formation?.stateOfFormation ?? profile.stateOfOperation,
    legalName: formation?.legalName ?? profile.businessName,
    dbaName: formation?.dbaName ?? null,
    businessPurpose: formation?.businessPurpose ?? null,
    principalAddress: principal,
    mailingAddress: (formation?.mailingAddress as Address | null) ?? null,
    county: principal?.county ?? null,
    registeredAgent: agent ?? null,
    members,
    managementStructure: formation?.managementStructure as FormationDocumentInput['managementStructure'] | null,
    authorizedShares: shares ? { count: shares.count, parValue: shares.par_value } : null,
    organizer: organizerName ? { name: organizerName, email: profile.customerEmail, address: organizerAddress } : null,
    dreamDna: dreamDna ?? null,
  } satisfies Parameters<typeof missingForDocuments>[0];
}

export type IntakeDraft = ReturnType<typeof draftOf>;

/** What the filing still needs from the founder: empty when the documents can be prepared. */
export function missingIntake(draft: IntakeDraft): MissingItem[] {
  return missingForDocuments(draft);
}

/** The documents' whole input, once `missingIntake` is empty. */
export function documentInputOf(draft: IntakeDraft, preparedAt: Date): FormationDocumentInput {
  if (missingIntake(draft).length) throw new Error('the intake is not complete');
  return { ...(draft as FormationDocumentInput), preparedAt };
}

/** The question the system asks when a case opens before the intake is complete. */
export function intakeQuestion(missing: readonly MissingItem[]): string {
  const items = missing.slice(0, 10).map((item) => `- ${item.message}`);
  const more = missing.length > items.length ? [`- and ${missing.length - items.length} more`] : [];
  return ['To prepare and file your formation documents we still need:', ...items, ...more, 'Complete them in the formation form; the case moves on by itself.'].join('\n');
}
