import type { Address, FormationDocumentInput, UsState } from '../types';

/** Founders' formation details for the documents' specs: a Texas LLC and a Delaware corporation, each complete. */

export const address = (state: UsState, line1 = '100 Congress Ave', city = 'Austin', postal_code = '78701'): Address => ({ line1, city, state, postal_code, country: 'US' });

export const llcInput = (overrides: Partial<FormationDocumentInput> = {}): FormationDocumentInput => ({
  entityType: 'llc',
  stateOfFormation: 'TX',
  legalName: 'Ada Bakes LLC',
  dbaName: 'Ada Bakes',
  businessPurpose: 'baking and selling sourdough bread to cafés',
  principalAddress: address('TX'),
  mailingAddress: null,
  registeredAgent: { name: 'Lone Star Agents Inc.', address: address('TX', '500 Lavaca St', 'Austin', '78701'), commercial: true },
  members: [
    { name: 'Ada Baker', ownershipPercent: 60, role: 'member' },
    { name: 'Bo Crumb', ownershipPercent: 40, role: 'member' },
  ],
  managementStructure: 'member_managed',
  organizer: { name: 'Ada Baker', email: 'ada@example.com' },
  dreamDna: { whatProblem: 'no fresh bread nearby', primaryService: 'fresh sourdough', whoServes: 'cafés in East Austin' },
  preparedAt: new Date('2026-05-07T12:00:00Z'),
  ...overrides,
});

export const corporationInput = (overrides: Partial<FormationDocumentInput> = {}): FormationDocumentInput => ({
  entityType: 'corporation',
  stateOfFormation: 'DE',
  legalName: 'Orbit Labs Inc.',
  businessPurpose: 'software for small bakeries',
  principalAddress: address('CA', '1 Market St', 'San Francisco', '94105'),
  registeredAgent: { name: 'First State Agents LLC', address: address('DE', '8 The Green', 'Dover', '19901') },
  members: [
    { name: 'Grace Orbit', ownershipPercent: 70, role: 'CEO and director' },
    { name: 'Linus Field', ownershipPercent: 30, role: 'director' },
  ],
  managementStructure: 'board',
  authorizedShares: { count: 10_000_000, parValue: 0.00001 },
  organizer: { name: 'Grace Orbit' },
  preparedAt: new Date('2026-05-07T12:00:00Z'),
  ...overrides,
});
