import { address, corporationInput, llcInput } from './__fixtures__/inputs';
import { inputsHash, missingForDocuments } from './index';

const fields = (items: { field: string }[]) => items.map((m) => m.field);

describe('missingForDocuments', () => {
  it('finds nothing missing in complete LLC and corporation details', () => {
    expect(missingForDocuments(llcInput())).toEqual([]);
    expect(missingForDocuments(corporationInput())).toEqual([]);
  });

  it('lists everything an empty draft lacks, by the API\'s field names', () => {
    expect(fields(missingForDocuments({}))).toEqual(['legal_name', 'entity_type', 'state_of_formation', 'business_address', 'organizer.name']);
  });

  it('refuses entity types it makes no documents for', () => {
    const [item] = missingForDocuments({ ...llcInput(), entityType: 'partnership' });
    expect(item).toEqual({ field: 'entity_type', message: expect.stringContaining('LLCs and corporations') });
  });

  describe('an LLC', () => {
    it('needs members', () => {
      expect(missingForDocuments(llcInput({ members: [] }))).toEqual([{ field: 'members', message: expect.stringContaining('at least one member') }]);
    });

    it('needs each member\'s share, and shares adding up to 100', () => {
      const noShare = missingForDocuments(llcInput({ members: [{ name: 'Ada Baker', ownershipPercent: 60 }, { name: 'Bo Crumb' }] }));
      expect(noShare).toEqual([{ field: 'members.1.ownership_percent', message: expect.stringContaining('Bo Crumb') }]);

      const short = missingForDocuments(llcInput({ members: [{ name: 'Ada Baker', ownershipPercent: 60 }, { name: 'Bo Crumb', ownershipPercent: 30 }] }));
      expect(short).toEqual([{ field: 'members', message: expect.stringContaining('add up to 90%') }]);
    });

    it('accepts shares that add up to 100 within a hundredth', () => {
      const thirds = (share: number) => [1, 2, 3].map((n) => ({ name: `Member ${n}`, ownershipPercent: share }));
      expect(missingForDocuments(llcInput({ members: thirds(33.333) }))).toEqual([]);
      expect(missingForDocuments(llcInput({ members: thirds(33.3) }))).toEqual([{ field: 'members', message: expect.stringContaining('add up to 99.9%') }]);
    });

    it('needs a manager when managers manage it, and no share from a manager who is not a member', () => {
      const managed = llcInput({ managementStructure: 'manager_managed' });
      expect(missingForDocuments(managed)).toEqual([{ field: 'members', message: expect.stringContaining('"manager"') }]);
      const withManager = llcInput({ managementStructure: 'manager_managed', members: [...managed.members, { name: 'Cy Hired', role: 'manager' }] });
      expect(missingForDocuments(withManager)).toEqual([]);
    });

    it('is run by members or managers, not a board', () => {
      expect(fields(missingForDocuments(llcInput({ managementStructure: 'board' })))).toEqual(['management_structure']);
    });
  });

  describe('a corporation', () => {
    it('needs a director and its board', () => {
      const noDirector = corporationInput({ members: [{ name: 'Grace Orbit', ownershipPercent: 100, role: 'CEO' }] });
      expect(missingForDocuments(noDirector)).toEqual([{ field: 'members', message: expect.stringContaining('director') }]);
      expect(fields(missingForDocuments(corporationInput({ managementStructure: 'member_managed' })))).toEqual(['management_structure']);
    });

    it('needs no ownership shares, but refuses more than 100%', () => {
      expect(missingForDocuments(corporationInput({ members: [{ name: 'Grace Orbit', role: 'director' }] }))).toEqual([]);
      const over = corporationInput({ members: [{ name: 'Grace Orbit', role: 'director', ownershipPercent: 80 }, { name: 'Linus Field', ownershipPercent: 30 }] });
      expect(fields(missingForDocuments(over))).toEqual(['members']);
    });

    it('checks the authorized shares when given', () => {
      expect(fields(missingForDocuments(corporationInput({ authorizedShares: { count: 0.5, parValue: 0.01 } })))).toEqual(['authorized_shares']);
      expect(missingForDocuments(corporationInput({ authorizedShares: { count: 1500, parValue: null } }))).toEqual([]);
      expect(missingForDocuments(corporationInput({ authorizedShares: null }))).toEqual([]);
    });
  });

  describe('the registered agent', () => {
    it('is required where the state\'s form asks one', () => {
      expect(missingForDocuments(llcInput({ registeredAgent: null }))).toEqual([{ field: 'registered_agent', message: expect.stringContaining('Texas') }]);
    });

    it('has its address in the state of formation', () => {
      const outside = llcInput({ registeredAgent: { name: 'Far Agent', address: address('CA', '1 Market St', 'San Francisco', '94105') } });
      expect(missingForDocuments(outside)).toEqual([{ field: 'registered_agent.address.state', message: expect.stringContaining('must be in Texas') }]);
    });

    it('needs a complete address', () => {
      const partial = llcInput({ registeredAgent: { name: 'Lone Star Agents Inc.', address: { ...address('TX'), line1: ' ' } } });
      expect(fields(missingForDocuments(partial))).toEqual(['registered_agent.address']);
    });

    it('is optional in New York, which names the Secretary of State, but asks the county', () => {
      const ny = llcInput({ stateOfFormation: 'NY', registeredAgent: null, principalAddress: address('NY', '1 Broadway', 'New York', '10004') });
      expect(missingForDocuments(ny)).toEqual([{ field: 'county', message: expect.stringContaining('county') }]);
      expect(missingForDocuments({ ...ny, county: 'New York' })).toEqual([]);
    });
  });

  it('needs the principal office\'s full address', () => {
    expect(fields(missingForDocuments(llcInput({ principalAddress: { ...address('TX'), postal_code: '' } })))).toEqual(['business_address']);
    expect(fields(missingForDocuments({ ...llcInput(), principalAddress: null }))).toEqual(['business_address']);
  });

  it('needs every person named', () => {
    const unnamed = llcInput({ members: [{ name: 'Ada Baker', ownershipPercent: 60 }, { name: ' ', ownershipPercent: 40 }] });
    expect(fields(missingForDocuments(unnamed))).toEqual(['members.1.name']);
  });
});

describe('inputsHash', () => {
  it('is the same whatever the key order, and blind to when the documents were prepared', () => {
    const input = llcInput();
    const reordered = Object.fromEntries(Object.entries(input).reverse()) as typeof input;
    reordered.principalAddress = { postal_code: '78701', state: 'TX', city: 'Austin', line1: '100 Congress Ave', country: 'US' };
    expect(inputsHash(reordered)).toBe(inputsHash(input));
    expect(inputsHash({ ...input, preparedAt: new Date('2027-01-01T00:00:00Z') })).toBe(inputsHash(input));
  });

  it('treats an absent field as a null one', () => {
    const { dbaName: _dba, ...withoutDba } = llcInput({ dbaName: null });
    expect(inputsHash(withoutDba)).toBe(inputsHash(llcInput({ dbaName: null })));
  });

  it('changes when any input changes', () => {
    const base = inputsHash(llcInput());
    const changed = [
      llcInput({ legalName: 'Ada Bakes Two LLC' }),
      llcInput({ stateOfFormation: 'DE' }),
      llcInput({ principalAddress: address('TX', '101 Congress Ave') }),
      llcInput({ members: [{ name: 'Ada Baker', ownershipPercent: 50 }, { name: 'Bo Crumb', ownershipPercent: 50 }] }),
      llcInput({ members: [...llcInput().members].reverse() }),
      llcInput({ dreamDna: null }),
    ].map(inputsHash);
    expect(changed).not.toContain(base);
    expect(new Set(changed).size).toBe(changed.length);
  });
});
