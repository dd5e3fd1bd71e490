import { callOf, type VapiMessage } from './message';
import { WebCallTickets } from './web-call-ticket';

const SECRET = 'a-jwt-secret-of-at-least-thirty-two-characters';
const FOUNDER = '5a0c8e14-2f6b-4d93-b7a1-9c3e5f0d2b76';
const NOW = Date.parse('2026-12-06T15:00:00Z');

const webCall = (metadata: Record<string, unknown>, createdAt = new Date().toISOString()): VapiMessage => ({
  type: 'status-update',
  call: { id: 'web-1', type: 'webCall', createdAt, assistantOverrides: { metadata } },
});

describe('web call tickets', () => {
  const tickets = new WebCallTickets(SECRET);

  it('names the founder and stage it was issued for, for a call started before it expired', () => {
    const { ticket, expiresAt } = tickets.issue(FOUNDER, 2, NOW);
    expect(expiresAt.toISOString()).toBe('2026-12-06T15:05:00.000Z');
    expect(tickets.verify(ticket, new Date(NOW + 60_000), NOW + 60_000)).toEqual({ userId: FOUNDER, callStage: 2, expiresAt });
    // The call's last messages come long after the ticket's five minutes.
    expect(tickets.verify(ticket, new Date(NOW + 60_000), NOW + 3600_000)?.userId).toBe(FOUNDER);
  });

  it('names nobody for a ticket it did not sign, one altered, or a call started after the ticket expired', () => {
    const { ticket } = tickets.issue(FOUNDER, 1, NOW);
    const [payload, mac] = ticket.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: '00000000-0000-4000-8000-000000000000', stage: 1, exp: NOW / 1000 + 300, jti: 'x' })).toString('base64url');
    for (const bad of [`${forged}.${mac}`, `${payload}.${mac.slice(0, -2)}AA`, new WebCallTickets(`${SECRET}-other`).issue(FOUNDER, 1, NOW).ticket, 'nonsense', '', 42, `${ticket}.x`]) {
      expect(tickets.verify(bad, new Date(NOW), NOW)).toBeNull();
    }
    expect(tickets.verify(ticket, new Date(NOW + 301_000), NOW + 301_000)).toBeNull();
    expect(tickets.verify(ticket, new Date(NOW), NOW + 3 * 3600_000)).toBeNull();
  });

  it('is the only way a web call names its founder: metadata a browser wrote is not believed', () => {
    // callOf reads the clock: the ticket is issued now.
    const { ticket } = tickets.issue(FOUNDER, 3);
    expect(callOf(webCall({ userId: FOUNDER, callStage: 1 }), tickets)).toMatchObject({ userId: null, callStage: null });
    expect(callOf(webCall({ ticket, callStage: 1, userId: '00000000-0000-4000-8000-000000000000' }), tickets)).toMatchObject({ userId: FOUNDER, callStage: 3 });
    // Without the means to check a ticket, a web call has no founder at all.
    expect(callOf(webCall({ ticket, callStage: 3 }))).toMatchObject({ userId: null, callStage: null });
    // Phone calls keep their metadata: the platform set it on the call it placed or answered.
    const phone: VapiMessage = { type: 'status-update', call: { id: 'p-1', type: 'outboundPhoneCall', assistantOverrides: { metadata: { userId: FOUNDER, callStage: 2 } } } };
    expect(callOf(phone, tickets)).toMatchObject({ userId: FOUNDER, callStage: 2 });
  });
});
