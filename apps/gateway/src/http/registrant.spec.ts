import { eppPhone } from './registrant';

describe("a phone number in EPP's form, as registrars take it", () => {
  it.each([
    ['+15555551234', '+1.5555551234'],
    ['+447911123456', '+44.7911123456'],
    ['+79161234567', '+7.9161234567'],
    ['+35312345678', '+353.12345678'],
    ['+8613812345678', '+86.13812345678'],
  ])('writes %s as %s', (e164, epp) => {
    expect(eppPhone(e164)).toBe(epp);
  });

  it.each(['5555551234', '+0123456789', '+1555', '+1.5555551234', ''])('has no form for %j', (bad) => {
    expect(eppPhone(bad)).toBeNull();
  });
});
