import { randomUUID } from 'node:crypto';
import type { GatewayJobs, JobInputOf } from '@dreamseed/contracts';
import { startTestGateway, uniqueEmail, type TestGateway } from '../__fixtures__/test-gateway';

describe('profile reports on the gateway queue', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({ AUTH_AUTOCONFIRM: 'true' });
  });
  afterAll(() => gateway.stop());

  async function newFounder(): Promise<string> {
    const { data } = await gateway.client().signUp({ email: uniqueEmail(), password: 'correct horse battery' });
    return String(data.user?.app_metadata.profile_id);
  }

  /** Enqueues a report and waits until the gateway has handled it; returns the handler's outcome. */
  async function report<N extends keyof GatewayJobs & string>(name: N, payload: JobInputOf<GatewayJobs, N>) {
    return (await gateway.run('gateway', name, payload)).outcome as string;
  }

  const profileOf = async (id: string) => (await gateway.pool.query('select * from core.users where id = $1', [id])).rows[0];

  it('applies a completed call once, however often it is delivered', async () => {
    const userId = await newFounder();
    const event = { v: 1 as const, userId, eventId: `call-1-${randomUUID()}`, occurredAt: '2026-11-20T10:00:00Z', callStage: 1, callId: 'call-a' };
    expect(await report('profile-call-completed', event)).toBe('applied');
    expect(await report('profile-call-completed', event)).toBe('duplicate');
    const profile = await profileOf(userId);
    expect(profile).toMatchObject({ call_1_completed: true, current_call_stage: 2, status: 'in_consultation' });
    expect(profile.call_1_completed_at.toISOString()).toBe('2026-11-20T10:00:00.000Z');
    const recorded = await gateway.pool.query('select outcome from core.profile_events where id = $1', [event.eventId]);
    expect(recorded.rows).toEqual([{ outcome: 'applied' }]);
  });

  it('never lets an older payment report overwrite a newer one', async () => {
    const userId = await newFounder();
    const base = { v: 1 as const, userId };
    expect(
      await report('profile-payment-updated', {
        ...base,
        eventId: randomUUID(),
        occurredAt: '2026-11-20T12:00:00Z',
        paymentStatus: 'paid',
        amountPaid: 49900,
        paymentDate: '2026-11-20T12:00:00Z',
        subscriptionType: 'yearly',
        subscriptionExpiresAt: '2027-11-20T12:00:00Z',
      }),
    ).toBe('applied');
    expect(
      await report('profile-payment-updated', { ...base, eventId: randomUUID(), occurredAt: '2026-11-20T11:00:00Z', paymentStatus: 'pending' }),
    ).toBe('stale');
    expect(await profileOf(userId)).toMatchObject({ payment_status: 'paid', amount_paid: 49900, subscription_type: 'yearly', status: 'paid' });
  });

  it('applies business facts heard in calls, field by field', async () => {
    const userId = await newFounder();
    await report('profile-business-facts', {
      v: 1,
      userId,
      eventId: randomUUID(),
      occurredAt: '2026-11-20T09:00:00Z',
      facts: { businessName: 'Seed Bakery', entityType: 'llc', stateOfOperation: 'TX', urgencyLevel: 'medium' },
    });
    await report('profile-business-facts', { v: 1, userId, eventId: randomUUID(), occurredAt: '2026-11-21T09:00:00Z', facts: { timeline: 'three months' } });
    expect(await profileOf(userId)).toMatchObject({
      business_name: 'Seed Bakery',
      entity_type: 'llc',
      state_of_operation: 'TX',
      urgency_level: 'medium',
      timeline: 'three months',
    });
  });

  it('moves the status forward only', async () => {
    const userId = await newFounder();
    const at = (hour: number) => `2026-11-20T${String(hour).padStart(2, '0')}:00:00Z`;
    await report('profile-domain-selected', { v: 1, userId, eventId: randomUUID(), occurredAt: at(10), domain: 'seedbakery.com' });
    await report('profile-analysis-ready', { v: 1, userId, eventId: randomUUID(), occurredAt: at(11), dreamDnaVersion: 2 });
    expect((await profileOf(userId)).status).toBe('domain_selected');
    await report('profile-status-changed', { v: 1, userId, eventId: randomUUID(), occurredAt: at(12), status: 'archived', reason: 'founder left' });
    await report('profile-domain-selected', { v: 1, userId, eventId: randomUUID(), occurredAt: at(13), domain: 'seedbakery.com' });
    expect((await profileOf(userId)).status).toBe('archived');
  });

  it('ignores a report about a founder it does not know', async () => {
    expect(
      await report('profile-analysis-ready', { v: 1, userId: randomUUID(), eventId: randomUUID(), occurredAt: '2026-11-20T10:00:00Z', dreamDnaVersion: 1 }),
    ).toBe('ignored');
  });
});
