import { ApiError } from '../../api/errors';
import type { Formation, FormationDetails } from '../../api/queries';
import { ENTITY_TYPES, US_STATES } from '../../lib/choices';

/** The form's values, all text as the inputs hold them; the API's body is made from them on saving. */
export interface AddressDraft {
  line1: string;
  line2: string;
  city: string;
  state: string;
  postal_code: string;
  /** Some states' forms ask for the principal office's county (New York's among them). */
  county: string;
}
export interface MemberDraft {
  name: string;
  role: string;
  ownership_percent: string;
  /** A member's address as saved: the form does not edit it, and saving keeps it. */
  address?: unknown;
}
export interface FormationDraft {
  legal_name: string;
  dba_name: string;
  entity_type: string;
  state_of_formation: string;
  business_address: AddressDraft;
  mailing_address: AddressDraft;
  /** `commercial` as saved (a company acting as agent): kept on saving. */
  registered_agent: { name: string; address: AddressDraft; commercial?: boolean };
  members: MemberDraft[];
  management_structure: string;
  business_purpose: string;
  naics_code: string;
  /** A corporation's authorized shares; a blank par value means shares without par value. */
  authorized_shares: { count: string; par_value: string };
}

/** A message per field, keyed by the field's path in the API's body (`business_address.postal_code`, `members.0.name`). */
export type FieldErrors = Record<string, string>;

export const MANAGEMENT = { member_managed: 'Run by its members', manager_managed: 'Run by managers', board: 'Run by a board' } as const;
export const MAX_MEMBERS = 50;

export const emptyMember = (): MemberDraft => ({ name: '', role: '', ownership_percent: '' });

const textOf = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' ? (value as Record<string, unknown>) : {});

function addressDraft(value: unknown): AddressDraft {
  const a = record(value);
  return { line1: textOf(a.line1), line2: textOf(a.line2), city: textOf(a.city), state: textOf(a.state), postal_code: textOf(a.postal_code), county: textOf(a.county) };
}

/** The saved details as the form shows them; none saved yet is an empty form. */
export function draftFrom(details: FormationDetails | null): FormationDraft {
  const agent = record(details?.registered_agent);
  const members = Array.isArray(details?.members) ? details.members.map(record) : [];
  return {
    legal_name: details?.legal_name ?? '',
    dba_name: details?.dba_name ?? '',
    entity_type: details?.entity_type ?? '',
    state_of_formation: details?.state_of_formation ?? '',
    business_address: addressDraft(details?.business_address),
    mailing_address: addressDraft(details?.mailing_address),
    registered_agent: { name: textOf(agent.name), address: addressDraft(agent.address), ...(typeof agent.commercial === 'boolean' ? { commercial: agent.commercial } : {}) },
    members: members.map((m) => ({ name: textOf(m.name), role: textOf(m.role), ownership_percent: textOf(m.ownership_percent), ...(m.address ? { address: m.address } : {}) })),
    management_structure: details?.management_structure ?? '',
    business_purpose: details?.business_purpose ?? '',
    naics_code: details?.naics_code ?? '',
    authorized_shares: sharesDraft(details?.authorized_shares),
  };
}

function sharesDraft(value: unknown): FormationDraft['authorized_shares'] {
  const shares = record(value);
  return { count: textOf(shares.count), par_value: textOf(shares.par_value) };
}

/** Whether the draft is a corporation's, the one kind of business with shares. */
export const hasShares = (draft: Pick<FormationDraft, 'entity_type'>) => draft.entity_type === 'corporation';

/** "10,000,000" as the founder may type it. */
const wholeCount = (value: string) => value.trim().replaceAll(',', '');

const blank = (value: string) => value.trim() === '';
const addressIsBlank = (a: AddressDraft) => Object.values(a).every(blank);
const memberIsBlank = (m: MemberDraft) => blank(m.name) && blank(m.role) && blank(m.ownership_percent);
const orNull = (value: string) => value.trim() || null;

type Address = NonNullable<Formation['business_address']>;

function addressBody(a: AddressDraft): Address | null {
  if (addressIsBlank(a)) return null;
  return {
    line1: a.line1.trim(),
    ...(blank(a.line2) ? {} : { line2: a.line2.trim() }),
    city: a.city.trim(),
    state: a.state as Address['state'],
    postal_code: a.postal_code.trim(),
    country: 'US',
    ...(blank(a.county) ? {} : { county: a.county.trim() }),
  };
}

/** The draft as it is saved: member rows left blank are dropped, so that rows and the API's `members.N` agree. */
export const withoutBlankMembers = (draft: FormationDraft): FormationDraft => ({ ...draft, members: draft.members.filter((m) => !memberIsBlank(m)) });

/** The body of PUT /v1/me/formation: every field, so that one emptied in the form is cleared (null) rather than kept. */
export function toFormationBody(draft: FormationDraft): Formation {
  const agentBlank = blank(draft.registered_agent.name) && addressIsBlank(draft.registered_agent.address);
  return {
    legal_name: orNull(draft.legal_name),
    dba_name: orNull(draft.dba_name),
    entity_type: (orNull(draft.entity_type) as Formation['entity_type']) ?? null,
    state_of_formation: (orNull(draft.state_of_formation) as Formation['state_of_formation']) ?? null,
    business_address: addressBody(draft.business_address),
    mailing_address: addressBody(draft.mailing_address),
    registered_agent: agentBlank
      ? null
      : {
          name: draft.registered_agent.name.trim(),
          address: addressBody(draft.registered_agent.address) as Address,
          ...(draft.registered_agent.commercial === undefined ? {} : { commercial: draft.registered_agent.commercial }),
        },
    members: withoutBlankMembers(draft).members.map((m) => ({
      name: m.name.trim(),
      ...(blank(m.role) ? {} : { role: m.role.trim() }),
      ...(blank(m.ownership_percent) ? {} : { ownership_percent: Number(m.ownership_percent) }),
      ...(m.address ? { address: m.address as Address } : {}),
    })),
    management_structure: (orNull(draft.management_structure) as Formation['management_structure']) ?? null,
    business_purpose: orNull(draft.business_purpose),
    naics_code: orNull(draft.naics_code),
    // Only a corporation has shares: for any other type, or none given, the saved figure is cleared.
    authorized_shares:
      hasShares(draft) && !blank(draft.authorized_shares.count)
        ? { count: Number(wholeCount(draft.authorized_shares.count)), par_value: blank(draft.authorized_shares.par_value) ? null : Number(draft.authorized_shares.par_value) }
        : null,
  };
}

const tooLong = (value: string, max: number) => value.trim().length > max;
const ZIP = /^\d{5}(-\d{4})?$/;
const NAICS = /^\d{2,6}$/;

function checkAddress(a: AddressDraft, path: string, errors: FieldErrors) {
  if (blank(a.line1)) errors[`${path}.line1`] = 'Enter the street address.';
  else if (tooLong(a.line1, 200)) errors[`${path}.line1`] = 'Keep it to 200 characters.';
  if (tooLong(a.line2, 200)) errors[`${path}.line2`] = 'Keep it to 200 characters.';
  if (blank(a.city)) errors[`${path}.city`] = 'Enter the city.';
  else if (tooLong(a.city, 100)) errors[`${path}.city`] = 'Keep it to 100 characters.';
  if (!(US_STATES as readonly string[]).includes(a.state)) errors[`${path}.state`] = 'Choose the state.';
  if (!ZIP.test(a.postal_code.trim())) errors[`${path}.postal_code`] = 'Enter a US ZIP code, like 78701 or 78701-1234.';
}

/** The API's rules (formationBody in the gateway), checked before sending, in the founder's words. */
export function validateFormation(draft: FormationDraft): FieldErrors {
  const errors: FieldErrors = {};
  if (tooLong(draft.legal_name, 200)) errors.legal_name = 'Keep the legal name to 200 characters.';
  if (tooLong(draft.dba_name, 200)) errors.dba_name = 'Keep the trade name to 200 characters.';
  if (!blank(draft.entity_type) && !(draft.entity_type in ENTITY_TYPES)) errors.entity_type = 'Choose a business type from the list.';
  if (!blank(draft.state_of_formation) && !(US_STATES as readonly string[]).includes(draft.state_of_formation)) errors.state_of_formation = 'Choose a state from the list.';
  if (!addressIsBlank(draft.business_address)) checkAddress(draft.business_address, 'business_address', errors);
  if (!addressIsBlank(draft.mailing_address)) checkAddress(draft.mailing_address, 'mailing_address', errors);
  const agent = draft.registered_agent;
  if (!blank(agent.name) || !addressIsBlank(agent.address)) {
    if (blank(agent.name)) errors['registered_agent.name'] = 'Enter the registered agent’s name.';
    else if (tooLong(agent.name, 200)) errors['registered_agent.name'] = 'Keep it to 200 characters.';
    checkAddress(agent.address, 'registered_agent.address', errors);
  }
  const { members } = withoutBlankMembers(draft);
  if (members.length > MAX_MEMBERS) errors.members = `At most ${MAX_MEMBERS} members.`;
  members.forEach((m, i) => {
    if (blank(m.name)) errors[`members.${i}.name`] = 'Enter the member’s name.';
    else if (tooLong(m.name, 200)) errors[`members.${i}.name`] = 'Keep it to 200 characters.';
    if (tooLong(m.role, 100)) errors[`members.${i}.role`] = 'Keep the role to 100 characters.';
    const share = Number(m.ownership_percent);
    if (!blank(m.ownership_percent) && (!Number.isFinite(share) || share < 0 || share > 100)) errors[`members.${i}.ownership_percent`] = 'Enter a share from 0 to 100.';
  });
  if (!blank(draft.management_structure) && !(draft.management_structure in MANAGEMENT)) errors.management_structure = 'Choose how it is run from the list.';
  if (tooLong(draft.business_purpose, 2000)) errors.business_purpose = 'Keep the purpose to 2,000 characters.';
  if (!blank(draft.naics_code) && !NAICS.test(draft.naics_code.trim())) errors.naics_code = 'A NAICS code is 2 to 6 digits, like 311811 for a bakery.';
  if (hasShares(draft)) {
    const { count, par_value: par } = draft.authorized_shares;
    const shares = Number(wholeCount(count));
    if (!blank(count) && !(/^\d+$/.test(wholeCount(count)) && shares >= 1 && Number.isSafeInteger(shares))) errors['authorized_shares.count'] = 'Enter a whole number of shares, at least 1, like 10,000,000.';
    const parValue = Number(par);
    if (!blank(par) && !(Number.isFinite(parValue) && parValue >= 0 && parValue <= 1_000_000)) errors['authorized_shares.par_value'] = 'Enter the par value in dollars, like 0.0001, or leave it empty for no par value.';
    else if (!blank(par) && blank(count)) errors['authorized_shares.count'] = 'Enter the number of shares the par value is for.';
  }
  return errors;
}

/**
 * The API's 400 validation_failed as field messages: each detail's `path` names a field of the body sent. A
 * detail for no field of this form (an unknown key, the body as a whole) is kept apart, to be shown above it.
 */
export function fieldErrorsFromApi(error: unknown, fields: ReadonlySet<string>): { fields: FieldErrors; other: string[] } | undefined {
  if (!(error instanceof ApiError) || error.status !== 400 || !Array.isArray(error.details)) return undefined;
  const result: { fields: FieldErrors; other: string[] } = { fields: {}, other: [] };
  for (const detail of error.details as unknown[]) {
    const { path, message } = record(detail);
    const text = typeof message === 'string' ? message : 'This is not valid.';
    // A whole address or agent refused (null where an object is needed) lands on its first field.
    const field = typeof path === 'string' ? [path, `${path}.line1`, `${path}.name`, `${path}.count`].find((p) => fields.has(p)) : undefined;
    if (field) result.fields[field] ??= text;
    else result.other.push(typeof path === 'string' && path ? `${path}: ${text}` : text);
  }
  return result;
}

/** Every field path the form shows for this draft, for matching the API's details to inputs. */
export function fieldPaths(draft: FormationDraft): Set<string> {
  const address = (path: string) => ['line1', 'line2', 'city', 'state', 'postal_code'].map((k) => `${path}.${k}`);
  const sent = draft.members.length;
  return new Set([
    'legal_name',
    'dba_name',
    'entity_type',
    'state_of_formation',
    ...address('business_address'),
    ...address('mailing_address'),
    'registered_agent.name',
    ...address('registered_agent.address'),
    'members',
    ...Array.from({ length: sent }, (_, i) => ['name', 'role', 'ownership_percent'].map((k) => `members.${i}.${k}`)).flat(),
    'management_structure',
    'business_purpose',
    'naics_code',
    ...(hasShares(draft) ? ['authorized_shares.count', 'authorized_shares.par_value'] : []),
  ]);
}
