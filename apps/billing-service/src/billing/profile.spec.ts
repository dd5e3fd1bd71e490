import { summaryOf } from './profile';

const at = (day: number) => new Date(Date.UTC(2026, 0, day));
type Pay = Parameters<typeof summaryOf>[0][number];
type Sub = Parameters<typeof summaryOf>[1][number];

const pay = (status: string, overrides: Partial<Pay> = {}): Pay => ({
  kind: 'one_time',
  status,
  amountMinor: 9900,
  amountRefundedMinor: 0,
  paidAt: ['paid', 'partially_refunded', 'refunded'].includes(status) ? at(1) : null,
  ...overrides,
});
const sub = (status: string, overrides: Partial<Sub> = {}): Sub => ({ status, plan: 'monthly', expiredAt: null, currentPeriodEnd: at(31), ...overrides });

describe("the founder's billing summary", () => {
  it('says none for a founder without payments', () => {
    expect(summaryOf([], [])).toEqual({ paymentStatus: 'none', subscriptionType: null, amountPaid: 0, paymentDate: null, subscriptionExpiresAt: null });
  });

  it.each([
    ['pending', 'pending'],
    ['failed', 'failed'],
    ['refunded', 'refunded'],
    ['paid', 'paid'],
    ['partially_refunded', 'paid'],
    ['expired', 'none'],
  ])('a single one-time payment that is %s reads %s', (status, expected) => {
    expect(summaryOf([pay(status)], []).paymentStatus).toBe(expected);
  });

  it('reads the newest payment that did not expire', () => {
    expect(summaryOf([pay('expired'), pay('failed')], []).paymentStatus).toBe('failed');
    expect(summaryOf([pay('pending'), pay('failed')], []).paymentStatus).toBe('pending');
  });

  it('keeps a paid package paid whatever came after it', () => {
    expect(summaryOf([pay('failed'), pay('pending'), pay('paid')], []).paymentStatus).toBe('paid');
  });

  it('lets a current subscription decide: paid while it runs, failed while its renewal fails', () => {
    for (const status of ['trialing', 'active', 'paused', 'canceled']) {
      expect(summaryOf([pay('refunded', { kind: 'subscription' })], [sub(status)])).toMatchObject({ paymentStatus: 'paid', subscriptionType: 'monthly', subscriptionExpiresAt: at(31) });
    }
    for (const status of ['past_due', 'unpaid']) {
      expect(summaryOf([pay('paid')], [sub(status)]).paymentStatus).toBe('failed');
    }
  });

  it('ignores an expired subscription and one that never started', () => {
    const lapsed = summaryOf([pay('paid', { kind: 'subscription' })], [sub('active', { expiredAt: at(40) }), sub('incomplete'), sub('expired')]);
    expect(lapsed).toMatchObject({ subscriptionType: null, subscriptionExpiresAt: null });
  });

  it('takes the first current subscription, the one whose period ends last', () => {
    const summary = summaryOf([], [sub('expired', { currentPeriodEnd: at(60) }), sub('active', { plan: 'yearly', currentPeriodEnd: at(50) }), sub('active', { currentPeriodEnd: at(20) })]);
    expect(summary).toMatchObject({ subscriptionType: 'yearly', subscriptionExpiresAt: at(50) });
  });

  it('adds up what was paid less what was refunded, dated by the latest payment', () => {
    const summary = summaryOf(
      [pay('partially_refunded', { amountMinor: 2900, amountRefundedMinor: 900, paidAt: at(3) }), pay('paid', { amountMinor: 9900, paidAt: at(2) }), pay('failed'), pay('pending')],
      [],
    );
    expect(summary).toMatchObject({ amountPaid: 2000 + 9900, paymentDate: at(3) });
  });
});
