import { publicFieldName, publicView } from './dialect';

describe('publicView, the one dialect of /v1', () => {
  it('gives every key of a view, a list and a page in snake_case, however deep', () => {
    const page = {
      calls: [{ id: 'c1', callStage: 2, vapiCallId: 'v1', turns: [{ secondsFromStart: 1.5 }] }],
      next_cursor: null,
    };
    expect(publicView(page)).toEqual({ calls: [{ id: 'c1', call_stage: 2, vapi_call_id: 'v1', turns: [{ seconds_from_start: 1.5 }] }], next_cursor: null });
  });

  it('names the founder user_id and money amount, as everywhere else', () => {
    expect(publicView({ businessId: 'f1', amountMinor: 19900, amountRefundedMinor: 0, currency: 'usd' })).toEqual({ user_id: 'f1', amount: 19900, amount_refunded: 0, currency: 'usd' });
    expect(publicView({ domain: 'ada.co', priceMinor: 1299, currency: 'usd' })).toEqual({ domain: 'ada.co', amount: 1299, currency: 'usd' });
    expect(publicFieldName('whatProblem')).toBe('what_problem');
  });

  it('leaves values alone, and keeps a __proto__ key a plain key', () => {
    const view = publicView(JSON.parse('{"summaryText": "callStage stays", "__proto__": {"polluted": true}}') as Record<string, unknown>);
    expect(JSON.stringify(view)).toBe('{"summary_text":"callStage stays","__proto__":{"polluted":true}}');
    expect(Object.hasOwn(view, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(view)).toBe(Object.prototype);
  });
});
