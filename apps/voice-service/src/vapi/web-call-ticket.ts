import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * Web calls are started by the founder's browser with VAPI's public key, so everything VAPI echoes of them (the
 * metadata too) is what a browser chose: a forged `userId` would write a consultation into someone else's file.
 * A web call names its founder only through a ticket this service signed for that founder moments before
 * (`POST /v1/me/calls/web`), checked on every message of the call where the founder is read.
 *
 * The ticket is `<payload>.<mac>`, both base64url: the payload is `{ sub, stage, exp, jti }` and the mac an
 * HMAC-SHA256 with a key derived from JWT_SECRET for this use alone, so that neither can stand in for the
 * other. Checked synchronously: the founder of a message is read on hot paths.
 */
export interface WebCallTicket {
  userId: string;
  callStage: number;
  expiresAt: Date;
}

/** How long a ticket starts calls: the browser uses it at once. */
export const WEB_CALL_TICKET_SECONDS = 300;

/** A call outlives its ticket: messages keep arriving for this long after the ticket's expiry. */
const LONGEST_CALL_SECONDS = 2 * 3600;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class WebCallTickets {
  private readonly key: Buffer;

  constructor(jwtSecret: string) {
    this.key = createHmac('sha256', jwtSecret).update('dreamseed:vapi-web-call-ticket:v1').digest();
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.key).update(payload).digest();
  }

  issue(userId: string, callStage: number, now = Date.now()): { ticket: string; expiresAt: Date } {
    const expiresAt = new Date(now + WEB_CALL_TICKET_SECONDS * 1000);
    const payload = Buffer.from(JSON.stringify({ sub: userId, stage: callStage, exp: Math.floor(expiresAt.getTime() / 1000), jti: randomUUID() })).toString('base64url');
    return { ticket: `${payload}.${this.mac(payload).toString('base64url')}`, expiresAt };
  }

  /**
   * The founder a ticket names, or null for anything this service did not sign. A call's later messages carry the
   * same ticket after it has expired: it still names the founder for as long as a call can last, but a call must
   * have started (its first message, `createdAt`) while the ticket was valid.
   */
  verify(ticket: unknown, callCreatedAt: Date | null, now = Date.now()): WebCallTicket | null {
    if (typeof ticket !== 'string' || ticket.length > 1000) return null;
    const [payload, mac, extra] = ticket.split('.');
    if (!payload || !mac || extra !== undefined) return null;
    const given = Buffer.from(mac, 'base64url');
    const expected = this.mac(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let claims: { sub?: unknown; stage?: unknown; exp?: unknown };
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      return null;
    }
    const { sub, stage, exp } = claims;
    if (typeof sub !== 'string' || !UUID.test(sub) || typeof exp !== 'number' || !Number.isInteger(stage) || (stage as number) < 1 || (stage as number) > 4) return null;
    const expiresMs = exp * 1000;
    const startedMs = callCreatedAt?.getTime() ?? now;
    if (startedMs > expiresMs || now > expiresMs + LONGEST_CALL_SECONDS * 1000) return null;
    return { userId: sub.toLowerCase(), callStage: stage as number, expiresAt: new Date(expiresMs) };
  }
}
