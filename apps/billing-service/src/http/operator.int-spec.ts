import { randomUUID } from 'node:crypto';
import type { OperatorBillingView } from '@dreamseed/contracts';
import { founder, INTERNAL_SECRET, operator, startTestBilling, type TestBilling, type TestFounder } from '../__fixtures__/test-billing';

describe("an operator's read of a founder's billing", () => {
  let billing: TestBilling;
  beforeAll(async () => {
    billing = await startTestBilling();
  });
  afterAll(async () => {
    await billing.stop();
  });

  const pathOf = (userId: string) => `/operator/founders/${userId}/billing`;
  const read = async (userId: string, who?: { token: string }) => {
    const response = await billing.call('GET', pathOf(userId), who);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const paidCheckout = async (who: TestFounder, pkg: string) => {
    const { checkoutId } = (await (await billing.call('POST', '/checkout', who, { package: pkg })).json()) as { checkoutId: string };
    await billing.run('billing', 'confirm-local-checkout', { v: 1, checkoutId });
    return checkoutId;
  };

  it("answers an operator with the founder's payments, refunds included, newest first, and the subscription", async () => {
    const who = await founder();
    const formation = await paidCheckout(who, 'formation-basic');
    const plan = await paidCheckout(who, 'monthly');
    await billing.run('billing', 'refund-payment', { v: 1, userId: who.profileId, paymentId: formation, amount: 1000, requestId: randomUUID() });
    // Another founder's rows stay out of it.
    await paidCheckout(await founder(), 'formation-basic');

    const { status, body } = await read(who.profileId, await operator());
    expect(status).toBe(200);
    const view = body as unknown as OperatorBillingView;
    expect(view.userId).toBe(who.profileId);
    expect(view.payments.map((p) => p.id)).toEqual([plan, formation]);
    expect(view.payments[1]).toMatchObject({ packageId: 'formation-basic', kind: 'one_time', status: 'partially_refunded', amountRefundedMinor: 1000 });
    expect(view.subscription).toMatchObject({ plan: 'monthly', status: 'active', provider: 'local', cancelAtPeriodEnd: false });
  });

  it('answers for a founder with no billing with empty lists, and a user id that is no UUID with 404', async () => {
    const who = await operator();
    expect(await read(randomUUID(), who)).toMatchObject({ status: 200, body: { payments: [], subscription: null } });
    expect(await read('not-a-founder', who)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it("refuses a founder's token (403), a request without a token (401), and one without the internal token (401)", async () => {
    const who = await founder();
    expect(await read(who.profileId, who)).toMatchObject({ status: 403, body: { error: { code: 'not_operator' } } });
    expect(await read(who.profileId)).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    const withoutInternal = await fetch(`${billing.url}/internal${pathOf(who.profileId)}`, { headers: { authorization: `Bearer ${(await operator()).token}` } });
    expect(withoutInternal.status).toBe(401);
    const wrongInternal = await fetch(`${billing.url}/internal${pathOf(who.profileId)}`, {
      headers: { authorization: `Bearer ${(await operator()).token}`, 'x-internal-token': `${INTERNAL_SECRET}-not` },
    });
    expect(wrongInternal.status).toBe(401);
  });
});
