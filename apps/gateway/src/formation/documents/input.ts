import { createHash } from 'node:crypto';
import { US_STATES } from '@dreamseed/contracts';
import { STATE_NAMES, asks, formRulesFor } from './state-rules';
import type { Address, FormationDocumentDraft, FormationDocumentInput, FormationMember, MissingItem, UsState } from './types';

/** Ownership shares are decimals the founder typed; a hundredth of a percent either way still adds up to 100. */
const SHARE_TOLERANCE = 0.01;

const blank = (value: string | null | undefined) => !value || value.trim() === '';
const isUsState = (value: unknown): value is UsState => (US_STATES as readonly unknown[]).includes(value);
const roleNames = (member: FormationMember, word: RegExp) => word.test(member.role ?? '');

/** A corporation's directors: the people whose role names "director". */
export const directorsOf = (members: readonly FormationMember[]) => members.filter((m) => roleNames(m, /director/i));
/** An LLC's managers: the people whose role names "manager". */
export const managersOf = (members: readonly FormationMember[]) => members.filter((m) => roleNames(m, /manager/i));
/** A manager who is not also a member owns no share of the LLC, so needs none. */
const ownsAShare = (m: FormationMember) => !roleNames(m, /manager/i) || roleNames(m, /member|owner/i);

/** Each part of an address a filing needs, by the name the API gives it. */
function addressGaps(address: Address | null | undefined): string[] {
  if (!address) return ['line1', 'city', 'state', 'postal_code'];
  return (['line1', 'city', 'state', 'postal_code'] as const).filter((part) => blank(address[part]));
}

/**
 * What the drafts need and the formation details lack, each with the field's API path and a message for the founder.
 * Only what the state's form asks is required (`STATE_FORM_RULES`); an empty list means the documents can be made.
 */
export function missingForDocuments(draft: FormationDocumentDraft): MissingItem[] {
  const missing: MissingItem[] = [];
  const add = (field: string, message: string) => missing.push({ field, message });

  if (blank(draft.legalName)) add('legal_name', 'Give the business\'s legal name as it will be filed.');
  const entityType = draft.entityType;
  if (entityType !== 'llc' && entityType !== 'corporation') {
    add('entity_type', blank(entityType) ? 'Choose the entity type: LLC or corporation.' : 'Formation documents are prepared for LLCs and corporations only.');
  }
  const state = draft.stateOfFormation;
  if (!isUsState(state)) add('state_of_formation', 'Choose the state where the business will be formed.');
  if (addressGaps(draft.principalAddress).length > 0) {
    add('business_address', 'Give the street address of the principal office (street, city, state and ZIP code).');
  }
  if (blank(draft.organizer?.name)) {
    add('organizer.name', `Give the name of the person who signs the filing as ${entityType === 'corporation' ? 'incorporator' : 'organizer'}.`);
  }
  // What remains depends on the entity type and on what the state's form asks.
  if ((entityType !== 'llc' && entityType !== 'corporation') || !isUsState(state)) return missing;
  const rules = formRulesFor(state, entityType);

  const agent = draft.registeredAgent;
  if (!agent && asks(rules, 'registered_agent')) {
    add('registered_agent', `Name a registered agent with a street address in ${STATE_NAMES[state]}.`);
  } else if (agent) {
    if (blank(agent.name)) add('registered_agent.name', 'Give the registered agent\'s name.');
    if (addressGaps(agent.address).length > 0) {
      add('registered_agent.address', 'Give the registered agent\'s street address (street, city, state and ZIP code).');
    } else if (agent.address.state !== state) {
      add('registered_agent.address.state', `The registered agent's address must be in ${STATE_NAMES[state]}, the state of formation.`);
    }
  }
  if (asks(rules, 'county') && blank(draft.county)) {
    add('county', `${STATE_NAMES[state]} asks the county of the business's office: give the county.`);
  }
  const shares = draft.authorizedShares;
  if (entityType === 'corporation' && shares && (!Number.isInteger(shares.count) || shares.count < 1 || (shares.parValue !== null && !(shares.parValue >= 0)))) {
    add('authorized_shares', 'Authorized shares must be a whole number of at least 1, with a par value of 0 or more (or none).');
  }

  const members = draft.members ?? [];
  members.forEach((m, i) => {
    if (blank(m.name)) add(`members.${i}.name`, 'Give each person\'s full name.');
  });
  const found = entityType === 'llc' ? llcGaps(members, draft.managementStructure) : corporationGaps(members, draft.managementStructure);
  return [...missing, ...found];
}

function llcGaps(members: readonly FormationMember[], management: FormationDocumentDraft['managementStructure']): MissingItem[] {
  const missing: MissingItem[] = [];
  if (management !== 'member_managed' && management !== 'manager_managed') {
    missing.push({ field: 'management_structure', message: 'Choose who runs the LLC: its members, or managers.' });
  }
  const owners = members.filter(ownsAShare);
  if (owners.length === 0) {
    missing.push({ field: 'members', message: 'Name at least one member of the LLC and their ownership share.' });
    return missing;
  }
  let total = 0;
  members.forEach((m, i) => {
    if (!ownsAShare(m)) return;
    const share = m.ownershipPercent;
    if (share == null || !(share > 0 && share <= 100)) {
      missing.push({ field: `members.${i}.ownership_percent`, message: `Give ${blank(m.name) ? 'each member' : m.name}'s ownership share, above 0 and at most 100 percent.` });
    } else total += share;
  });
  const allShared = !missing.some((m) => m.field.endsWith('ownership_percent'));
  if (allShared && Math.abs(total - 100) > SHARE_TOLERANCE) {
    missing.push({ field: 'members', message: `The members' ownership shares add up to ${+total.toFixed(2)}%; they must add up to 100%.` });
  }
  if (management === 'manager_managed' && managersOf(members).length === 0) {
    missing.push({ field: 'members', message: 'A manager-managed LLC names at least one manager: set that person\'s role to "manager".' });
  }
  return missing;
}

function corporationGaps(members: readonly FormationMember[], management: FormationDocumentDraft['managementStructure']): MissingItem[] {
  const missing: MissingItem[] = [];
  if (management !== 'board') {
    missing.push({ field: 'management_structure', message: 'A corporation is run by its board of directors: choose "board".' });
  }
  if (directorsOf(members).length === 0) {
    missing.push({ field: 'members', message: 'Name at least one director: set that person\'s role to "director".' });
  }
  const total = members.reduce((sum, m) => sum + (m.ownershipPercent ?? 0), 0);
  if (total > 100 + SHARE_TOLERANCE) {
    missing.push({ field: 'members', message: `The shareholders' ownership adds up to ${+total.toFixed(2)}%; it cannot be more than 100%.` });
  }
  return missing;
}

/** The value with object keys sorted and absent or null fields dropped (they mean the same), dates as ISO strings. */
function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined);
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

/**
 * A hex SHA-256 over what the documents say: the same whatever the key order, and blind to `preparedAt`, so a new
 * version is made only when an input changes.
 */
export function inputsHash(input: FormationDocumentInput): string {
  const { preparedAt: _preparedAt, ...inputs } = input;
  return createHash('sha256').update(JSON.stringify(canonical(inputs))).digest('hex');
}
