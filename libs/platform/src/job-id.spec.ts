import fc from 'fast-check';
import { jobIdFrom, uuidFrom } from './producer';

/** Ids as Stripe and VAPI make them: Stripe's `evt_…` and VAPI's UUIDs are already in the safe alphabet. */
const safeId = fc.stringMatching(/^[A-Za-z0-9_-]{1,60}$/);

describe('job ids from outside ids', () => {
  it('keeps to the alphabet BullMQ ids take, whatever the parts hold', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { minLength: 1, maxLength: 4 }), (parts) => {
        const id = jobIdFrom(...parts);
        expect(id).not.toContain(':');
        expect(id).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(jobIdFrom(...parts)).toBe(id);
      }),
    );
  });

  it('keeps Stripe event ids and VAPI call ids as they are, so two events never share a job', () => {
    expect(jobIdFrom('stripe', 'evt_1NG8Du2eZvKYlo2CUI79vXWy')).toBe('stripe-evt_1NG8Du2eZvKYlo2CUI79vXWy');
    expect(jobIdFrom('payment', 'stripe-evt_1')).toBe('payment-stripe-evt_1');
    expect(jobIdFrom('0b7d3c1e-8f4a-4c2b-9d6e-1a2b3c4d5e6f')).toBe('0b7d3c1e-8f4a-4c2b-9d6e-1a2b3c4d5e6f');
    fc.assert(
      fc.property(safeId, safeId, (a, b) => {
        expect(jobIdFrom('stripe', a) === jobIdFrom('stripe', b)).toBe(a === b);
      }),
    );
  });

  it("replaces each character outside the alphabet, the ':' BullMQ keys use among them", () => {
    expect(jobIdFrom('call', 'a:b/c d')).toBe('call-a_b_c_d');
    expect(jobIdFrom('é')).toBe('_');
  });

  it('derives the same UUID from the same parts, and another from other parts or another split', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), fc.string({ minLength: 1 }), (parts, extra) => {
        const id = uuidFrom(...parts);
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(uuidFrom(...parts)).toBe(id);
        expect(uuidFrom(...parts, extra)).not.toBe(id);
      }),
    );
    expect(uuidFrom('ab', 'c')).not.toBe(uuidFrom('a', 'bc'));
  });
});
