import { DEFAULT_AUTHORIZED_SHARES, STATE_NAMES } from './state-rules';
import type { Address, AuthorizedShares, FormationDocumentInput, FormationMember } from './types';

/** Phrases the drafts share, built from the founder's answers. */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "May 7, 2026", in UTC so the same instant prints the same everywhere. */
export const longDate = (at: Date) => `${MONTHS[at.getUTCMonth()]} ${at.getUTCDate()}, ${at.getUTCFullYear()}`;

export function oneLineAddress(address: Address): string {
  return [address.line1, address.line2, address.city, `${address.state} ${address.postal_code}`].filter((part) => part && part.trim()).join(', ');
}

export const entityNoun = (input: FormationDocumentInput) => (input.entityType === 'llc' ? 'company' : 'corporation');

/** "a Texas limited liability company". */
export function entityPhrase(input: FormationDocumentInput): string {
  const state = STATE_NAMES[input.stateOfFormation];
  const kind = input.entityType === 'llc' ? 'limited liability company' : 'corporation';
  const place = input.stateOfFormation === 'DC' ? 'District of Columbia' : state;
  return `${/^[AEIOU]/.test(place) ? 'an' : 'a'} ${place} ${kind}`;
}

/** Ends a sentence after a name that may already end in a period ("Orbit Labs Inc."). */
export const endSentence = (text: string) => (text.endsWith('.') ? text : `${text}.`);

export const percent = (share: number) => `${+share.toFixed(4)}%`;

export function memberLine(member: FormationMember): string {
  const parts = [member.name];
  if (member.role) parts.push(member.role);
  if (member.ownershipPercent != null) parts.push(`${percent(member.ownershipPercent)} ownership`);
  return parts.join(' — ');
}

/** Where a person without an address of their own is reached: the principal office, said so. */
export const addressOf = (input: FormationDocumentInput, address: Address | null | undefined) =>
  address ? oneLineAddress(address) : `c/o ${input.legalName}, ${oneLineAddress(input.principalAddress)}`;

export function sharesOf(input: FormationDocumentInput): { shares: AuthorizedShares; isDefault: boolean } {
  return input.authorizedShares ? { shares: input.authorizedShares, isDefault: false } : { shares: DEFAULT_AUTHORIZED_SHARES, isDefault: true };
}

/** "1,000 shares of common stock, par value $0.01 per share"; without par where the state's form asks none. */
export function sharesPhrase(shares: AuthorizedShares, withPar: boolean): string {
  const count = `${shares.count.toLocaleString('en-US')} ${shares.count === 1 ? 'share' : 'shares'} of common stock`;
  if (!withPar) return count;
  return shares.parValue === null ? `${count}, without par value` : `${count}, par value $${shares.parValue.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 10 })} per share`;
}

/**
 * What the business does, in the founder's words: the stated purpose, else what the Dream DNA says it offers. Null
 * when neither is known, and the documents fall back on a general lawful purpose.
 */
export function businessInWords(input: FormationDocumentInput): string | null {
  const stated = input.businessPurpose?.trim();
  if (stated) return stated;
  const service = input.dreamDna?.primaryService?.trim();
  return service ? service : null;
}

/** The Dream DNA as a sentence for the recitals, or null when it says nothing. */
export function missionSentence(input: FormationDocumentInput): string | null {
  const dna = input.dreamDna;
  const problem = dna?.whatProblem?.trim();
  const who = dna?.whoServes?.trim();
  const service = dna?.primaryService?.trim();
  if (!problem && !who && !service) return null;
  const aim = service ? `to offer ${service}${who ? ` to ${who}` : ''}` : who ? `to serve ${who}` : 'to address a problem its founders see';
  const sentence = (text: string) => text.replace(/[.\s]+$/, '');
  return `The founders formed the ${entityNoun(input)} ${sentence(aim)}.${problem ? ` The problem it addresses: ${sentence(problem)}.` : ''}`;
}

/** Every name a document prints, for `DraftPdf.spellingNote`. */
export function namesIn(input: FormationDocumentInput): string[] {
  return [input.legalName, input.dbaName, input.organizer.name, input.registeredAgent?.name, ...input.members.map((m) => m.name)].filter(
    (name): name is string => !!name,
  );
}
