import type { FounderCallContext } from '@dreamseed/contracts';

/** A founder as the gateway describes one to the voice service: Ada, in consultation, on the shared assistants. */
export function founderContext(overrides: Partial<FounderCallContext> = {}): FounderCallContext {
  return {
    id: 'u-1',
    customerPhone: '+14155550123',
    customerName: 'Ada',
    businessName: 'Seed Bakery',
    businessType: 'bakery',
    currentCallStage: 1,
    assistantType: 'shared',
    individualAssistantId: null,
    status: 'in_consultation',
    ...overrides,
  };
}
