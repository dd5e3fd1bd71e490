import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/errors';
import type { FormationDetails } from '../../api/queries';
import { draftFrom, fieldErrorsFromApi, fieldPaths, toFormationBody, validateFormation, withoutBlankMembers, type FormationDraft } from './formation-form';

const SAVED: FormationDetails = {
  id: '7d7c2f5e-9a53-4f0e-9f0c-0f3b8a7b6c11',
  user_id: '2f0d8a4e-5d8b-4c55-9d2a-8f6f5f0b1a11',
  legal_name: 'Ada Bakes LLC',
  dba_name: null,
  entity_type: 'llc',
  state_of_formation: 'TX',
  business_address: { line1: '100 Congress Ave', city: 'Austin', state: 'TX', postal_code: '78701', country: 'US' },
  mailing_address: null,
  registered_agent: null,
  members: [{ name: 'Ada Baker', role: 'member', ownership_percent: 100 }],
  management_structure: 'member_managed',
  business_purpose: null,
  naics_code: '311811',
  authorized_shares: null,
  formation_status: 'not_started',
  ein_status: 'not_started',
  filed_at: null,
  approved_at: null,
  created_at: '2026-12-06T02:49:13.220Z',
  updated_at: '2026-12-06T02:49:13.220Z',
};

const draft = (change: Partial<FormationDraft> = {}): FormationDraft => ({ ...draftFrom(SAVED), ...change });

describe('the formation form', () => {
  it('sends back what it was given, and clears what was emptied', () => {
    expect(toFormationBody(draft({ naics_code: '' }))).toEqual({
      legal_name: 'Ada Bakes LLC',
      dba_name: null,
      entity_type: 'llc',
      state_of_formation: 'TX',
      business_address: { line1: '100 Congress Ave', city: 'Austin', state: 'TX', postal_code: '78701', country: 'US' },
      mailing_address: null,
      registered_agent: null,
      members: [{ name: 'Ada Baker', role: 'member', ownership_percent: 100 }],
      management_structure: 'member_managed',
      business_purpose: null,
      naics_code: null,
      authorized_shares: null,
    });
  });

  it("sends a corporation's authorized shares, checked, and clears them for any other type", () => {
    const corporation = draftFrom({ ...SAVED, entity_type: 'corporation', authorized_shares: { count: 10_000_000, par_value: 0.0001 } });
    expect(corporation.authorized_shares).toEqual({ count: '10000000', par_value: '0.0001' });
    expect(toFormationBody({ ...corporation, authorized_shares: { count: '10,000,000', par_value: '' } }).authorized_shares).toEqual({ count: 10_000_000, par_value: null });
    expect(toFormationBody({ ...corporation, entity_type: 'llc' }).authorized_shares).toBeNull();
    expect(toFormationBody({ ...corporation, authorized_shares: { count: '', par_value: '' } }).authorized_shares).toBeNull();

    expect(validateFormation(corporation)).toEqual({});
    expect(validateFormation({ ...corporation, authorized_shares: { count: '10.5', par_value: '-1' } })).toEqual({
      'authorized_shares.count': expect.stringContaining('whole number'),
      'authorized_shares.par_value': expect.stringContaining('par value'),
    });
    expect(validateFormation({ ...corporation, authorized_shares: { count: '', par_value: '0.01' } })).toEqual({ 'authorized_shares.count': expect.any(String) });
    // Not shown for an LLC, so not checked either.
    expect(validateFormation({ ...corporation, entity_type: 'llc', authorized_shares: { count: 'x', par_value: '' } })).toEqual({});
    expect(fieldPaths(corporation).has('authorized_shares.count')).toBe(true);
    expect(fieldPaths(draft()).has('authorized_shares.count')).toBe(false);
  });

  it('keeps what the form does not edit, and sends the county it does', () => {
    const address = { line1: '1 Main St', city: 'Albany', state: 'NY' as const, postal_code: '12207', country: 'US' as const };
    const saved: FormationDetails = {
      ...SAVED,
      state_of_formation: 'NY',
      business_address: { ...address, county: 'Albany' },
      registered_agent: { name: 'Empire Agents Inc', address, commercial: true },
      members: [{ name: 'Ada Baker', role: 'member', ownership_percent: 100, address }],
    };
    const body = toFormationBody(draftFrom(saved));
    expect(body.business_address).toEqual({ ...address, county: 'Albany' });
    expect(body.registered_agent).toEqual({ name: 'Empire Agents Inc', address, commercial: true });
    expect(body.members).toEqual([{ name: 'Ada Baker', role: 'member', ownership_percent: 100, address }]);
  });

  it('starts empty when nothing is saved yet, and an empty form is valid', () => {
    const empty = draftFrom(null);
    expect(validateFormation(empty)).toEqual({});
    expect(toFormationBody(empty)).toMatchObject({ legal_name: null, business_address: null, registered_agent: null, members: [] });
  });

  it('checks as the API does: a whole address, a ZIP code, a NAICS code, a member’s name and share', () => {
    const errors = validateFormation(
      draft({
        mailing_address: { line1: 'PO Box 7', line2: '', city: '', state: '', postal_code: '7870', county: '' },
        naics_code: '31-18',
        members: [{ name: '', role: '', ownership_percent: '120' }],
        registered_agent: { name: 'Lone Star Agents', address: { line1: '', line2: '', city: '', state: '', postal_code: '', county: '' } },
      }),
    );
    expect(Object.keys(errors).sort()).toEqual(
      [
        'mailing_address.city',
        'mailing_address.state',
        'mailing_address.postal_code',
        'members.0.name',
        'members.0.ownership_percent',
        'naics_code',
        'registered_agent.address.line1',
        'registered_agent.address.city',
        'registered_agent.address.state',
        'registered_agent.address.postal_code',
      ].sort(),
    );
    expect(errors['mailing_address.postal_code']).toMatch(/ZIP/);
  });

  it('drops blank member rows, so that the rows and the API’s members.N agree', () => {
    const cleaned = withoutBlankMembers(draft({ members: [{ name: '', role: '', ownership_percent: '' }, { name: 'Bo', role: '', ownership_percent: '' }] }));
    expect(cleaned.members).toEqual([{ name: 'Bo', role: '', ownership_percent: '' }]);
  });

  it('puts each of the API’s details on its field, and keeps the rest apart', () => {
    const refusal = new ApiError(400, 'validation_failed', 'The request is not valid.', [
      { path: 'business_address.postal_code', message: 'must be a US ZIP code' },
      { path: 'members.0.ownership_percent', message: 'Too big: expected number to be <=100' },
      { path: 'registered_agent', message: 'Invalid input: expected object, received string' },
      { path: '', message: 'Unrecognized key: "ein"' },
    ]);
    const mapped = fieldErrorsFromApi(refusal, fieldPaths(draft()));
    expect(mapped).toEqual({
      fields: {
        'business_address.postal_code': 'must be a US ZIP code',
        'members.0.ownership_percent': 'Too big: expected number to be <=100',
        'registered_agent.name': 'Invalid input: expected object, received string',
      },
      other: ['Unrecognized key: "ein"'],
    });
  });

  it('leaves other failures to the usual notice', () => {
    expect(fieldErrorsFromApi(new ApiError(503, 'owner_unavailable', 'Busy.'), new Set())).toBeUndefined();
    expect(fieldErrorsFromApi(new TypeError('Failed to fetch'), new Set())).toBeUndefined();
  });
});
