import type { US_STATES } from '@dreamseed/contracts';

export type UsState = (typeof US_STATES)[number];

/** An address as the formation details store it (`business_address`, `registered_agent.address`): pass it as it is. */
export interface Address {
  line1: string;
  line2?: string | null;
  city: string;
  state: UsState;
  postal_code: string;
  country?: 'US';
}

export type FormationDocumentKind = 'articles_of_organization' | 'articles_of_incorporation' | 'operating_agreement' | 'bylaws';

export interface FormationMember {
  name: string;
  /** An LLC member's share, or a shareholder's; LLC shares must add up to 100. */
  ownershipPercent?: number | null;
  /** Free text from the founder ("member", "manager", "director", "CEO and director"); a corporation's directors are the people whose role names "director". */
  role?: string | null;
  address?: Address | null;
}

/** A corporation's authorized shares; `parValue` in US dollars, null for no par value. */
export interface AuthorizedShares {
  count: number;
  parValue: number | null;
}

export interface FormationDocumentInput {
  entityType: 'llc' | 'corporation';
  stateOfFormation: UsState;
  legalName: string;
  dbaName?: string | null;
  businessPurpose: string | null;
  /** The principal office (`business_address` in the formation details). */
  principalAddress: Address;
  mailingAddress?: Address | null;
  /** The county of the principal office, for the states whose form asks it (`STATE_FORM_RULES[state].asksCounty`). */
  county?: string | null;
  /** Null only where the state's form does not ask one (New York names the Secretary of State instead). */
  registeredAgent: { name: string; address: Address; commercial?: boolean } | null;
  members: FormationMember[];
  managementStructure: 'member_managed' | 'manager_managed' | 'board';
  /** A corporation's authorized shares; `DEFAULT_AUTHORIZED_SHARES` when absent, and the draft says it is a default. */
  authorizedShares?: AuthorizedShares | null;
  /** The person who signs the articles: the organizer (LLC) or incorporator (corporation). */
  organizer: { name: string; email?: string | null; address?: Address | null };
  dreamDna?: { whatProblem?: string | null; primaryService?: string | null; whoServes?: string | null } | null;
  /** When the drafts were prepared: printed on them and set as the PDFs' dates, so equal inputs make equal bytes. */
  preparedAt: Date;
}

/**
 * The formation details as far as the founder has given them, for `missingForDocuments`: every field may be absent or
 * null, and the entity type and state arrive as the stored strings.
 */
export type FormationDocumentDraft = {
  [K in Exclude<keyof FormationDocumentInput, 'entityType' | 'stateOfFormation'>]?: FormationDocumentInput[K] | null;
} & { entityType?: string | null; stateOfFormation?: string | null };

export interface RenderedDocument {
  kind: FormationDocumentKind;
  filename: string;
  contentType: 'application/pdf';
  bytes: Uint8Array;
  /** Hex SHA-256 of `bytes`. */
  sha256: string;
}

/** One thing a filing needs that the input lacks; `field` is the formation details' field path as the API spells it. */
export interface MissingItem {
  field: string;
  message: string;
}
