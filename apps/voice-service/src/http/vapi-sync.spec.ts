import { callerOf } from './vapi-sync';

describe("an assistant-request's caller, from what the gateway sends along", () => {
  const founder = { id: 'f-1', customerPhone: null, customerName: 'Ada', businessName: null, businessType: null, currentCallStage: 2, assistantType: 'shared' as const, individualAssistantId: null, status: 'registered' };

  it('is the founder sent, or nobody when the gateway sends null', () => {
    expect(callerOf('+14155550101', founder)).toBe(founder);
    expect(callerOf('+14155550101', null)).toBeNull();
  });

  it('is nobody for a hidden or non-E.164 number, for which the gateway sends nothing', () => {
    expect(callerOf(null, undefined)).toBeNull();
    expect(callerOf('anonymous', undefined)).toBeNull();
  });

  it('is unknown (undefined) for an E.164 number sent without a founder, or with something that is not one', () => {
    expect(callerOf('+14155550101', undefined)).toBeUndefined();
    expect(callerOf('+14155550101', { id: 42 })).toBeUndefined();
  });
});
